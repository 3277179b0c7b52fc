#pragma once

#include "jobs/JobTypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPixmap>

#include <optional>
#include <vector>

namespace avatar::ui {

// The job queue as the studio shows it: one row per job, in the engine's queue order. Lives on the GUI
// thread and is fed by EngineBridge's signals (never by engine threads). Progress changes are merged into
// one dataChanged over the columns that moved.
class JobTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Name carries the portrait's thumbnail (Qt::DecorationRole); Duration is the finished video's length.
    enum class Column { Name, Voice, State, Progress, Stage, Eta, Elapsed, Duration, Output, Count };
    static constexpr int kThumbnailSize = 28; // px, the taller side
    enum class Role {
        JobId = Qt::UserRole, // qint64
        State,                // int(JobState)
        Progress,             // double 0..1
        OutputPath,           // QString, for finished jobs
        ErrorText,            // QString, for failed jobs
    };
    static constexpr int roleId(Role r) { return static_cast<int>(r); }
    static constexpr int columnId(Column c) { return static_cast<int>(c); }

    explicit JobTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Replaces every row (the queue's jobs() at start-up, in queue order).
    void reset(const std::vector<JobRecord>& jobs);
    // Adds the job or updates its row.
    void upsert(const JobRecord& record);
    // Updates the row and moves it to its place in the order (JobEvent::Moved).
    void move(const JobRecord& record);
    void removeJob(JobId id);

    int rowOf(JobId id) const; // -1 when absent
    const JobRecord* record(int row) const;
    std::optional<JobRecord> job(JobId id) const;
    int count(JobState state) const;

private:
    QPixmap thumbnail(const JobRecord& record) const;

    std::vector<JobRecord> m_rows;
    mutable QHash<QString, QPixmap> m_thumbnails; // by portrait path: one decode per portrait, not per paint
};

} // namespace avatar::ui
