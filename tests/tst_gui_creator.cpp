// Issue #18, what a creator expects of the player, the queue and the layout; each test failed on the studio
// before it (main at ae853c7): a click on the seek groove moved a page step (10 ms), there was no volume,
// full screen or frame step, the time display kept the last video's figures with nothing loaded, the paused
// frame was not drawn again after a resize; the queue had no right-click menu, thumbnail, voice or duration
// and a fifth of the window's height; the live charts and the profiler were always shown.
// AVATAR_SCREENSHOT_DIR=docs/screenshots ./tst_gui_creator saves studio-creator-layout.png,
// studio-engine-view.png and studio-queue-menu.png (the grab of the offscreen 1560x960 window).
#include "AvatarGallery.h"
#include "ComposerPanel.h"
#include "JobQueuePanel.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "PlayerPanel.h"
#include "ScriptEditor.h"
#include "StudioSettings.h"
#include "UiText.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"

#include <QAction>
#include <QApplication>
#include <QAudioOutput>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QMediaPlayer>
#include <QMenu>
#include <QPainter>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStyleOptionSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QVideoSink>
#include <QVideoWidget>

#include <cmath>
#include <memory>

using namespace avatar;
using namespace avatar::ui;

class TestGuiCreator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void creatorLayoutByDefaultEngineViewRemembered();
    void queueShowsThumbnailVoiceDurationAndIsTaller();
    void queueMenuOffersWhatApplies();
    void playerFollowsTheSelectedJob();
    void clickOnTheGrooveSeeksThere();
    void frameStepWhilePaused();
    void pausedFrameRedrawnAfterResize();
    void volumeAndMuteRemembered();
    void fullScreenWithFAndEsc();
    void timeResetsWhenNothingIsLoaded();

private:
    JobQueue::Options quietOptions() const {
        JobQueue::Options options;
        options.monitor = false;
        options.autoscale = false;
        return options;
    }
    void screenshot(const QString& name, const QPixmap& shot) const {
        const QString dir = qEnvironmentVariable("AVATAR_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            QVERIFY(shot.save(QDir(dir).filePath(name)));
    }
    // What the screen shows of w: on a real display (xcb, e.g. Xvfb) the screen's pixels, so that the video's
    // own native window is in the picture; offscreen the widget's grab (the video area stays empty there).
    static QPixmap screenOf(QWidget* w) {
        if (QGuiApplication::platformName() != QLatin1String("xcb"))
            return w->grab();
        w->window()->raise();
        QTest::qWait(500); // the X server draws what the widgets painted by now
        const QRect r(w->mapToGlobal(QPoint(0, 0)), w->size());
        return w->screen()->grabWindow(0, r.x(), r.y(), r.width(), r.height());
    }
    PlayerPanel* player() const { return m_window->player(); }
    void pauseLoaded();

    QTemporaryDir m_dir;
    std::unique_ptr<EngineServices> m_services;
    std::unique_ptr<JobQueue> m_queue;
    std::unique_ptr<StudioSettings> m_settings;
    std::unique_ptr<MainWindow> m_window;
    JobId m_done = 0;
    QString m_video;
};

void TestGuiCreator::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_services = std::make_unique<EngineServices>();
    m_queue = std::make_unique<JobQueue>(*m_services, quietOptions());
    m_settings = std::make_unique<StudioSettings>(m_dir.filePath(QStringLiteral("studio.ini")));
    m_settings->setOutputFolder(m_dir.filePath(QStringLiteral("out")));
    m_window = std::make_unique<MainWindow>(*m_services, *m_queue, *m_settings);
    m_queue->start();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // The offscreen screen is small: the window starts maximised there; the studio's own size instead.
    m_window->setWindowState(Qt::WindowNoState);
    m_window->resize(1560, 960);
    QTRY_COMPARE(m_window->size(), QSize(1560, 960));

    // One short real video (320x240, 12 fps, a few seconds) for the player and the queue's columns.
    ComposerPanel* c = m_window->composer();
    c->script()->editor()->setPlainText(
        QStringLiteral("Hello, this is a short video. It lasts a few seconds, long enough to seek in it."));
    c->sizeCombo()->addItem(QStringLiteral("320 × 240"), QStringLiteral("320x240"));
    c->sizeCombo()->setCurrentIndex(c->sizeCombo()->findData(QStringLiteral("320x240")));
    c->setFrameRate(12);
    m_done = m_window->render();
    QVERIFY(m_done != 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->jobModel()->job(m_done)->state == JobState::Done, 120000);
    m_video = QString::fromStdString(m_window->jobModel()->job(m_done)->result.output.string());
    QVERIFY(QFileInfo::exists(m_video));
}

