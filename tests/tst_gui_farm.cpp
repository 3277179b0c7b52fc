// "Render on cluster" in the studio (issue #16) on the one-node Slurm cluster tst_farm uses
// (tests/farm/SlurmCluster.h): the batch dialog offers it only when sbatch is on the PATH; it submits a
// 4-row batch as a 2-task array through the engine's SlurmArray, as `avatar-render batch --slurm` does; the
// job queue's cluster row reaches Done with every output a decodable MP4 and its counts equal to `batch
// status --json`; the row comes back in a new window (a restart); sbatch refusing gives one message and no
// row. Skips, with the reason, only where Slurm cannot start.
#include "BatchDialog.h"
#include "ClusterBatchPanel.h"
#include "MainWindow.h"
#include "ProjectController.h"
#include "ProjectWorkspace.h"
#include "StudioSettings.h"
#include "farm/SlurmCluster.h"
#include "jobs/JobQueue.h"
#include "media/MediaReader.h"
#include "pipeline/EngineServices.h"
#include "project/ProjectFile.h"

#include <QAction>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <filesystem>
#include <fstream>

using namespace avatar;
using namespace avatar::ui;
namespace fs = std::filesystem;

namespace {

constexpr int kRows = 4;
constexpr int kTasks = 2;

QVariantMap counts(const ClusterBatchPanel& panel, int row) {
    return panel.table()
        ->item(row, ClusterBatchPanel::BatchColumn)
        ->data(ClusterBatchPanel::kCountsRole)
        .toMap();
}

} // namespace

