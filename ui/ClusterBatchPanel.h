#pragma once

#include "project/BatchStatus.h"

#include <QFuture>
#include <QStringList>
#include <QWidget>

#include <vector>

class QAction;
class QTableWidget;
class QTimer;

namespace avatar::ui {

class StudioSettings;

// The batches submitted to a Slurm cluster (issue #16), in the job queue dock under the local jobs: one row
// per array, not per task, because a campaign's array has as many tasks as the cluster has nodes to spare and
// the creator follows the batch (its tooltip breaks it down by task). Every few seconds a worker reads each
// batch folder with the engine's BatchStatus (the task databases, squeue and sacct), as `avatar-render batch
// status` does, and the rows are updated on the GUI thread. The folders are kept in the studio's settings, so
// the rows come back after a restart. Play opens the latest finished video, Show outputs their folder,
// Resubmit failed submits the tasks with failed or missing rows again (`batch resubmit`).
class ClusterBatchPanel : public QWidget {
    Q_OBJECT
public:
    enum Column { BatchColumn, StateColumn, ProgressColumn, RowsColumn, RateColumn, JobsColumn, ColumnCount };
    // On the BatchColumn item: the counts shown, a QVariantMap (rows, done, running, failed, missing).
    static constexpr int kCountsRole = Qt::UserRole + 40;

    explicit ClusterBatchPanel(StudioSettings& settings, QWidget* parent = nullptr);
    ~ClusterBatchPanel() override;

    // Remembers the batch folder and shows its row at once (then refreshes it).
    void addBatch(const QString& batchDir);
    QStringList batches() const { return m_dirs; }
    // Reads every batch again on a worker unless a read is under way; refreshed() when the rows show it.
    void refresh();
    void setRefreshInterval(int ms);

    QTableWidget* table() const { return m_table; }
    QAction* playAction() const { return m_play; }
    QAction* showOutputsAction() const { return m_showOutputs; }
    QAction* resubmitAction() const { return m_resubmit; }
    QAction* forgetAction() const { return m_forget; }

Q_SIGNALS:
    void refreshed();
    void playRequested(const QString& path);
    void message(const QString& text); // the status bar's
    void resubmitted(const QString& batchDir, const QString& jobId);

private:
    struct Snapshot {
        QString dir;
        QString error; // the folder could not be read
        project::BatchFolder folder;
        project::BatchStatus status;
    };
    static std::vector<Snapshot> read(const QStringList& dirs);
    void addRow(const QString& batchDir);
    void show(const std::vector<Snapshot>& snapshots);
    const Snapshot* selected() const;
    void updateActions();
    void resubmitSelected();
    void forgetSelected();

    StudioSettings& m_settings;
    QStringList m_dirs;
    std::vector<Snapshot> m_snapshots; // in m_dirs' order, as last shown
    QTableWidget* m_table;
    QTimer* m_timer;
    QAction* m_play;
    QAction* m_showOutputs;
    QAction* m_resubmit;
    QAction* m_forget;
    // The workers only, not their continuations on the GUI thread: what the destructor may wait for.
    QFuture<std::vector<Snapshot>> m_reading;
    QFuture<QString> m_resubmitting;
};

} // namespace avatar::ui