void TestGuiCreator::cleanupTestCase() {
    m_window.reset();
    m_queue.reset();
    m_services.reset();
}

// Fresh settings: composer, player and queue; the live charts and the profiler one click (Ctrl+E) away, and
// the choice survives a new window on the same settings.
void TestGuiCreator::creatorLayoutByDefaultEngineViewRemembered() {
    auto* charts = m_window->findChild<QDockWidget*>(QStringLiteral("chartsDock"));
    auto* profiler = m_window->findChild<QDockWidget*>(QStringLiteral("profilerDock"));
    QVERIFY(charts && profiler);
    QVERIFY(!m_window->isEngineView());
    QVERIFY(!charts->isVisible());
    QVERIFY(!profiler->isVisible());
    QVERIFY(m_window->composerDock()->isVisible());
    QVERIFY(m_window->queuePanel()->isVisible());
    // With the charts hidden the player has the room: more than half the window's width.
    QTRY_VERIFY2(player()->width() > m_window->width() / 2,
                 qPrintable(QStringLiteral("player %1 of %2, composer %3")
                                .arg(player()->width())
                                .arg(m_window->width())
                                .arg(m_window->composerDock()->width())));
    screenshot(QStringLiteral("studio-creator-layout.png"), screenOf(m_window.get()));

    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keyClick(m_window.get(), Qt::Key_E, Qt::ControlModifier);
    QVERIFY(m_window->isEngineView());
    QVERIFY(charts->isVisible());
    QVERIFY(!profiler->isHidden());
    QVERIFY(m_settings->engineView());
    QTest::qWait(50); // one layout pass for the grab
    screenshot(QStringLiteral("studio-engine-view.png"), screenOf(m_window.get()));
    {
        JobQueue queue(*m_services, quietOptions());
        MainWindow again(*m_services, queue, *m_settings);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(again.isEngineView());
        QVERIFY(again.findChild<QDockWidget*>(QStringLiteral("chartsDock"))->isVisible());
        again.engineViewAction()->trigger(); // back to the creator layout, remembered too
        again.close();
    }
    QVERIFY(!m_settings->engineView());
    {
        JobQueue queue(*m_services, quietOptions());
        MainWindow again(*m_services, queue, *m_settings);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(!again.isEngineView());
        QVERIFY(!again.findChild<QDockWidget*>(QStringLiteral("chartsDock"))->isVisible());
    }
    m_window->setEngineView(false);
    QVERIFY(!charts->isVisible());
}

