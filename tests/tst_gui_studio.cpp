// The studio end to end on the real engine: compose a job through the widgets, watch it queue, render and
// load in the player; the live preview while a job renders; cancel, retry and remove; the toolbar's tier
// reaches the engine; the charts plot the engine's own metrics (and the latency probe); the profiler panel
// reports and exports; the queue survives a restart on its job database; the composer fits 1366x768; the
// composer's face finder reaches the job, its face check and the render, and is remembered.
#include "AvatarGallery.h"
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
#include "assets/DefaultAssets.h"
#include "core/ImageIO.h"
#include "face/FaceAnalyzer.h"
#include "facenet/FaceNet.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMediaPlayer>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
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
    void composerFitsSmallScreen();
    void composeRenderAndPlay();
    void faceFinderReachesJob();
    void livePreviewWhileRendering();
    void chartsPlotEngineMetrics();
    void latencyChartPlotsStagesAndProbe();
    void tierReachesEngine();
    void cancelRetryRemove();
    void profilerReportsAndExports();
    void queueSurvivesRestart();

private:
    JobId composeTiny(const QString& script, MainWindow* window = nullptr);
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
JobId TestGuiStudio::composeTiny(const QString& script, MainWindow* window) {
    if (!window)
        window = m_window.get();
    ComposerPanel* c = window->composer();
    c->script()->editor()->setPlainText(script);
    if (c->sizeCombo()->findData(QStringLiteral("320x240")) < 0)
        c->sizeCombo()->addItem(QStringLiteral("320 × 240"), QStringLiteral("320x240"));
    c->sizeCombo()->setCurrentIndex(c->sizeCombo()->findData(QStringLiteral("320x240")));
    c->setFrameRate(12);
    QSignalSpy queued(window, &MainWindow::jobQueued);
    QSignalSpy failed(window, &MainWindow::renderFailed);
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

// The face finder: the neural one by default (as avatar-render), its choice in the job's spec and in Check
// face, and the render uses it: a portrait whose face is too small for dlib renders with the neural finder.
// The choice is saved with the other composer defaults and comes back in a new composer.
void TestGuiStudio::faceFinderReachesJob() {
    ComposerPanel* c = m_window->composer();
    QComboBox* finder = c->faceBackendCombo();
    QVERIFY(finder->isVisibleTo(m_window.get()));
    QCOMPARE(finder->currentData().toString(), QStringLiteral("torch"));
    QCOMPARE(c->faceBackend(), FaceBackend::Torch);
    QVERIFY(!finder->toolTip().isEmpty());

    // The built-in portrait scaled down until dlib's detector misses the face and the face-api one does not.
    const Image portrait = ImageIO::decode(DefaultAssets::portraitPng(), "astronaut");
    const FaceAnalyzer dlib;
    const FaceNet net;
    QString small;
    for (const int size : {200, 180, 160, 140, 120}) {
        const Image scaled = ImageIO::resized(portrait, size, size);
        if (dlib.detectAll(scaled).empty() && net.analyze(scaled).size() == 1) {
            small = m_dir.filePath(QStringLiteral("small-face.png"));
            ImageIO::save(scaled, small.toStdString());
            break;
        }
    }
    QVERIFY2(!small.isEmpty(), "no size where dlib misses the face and the face-api models find it");
    AvatarGallery* gallery = c->gallery();
    QVERIFY(gallery->addImage(small));

    // Check face follows the finder: dlib finds nothing (and points to the other one), the neural one finds
    // it.
    finder->setCurrentIndex(finder->findData(QStringLiteral("dlib")));
    QCOMPARE(gallery->faceBackend(), FaceBackend::Dlib);
    QSignalSpy checked(gallery, &AvatarGallery::faceChecked);
    gallery->checkFace();
    QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 1, 30000);
    QCOMPARE(checked.at(0).at(0).toBool(), false);
    QVERIFY2(
        checked.at(0).at(1).toString().contains(finder->itemText(finder->findData(QStringLiteral("torch")))),
        qPrintable(checked.at(0).at(1).toString()));
    finder->setCurrentIndex(finder->findData(QStringLiteral("torch")));
    QCOMPARE(gallery->faceBackend(), FaceBackend::Torch);
    gallery->checkFace();
    QTRY_COMPARE_WITH_TIMEOUT(checked.count(), 2, 30000);
    QVERIFY2(checked.at(1).at(0).toBool(), qPrintable(checked.at(1).at(1).toString()));

    // Composed and queued through the widgets: the spec carries the choice, and the render (which dlib
    // cannot do on this portrait) completes.
    const JobId id = composeTiny(QStringLiteral("Found by the neural face finder."));
    QVERIFY(id != 0);
    QCOMPARE(m_queue->job(id)->spec.render.faceBackend, FaceBackend::Torch);
    QCOMPARE(m_queue->job(id)->spec.render.avatar.string(), small.toStdString());
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), JobState::Done, 120000);

    // Remembered: saved with the composer's defaults, loaded by the next composer.
    finder->setCurrentIndex(finder->findData(QStringLiteral("dlib")));
    c->saveDefaults();
    QCOMPARE(m_settings->faceBackend(), QStringLiteral("dlib"));
    ComposerPanel next(*m_services, *m_settings);
    QCOMPARE(next.faceBackendCombo()->currentData().toString(), QStringLiteral("torch"));
    next.loadDefaults();
    QCOMPARE(next.faceBackend(), FaceBackend::Dlib);
    QCOMPARE(next.gallery()->faceBackend(), FaceBackend::Dlib);

    // The other tests compose with the defaults.
    finder->setCurrentIndex(finder->findData(QStringLiteral("torch")));
    gallery->list()->setCurrentRow(0);
    c->saveDefaults();
}

