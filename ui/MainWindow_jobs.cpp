// The window's side of the job flow: queueing the composed job, following its events, the tier.
#include "MainWindow.h"

#include "AvatarGallery.h"
#include "ComposerPanel.h"
#include "EngineMessages.h"
#include "JobQueuePanel.h"
#include "JobTableModel.h"
#include "LatencyProbe.h"
#include "MetricsCharts.h"
#include "PlayerPanel.h"
#include "ProfilerPanel.h"
#include "StudioSettings.h"
#include "UiText.h"
#include "core/Error.h"
#include "jobs/JobQueue.h"
#include "jobs/JobRunSettings.h"
#include "pipeline/EngineServices.h"

#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QStatusBar>

namespace avatar::ui {

JobId MainWindow::render() {
    QStringList taken;
    for (int row = 0; row < m_model->rowCount(); ++row)
        taken << QString::fromStdString(m_model->record(row)->spec.render.output.string());
    QString error;
    std::optional<JobSpec> spec = m_composer->spec(m_settings.outputFolder(), taken, &error);
    // A portrait whose check found no face would fail in the queue, its reason in a tooltip: not queued.
    if (spec && !m_composer->gallery()->noFaceReason().isEmpty()) {
        error = tr("Not queued: %1").arg(m_composer->gallery()->noFaceReason());
        spec.reset();
    }
    JobId id = 0;
    if (spec) {
        spec->tier = m_queue.tier(); // the toolbar's engine tier: one tier, the same in the job's record
        try {
            id = m_queue.add(*spec); // validates and queues; returns at once
        } catch (const Error& e) {
            error = EngineMessages::translate(std::string(e.what()));
        }
    }
    if (id == 0) {
        statusBar()->showMessage(error, 8000);
        Q_EMIT renderFailed(error);
        return 0;
    }
    // Shown at once; the engine's own Added event then only refreshes the row.
    if (const auto record = m_queue.job(id))
        m_model->upsert(*record);
    m_queuePanel->selectJob(id);
    statusBar()->showMessage(tr("Queued “%1”.").arg(QString::fromStdString(spec->name)), 4000);
    Q_EMIT jobQueued(id);
    return id;
}

void MainWindow::setTier(Tier tier) {
    m_queue.setTier(tier); // applied live: memory cap, batch sizes, scaler thresholds, profiling level
    m_settings.setTier(QString::fromLatin1(tierName(tier)));
    const int index = m_tierCombo->findData(int(tier));
    if (index != m_tierCombo->currentIndex())
        m_tierCombo->setCurrentIndex(index);
    updateStatus();
}

void MainWindow::onJobChanged(const JobRecord& record) {
    const std::optional<JobRecord> before = m_model->job(record.id);
    m_model->upsert(record);
    const bool finishedNow = (!before || before->state != record.state) &&
                             (record.state == JobState::Done || record.state == JobState::Failed ||
                              record.state == JobState::Cancelled);
    if (!finishedNow)
        return;
    m_lastPreviewMs.remove(record.id);
    if (record.state == JobState::Done) {
        statusBar()->showMessage(tr("Finished “%1”.").arg(QString::fromStdString(record.spec.name)), 6000);
        // The result replaces its own live preview (or the empty player), ready to play.
        if (m_previewJob == record.id || m_player->page() != PlayerPanel::Page::Video) {
            m_player->load(QString::fromStdString(record.result.output.string()), false);
            m_playerJob = record.id;
        }
        m_profiler->setRunSettings(jobRunSettings(record.spec, m_services));
        m_profiler->refresh();
    } else if (record.state == JobState::Failed) {
        statusBar()->showMessage(
            tr("“%1” failed: %2")
                .arg(QString::fromStdString(record.spec.name), EngineMessages::translate(record.error)),
            10000);
    }
    if (m_previewJob == record.id) {
        m_previewJob = 0;
        if (m_player->page() == PlayerPanel::Page::Preview)
            m_player->clearPreview();
    }
}

void MainWindow::onPreview(JobId id, const QImage& frame) {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const auto last = m_lastPreviewMs.constFind(id);
    if (last != m_lastPreviewMs.constEnd() && now - last.value() < 200)
        return;
    m_lastPreviewMs.insert(id, now);
    m_previewJob = id;
    const auto job = m_model->job(id);
    const QString name = job ? QString::fromStdString(job->spec.name) : QString();
    m_player->showPreview(frame, tr("Rendering “%1” — live preview").arg(name));
}

void MainWindow::onMetrics(const EngineMetrics& metrics) {
    m_charts->addSample(metrics, m_probe->sampleCount() > 0 ? m_probe->p95Ms() : -1.0);
    m_workers = metrics.workers;
    updateStatus();
}

void MainWindow::onSelectedJob(JobId id) {
    const auto job = m_model->job(id);
    if (job && job->state == JobState::Done) {
        m_player->load(QString::fromStdString(job->result.output.string()), false);
        m_playerJob = id;
    }
}

void MainWindow::updateStatus() {
    m_statusTier->setText(tr("Engine tier: %1").arg(UiText::tier(m_queue.tier())));
    m_statusWorkers->setText(
        tr("Workers: %1").arg(m_workers > 0 ? m_workers : int(m_services.renderPool.size())));
    m_statusQueue->setText(tr("Queue: %1 waiting, %2 rendering")
                               .arg(m_model->count(JobState::Queued))
                               .arg(m_model->count(JobState::Running)));
}

} // namespace avatar::ui