void TestGuiCreator::queueShowsThumbnailVoiceDurationAndIsTaller() {
    const JobTableModel* model = m_window->jobModel();
    const int row = model->rowOf(m_done);
    auto text = [&](JobTableModel::Column c) {
        return model->index(row, JobTableModel::columnId(c)).data().toString();
    };
    auto header = [&](JobTableModel::Column c) {
        return model->headerData(JobTableModel::columnId(c), Qt::Horizontal).toString();
    };
    QCOMPARE(header(JobTableModel::Column::Voice), QStringLiteral("Voice"));
    QCOMPARE(header(JobTableModel::Column::Duration), QStringLiteral("Duration"));
    const JobRecord job = *model->job(m_done);
    QCOMPARE(text(JobTableModel::Column::Voice), QString::fromStdString(job.spec.render.voice));
    QVERIFY(job.result.duration > 1.0);
    QCOMPARE(text(JobTableModel::Column::Duration), UiText::duration(job.result.duration));

    // The thumbnail is the job's portrait (here the built-in astronaut), small.
    const QPixmap thumb = model->index(row, JobTableModel::columnId(JobTableModel::Column::Name))
                              .data(Qt::DecorationRole)
                              .value<QPixmap>();
    QVERIFY(!thumb.isNull());
    QCOMPARE(std::max(thumb.width(), thumb.height()), JobTableModel::kThumbnailSize);
    const QImage expected = AvatarGallery::loadPortrait(QString())
                                .scaled(thumb.size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)
                                .convertToFormat(QImage::Format_RGB32);
    const QImage got = thumb.toImage().convertToFormat(QImage::Format_RGB32);
    const QPoint centre(got.width() / 2, got.height() / 2);
    QCOMPARE(got.pixel(centre), expected.pixel(centre));

    // Taller than the fifth of the height it had: about three tenths of a new 1560x960 window.
    StudioSettings fresh(m_dir.filePath(QStringLiteral("fresh.ini")));
    JobQueue queue(*m_services, quietOptions());
    MainWindow window(*m_services, queue, fresh);
    window.setWindowState(Qt::WindowNoState); // the offscreen screen is smaller than the studio's window
    window.resize(1560, 960);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* queueDock = window.findChild<QDockWidget*>(QStringLiteral("queueDock"));
    QTRY_VERIFY2(queueDock->height() >= 270, qPrintable(QString::number(queueDock->height())));
}

void TestGuiCreator::queueMenuOffersWhatApplies() {
    JobQueuePanel* panel = m_window->queuePanel();
    QTableView* view = panel->view();
    auto menuFor = [&](JobId id) {
        const QRect cell = view->visualRect(m_window->jobModel()->index(m_window->jobModel()->rowOf(id), 0));
        Q_EMIT view->customContextMenuRequested(cell.center());
        QMenu* menu = nullptr;
        [&] { QTRY_VERIFY((menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) != nullptr); }();
        QStringList texts;
        if (menu)
            for (QAction* a : menu->actions())
                texts << a->text();
        return std::make_pair(menu, texts);
    };
    // A finished job: play it, its folder, remove it; nothing to cancel or retry.
    auto [menu, done] = menuFor(m_done);
    QVERIFY(menu);
    QCOMPARE(done, (QStringList{QStringLiteral("Play"), QStringLiteral("Show in folder"),
                                QStringLiteral("Remove")}));
    QCOMPARE(panel->selectedJob(), m_done);
    QPixmap shot = screenOf(m_window.get());
    {
        QPainter painter(&shot);
        painter.drawPixmap(m_window->mapFromGlobal(menu->pos()), menu->grab());
    }
    screenshot(QStringLiteral("studio-queue-menu.png"), shot);
    menu->close();

    // A cancelled job: retry (render it again), its folder, remove.
    ComposerPanel* c = m_window->composer();
    c->script()->editor()->setPlainText(QStringLiteral("A second job, cancelled at once."));
    const JobId second = m_window->render();
    QVERIFY(second != 0);
    QVERIFY(m_queue->cancel(second));
    QTRY_VERIFY(m_window->jobModel()->job(second)->state == JobState::Cancelled);
    auto [cancelledMenu, cancelled] = menuFor(second);
    QVERIFY(cancelledMenu);
    QCOMPARE(cancelled, (QStringList{QStringLiteral("Show in folder"), QStringLiteral("Retry"),
                                     QStringLiteral("Remove")}));
    // Its Remove is the queue's: the job goes.
    QAction* remove = cancelledMenu->actions().last();
    cancelledMenu->close();
    remove->trigger();
    QTRY_COMPARE(m_window->jobModel()->rowOf(second), -1);
}

// Selecting a finished job in the queue loads its video (paused on its first frame).
void TestGuiCreator::playerFollowsTheSelectedJob() {
    player()->clear();
    QCOMPARE(player()->source(), QString());
    QCOMPARE(player()->page(), PlayerPanel::Page::Empty);
    QTableView* view = m_window->queuePanel()->view();
    view->selectionModel()->clearCurrentIndex();
    view->clearSelection();
    m_window->queuePanel()->selectJob(m_done);
    QTRY_COMPARE(player()->source(), m_video);
    QCOMPARE(player()->page(), PlayerPanel::Page::Video);
}