// At 1366x768 (the window maximised there, less a taskbar) a new user sees the whole composer and the
// Render button without scrolling.
void TestGuiStudio::composerFitsSmallScreen() {
    const QSize before = m_window->size();
    m_window->setWindowState(Qt::WindowNoState);
    m_window->resize(1366, 728);
    QTRY_COMPARE(m_window->size(), QSize(1366, 728));
    QTest::qWait(50); // the docks settle
    auto* scroll = m_window->findChild<QScrollArea*>(QStringLiteral("composerScroll"));
    QVERIFY(scroll);
    QTRY_COMPARE(scroll->verticalScrollBar()->maximum(), 0);
    QPushButton* render = m_window->composer()->renderButton();
    QVERIFY(render->isVisible());
    const QRect inViewport(render->mapTo(scroll->viewport(), QPoint(0, 0)), render->size());
    QVERIFY2(scroll->viewport()->rect().contains(inViewport),
             qPrintable(QStringLiteral("render button at %1,%2 %3x%4, viewport %5x%6")
                            .arg(inViewport.x())
                            .arg(inViewport.y())
                            .arg(inViewport.width())
                            .arg(inViewport.height())
                            .arg(scroll->viewport()->width())
                            .arg(scroll->viewport()->height())));
    // The player keeps a usable size beside it.
    QVERIFY(m_window->player()->width() >= 320);
    m_window->resize(before);
}

// While a job renders, the player shows its latest frame (the engine's Preview events, ≤ 480 px wide); when
// the job is done the player switches to the finished video.
void TestGuiStudio::livePreviewWhileRendering() {
    PlayerPanel* player = m_window->player();
    player->player()->stop();
    QSignalSpy frames(m_window->bridge(), &EngineBridge::previewFrame);
    QSignalSpy pages(player, &PlayerPanel::pageChanged);
    const JobId id = composeTiny(QStringLiteral("The live preview shows this job. It has a few sentences. So "
                                                "that several frames arrive while it renders."));
    QVERIFY(id != 0);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), JobState::Done, 120000);
    QTRY_VERIFY(frames.count() >= 1);
    const QImage first = frames.first().at(1).value<QImage>();
    QCOMPARE(frames.first().at(0).value<JobId>(), id);
    QCOMPARE(first.size(), QSize(320, 240)); // narrower than 480: sent as rendered
    QCOMPARE(player->lastPreview().size(), QSize(320, 240));
    // The preview page came first, then the finished video replaced it.
    QList<PlayerPanel::Page> seen;
    for (const QList<QVariant>& args : pages)
        seen << args.at(0).value<PlayerPanel::Page>();
    const qsizetype preview = seen.indexOf(PlayerPanel::Page::Preview);
    QVERIFY2(preview >= 0, "the live preview was never shown");
    QVERIFY(seen.indexOf(PlayerPanel::Page::Video, preview) > preview);
    QTRY_COMPARE(player->page(), PlayerPanel::Page::Video);
    const auto job = m_window->jobModel()->job(id);
    QCOMPARE(player->player()->source().toLocalFile(), QString::fromStdString(job->result.output.string()));
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

