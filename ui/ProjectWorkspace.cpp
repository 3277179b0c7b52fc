#include "ProjectWorkspace.h"

#include "BatchDialog.h"
#include "PlayerPanel.h"
#include "ProjectController.h"
#include "SceneListPanel.h"
#include "StudioSettings.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QStandardPaths>
#include <QStatusBar>
#include <QUndoStack>

namespace avatar::ui {

namespace {

QString projectFilter() {
    return ProjectWorkspace::tr("Avatar Studio projects (*.avatarproj)");
}

} // namespace

ProjectWorkspace::ProjectWorkspace(EngineServices& services, StudioSettings& settings, QMainWindow& window,
                                   PlayerPanel& player, QDockWidget* besideDock)
    : QObject(&window), m_services(services), m_settings(settings), m_window(window), m_player(player),
      m_controller(new ProjectController(services, settings.raw(),
                                         QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                             QStringLiteral("/autosave"),
                                         this)),
      m_scenes(new SceneListPanel(*m_controller, &window)), m_dock(new QDockWidget(tr("Scenes"), &window)) {
    m_dock->setObjectName(QStringLiteral("scenesDock"));
    // Scrolled, so that the scene editor's height never sets the window's minimum (the 1366x768 fit).
    auto* scroll = new QScrollArea(m_dock);
    scroll->setWidget(m_scenes);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_dock->setWidget(scroll);
    m_window.addDockWidget(Qt::RightDockWidgetArea, m_dock);
    if (besideDock)
        m_window.tabifyDockWidget(besideDock, m_dock);
    // Shown when a project is opened, recovered or the Project menu asks for it: hidden, it adds no tab
    // bar, so the studio without a project keeps its layout (the composer fits 1366x768).
    m_dock->hide();
    buildMenu();

    // The selected scene's first frame goes to the player while the Scenes tab is the one shown, so that
    // the composer's work (the live preview of a job, a finished video) is left alone otherwise.
    connect(m_scenes, &SceneListPanel::previewChanged, this,
            [this](const QImage& frame, const QString& caption) {
                if (m_dock->isVisible() && !m_dock->visibleRegion().isEmpty() && !frame.isNull())
                    m_player.showPreview(frame, caption);
            });
    connect(m_dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && !m_scenes->preview().isNull())
            m_player.showPreview(m_scenes->preview(), tr("Scene %1").arg(m_controller->currentScene() + 1));
    });
    connect(m_scenes, &SceneListPanel::renderRequested, this, &ProjectWorkspace::renderProject);
    connect(m_controller, &ProjectController::fileChanged, this, &ProjectWorkspace::updateTitle);
    connect(m_controller, &ProjectController::recentFilesChanged, this, &ProjectWorkspace::updateRecent);
    connect(m_controller, &ProjectController::renderFinished, this,
            [this](const QString& output, const QString& error) {
                if (!error.isEmpty()) {
                    showError(tr("Render project"), error);
                    return;
                }
                m_window.statusBar()->showMessage(
                    tr("Project rendered: %1").arg(QDir::toNativeSeparators(output)), 8000);
                m_player.load(output);
            });
    updateRecent();
}

