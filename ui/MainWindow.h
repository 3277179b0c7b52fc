#pragma once

#include "jobs/EngineMetrics.h"
#include "jobs/JobTypes.h"

#include <QHash>
#include <QMainWindow>

class QComboBox;
class QDockWidget;
class QAction;
class QLabel;
class QMenu;

namespace avatar {
class JobQueue;
struct EngineServices;
} // namespace avatar

namespace avatar::ui {

class ClusterBatchPanel;
class ComposerPanel;
class EngineBridge;
class JobQueuePanel;
class JobTableModel;
class LatencyProbe;
class MetricsCharts;
class PlayerPanel;
class ProfilerPanel;
class ProjectWorkspace;
class StudioSettings;

// The studio's window. It borrows the engine (services and job queue, owned by main() or a test) and the
// settings; everything else is a Qt child of the window. Engine events arrive through the EngineBridge as
// signals on this thread; the window never waits for the engine.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(EngineServices& services, JobQueue& queue, StudioSettings& settings,
               QWidget* parent = nullptr);
    ~MainWindow() override;

    // Queues the composed job; its id, or 0 when it was refused (renderFailed carries the reason).
    JobId render();
    void setTier(Tier tier); // the toolbar's tier, applied live to the engine
    // Issue #18: the creator layout (composer, player, queue; false) or the engine view (the live charts and
    // the profiler too; true). Remembered in the settings.
    void setEngineView(bool on);
    bool isEngineView() const;
    QAction* engineViewAction() const { return m_engineView; }

    ComposerPanel* composer() const { return m_composer; }
    PlayerPanel* player() const { return m_player; }
    JobQueuePanel* queuePanel() const { return m_queuePanel; }
    QDockWidget* composerDock() const { return m_composerDock; }
    JobTableModel* jobModel() const { return m_model; }
    MetricsCharts* charts() const { return m_charts; }
    ProfilerPanel* profiler() const { return m_profiler; }
    EngineBridge* bridge() const { return m_bridge; }
    LatencyProbe* latencyProbe() const { return m_probe; }
    QComboBox* tierCombo() const { return m_tierCombo; }
    QLabel* statusTier() const { return m_statusTier; }
    QLabel* statusWorkers() const { return m_statusWorkers; }
    QLabel* statusQueue() const { return m_statusQueue; }
    ProjectWorkspace* projects() const { return m_projects; }     // issue #14
    ClusterBatchPanel* clusterPanel() const { return m_cluster; } // issue #16, in the queue dock

    void showSettings();
    void showAbout();
    void quit(); // Ctrl+Q: asks first while jobs render

Q_SIGNALS:
    void jobQueued(avatar::JobId id);
    void renderFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void buildActions();
    void buildDocks();
    void connectMessages(); // MainWindow_messages.cpp: what would otherwise fail or finish without a word
    void restoreWindow();
    void sizeDocks();
    void saveWindow();
    void onJobChanged(const JobRecord& record);
    void onPreview(JobId id, const QImage& frame);
    void onMetrics(const EngineMetrics& metrics);
    void onSelectedJob(JobId id);
    void updateStatus();

    EngineServices& m_services;
    JobQueue& m_queue;
    StudioSettings& m_settings;
    JobTableModel* m_model;
    EngineBridge* m_bridge;
    LatencyProbe* m_probe;
    ComposerPanel* m_composer;
    PlayerPanel* m_player;
    JobQueuePanel* m_queuePanel;
    MetricsCharts* m_charts;
    ProfilerPanel* m_profiler;
    static constexpr int kStateVersion = 3; // 2: the composer became a dock; 3: the creator layout
    QDockWidget* m_composerDock = nullptr;
    QDockWidget* m_queueDock = nullptr;
    ClusterBatchPanel* m_cluster = nullptr;
    QDockWidget* m_chartsDock = nullptr;
    QDockWidget* m_profilerDock = nullptr;
    QComboBox* m_tierCombo = nullptr;
    QMenu* m_viewMenu = nullptr;
    QAction* m_engineView = nullptr;
    QLabel* m_statusTier;
    QLabel* m_statusWorkers;
    QLabel* m_statusQueue;
    QLabel* m_statusLatency;
    ProjectWorkspace* m_projects = nullptr;
    int m_workers = 0;
    bool m_sizeDocksOnShow = false;
    bool m_quitConfirmed = false;
    bool confirmQuit();
    JobId m_previewJob = 0;
    JobId m_playerJob = 0;                // the job whose video the player has loaded
    QHash<JobId, qint64> m_lastPreviewMs; // ≤ 5 preview frames a second per job, whatever the engine sends
};

} // namespace avatar::ui