// The stages' p95 (from the jobs finished above) and the window's latency probe, once a second.
void TestGuiStudio::latencyChartPlotsStagesAndProbe() {
    TimeChart* chart = m_window->charts()->latencyChart();
    QTRY_VERIFY_WITH_TIMEOUT(chart->find(QStringLiteral("render")) >= 0, 5000);
    QXYSeries* render = chart->series(chart->find(QStringLiteral("render")));
    QTRY_VERIFY_WITH_TIMEOUT(render->count() >= 1, 5000);
    QVERIFY(render->at(render->count() - 1).y() > 0.0);
    QXYSeries* ui = chart->series(m_window->charts()->uiLatencySeries());
    QTRY_VERIFY_WITH_TIMEOUT(ui->count() >= 2, 5000);
    QVERIFY(ui->at(ui->count() - 1).y() >= 0.0);
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

// The queue lives in a job database: a job queued in one window is there in the next one on the same
// database, and a job interrupted by closing the studio resumes and completes.
void TestGuiStudio::queueSurvivesRestart() {
    const QString database = m_dir.filePath(QStringLiteral("restart/jobs.db"));
    QVERIFY(QDir().mkpath(QFileInfo(database).absolutePath()));
    JobQueue::Options options;
    options.database = database.toStdString();
    options.monitor = false;
    options.autoscale = false;
    StudioSettings settings(m_dir.filePath(QStringLiteral("restart/studio.ini")));
    settings.setOutputFolder(m_dir.filePath(QStringLiteral("restart/out")));

    JobId id = 0;
    {
        auto queue = std::make_unique<JobQueue>(*m_services, options);
        auto window = std::make_unique<MainWindow>(*m_services, *queue, settings);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QCOMPARE(window->jobModel()->rowCount(), 0);
        QComboBox* finder = window->composer()->faceBackendCombo();
        finder->setCurrentIndex(finder->findData(QStringLiteral("torch")));
        id = composeTiny(QStringLiteral("This job outlives its window. It is queued in one studio. It is "
                                        "finished in the next one. Nothing is lost in between. The end."),
                         window.get());
        QVERIFY(id != 0);
        queue->start();
        QTRY_VERIFY_WITH_TIMEOUT(queue->job(id)->state != JobState::Queued, 30000);
        // Closing the studio mid-render: the window goes first (its close saves the composer's choices),
        // then the queue (running → Interrupted).
        window->close();
        window.reset();
        queue.reset();
    }
    {
        auto queue = std::make_unique<JobQueue>(*m_services, options);
        MainWindow window(*m_services, *queue, settings);
        window.show();
        const auto job = window.jobModel()->job(id);
        QVERIFY2(job.has_value(), "the job did not come back after the restart");
        QVERIFY(job->state == JobState::Queued || job->state == JobState::Interrupted ||
                job->state == JobState::Done);
        QCOMPARE(window.jobModel()->rowCount(), 1);
        // The job keeps its face finder from the database; the composer remembers the choice too.
        QCOMPARE(job->spec.render.faceBackend, FaceBackend::Torch);
        QCOMPARE(window.composer()->faceBackend(), FaceBackend::Torch);
        queue->start();
        QTRY_COMPARE_WITH_TIMEOUT(window.jobModel()->job(id)->state, JobState::Done, 120000);
        QVERIFY(QFileInfo(QString::fromStdString(window.jobModel()->job(id)->result.output.string())).size() >
                1000);
    }
}

QTEST_MAIN(TestGuiStudio)
#include "tst_gui_studio.moc"
