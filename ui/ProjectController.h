#pragma once

#include "core/CancelToken.h"
#include "project/Project.h"

#include <QFuture>
#include <QObject>
#include <QStringList>

#include <functional>

class QSettings;
class QTimer;
class QUndoStack;

namespace avatar {
struct EngineServices;
}

namespace avatar::ui {

// The studio's open project (issue #14): the document (engine project::Project), its file, every edit as an
// undoable command, recent files, autosave and recovery after a crash, and rendering it. The scene list and
// the batch dialog edit and read the project only through this object.
class ProjectController : public QObject {
    Q_OBJECT
public:
    // Recent files live in `settings`; the autosave copy (and what it is a copy of) in `autosaveFolder`.
    ProjectController(EngineServices& services, QSettings& settings, const QString& autosaveFolder,
                      QObject* parent = nullptr);
    ~ProjectController() override;

    const project::Project& project() const { return m_project; }
    QString path() const { return m_path; } // empty: not saved yet
    QString displayName() const;            // file name or "Untitled"
    bool isModified() const;
    QUndoStack* undoStack() const { return m_undo; }
    int currentScene() const { return m_current; }
    void setCurrentScene(int index);

    // Edits; each is one step on the undo stack.
    void addScene();
    void duplicateScene(int index);
    void removeScene(int index);
    void moveScene(int from, int to);
    // A change of one scene (`what` names it for Undo's menu text); consecutive changes with the same
    // `mergeKey` ≥ 0 undo together (typing).
    void editScene(int index, const QString& what, const std::function<void(project::Scene&)>& change,
                   int mergeKey = -1);
    void editProject(const QString& what, const std::function<void(project::Project&)>& change);

    // Files. Each returns false with one message in `error`; a file that cannot be opened (newer, damaged)
    // leaves the current project as it was, and save refuses to replace such a file.
    void newProject();
    bool open(const QString& file, QString* error);
    bool save(QString* error);
    bool saveAs(const QString& file, QString* error);
    QStringList notices() const { return m_notices; } // about the media of the last file opened
    QStringList recentFiles() const;

    // Autosave: a copy written `intervalMs` after an edit while the project has unsaved changes, removed
    // when it is saved or closed cleanly. A copy found at start-up means the studio did not close cleanly.
    void setAutosaveInterval(int intervalMs);
    QString autosaveFile() const;
    bool autosaveNow();
    bool hasRecovery() const;
    // Loads the autosaved copy as the project (modified, under the file it was a copy of).
    bool recover(QString* error);
    void discardRecovery();

    // Renders the project on a worker thread into `output`; renderProgress and renderFinished follow.
    bool isRendering() const { return m_rendering; }
    void render(const QString& output);
    void cancelRender();

Q_SIGNALS:
    void projectChanged(); // the document changed (edit, undo, redo, new, open)
    void currentSceneChanged(int index);
    void fileChanged(); // path, name or modified state
    void recentFilesChanged();
    void renderProgress(double fraction);
    void renderFinished(const QString& output, const QString& error);

private:
    static project::Scene newScene(int number, const project::Presenter& presenter);
    static project::Project defaultProject();
    void push(const QString& what, project::Project after, int current, int mergeKey = -1);
    void setDocument(project::Project project, const QString& path);
    void addRecent(const QString& file);
    void scheduleAutosave();
    QString autosaveSourceFile() const;

    EngineServices& m_services;
    QSettings& m_settings;
    QString m_autosaveFolder;
    project::Project m_project;
    QString m_path;
    int m_current = 0;
    QUndoStack* m_undo;
    QTimer* m_autosave;
    QStringList m_notices;
    bool m_rendering = false;
    CancelToken m_cancel;
    QFuture<void> m_render;
};

} // namespace avatar::ui