class TestGuiFarm : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    farmtest::SlurmCluster m_cluster{fs::path(m_dir.path().toStdString()) / "cluster"};
    fs::path m_root;
    QString m_project;
    QString m_csv;

    std::unique_ptr<BatchDialog> dialog(EngineServices& services, const QString& out) {
        const project::LoadedProject p = project::ProjectFile::load(m_project.toStdString());
        auto d = std::make_unique<BatchDialog>(services, p.project, out);
        d->setRenderProgram(QStringLiteral(AVATAR_RENDER_BIN));
        return d;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString why;
        const auto started = m_cluster.start(&why);
        if (started == farmtest::SlurmCluster::Start::Unavailable)
            QSKIP(qPrintable(QStringLiteral("Slurm cannot start here: ") + why));
        QVERIFY2(started == farmtest::SlurmCluster::Start::Up, qPrintable(why));
        m_root = fs::path(m_dir.path().toStdString()) / "farm";
        fs::create_directories(m_root);
        m_project = farmtest::str(m_root / "tiny.avatarproj");
        farmtest::saveTinyProject("Hi {{name}}. Thanks for watching.", m_project.toStdString());
        m_csv = farmtest::str(m_root / "rows.csv");
        std::ofstream csv(m_csv.toStdString());
        csv << "name\n";
        for (int i = 1; i <= kRows; ++i)
            csv << "Viewer" << i << "\n";
    }

    void cleanupTestCase() { m_cluster.stop(); }

    void offeredOnlyWithSbatch() {
        EngineServices services;
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", QByteArray("/nonexistent-avatar-bin"));
        {
            const auto d = dialog(services, farmtest::str(m_root / "out-none"));
            QVERIFY(!d->clusterBox()->isEnabled());
            QVERIFY(!d->clusterBox()->isChecked());
            QVERIFY(d->clusterBox()->toolTip().contains(QStringLiteral("sbatch is not on the PATH")));
            QVERIFY(d->loadCsv(m_csv));
            QCOMPARE(d->renderButton()->text(), QStringLiteral("&Render batch")); // the local batch only
        }
        qputenv("PATH", path);
        const auto d = dialog(services, farmtest::str(m_root / "out-none"));
        QVERIFY(d->clusterBox()->isEnabled());
        QCOMPARE(d->clusterTasks()->value(), 4); // the CLI's defaults
        QVERIFY(d->partition()->text().isEmpty());
        QVERIFY(d->timeLimit()->text().isEmpty());
    }

    void sbatchRefusalIsOneMessage() {
        EngineServices services;
        const auto d = dialog(services, farmtest::str(m_root / "out-refused"));
        QVERIFY(d->loadCsv(m_csv));
        d->clusterBox()->setChecked(true);
        QCOMPARE(d->renderButton()->text(), QStringLiteral("&Submit to cluster"));
        d->partition()->setText(QStringLiteral("no-such-partition"));
        d->batchFolder()->setText(farmtest::str(m_root / "refused"));
        QSignalSpy failed(d.get(), &BatchDialog::clusterFailed);
        QSignalSpy submitted(d.get(), &BatchDialog::clusterSubmitted);
        d->render();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 60000);
        QCOMPARE(submitted.size(), 0);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("sbatch refused")) &&
                     message.contains(QStringLiteral("artition")),
                 qPrintable(message));
        QCOMPARE(d->summary()->text(), message);
        QVERIFY(d->renderButton()->isEnabled()); // fix the field and submit again
    }

    void studioSubmitsAndFollowsTheArray() {
        EngineServices services;
        const QString ini = m_dir.filePath(QStringLiteral("studio.ini"));
        const fs::path batch = m_root / "batch";
        {
            StudioSettings settings(ini);
            settings.setOutputFolder(farmtest::str(m_root / "out"));
            JobQueue queue(services, JobQueue::Options{{}, 1, false});
            MainWindow window(services, queue, settings);
            ClusterBatchPanel* panel = window.clusterPanel();
            QVERIFY(panel);
            QVERIFY(!panel->isVisibleTo(&window)); // nothing submitted yet
            panel->setRefreshInterval(500);
            QString error;
            QVERIFY2(window.projects()->controller()->open(m_project, &error), qPrintable(error));
            BatchDialog* d = window.projects()->openBatch(m_csv);
            d->setRenderProgram(QStringLiteral(AVATAR_RENDER_BIN));
            QVERIFY(d->clusterBox()->isEnabled());
            d->clusterBox()->setChecked(true);
            d->clusterTasks()->setValue(kTasks);
            d->timeLimit()->setText(QStringLiteral("10"));
            d->batchFolder()->setText(farmtest::str(batch));
            QSignalSpy submitted(d, &BatchDialog::clusterSubmitted);
            QTest::mouseClick(d->renderButton(), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(submitted.size(), 1, 60000);
            QVERIFY(!submitted.first().at(1).toString().isEmpty()); // the job id
            QVERIFY(d->summary()->text().contains(submitted.first().at(1).toString()));

            // The array is a row of the job queue, followed until every row is done.
            QVERIFY(panel->isVisibleTo(&window));
            QCOMPARE(panel->batches(), QStringList{farmtest::str(batch)});
            QCOMPARE(panel->table()->rowCount(), 1);
            QTRY_COMPARE_WITH_TIMEOUT(panel->table()->item(0, ClusterBatchPanel::StateColumn)->text(),
                                      QStringLiteral("Done"), 120000);
            QCOMPARE(panel->table()->item(0, ClusterBatchPanel::ProgressColumn)->text(),
                     QStringLiteral("%1 / %1").arg(kRows));
            QVERIFY(panel->table()
                        ->item(0, ClusterBatchPanel::RateColumn)
                        ->text()
                        .contains(QStringLiteral("videos/min")));
            panel->table()->setCurrentCell(0, 0);
            QVERIFY(panel->playAction()->isEnabled());
            QVERIFY(panel->showOutputsAction()->isEnabled());
            QVERIFY(!panel->resubmitAction()->isEnabled()); // nothing failed
            QSignalSpy play(panel, &ClusterBatchPanel::playRequested);
            panel->playAction()->trigger();
            QCOMPARE(play.size(), 1);
            QVERIFY(QFileInfo::exists(play.first().first().toString()));
        }

        // Every output decodes, and the row says what `avatar-render batch status --json` says.
        const JsonValue status = farmtest::batchStatus(batch);
        QVERIFY(status.find("rows"));
        QCOMPARE(status.find("done")->number(), double(kRows));
        for (const JsonValue& r : status.find("rows")->array()) {
            const fs::path out = r.find("output")->string();
            QVERIFY2(MediaReader::probe(out).frameCount > 0, out.c_str());
        }

        // A restart: the batch comes back from the settings with the same counts.
        StudioSettings settings(ini);
        ClusterBatchPanel again(settings);
        QSignalSpy refreshed(&again, &ClusterBatchPanel::refreshed);
        QCOMPARE(again.table()->rowCount(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 1, 30000);
        const QVariantMap c = counts(again, 0);
        for (const char* key : {"done", "running", "failed", "missing"})
            QCOMPARE(c.value(QString::fromLatin1(key)).toDouble(), status.find(key)->number());
        QCOMPARE(c.value(QStringLiteral("rows")).toDouble(), status.find("rows_total")->number());
        QCOMPARE(again.table()->item(0, ClusterBatchPanel::JobsColumn)->text(),
                 QString::fromStdString(status.find("slurm_jobs")->array().front().string()));
    }
};

QTEST_MAIN(TestGuiFarm)
#include "tst_gui_farm.moc"
