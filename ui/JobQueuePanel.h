#pragma once

#include "jobs/JobTypes.h"

#include <QWidget>

class QAction;
class QTableView;

namespace avatar {
class JobQueue;
}

namespace avatar::ui {

class JobTableModel;

// The queue table and its actions (cancel, retry, remove, move up/down, open output, show in folder). The
// actions call the JobQueue directly: each returns at once, and the resulting state changes come back
// through the EngineBridge like any other event.
class JobQueuePanel : public QWidget {
    Q_OBJECT
public:
    JobQueuePanel(JobQueue& queue, JobTableModel& model, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    JobId selectedJob() const; // 0 when none
    void selectJob(JobId id);

    QAction* cancelAction() const { return m_cancel; }
    QAction* retryAction() const { return m_retry; }
    QAction* removeAction() const { return m_remove; }
    QAction* moveUpAction() const { return m_up; }
    QAction* moveDownAction() const { return m_down; }
    QAction* openAction() const { return m_open; }
    QAction* showInFolderAction() const { return m_showFolder; }
    // What the right-click menu offers for the selected job: open, show in folder, retry, cancel, remove,
    // only those that apply to its state.
    QList<QAction*> applicableActions() const;

Q_SIGNALS:
    void selectedJobChanged(avatar::JobId id);
    // The user asked to open a finished job's video (double-click or Open output): the window plays it.
    void playRequested(const QString& path);
    // What an action did or why it could not (Show in folder without a file manager): the status bar's.
    void message(const QString& text);

private:
    void updateActions();
    void showInFolder();
    void showContextMenu(const QPoint& pos);
    void removeSelected();

    JobQueue& m_queue;
    JobTableModel& m_model;
    QTableView* m_view;
    QAction* m_cancel;
    QAction* m_retry;
    QAction* m_remove;
    QAction* m_up;
    QAction* m_down;
    QAction* m_open;
    QAction* m_showFolder;
};

} // namespace avatar::ui
