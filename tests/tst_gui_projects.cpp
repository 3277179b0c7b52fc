// Projects, scenes and CSV batches in the studio (issue #14, studio side): save → reopen round-trips
// through the engine's ProjectFile; undo/redo of add, duplicate, reorder (the list's own row move, as a drop
// does it), delete and field edits; a newer or damaged file gives one message and is never overwritten;
// autosave and recovery after a "crash"; the selected scene's first frame (pixels of the layout); the batch
// dialog's filled rows, bad rows and a real render of the good one; a three-scene project with a title, a
// slide, a logo and music rendered from the studio and checked in its decoded frames and sound.
#include "BatchDialog.h"
#include "FrameChecks.h"
#include "MainWindow.h"
#include "PlayerPanel.h"
#include "ProjectController.h"
#include "ProjectWorkspace.h"
#include "SceneListPanel.h"
#include "StudioSettings.h"
#include "jobs/JobQueue.h"
#include "media/MediaReader.h"
#include "media/Mp4Encoder.h"
#include "pipeline/EngineServices.h"
#include "project/ProjectFile.h"
#include "project/SceneCompositor.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <cmath>
#include <functional>

using namespace avatar;
using namespace avatar::ui;

namespace {

QStringList sceneNames(const ProjectController& c) {
    QStringList names;
    for (const project::Scene& s : c.project().scenes)
        names << QString::fromStdString(s.name);
    return names;
}

QStringList listNames(const SceneListPanel& panel) {
    QStringList names;
    for (int i = 0; i < panel.list()->count(); ++i)
        names << panel.list()->item(i)->text().section(QStringLiteral(". "), 1);
    return names;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

// Two seconds of 320x180 video, frame k painted by `paint(frame, k)`.
void writeClip(const QString& file, const std::function<void(Image&, int)>& paint) {
    EncoderSettings s;
    s.width = 320;
    s.height = 180;
    s.preset = "ultrafast";
    Mp4Encoder encoder(file.toStdString(), s, {});
    Image frame(320, 180);
    for (int k = 0; k < 50; ++k) {
        paint(frame, k);
        encoder.writeFrame(frame);
    }
    encoder.finish();
}

// Diagonal colour bands drifting across the frame: a background video for the screenshots.
void paintWaves(Image& frame, int k) {
    for (int y = 0; y < frame.height(); ++y)
        for (int x = 0; x < frame.width(); ++x) {
            const double t = (x + y + 4.0 * k) / 60.0;
            std::uint8_t* px = frame.row(y) + x * 3;
            px[0] = static_cast<std::uint8_t>(40 + 30 * std::sin(t));
            px[1] = static_cast<std::uint8_t>(90 + 50 * std::sin(t + 1.0));
            px[2] = static_cast<std::uint8_t>(150 + 60 * std::sin(t + 2.0));
        }
}

} // namespace

class TestGuiProjects : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_services = std::make_unique<EngineServices>();
        m_settings =
            std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        m_slide = m_dir.filePath(QStringLiteral("slide.png"));
        QImage slide(400, 300, QImage::Format_RGB888);
        slide.fill(QColor(20, 200, 40));
        QVERIFY(slide.save(m_slide));
    }

    void saveAndReopenRoundTrips() {
        ProjectController c(*m_services, *m_settings, m_dir.filePath(QStringLiteral("auto1")));
        SceneListPanel panel(c);
        QCOMPARE(panel.list()->count(), 1);
        QTest::mouseClick(panel.addButton(), Qt::LeftButton);
        QCOMPARE(panel.list()->count(), 2);
        QCOMPARE(c.currentScene(), 1);
        // Edits through the panel's fields.
        panel.nameEdit()->selectAll();
        QTest::keyClicks(panel.nameEdit(), QStringLiteral("Slide"));
        panel.scriptEdit()->setPlainText(QStringLiteral("Here is the plan."));
        panel.layoutCombo()->setCurrentIndex(
            panel.layoutCombo()->findData(int(project::Layout::PresenterRight)));
        Q_EMIT panel.layoutCombo()->activated(panel.layoutCombo()->currentIndex());
        panel.backgroundEdit()->setText(QStringLiteral("#ff0000"));
        Q_EMIT panel.backgroundEdit()->editingFinished();
        QTest::keyClicks(panel.titleEdit(), QStringLiteral("Q3 results"));
        QTest::keyClicks(panel.lowerThirdEdit(), QStringLiteral("Eileen"));
        c.editScene(1, QStringLiteral("slide"), [&](project::Scene& s) {
            s.slide = {m_slide.toStdString(), {}};
        });
        QVERIFY(c.isModified());
        const project::Scene& s = c.project().scenes[1];
        QCOMPARE(QString::fromStdString(s.name), QStringLiteral("Slide"));
        QCOMPARE(int(s.layout), int(project::Layout::PresenterRight));
        QCOMPARE(s.background.color, std::string("#ff0000"));
        QCOMPARE(s.overlays.size(), std::size_t(2));

        const QString file = m_dir.filePath(QStringLiteral("round.avatarproj"));
        QString error;
        QVERIFY2(c.saveAs(m_dir.filePath(QStringLiteral("round")), &error),
                 qPrintable(error)); // extension added
        QCOMPARE(c.path(), file);
        QVERIFY(!c.isModified());
        QCOMPARE(c.recentFiles().value(0), file);

        ProjectController again(*m_services, *m_settings, m_dir.filePath(QStringLiteral("auto2")));
        QVERIFY2(again.open(file, &error), qPrintable(error));
        QVERIFY(again.notices().isEmpty());
        QVERIFY(!again.isModified());
        // Equal but for the hashes the save added.
        QCOMPARE(project::ProjectFile::serialize(again.project(), m_dir.path().toStdString()),
                 project::ProjectFile::serialize(c.project(), m_dir.path().toStdString()));
        QCOMPARE(again.project().scenes.size(), std::size_t(2));
        QCOMPARE(again.project().scenes[1].slide.path, std::filesystem::path(m_slide.toStdString()));
        QVERIFY(!again.project().scenes[1].slide.sha256.empty());
        SceneListPanel reopened(again);
        QCOMPARE(listNames(reopened), sceneNames(c));
    }

    void undoRedoAddReorderDelete() {
        ProjectController c(*m_services, *m_settings, m_dir.filePath(QStringLiteral("auto3")));
        SceneListPanel panel(c);
        const QStringList start = sceneNames(c);
        QTest::mouseClick(panel.addButton(), Qt::LeftButton);       // Scene 1, Scene 2
        QTest::mouseClick(panel.duplicateButton(), Qt::LeftButton); // + "Scene 2 (copy)"
        QCOMPARE(sceneNames(c), (QStringList{QStringLiteral("Scene 1"), QStringLiteral("Scene 2"),
                                             QStringLiteral("Scene 2 (copy)")}));
        const QStringList three = sceneNames(c);
        // Reorder the way a drop does: the list's model moves its row, the project follows.
        QVERIFY(panel.list()->model()->moveRow(QModelIndex(), 0, QModelIndex(), 3));
        QTRY_COMPARE(sceneNames(c), (QStringList{QStringLiteral("Scene 2"), QStringLiteral("Scene 2 (copy)"),
                                                 QStringLiteral("Scene 1")}));
        QCOMPARE(listNames(panel), sceneNames(c));
        const QStringList moved = sceneNames(c);
        panel.list()->setCurrentRow(1);
        QCOMPARE(c.currentScene(), 1);
        QTest::mouseClick(panel.deleteButton(), Qt::LeftButton);
        QCOMPARE(sceneNames(c), (QStringList{QStringLiteral("Scene 2"), QStringLiteral("Scene 1")}));
        const QStringList deleted = sceneNames(c);
        QCOMPARE(listNames(panel), deleted);

        QUndoStack* undo = c.undoStack();
        QCOMPARE(undo->count(), 4);
        QCOMPARE(undo->undoText(), QStringLiteral("Delete scene"));
        undo->undo();
        QCOMPARE(sceneNames(c), moved);
        QCOMPARE(listNames(panel), moved);
        undo->undo();
        QCOMPARE(sceneNames(c), three);
        QCOMPARE(listNames(panel), three);
        undo->undo();
        undo->undo();
        QCOMPARE(sceneNames(c), start);
        QCOMPARE(panel.list()->count(), 1);
        QVERIFY(!c.isModified());
        undo->redo();
        undo->redo();
        undo->redo();
        QCOMPARE(sceneNames(c), moved);
        undo->redo();
        QCOMPARE(sceneNames(c), deleted);
        QCOMPARE(listNames(panel), deleted);
        // Typing in one field is one step.
        const int steps = undo->count();
        panel.list()->setCurrentRow(0);
        QTest::keyClicks(panel.titleEdit(), QStringLiteral("Hello"));
        QCOMPARE(undo->count(), steps + 1);
        QCOMPARE(c.project().scenes[0].overlays.at(0).text, std::string("Hello"));
        undo->undo();
        QVERIFY(c.project().scenes[0].overlays.empty());
        QVERIFY(panel.titleEdit()->text().isEmpty());
        // The last scene cannot go: a project always has one to render.
        while (c.project().scenes.size() > 1)
            c.removeScene(0);
        QVERIFY(!panel.deleteButton()->isEnabled());
        c.removeScene(0);
        QCOMPARE(c.project().scenes.size(), std::size_t(1));
    }

    void newerOrDamagedFileIsRefusedAndKept_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("newer") << QByteArray(
            R"({"format":"avatar-studio-project","version":99,"scenes":[]})");
        QTest::newRow("cut") << QByteArray(
            R"({"format":"avatar-studio-project","version":2,"scenes":[{"name":)");
        QTest::newRow("not a project") << QByteArray("PK\x03\x04 zip bytes");
        QTest::newRow("wrong type") << QByteArray(
            R"({"format":"avatar-studio-project","version":2,"scenes":7})");
    }
    void newerOrDamagedFileIsRefusedAndKept() {
        QFETCH(QByteArray, content);
        const QString file = m_dir.filePath(QStringLiteral("bad.avatarproj"));
        writeFile(file, content);
        ProjectController c(*m_services, *m_settings, m_dir.filePath(QStringLiteral("auto4")));
        c.addScene();
        const project::Project before = c.project();
        QString error;
        QVERIFY(!c.open(file, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("bad.avatarproj")), qPrintable(error));
        QVERIFY(c.project() == before); // the current project stays as it was
        QVERIFY(c.path().isEmpty());
        QString saveError;
        QVERIFY(!c.saveAs(file, &saveError));
        QVERIFY(!saveError.isEmpty());
        QCOMPARE(readAll(file), content);
        QVERIFY(!c.recentFiles().contains(file));
    }

    void autosaveRecoversAfterACrash() {
        const QString folder = m_dir.filePath(QStringLiteral("auto5"));
        const QString file = m_dir.filePath(QStringLiteral("work.avatarproj"));
        QString error;
        project::Project edited;
        {
            ProjectController c(*m_services, *m_settings, folder);
            QVERIFY(c.saveAs(file, &error));
            QVERIFY(!c.hasRecovery());
            c.setAutosaveInterval(10);
            c.addScene();
            c.editScene(1, QStringLiteral("script"), [](project::Scene& s) { s.script = "Unsaved words."; });
            QTRY_VERIFY(c.hasRecovery()); // written by the timer after the edit
            edited = c.project();
            // The controller goes without save or a clean close: a crash, as far as the files know.
        }
        ProjectController next(*m_services, *m_settings, folder);
        QVERIFY(next.hasRecovery());
        QVERIFY2(next.recover(&error), qPrintable(error));
        QCOMPARE(next.path(), file);
        QVERIFY(next.isModified());
        QCOMPARE(next.project().scenes.size(), std::size_t(2));
        QCOMPARE(next.project().scenes[1].script, std::string("Unsaved words."));
        // The saved file still holds the saved state; saving the recovered project updates it and ends
        // the recovery.
        QCOMPARE(project::ProjectFile::load(file.toStdString()).project.scenes.size(), std::size_t(1));
        QVERIFY(next.save(&error));
        QVERIFY(!next.hasRecovery());
        QCOMPARE(project::ProjectFile::load(file.toStdString()).project.scenes.size(), std::size_t(2));
    }

    void selectedSceneShowsItsFirstFrame() {
        ProjectController c(*m_services, *m_settings, m_dir.filePath(QStringLiteral("auto6")));
        SceneListPanel panel(c);
        c.addScene();
        c.editScene(1, QStringLiteral("layout"), [&](project::Scene& s) {
            s.layout = project::Layout::PresenterLeft;
            s.background.color = "#ff0000";
            s.slide = {m_slide.toStdString(), {}};
        });
        QSignalSpy previews(&panel, &SceneListPanel::previewChanged);
        panel.list()->setCurrentRow(0);
        QVERIFY(!previews.isEmpty());
        const QImage full = previews.last().first().value<QImage>();
        panel.list()->setCurrentRow(1);
        const QImage boxed = previews.last().first().value<QImage>();
        QVERIFY(!full.isNull() && !boxed.isNull());
        QCOMPARE(boxed.size(), QSize(640, 360));
        // The boxed layout: the red background in the margin, the green slide in the right half's middle,
        // the presenter (the portrait, not red or green) in the left box.
        QCOMPARE(boxed.pixelColor(3, 3), QColor(255, 0, 0));
        const QColor slide = boxed.pixelColor(boxed.width() * 3 / 4, boxed.height() / 2);
        QVERIFY2(slide.green() > 180 && slide.red() < 60, qPrintable(slide.name()));
        const QColor face = boxed.pixelColor(boxed.width() * 18 / 100, boxed.height() / 2);
        QVERIFY(face != QColor(255, 0, 0) && face != slide);
        // The full-frame scene is the portrait edge to edge: no red margin.
        QVERIFY(full.pixelColor(3, 3) != QColor(255, 0, 0));
        // Thumbnails are drawn for each scene.
        QVERIFY(!panel.list()->item(1)->icon().isNull());
    }

    void transitionsVideosAndClipsAreEdits() {
        // The scene's transition (a cut or a crossfade and its length), its background video and the brand's
        // intro and outro clips: each an undoable edit of the project; the preview shows the video's frame.
        ProjectController c(*m_services, *m_settings, m_dir.filePath(QStringLiteral("auto8")));
        SceneListPanel panel(c);
        c.addScene();
        panel.list()->setCurrentRow(0);
        QVERIFY(!panel.transitionCombo()->isEnabled()); // the first scene follows nothing
        panel.list()->setCurrentRow(1);
        QVERIFY(panel.transitionCombo()->isEnabled());
        QVERIFY(!panel.crossfadeSpin()->isEnabled());
        panel.transitionCombo()->setCurrentIndex(
            panel.transitionCombo()->findData(int(project::Transition::Kind::Crossfade)));
        Q_EMIT panel.transitionCombo()->activated(panel.transitionCombo()->currentIndex());
        QCOMPARE(c.project().scenes[1].transition.kind, project::Transition::Kind::Crossfade);
        QCOMPARE(c.project().scenes[1].transition.seconds, 0.5);
        QVERIFY(panel.crossfadeSpin()->isEnabled());
        panel.crossfadeSpin()->setValue(1.25);
        QCOMPARE(c.project().scenes[1].transition.seconds, 1.25);
        c.undoStack()->undo();
        QCOMPARE(c.project().scenes[1].transition.seconds, 0.5);
        c.undoStack()->undo();
        QCOMPARE(c.project().scenes[1].transition.kind, project::Transition::Kind::Cut);

        // A blue 1 s video behind scene 2.
        const QString video = m_dir.filePath(QStringLiteral("blue.mp4"));
        writeClip(video, [](Image& frame, int) { frame.fill(20, 40, 220); });
        QSignalSpy previews(&panel, &SceneListPanel::previewChanged);
        panel.setBackgroundVideo(video);
        const project::Scene scene = c.project().scenes[1];
        QCOMPARE(scene.background.kind, project::Background::Kind::Video);
        QCOMPARE(scene.layout, project::Layout::RoundedBox); // the full frame would hide it
        QCOMPARE(panel.backgroundVideoButton()->text(), QStringLiteral("blue.mp4"));
        QVERIFY(!previews.isEmpty());
        const QColor corner = previews.last().first().value<QImage>().pixelColor(3, 3);
        QVERIFY2(corner.blue() > 180 && corner.red() < 60, qPrintable(corner.name()));
        // Leaving the colour field keeps the video.
        Q_EMIT panel.backgroundEdit()->editingFinished();
        QCOMPARE(c.project().scenes[1].background.kind, project::Background::Kind::Video);
        panel.setBackgroundVideo({});
        QCOMPARE(c.project().scenes[1].background.kind, project::Background::Kind::Color);

        panel.setClip(true, video);
        panel.setClip(false, video);
        QCOMPARE(c.project().brand.intro.path.string(), video.toStdString());
        QCOMPARE(c.project().brand.outro.path.string(), video.toStdString());
        QCOMPARE(panel.introButton()->text(), QStringLiteral("blue.mp4"));
        c.undoStack()->undo();
        QVERIFY(c.project().brand.outro.empty());
        QVERIFY(panel.outroButton()->text() != QStringLiteral("blue.mp4"));
    }

    void batchShowsRowsAndRendersTheGoodOnes() {
        ProjectController c(*m_services, *m_settings, m_dir.filePath(QStringLiteral("auto7")));
        c.editProject(QStringLiteral("setup"), [](project::Project& p) {
            p.output.width = 160;
            p.output.height = 120;
            p.output.fps = 10;
            p.scenes[0].script = "Hi {{name}}.";
            p.scenes[0].overlays = {{project::TextOverlay::Kind::Title, "For {{name}}", ""}};
        });
        const QString csv = m_dir.filePath(QStringLiteral("people.csv"));
        writeFile(csv, "name,city\nAnn,Oslo\n,Rome\n../up,Lima\n");
        BatchDialog dialog(*m_services, c.project(), m_dir.filePath(QStringLiteral("batch")));
        QVERIFY(dialog.loadCsv(csv));
        QCOMPARE(dialog.table()->rowCount(), 3);
        QCOMPARE(dialog.table()->item(0, BatchDialog::ScriptColumn)->text(), QStringLiteral("Hi Ann."));
        QCOMPARE(dialog.table()->item(0, BatchDialog::OverlaysColumn)->text(), QStringLiteral("For Ann"));
        QCOMPARE(dialog.table()->item(0, BatchDialog::OutputColumn)->text(), QStringLiteral("Ann.mp4"));
        QCOMPARE(dialog.table()->item(0, BatchDialog::StatusColumn)->text(), QStringLiteral("Ready"));
        for (int r : {1, 2}) {
            QVERIFY(dialog.table()->item(r, BatchDialog::StatusColumn)->text() != QStringLiteral("Ready"));
            QCOMPARE(dialog.table()->item(r, BatchDialog::RowColumn)->background().color(),
                     QColor(255, 220, 220));
        }
        QVERIFY(dialog.table()->item(1, BatchDialog::StatusColumn)->text().contains(QStringLiteral("empty")));
        QVERIFY(
            dialog.table()->item(2, BatchDialog::StatusColumn)->text().contains(QStringLiteral("outside")));
        // Nothing renders while rows are bad, unless they are skipped.
        QVERIFY(!dialog.renderButton()->isEnabled());
        dialog.skipInvalid()->setChecked(true);
        QVERIFY(dialog.renderButton()->isEnabled());
        QSignalSpy finished(&dialog, &BatchDialog::batchFinished);
        QSignalSpy rows(&dialog, &BatchDialog::rowFinished);
        dialog.render();
        QVERIFY(dialog.isRendering());
        QVERIFY(!dialog.renderButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
        QCOMPARE(finished.first().at(0).toInt(), 1);
        QCOMPARE(finished.first().at(1).toInt(), 0);
        QCOMPARE(rows.count(), 1);
        QCOMPARE(dialog.table()->item(0, BatchDialog::StatusColumn)->text(), QStringLiteral("Done"));
        const QString out = m_dir.filePath(QStringLiteral("batch/Ann.mp4"));
        MediaReader video(out.toStdString());
        QCOMPARE(video.info().width, 160);
        QVERIFY(video.info().frameCount > 5);
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("batch/.mp4"))));
    }

    // Closing the dialog while its output-name field has the focus: ~QDialog hides it after the dialog's own
    // members are destroyed, and the field's focus-out (editingFinished) must not reach the dialog then (it
    // re-planned into a destroyed plan: a double free that took tst_gui_farm down when its window closed).
    void batchDialogClosesWithTheNameFieldFocused() {
        ProjectController c(*m_services, *m_settings, m_dir.filePath(QStringLiteral("auto8")));
        c.editProject(QStringLiteral("setup"),
                      [](project::Project& p) { p.scenes[0].script = "Hi {{name}}."; });
        const QString csv = m_dir.filePath(QStringLiteral("focus.csv"));
        writeFile(csv, "name\nAnn\nBo\nCy\n");
        for (int round = 0; round < 3; ++round) {
            auto dialog = std::make_unique<BatchDialog>(*m_services, c.project(),
                                                        m_dir.filePath(QStringLiteral("batch-focus")));
            QVERIFY(dialog->loadCsv(csv));
            QCOMPARE(dialog->plan().rows.size(), std::size_t(3));
            dialog->show();
            QApplication::setActiveWindow(dialog.get());
            auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("outputPattern"));
            QVERIFY(name);
            name->setFocus(Qt::OtherFocusReason);
            QTRY_VERIFY(name->hasFocus());
            bool finishedWhileClosing = false;
            connect(name, &QLineEdit::editingFinished, this, [&] { finishedWhileClosing = true; });
            dialog.reset();
            QVERIFY(finishedWhileClosing); // the focus-out did happen, and the dialog survived it
        }
    }

    // A three-scene project with a title, a slide, a logo and music, rendered from the studio's controller:
    // the decoded video has every scene's frames, the title's box at the top of the first scene only, the
    // slide beside the presenter in the second, the logo in every frame and the music under the voice.
    void projectRendersFromTheStudio() {
        const std::filesystem::path logo = m_dir.filePath(QStringLiteral("logo.png")).toStdString();
        const std::filesystem::path music = m_dir.filePath(QStringLiteral("music.wav")).toStdString();
        test::writeSolid(logo, 100, 50, 255, 0, 255);
        test::writeToneWav(music, 11000.0, 44100, 1.5, 0.25);
        ProjectController c(*m_services, *m_settings, m_dir.filePath(QStringLiteral("auto8")));
        c.editProject(QStringLiteral("setup"), [&](project::Project& p) {
            p.output = {320, 180, 10, 20, "ultrafast", false, {}};
            p.brand.primaryColor = "#0000ff";
            p.brand.logo.path = logo;
            p.brand.logoCorner = project::Corner::TopLeft;
            p.sound.music.path = music;
            p.scenes[0].script = "Welcome to the update.";
            p.scenes[0].overlays = {{project::TextOverlay::Kind::Title, "Quarterly update", {}}};
            p.scenes.push_back(p.scenes[0]);
            p.scenes[1].script = "Here is the slide.";
            p.scenes[1].overlays.clear();
            p.scenes[1].layout = project::Layout::PresenterRight;
            p.scenes[1].slide = {m_slide.toStdString(), {}};
            p.scenes.push_back(p.scenes[1]);
            p.scenes[2].script = "Goodbye.";
            p.scenes[2].layout = project::Layout::Circle;
        });
        const QString out = m_dir.filePath(QStringLiteral("project.mp4"));
        QSignalSpy finished(&c, &ProjectController::renderFinished);
        QSignalSpy progress(&c, &ProjectController::renderProgress);
        c.render(out);
        QVERIFY(c.isRendering());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
        QCOMPARE(finished.first().at(1).toString(), QString());
        QVERIFY(!c.isRendering());
        QVERIFY(!progress.isEmpty());

        const MediaInfo info = MediaReader::probe(out.toStdString());
        QCOMPARE(info.width, 320);
        QCOMPARE(info.audioStreams, 1);
        QVERIFY(std::abs(info.audioDuration - info.videoDuration) < 0.15);
        const std::vector<Image> frames = test::decodeAll(out.toStdString());
        QCOMPARE(std::int64_t(frames.size()), info.frameCount);
        QVERIFY(frames.size() > 30); // three scenes of a few words at 10 fps

        const auto count = [](const Image& f, const Rect& r, std::array<int, 3> want) {
            return test::countNear(f, r, want);
        };
        const Rect topCentre{80, 0, 160, 50};
        QVERIFY2(count(frames.front(), topCentre, {0, 0, 255}) > 1000, "no title on the first scene");
        QCOMPARE(count(frames.back(), topCentre, {0, 0, 255}), 0);
        // The slide scene: frames whose slide box is the slide's green, none of them at either end.
        const Rect slide =
            project::SceneCompositor::geometry(project::Layout::PresenterRight, 320, 180).slide;
        const Rect inSlide{slide.x + slide.width / 4, slide.y + slide.height / 4, slide.width / 2,
                           slide.height / 2};
        int slideFrames = 0;
        for (const Image& f : frames)
            slideFrames += test::near(test::meanColor(f, inSlide), {20, 200, 40}, 20);
        QVERIFY2(slideFrames >= 8, qPrintable(QString::number(slideFrames)));
        QVERIFY(!test::near(test::meanColor(frames.front(), inSlide), {20, 200, 40}, 20));
        const Rect box = project::SceneCompositor::logoBox(c.project().brand, 100, 50, 320, 180);
        for (const std::size_t i : {std::size_t{0}, frames.size() / 2, frames.size() - 1}) {
            const auto colour =
                test::meanColor(frames[i], {box.x + 2, box.y + 2, box.width - 4, box.height - 4});
            QVERIFY2(test::near(colour, {255, 0, 255}, 12), qPrintable(test::show(colour)));
        }
        int rate = 0;
        const std::vector<float> sound = MediaReader(out.toStdString()).readAudioMono(&rate);
        QVERIFY(test::toneLevel(sound, 0, sound.size(), 11000.0, rate) > 1e-3);
    }

    void windowHasTheProjectMenuAndScenes() {
        StudioSettings settings(m_dir.filePath(QStringLiteral("w.ini")));
        settings.setOutputFolder(m_dir.filePath(QStringLiteral("out")));
        JobQueue queue(*m_services, JobQueue::Options{});
        MainWindow window(*m_services, queue, settings);
        ProjectWorkspace* projects = window.projects();
        QVERIFY(projects);
        QVERIFY(projects->menu()->actions().size() >= 8);
        QVERIFY(projects->dock()->isAncestorOf(projects->scenes()));
        // Raising the Scenes tab shows the selected scene's first frame in the player.
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!projects->dock()->isVisible()); // no tab bar beside the charts until it is asked for
        projects->dock()->show();
        projects->dock()->raise();
        QTRY_COMPARE(window.player()->page(), PlayerPanel::Page::Preview);

        if (const QString dir = qEnvironmentVariable("AVATAR_SCREENSHOT_DIR"); !dir.isEmpty()) {
            // docs/screenshots/scene-transitions.png: a scene over a moving video background, the next one
            // (selected) joined to it with a crossfade, the brand's intro and outro clips.
            const QString clip = m_dir.filePath(QStringLiteral("waves.mp4"));
            writeClip(clip, paintWaves);
            ProjectController& c = *projects->controller();
            c.editProject(QStringLiteral("set up"), [&](project::Project& p) {
                project::Scene a;
                a.name = "Welcome";
                a.script = "Welcome to the quarterly review.";
                a.layout = project::Layout::RoundedBox;
                a.background.kind = project::Background::Kind::Video;
                a.background.video.path = clip.toStdString();
                a.overlays = {{project::TextOverlay::Kind::Title, "Q3 review", {}}};
                project::Scene b;
                b.name = "Numbers";
                b.script = "Revenue grew by twelve percent.";
                b.layout = project::Layout::PresenterLeft;
                b.slide.path = m_slide.toStdString();
                b.transition = {project::Transition::Kind::Crossfade, 0.75};
                project::Scene e = b;
                e.name = "Goodbye";
                e.script = "Thank you for watching.";
                e.layout = project::Layout::Circle;
                e.slide = {};
                e.background.color = "#1e3a8a";
                p.scenes = {a, b, e};
                p.brand.intro.path = clip.toStdString();
                p.brand.outro.path = clip.toStdString();
            });
            c.setCurrentScene(1);
            window.resize(1600, 1000);
            QTest::qWait(500);
            QVERIFY(window.grab().save(QDir(dir).filePath(QStringLiteral("scene-transitions.png"))));
        }
    }

private:
    QTemporaryDir m_dir;
    QString m_slide;
    std::unique_ptr<EngineServices> m_services;
    std::unique_ptr<QSettings> m_settings;
};

QTEST_MAIN(TestGuiProjects)
#include "tst_gui_projects.moc"