void TestGuiCreator::pauseLoaded() {
    if (player()->source() != m_video)
        m_window->queuePanel()->selectJob(m_done);
    QTRY_COMPARE(player()->source(), m_video);
    QTRY_VERIFY_WITH_TIMEOUT(player()->player()->duration() > 0, 10000);
    // The poster plays silently until the first frame, then pauses there.
    QTRY_COMPARE_WITH_TIMEOUT(player()->player()->playbackState(), QMediaPlayer::PausedState,
                              PlayerPanel::kPosterTimeoutMs + 3000);
}

// A click at 75 % of the groove puts the video at about 75 % of its duration.
void TestGuiCreator::clickOnTheGrooveSeeksThere() {
    pauseLoaded();
    QSlider* seek = player()->seekSlider();
    QTRY_VERIFY(seek->isEnabled());
    QStyleOptionSlider opt;
    opt.initFrom(seek);
    opt.orientation = Qt::Horizontal;
    opt.minimum = seek->minimum();
    opt.maximum = seek->maximum();
    opt.sliderPosition = seek->sliderPosition();
    opt.sliderValue = seek->value();
    opt.subControls = QStyle::SC_SliderGroove | QStyle::SC_SliderHandle;
    const QRect groove =
        seek->style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderGroove, seek);
    const QRect handle =
        seek->style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, seek);
    const int span = groove.width() - handle.width();
    const QPoint at(groove.x() + handle.width() / 2 + int(0.75 * span), groove.center().y());
    QVERIFY2(!handle.contains(at), qPrintable(QStringLiteral("groove %1,%2 %3 wide, handle %4,%5 %6 wide")
                                                  .arg(groove.x())
                                                  .arg(groove.y())
                                                  .arg(groove.width())
                                                  .arg(handle.x())
                                                  .arg(handle.y())
                                                  .arg(handle.width())));
    QTest::mouseClick(seek, Qt::LeftButton, {}, at);
    const qint64 duration = player()->player()->duration();
    const qint64 target = duration * 3 / 4;
    QTRY_VERIFY2(
        std::abs(player()->player()->position() - target) <= duration / 20,
        qPrintable(
            QStringLiteral("position %1 ms of %2 ms").arg(player()->player()->position()).arg(duration)));
    QVERIFY(std::abs(seek->value() - target) <= duration / 20);
}

// While paused: "." and the button one frame (1/12 s here) forward, "," one back; disabled while playing.
void TestGuiCreator::frameStepWhilePaused() {
    pauseLoaded();
    QMediaPlayer* mp = player()->player();
    mp->setPosition(1000);
    QTRY_COMPARE(mp->position(), qint64(1000));
    QVERIFY(player()->nextFrameButton()->isEnabled());
    QTest::mouseClick(player()->nextFrameButton(), Qt::LeftButton);
    QTRY_VERIFY2(std::abs(mp->position() - 1083) <= 1, qPrintable(QString::number(mp->position())));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    // The keys are the player's: typed in the script they are text.
    m_window->composer()->script()->editor()->setFocus();
    QTest::keyClick(m_window->composer()->script()->editor(), Qt::Key_Comma);
    QCOMPARE(mp->position(), qint64(1083));
    QTest::mouseClick(player(), Qt::LeftButton, {},
                      QPoint(5, player()->height() / 2)); // the player takes the focus
    QVERIFY(player()->hasFocus());
    QTest::keyClick(player(), Qt::Key_Comma);
    QTRY_VERIFY2(std::abs(mp->position() - 1000) <= 1, qPrintable(QString::number(mp->position())));
    QTest::keyClick(player(), Qt::Key_Comma);
    QTRY_VERIFY2(std::abs(mp->position() - 917) <= 1, qPrintable(QString::number(mp->position())));
    player()->togglePlay();
    QTRY_COMPARE(mp->playbackState(), QMediaPlayer::PlayingState);
    QVERIFY(!player()->nextFrameButton()->isEnabled());
    QVERIFY(!player()->previousFrameButton()->isEnabled());
    player()->togglePlay();
    QTRY_COMPARE(mp->playbackState(), QMediaPlayer::PausedState);
}

