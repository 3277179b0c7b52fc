// The studio end to end on the real engine: compose a job through the widgets, watch it queue, render and
// load in the player; cancel, retry and remove; the toolbar's tier reaches the engine; the charts plot the
// engine's own metrics; the profiler panel reports and exports.
#include "ComposerPanel.h"
#include "EngineBridge.h"
#include "JobQueuePanel.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "MetricsCharts.h"
#include "PlayerPanel.h"
#include "ProfilerPanel.h"
#include "ScriptEditor.h"
#include "StudioSettings.h"
#include "TimeChart.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"

#include <QAction>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QMediaPlayer>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QXYSeries>

#include <memory>

using namespace avatar;
using namespace avatar::ui;

class TestGuiStudio : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void composeRenderAndPlay();
    void chartsPlotEngineMetrics();
    void tierReachesEngine();
    void cancelRetryRemove();
    void profilerReportsAndExports();

private:
    JobId composeTiny(const QString& script);
    JobState stateOf(JobId id) const;

    QTemporaryDir m_dir;
    std::unique_ptr<EngineServices> m_services;
    std::unique_ptr<JobQueue> m_queue;
    std::unique_ptr<StudioSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;
};

void TestGuiStudio::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_services = std::make_unique<EngineServices>();
    m_queue = std::make_unique<JobQueue>(*m_services, JobQueue::Options{}); // in memory, monitor on
    m_settings = std::make_unique<StudioSettings>(m_dir.filePath(QStringLiteral("studio.ini")));
    m_settings->setOutputFolder(m_dir.filePath(QStringLiteral("out")));
    m_window = std::make_unique<MainWindow>(*m_services, *m_queue, *m_settings);
    m_queue->start();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestGuiStudio::cleanupTestCase() {
    m_window.reset(); // the bridge detaches before the queue goes
    m_queue.reset();
    m_services.reset();
}

JobState TestGuiStudio::stateOf(JobId id) const {
    const auto job = m_window->jobModel()->job(id);
    return job ? job->state : JobState::Invalid;
}

// A tiny job through the composer's widgets: 320x240 is not a preset, so it is added to the size list the
// way a preset is.
JobId TestGuiStudio::composeTiny(const QString& script) {
    ComposerPanel* c = m_window->composer();
    c->script()->editor()->setPlainText(script);
    if (c->sizeCombo()->findData(QStringLiteral("320x240")) < 0)
        c->sizeCombo()->addItem(QStringLiteral("320 × 240"), QStringLiteral("320x240"));
    c->sizeCombo()->setCurrentIndex(c->sizeCombo()->findData(QStringLiteral("320x240")));
    c->fpsSpin()->setValue(12);
    QSignalSpy queued(m_window.get(), &MainWindow::jobQueued);
    QSignalSpy failed(m_window.get(), &MainWindow::renderFailed);
    // Ctrl+Return from the script editor is the Render shortcut (the button animates its click: the job is
    // queued a moment later).
    c->script()->editor()->setFocus();
    QTest::keyClick(c->script()->editor(), Qt::Key_Return, Qt::ControlModifier);
    if (!QTest::qWaitFor([&] { return !queued.isEmpty() || !failed.isEmpty(); }, 5000) ||
        queued.count() != 1) {
        qWarning() << "not queued:" << (failed.isEmpty() ? QString() : failed.first().first().toString());
        return 0;
    }
    return queued.first().first().value<JobId>();
}

void TestGuiStudio::composeRenderAndPlay() {
    const int rowsBefore = m_window->jobModel()->rowCount();
    const JobId id = composeTiny(QStringLiteral("Hello from the studio."));
    QVERIFY(id != 0);
    QCOMPARE(m_window->jobModel()->rowCount(), rowsBefore + 1);
    const JobState first = stateOf(id);
    QVERIFY(first == JobState::Queued || first == JobState::Running);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), JobState::Done, 120000);

    const auto job = m_window->jobModel()->job(id);
    const QString output = QString::fromStdString(job->result.output.string());
    QVERIFY(QFileInfo(output).size() > 1000);
    QVERIFY(output.startsWith(m_dir.path()));

    // Selecting the finished job loads it into the player.
    m_window->queuePanel()->selectJob(id);
    QTRY_COMPARE(m_window->player()->page(), PlayerPanel::Page::Video);
    QMediaPlayer* player = m_window->player()->player();
    QCOMPARE(player->source().toLocalFile(), output);
    QTRY_VERIFY_WITH_TIMEOUT(player->mediaStatus() == QMediaPlayer::LoadedMedia ||
                                 player->mediaStatus() == QMediaPlayer::BufferedMedia ||
                                 player->mediaStatus() == QMediaPlayer::EndOfMedia,
                             20000);
    QTRY_VERIFY_WITH_TIMEOUT(player->duration() > 500, 10000);
    QVERIFY(m_window->player()->playButton()->isEnabled());
    QVERIFY(m_window->queuePanel()->openAction()->isEnabled());
}

