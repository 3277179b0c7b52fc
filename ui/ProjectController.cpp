#include "ProjectController.h"

#include "ProjectCommand.h"
#include "core/Error.h"
#include "project/ProjectFile.h"
#include "project/ProjectRenderer.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTimer>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <utility>

namespace avatar::ui {

namespace {

constexpr int kMaxRecent = 8;
const QString kRecentKey = QStringLiteral("project/recent");

} // namespace

ProjectController::ProjectController(EngineServices& services, QSettings& settings,
                                     const QString& autosaveFolder, QObject* parent)
    : QObject(parent), m_services(services), m_settings(settings), m_autosaveFolder(autosaveFolder),
      m_undo(new QUndoStack(this)), m_autosave(new QTimer(this)) {
    m_autosave->setSingleShot(true);
    m_autosave->setInterval(30000);
    connect(m_autosave, &QTimer::timeout, this, &ProjectController::autosaveNow);
    connect(m_undo, &QUndoStack::cleanChanged, this, &ProjectController::fileChanged);
    connect(m_undo, &QUndoStack::indexChanged, this, &ProjectController::scheduleAutosave);
    // Not newProject(): that would remove an autosaved copy before offerRecovery() sees it.
    setDocument(defaultProject(), {});
}

project::Scene ProjectController::newScene(int number, const project::Presenter& presenter) {
    project::Scene scene;
    scene.name = tr("Scene %1").arg(number).toStdString();
    scene.presenter = presenter;
    return scene;
}

ProjectController::~ProjectController() {
    m_cancel.cancel();
    m_render.waitForFinished();
}

QString ProjectController::displayName() const {
    return m_path.isEmpty() ? tr("Untitled") : QFileInfo(m_path).completeBaseName();
}

bool ProjectController::isModified() const {
    return !m_undo->isClean();
}

void ProjectController::setCurrentScene(int index) {
    index = std::clamp(index, 0, std::max(0, int(m_project.scenes.size()) - 1));
    if (index == m_current)
        return;
    m_current = index;
    Q_EMIT currentSceneChanged(index);
}

void ProjectController::push(const QString& what, project::Project after, int current, int mergeKey) {
    ProjectCommand::State before{m_project, m_current};
    ProjectCommand::State next{std::move(after), current};
    m_undo->push(new ProjectCommand(
        what, std::move(before), std::move(next),
        [this](const ProjectCommand::State& state) {
            m_project = state.project;
            m_current = std::clamp(state.currentScene, 0, std::max(0, int(m_project.scenes.size()) - 1));
            Q_EMIT projectChanged();
            Q_EMIT currentSceneChanged(m_current);
        },
        mergeKey));
}

void ProjectController::addScene() {
    project::Project p = m_project;
    const project::Presenter presenter =
        p.scenes.empty() ? project::Presenter{} : p.scenes[std::size_t(m_current)].presenter;
    const int at = p.scenes.empty() ? 0 : m_current + 1;
    p.scenes.insert(p.scenes.begin() + at, newScene(int(p.scenes.size()) + 1, presenter));
    push(tr("Add scene"), std::move(p), at);
}

void ProjectController::duplicateScene(int index) {
    if (index < 0 || index >= int(m_project.scenes.size()))
        return;
    project::Project p = m_project;
    project::Scene copy = p.scenes[std::size_t(index)];
    copy.name = tr("%1 (copy)").arg(QString::fromStdString(copy.name)).toStdString();
    p.scenes.insert(p.scenes.begin() + index + 1, std::move(copy));
    push(tr("Duplicate scene"), std::move(p), index + 1);
}

void ProjectController::removeScene(int index) {
    // A project keeps one scene at least: there is nothing to render without one.
    if (index < 0 || index >= int(m_project.scenes.size()) || m_project.scenes.size() == 1)
        return;
    project::Project p = m_project;
    p.scenes.erase(p.scenes.begin() + index);
    const int current = std::min(index, int(p.scenes.size()) - 1);
    push(tr("Delete scene"), std::move(p), current);
}

void ProjectController::moveScene(int from, int to) {
    const int n = int(m_project.scenes.size());
    if (from < 0 || from >= n || to < 0 || to >= n || from == to)
        return;
    project::Project p = m_project;
    project::Scene scene = std::move(p.scenes[std::size_t(from)]);
    p.scenes.erase(p.scenes.begin() + from);
    p.scenes.insert(p.scenes.begin() + to, std::move(scene));
    push(tr("Move scene"), std::move(p), to);
}

void ProjectController::editScene(int index, const QString& what,
                                  const std::function<void(project::Scene&)>& change, int mergeKey) {
    if (index < 0 || index >= int(m_project.scenes.size()))
        return;
    project::Project p = m_project;
    change(p.scenes[std::size_t(index)]);
    if (p == m_project)
        return;
    push(what, std::move(p), index, mergeKey);
}

void ProjectController::editProject(const QString& what,
                                    const std::function<void(project::Project&)>& change) {
    project::Project p = m_project;
    change(p);
    if (p != m_project)
        push(what, std::move(p), m_current);
}

void ProjectController::setDocument(project::Project project, const QString& path) {
    m_undo->clear();
    m_project = std::move(project);
    m_path = path;
    m_current = 0;
    Q_EMIT projectChanged();
    Q_EMIT currentSceneChanged(0);
    Q_EMIT fileChanged();
}

project::Project ProjectController::defaultProject() {
    project::Project p;
    p.scenes.push_back(newScene(1, {}));
    p.scenes.back().script = tr("Hello! This video was made with Avatar Studio.").toStdString();
    return p;
}

void ProjectController::newProject() {
    m_notices.clear();
    setDocument(defaultProject(), {});
    discardRecovery();
}

bool ProjectController::open(const QString& file, QString* error) {
    try {
        project::LoadedProject loaded = project::ProjectFile::load(file.toStdString());
        m_notices.clear();
        for (const project::MediaNotice& n : loaded.notices)
            m_notices << QString::fromStdString(n.message());
        if (loaded.project.scenes.empty())
            loaded.project.scenes.push_back(newScene(1, {}));
        setDocument(std::move(loaded.project), QFileInfo(file).absoluteFilePath());
        addRecent(m_path);
        return true;
    } catch (const Error& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

bool ProjectController::save(QString* error) {
    return saveAs(m_path, error);
}

bool ProjectController::saveAs(const QString& file, QString* error) {
    if (file.isEmpty()) {
        if (error)
            *error = tr("Choose where to save the project first.");
        return false;
    }
    QString target = file;
    if (!target.endsWith(QLatin1String(project::ProjectFile::kExtension.data())))
        target += QLatin1String(project::ProjectFile::kExtension.data());
    try {
        project::ProjectFile::save(m_project, target.toStdString());
    } catch (const Error& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    m_path = QFileInfo(target).absoluteFilePath();
    m_undo->setClean();
    discardRecovery();
    addRecent(m_path);
    Q_EMIT fileChanged();
    return true;
}

QStringList ProjectController::recentFiles() const {
    return m_settings.value(kRecentKey).toStringList();
}

void ProjectController::addRecent(const QString& file) {
    QStringList recent = recentFiles();
    recent.removeAll(file);
    recent.prepend(file);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    m_settings.setValue(kRecentKey, recent);
    Q_EMIT recentFilesChanged();
}

void ProjectController::setAutosaveInterval(int intervalMs) {
    m_autosave->setInterval(intervalMs);
}

QString ProjectController::autosaveFile() const {
    return QDir(m_autosaveFolder).filePath(QStringLiteral("autosave.avatarproj"));
}

// Which file the autosaved copy stands for, beside it (empty: an untitled project).
QString ProjectController::autosaveSourceFile() const {
    return QDir(m_autosaveFolder).filePath(QStringLiteral("autosave.source"));
}

void ProjectController::scheduleAutosave() {
    if (isModified())
        m_autosave->start();
}

bool ProjectController::autosaveNow() {
    if (!isModified() || !QDir().mkpath(m_autosaveFolder))
        return false;
    try {
        project::ProjectFile::save(m_project, autosaveFile().toStdString());
    } catch (const Error&) {
        return false; // the next edit tries again; the user's own file is untouched either way
    }
    QFile source(autosaveSourceFile());
    if (source.open(QIODevice::WriteOnly | QIODevice::Truncate))
        source.write(m_path.toUtf8());
    return true;
}

bool ProjectController::hasRecovery() const {
    return QFileInfo::exists(autosaveFile());
}

bool ProjectController::recover(QString* error) {
    QString original;
    QFile source(autosaveSourceFile());
    if (source.open(QIODevice::ReadOnly))
        original = QString::fromUtf8(source.readAll());
    try {
        project::LoadedProject loaded = project::ProjectFile::load(autosaveFile().toStdString());
        if (loaded.project.scenes.empty())
            loaded.project.scenes.push_back(newScene(1, {}));
        setDocument(std::move(loaded.project), original);
    } catch (const Error& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    m_undo->resetClean(); // the recovered edits are not in any saved file
    Q_EMIT fileChanged();
    return true;
}

void ProjectController::discardRecovery() {
    m_autosave->stop();
    QFile::remove(autosaveFile());
    QFile::remove(autosaveSourceFile());
}

void ProjectController::render(const QString& output) {
    if (m_rendering)
        return;
    m_rendering = true;
    m_cancel = CancelToken();
    // The worker uses `this` only to post back: the destructor cancels and waits for it, and a queued call
    // to an object destroyed meanwhile is dropped by Qt.
    m_render = QtConcurrent::run([this, project = m_project, output, cancel = m_cancel] {
        QString error;
        try {
            project::ProjectRenderer(m_services)
                .run(project, output.toStdString(), cancel, [this](const Progress& p) {
                    QMetaObject::invokeMethod(
                        this, [this, f = p.fraction] { Q_EMIT renderProgress(f); }, Qt::QueuedConnection);
                });
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, output, error] {
                m_rendering = false;
                Q_EMIT renderFinished(output, error);
            },
            Qt::QueuedConnection);
    });
}

void ProjectController::cancelRender() {
    m_cancel.cancel();
}

} // namespace avatar::ui