// Paused, the window resized: the video output gets its frame again (the backend sends none by itself).
void TestGuiCreator::pausedFrameRedrawnAfterResize() {
    pauseLoaded();
    auto* video = player()->findChild<QVideoWidget*>();
    QVERIFY(video);
    QTest::qWait(300); // the frames of the earlier seeks have arrived
    QSignalSpy frames(video->videoSink(), &QVideoSink::videoFrameChanged);
    m_window->resize(1400, 900);
    QTRY_COMPARE(m_window->size(), QSize(1400, 900));
    QTRY_VERIFY(frames.count() >= 1);
    const auto frame = frames.last().first().value<QVideoFrame>();
    QVERIFY(frame.isValid());
    QCOMPARE(frame.size(), QSize(320, 240));
    QCOMPARE(player()->player()->playbackState(), QMediaPlayer::PausedState);
    m_window->resize(1560, 960);
}

void TestGuiCreator::volumeAndMuteRemembered() {
    player()->volumeSlider()->setValue(40);
    QTest::mouseClick(player()->muteButton(), Qt::LeftButton);
    QVERIFY(player()->isMuted());
    QCOMPARE(m_settings->playerVolume(), 40);
    QVERIFY(m_settings->playerMuted());
    auto* audio = player()->findChild<QAudioOutput*>();
    QVERIFY(audio);
    QVERIFY(audio->isMuted());
    // The slider is perceptual: 40 % is well under 0.4 of the output's linear volume.
    QVERIFY(audio->volume() > 0.05f && audio->volume() < 0.3f);
    {
        JobQueue queue(*m_services, quietOptions());
        MainWindow again(*m_services, queue, *m_settings);
        QCOMPARE(again.player()->volume(), 40);
        QVERIFY(again.player()->isMuted());
        QVERIFY(again.player()->muteButton()->isChecked());
    }
    QTest::mouseClick(player()->muteButton(), Qt::LeftButton);
    QVERIFY(!player()->isMuted());
    QVERIFY(!audio->isMuted());
    QVERIFY(!m_settings->playerMuted());
}

// F (or the button) puts the player, controls included, alone on the screen; Esc brings it back into the
// window.
void TestGuiCreator::fullScreenWithFAndEsc() {
    pauseLoaded();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    player()->setFocus();
    QTest::keyClick(player(), Qt::Key_F);
    QTRY_VERIFY(player()->isWindow());
    QTRY_VERIFY(player()->windowState() & Qt::WindowFullScreen);
    QVERIFY(player()->fullScreenButton()->isChecked());
    QVERIFY(QTest::qWaitForWindowExposed(player()));
    QVERIFY(player()->seekSlider()->isVisible());
    screenshot(QStringLiteral("studio-player-fullscreen.png"), screenOf(player()));
    player()->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(player()));
    QTest::keyClick(player(), Qt::Key_Escape);
    QTRY_VERIFY(!player()->isWindow());
    QCOMPARE(m_window->centralWidget(), player());
    QVERIFY(!player()->fullScreenButton()->isChecked());
    QTRY_VERIFY(player()->isVisible());
    QTRY_VERIFY(player()->width() > 300);
    // The button does the same.
    QTest::mouseClick(player()->fullScreenButton(), Qt::LeftButton);
    QTRY_VERIFY(player()->isWindow());
    QTest::mouseClick(player()->fullScreenButton(), Qt::LeftButton);
    QTRY_VERIFY(!player()->isWindow());
}

// The loaded job removed from the queue: nothing is loaded, and the time says so.
void TestGuiCreator::timeResetsWhenNothingIsLoaded() {
    pauseLoaded();
    QLabel* time = player()->timeLabel();
    QTRY_VERIFY(time->text() != QStringLiteral("0:00 / 0:00"));
    QVERIFY(m_queue->remove(m_done));
    QTRY_COMPARE(player()->source(), QString());
    QCOMPARE(time->text(), QStringLiteral("0:00 / 0:00"));
    QCOMPARE(player()->page(), PlayerPanel::Page::Empty);
    QVERIFY(!player()->seekSlider()->isEnabled());
    QVERIFY(!player()->playButton()->isEnabled());
}

QTEST_MAIN(TestGuiCreator)
#include "tst_gui_creator.moc"