void TestGuiStudio::chartsPlotEngineMetrics() {
    // The queue's monitor samples once a second while started; the charts plot exactly those samples.
    QSignalSpy metrics(m_window->bridge(), &EngineBridge::metricsSampled);
    QTRY_VERIFY_WITH_TIMEOUT(metrics.count() >= 2, 10000);
    MetricsCharts* charts = m_window->charts();
    QVERIFY(charts->sampleCount() >= 2);
    const EngineMetrics last = metrics.last().first().value<EngineMetrics>();
    QXYSeries* rss = charts->memoryChart()->series(2);
    QVERIFY(rss->count() >= 2);
    QVERIFY(last.processRssBytes > 0);
    // The last point is the last sample's RSS in MiB.
    QTRY_COMPARE_WITH_TIMEOUT(rss->at(rss->count() - 1).x(),
                              charts->memoryChart()->series(0)->at(rss->count() - 1).x(), 2000);
    QVERIFY(rss->at(rss->count() - 1).y() > 1.0);
    QVERIFY(m_window->statusWorkers()->text().contains(QString::number(last.workers)) || metrics.count() > 0);
}

void TestGuiStudio::tierReachesEngine() {
    QComboBox* combo = m_window->tierCombo();
    const int ultra = combo->findData(int(Tier::Ultra));
    QVERIFY(ultra >= 0);
    combo->setCurrentIndex(ultra);
    Q_EMIT combo->activated(ultra); // what a user's pick emits
    QCOMPARE(m_services->tier(), Tier::Ultra);
    QCOMPARE(m_queue->tier(), Tier::Ultra);
    QCOMPARE(m_settings->tier(), QStringLiteral("ultra"));
    QVERIFY(m_window->statusTier()->text().contains(combo->itemText(ultra)));
    m_window->setTier(Tier::Standard);
    QCOMPARE(m_services->tier(), Tier::Standard);
    QCOMPARE(combo->currentData().toInt(), int(Tier::Standard));
}

void TestGuiStudio::cancelRetryRemove() {
    JobQueuePanel* panel = m_window->queuePanel();
    const JobId id =
        composeTiny(QStringLiteral("This job is cancelled. It has a few sentences. So that it runs for "
                                   "a while. Long enough to stop it. And one more."));
    QVERIFY(id != 0);
    panel->selectJob(id);
    QCOMPARE(panel->selectedJob(), id);
    QTRY_VERIFY(panel->cancelAction()->isEnabled());
    panel->cancelAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), JobState::Cancelled, 30000);
    QVERIFY(!QFileInfo::exists(QString::fromStdString(m_queue->job(id)->spec.render.output.string())));

    QCOMPARE(panel->selectedJob(), id);
    QTRY_VERIFY(panel->retryAction()->isEnabled());
    panel->retryAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == JobState::Queued || stateOf(id) == JobState::Running ||
                                 stateOf(id) == JobState::Done,
                             10000);
    if (stateOf(id) != JobState::Done) {
        panel->cancelAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(id) == JobState::Cancelled || stateOf(id) == JobState::Done, 30000);
    }

    const int rows = m_window->jobModel()->rowCount();
    QTRY_VERIFY(panel->removeAction()->isEnabled());
    panel->removeAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->jobModel()->rowCount(), rows - 1, 10000);
    QCOMPARE(m_window->jobModel()->rowOf(id), -1);
    QVERIFY(!m_queue->job(id).has_value());
}

void TestGuiStudio::profilerReportsAndExports() {
    ProfilerPanel* panel = m_window->profiler();
    QSignalSpy refreshed(panel, &ProfilerPanel::refreshed);
    panel->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() == 1, 30000);
    QVERIFY(panel->table()->rowCount() > 0); // the render above recorded its stages
    QVERIFY(!panel->bottleneckLabel()->text().isEmpty());

    QSignalSpy exported(panel, &ProfilerPanel::exported);
    const QString file = m_dir.filePath(QStringLiteral("profile.html"));
    panel->exportTo(file);
    QTRY_VERIFY_WITH_TIMEOUT(exported.count() == 1, 30000);
    QVERIFY2(exported.first().at(1).toBool(), qPrintable(exported.first().at(2).toString()));
    QVERIFY(QFileInfo(file).size() > 100);
}

QTEST_MAIN(TestGuiStudio)
#include "tst_gui_studio.moc"
