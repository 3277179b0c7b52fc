#pragma once

#include <QObject>
#include <QPointer>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;

namespace avatar {
struct EngineServices;
}

namespace avatar::ui {

class BatchDialog;
class PlayerPanel;
class ProjectController;
class SceneListPanel;
class StudioSettings;

// What projects add to the studio's window (issue #14), kept out of MainWindow: the Project menu (New,
// Open, Open recent, Save, Save As, Undo, Redo, Render project, Batch from CSV), the Scenes dock tabbed with
// the composer, the selected scene's first frame in the player's preview, recovery of an autosaved project,
// and the question about unsaved changes on closing.
class ProjectWorkspace : public QObject {
    Q_OBJECT
public:
    ProjectWorkspace(EngineServices& services, StudioSettings& settings, QMainWindow& window,
                     PlayerPanel& player, QDockWidget* besideDock);

    ProjectController* controller() const { return m_controller; }
    SceneListPanel* scenes() const { return m_scenes; }
    QDockWidget* dock() const { return m_dock; }
    QMenu* menu() const { return m_menu; }
    BatchDialog* batchDialog() const; // the open one, or null

    // At start-up: when an autosaved copy is left from a session that did not close cleanly, asks whether
    // to recover it.
    void offerRecovery();
    // On closing: asks to save unsaved changes; false when the user cancels. A clean close removes the
    // autosaved copy.
    bool maybeClose();
    // Opens the batch dialog against the current project, with `csv` loaded when given.
    BatchDialog* openBatch(const QString& csv = {});
    // At start-up: a local batch that was still rendering when the studio died (its folder is in the
    // settings until it ends) is shown and resumed. Returns whether one was.
    bool resumeBatch();

    void openFile(const QString& file); // errors in a message box
    bool saveFile();
    bool saveFileAs();
    void renderProject();

Q_SIGNALS:
    // The batch dialog submitted a batch folder to Slurm: the job queue follows it (ClusterBatchPanel).
    void clusterBatchSubmitted(const QString& batchDir);

private:
    void buildMenu();
    void updateRecent();
    void updateTitle();
    void showError(const QString& title, const QString& message);

    EngineServices& m_services;
    StudioSettings& m_settings;
    QMainWindow& m_window;
    PlayerPanel& m_player;
    ProjectController* m_controller;
    SceneListPanel* m_scenes;
    QDockWidget* m_dock;
    QMenu* m_menu = nullptr;
    QMenu* m_recent = nullptr;
    QPointer<BatchDialog> m_batch;
};

} // namespace avatar::ui