void ProjectWorkspace::buildMenu() {
    m_menu = new QMenu(tr("&Project"), &m_window);
    m_menu->setObjectName(QStringLiteral("projectMenu"));
    const QList<QAction*> bar = m_window.menuBar()->actions();
    m_window.menuBar()->insertMenu(bar.size() > 1 ? bar.at(1) : nullptr, m_menu);
    m_menu->addAction(QIcon::fromTheme(QStringLiteral("document-new")), tr("&New project"), this, [this] {
        if (!maybeClose())
            return;
        m_controller->newProject();
        m_dock->show();
        m_dock->raise();
    });
    m_menu->addAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open project…"), this, [this] {
        if (!maybeClose())
            return;
        const QString file =
            QFileDialog::getOpenFileName(&m_window, tr("Open project"), QString(), projectFilter());
        if (!file.isEmpty())
            openFile(file);
    });
    m_recent = m_menu->addMenu(tr("Open &recent"));
    QAction* save = m_menu->addAction(QIcon::fromTheme(QStringLiteral("document-save")), tr("&Save project"),
                                      this, &ProjectWorkspace::saveFile);
    save->setShortcut(QKeySequence::Save);
    QAction* saveAs = m_menu->addAction(QIcon::fromTheme(QStringLiteral("document-save-as")),
                                        tr("Save project &as…"), this, &ProjectWorkspace::saveFileAs);
    saveAs->setShortcut(QKeySequence::SaveAs);
    m_menu->addSeparator();
    QAction* undo = m_controller->undoStack()->createUndoAction(m_menu, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setShortcutContext(Qt::WidgetWithChildrenShortcut); // text fields keep their own Ctrl+Z
    QAction* redo = m_controller->undoStack()->createRedoAction(m_menu, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    redo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_scenes->addAction(undo);
    m_scenes->addAction(redo);
    m_menu->addAction(undo);
    m_menu->addAction(redo);
    m_menu->addSeparator();
    m_menu->addAction(QIcon::fromTheme(QStringLiteral("media-record")), tr("Render pro&ject…"), this,
                      &ProjectWorkspace::renderProject);
    m_menu->addAction(tr("&Batch from CSV…"), this, [this] { openBatch(); });
    m_menu->addSeparator();
    m_menu->addAction(m_dock->toggleViewAction());
}

void ProjectWorkspace::updateRecent() {
    m_recent->clear();
    for (const QString& file : m_controller->recentFiles())
        m_recent->addAction(QDir::toNativeSeparators(file), this, [this, file] {
            if (maybeClose())
                openFile(file);
        });
    m_recent->setEnabled(!m_recent->isEmpty());
}

void ProjectWorkspace::updateTitle() {
    m_dock->setWindowTitle(
        tr("Scenes — %1%2")
            .arg(m_controller->displayName(), m_controller->isModified() ? QStringLiteral(" *") : QString()));
}

void ProjectWorkspace::showError(const QString& title, const QString& message) {
    QMessageBox::warning(&m_window, title, message);
}

void ProjectWorkspace::openFile(const QString& file) {
    QString error;
    if (!m_controller->open(file, &error)) {
        showError(tr("Open project"), error);
        return;
    }
    m_dock->show();
    m_dock->raise();
    if (!m_controller->notices().isEmpty())
        QMessageBox::information(&m_window, tr("Open project"),
                                 m_controller->notices().join(QLatin1Char('\n')));
}

bool ProjectWorkspace::saveFile() {
    if (m_controller->path().isEmpty())
        return saveFileAs();
    QString error;
    if (!m_controller->save(&error)) {
        showError(tr("Save project"), error);
        return false;
    }
    return true;
}

bool ProjectWorkspace::saveFileAs() {
    const QString file = QFileDialog::getSaveFileName(
        &m_window, tr("Save project"),
        m_controller->path().isEmpty() ? QDir(m_settings.outputFolder()).filePath(tr("Untitled"))
                                       : m_controller->path(),
        projectFilter());
    if (file.isEmpty())
        return false;
    QString error;
    if (!m_controller->saveAs(file, &error)) {
        showError(tr("Save project"), error);
        return false;
    }
    return true;
}

void ProjectWorkspace::renderProject() {
    if (m_controller->isRendering())
        return;
    QDir().mkpath(m_settings.outputFolder());
    const QString output = QFileDialog::getSaveFileName(
        &m_window, tr("Render project"),
        QDir(m_settings.outputFolder()).filePath(m_controller->displayName() + QStringLiteral(".mp4")),
        tr("MP4 video (*.mp4)"));
    if (output.isEmpty())
        return;
    m_scenes->renderButton()->setEnabled(false);
    m_controller->render(output);
}

BatchDialog* ProjectWorkspace::batchDialog() const {
    return m_batch;
}

BatchDialog* ProjectWorkspace::openBatch(const QString& csv) {
    if (!m_batch) {
        m_batch = new BatchDialog(m_services, m_controller->project(),
                                  QDir(m_settings.outputFolder()).filePath(tr("Batch")), &m_window);
        m_batch->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_batch, &BatchDialog::clusterSubmitted, this, &ProjectWorkspace::clusterBatchSubmitted);
        connect(m_batch, &BatchDialog::batchStarted, this,
                [this](const QString& dir) { m_settings.setPendingBatch(dir); });
        connect(m_batch, &BatchDialog::batchFinished, this, [this] { m_settings.setPendingBatch({}); });
    }
    if (!csv.isEmpty())
        m_batch->loadCsv(csv);
    m_batch->show();
    m_batch->raise();
    return m_batch;
}

bool ProjectWorkspace::resumeBatch() {
    const QString dir = m_settings.pendingBatch();
    if (dir.isEmpty())
        return false;
    // A folder that cannot be used any more (deleted, media changed) is said in the dialog and forgotten.
    if (!openBatch()->resume(dir)) {
        m_settings.setPendingBatch({});
        return false;
    }
    return true;
}

void ProjectWorkspace::offerRecovery() {
    if (!m_controller->hasRecovery())
        return;
    const auto answer = QMessageBox::question(
        &m_window, tr("Recover project"),
        tr("Avatar Studio did not close cleanly last time. Recover the project's unsaved changes?"),
        QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes);
    QString error;
    if (answer == QMessageBox::Yes && m_controller->recover(&error)) {
        m_dock->show();
        m_dock->raise();
        return;
    }
    if (!error.isEmpty())
        showError(tr("Recover project"), error);
    m_controller->discardRecovery();
}

bool ProjectWorkspace::maybeClose() {
    if (m_controller->isModified()) {
        const auto answer = QMessageBox::question(
            &m_window, tr("Unsaved project"),
            tr("The project %1 has unsaved changes. Save them?").arg(m_controller->displayName()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !saveFile()))
            return false;
    }
    m_controller->discardRecovery();
    return true;
}

} // namespace avatar::ui
