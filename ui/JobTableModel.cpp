#include "JobTableModel.h"

#include "AvatarGallery.h"
#include "EngineMessages.h"
#include "UiText.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace avatar::ui {

namespace {

QString outputOf(const JobRecord& r) {
    const auto& path =
        r.state == JobState::Done && !r.result.output.empty() ? r.result.output : r.spec.render.output;
    return QString::fromStdString(path.string());
}

bool finished(JobState s) {
    return s == JobState::Done || s == JobState::Failed || s == JobState::Cancelled;
}

} // namespace

JobTableModel::JobTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int JobTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JobTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : columnId(Column::Count);
}

QVariant JobTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const JobRecord& r = m_rows[std::size_t(index.row())];
    switch (role) {
    case roleId(Role::JobId):
        return QVariant::fromValue<qint64>(r.id);
    case roleId(Role::State):
        return int(r.state);
    case roleId(Role::Progress):
        return r.progress;
    case roleId(Role::OutputPath):
        return r.state == JobState::Done ? outputOf(r) : QString();
    case roleId(Role::ErrorText):
        return EngineMessages::translate(r.error);
    default:
        break;
    }
    const auto col = Column(index.column());
    if (role == Qt::DisplayRole) {
        switch (col) {
        case Column::Name:
            return QString::fromStdString(r.spec.name);
        case Column::Voice:
            return r.spec.render.audio.empty() ? QString::fromStdString(r.spec.render.voice)
                                               : tr("Recording");
        case Column::State:
            return UiText::state(r.state);
        case Column::Progress:
            return QStringLiteral("%1%").arg(int(r.progress * 100.0));
        case Column::Stage:
            return r.state == JobState::Running ? UiText::stage(r.stage) : QString();
        case Column::Eta:
            return r.state == JobState::Running ? UiText::duration(r.etaSeconds) : QString();
        case Column::Elapsed:
            return r.state == JobState::Queued ? QString() : UiText::duration(r.elapsedSeconds);
        case Column::Duration:
            return r.state == JobState::Done ? UiText::duration(r.result.duration) : QString();
        case Column::Output:
            return QFileInfo(outputOf(r)).fileName();
        case Column::Count:
            break;
        }
    } else if (role == Qt::DecorationRole && col == Column::Name) {
        return thumbnail(r);
    } else if (role == Qt::ToolTipRole) {
        if (r.state == JobState::Failed && !r.error.empty())
            return EngineMessages::translate(r.error);
        if (col == Column::Output)
            return QDir::toNativeSeparators(outputOf(r));
        if (col == Column::Name)
            return QString::fromStdString(r.spec.render.text).left(300);
    } else if (role == Qt::TextAlignmentRole) {
        if (col == Column::Eta || col == Column::Elapsed || col == Column::Duration)
            return int(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::AccessibleTextRole && col == Column::Progress) {
        return tr("%1 percent").arg(int(r.progress * 100.0));
    }
    return {};
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Column::Name:
        return tr("Name");
    case Column::Voice:
        return tr("Voice");
    case Column::Duration:
        return tr("Duration");
    case Column::State:
        return tr("State");
    case Column::Progress:
        return tr("Progress");
    case Column::Stage:
        return tr("Stage");
    case Column::Eta:
        return tr("ETA");
    case Column::Elapsed:
        return tr("Elapsed");
    case Column::Output:
        return tr("Output");
    case Column::Count:
        break;
    }
    return {};
}

QPixmap JobTableModel::thumbnail(const JobRecord& record) const {
    const QString path = QString::fromStdString(record.spec.render.avatar.string());
    auto it = m_thumbnails.constFind(path);
    if (it == m_thumbnails.constEnd()) {
        const QImage portrait = AvatarGallery::loadPortrait(path); // "" is the built-in astronaut
        it = m_thumbnails.insert(
            path, portrait.isNull()
                      ? QPixmap()
                      : QPixmap::fromImage(portrait.scaled(kThumbnailSize, kThumbnailSize,
                                                           Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    }
    return it.value();
}

void JobTableModel::reset(const std::vector<JobRecord>& jobs) {
    beginResetModel();
    m_rows = jobs;
    endResetModel();
}

void JobTableModel::upsert(const JobRecord& record) {
    const int row = rowOf(record.id);
    if (row < 0) {
        // New jobs go where their position puts them (normally the end).
        const auto it = std::find_if(m_rows.begin(), m_rows.end(),
                                     [&](const JobRecord& r) { return r.position > record.position; });
        const int at = int(it - m_rows.begin());
        beginInsertRows({}, at, at);
        m_rows.insert(it, record);
        endInsertRows();
        return;
    }
    JobRecord& old = m_rows[std::size_t(row)];
    // Only the columns that can have changed are announced (qBittorrent merges ranges the same way).
    const bool all = old.state != record.state || finished(record.state) || old.spec.name != record.spec.name;
    old = record;
    const int first = all ? 0 : columnId(Column::Progress);
    Q_EMIT dataChanged(index(row, first), index(row, columnId(Column::Count) - 1));
}

void JobTableModel::move(const JobRecord& record) {
    const int row = rowOf(record.id);
    if (row < 0) {
        upsert(record);
        return;
    }
    m_rows[std::size_t(row)] = record;
    // The moved job swapped places with a neighbour, whose own Moved event follows; the rows are sorted by
    // position after each so the view settles on the engine's order.
    std::vector<JobRecord> sorted = m_rows;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const JobRecord& a, const JobRecord& b) { return a.position < b.position; });
    const int target = int(
        std::find_if(sorted.begin(), sorted.end(), [&](const JobRecord& r) { return r.id == record.id; }) -
        sorted.begin());
    if (target != row && beginMoveRows({}, row, row, {}, target > row ? target + 1 : target)) {
        const JobRecord moved = m_rows[std::size_t(row)];
        m_rows.erase(m_rows.begin() + row);
        m_rows.insert(m_rows.begin() + target, moved);
        endMoveRows();
    } else {
        Q_EMIT dataChanged(index(row, 0), index(row, columnId(Column::Count) - 1));
    }
}

void JobTableModel::removeJob(JobId id) {
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
}

int JobTableModel::rowOf(JobId id) const {
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id)
            return int(i);
    return -1;
}

const JobRecord* JobTableModel::record(int row) const {
    return row >= 0 && row < rowCount() ? &m_rows[std::size_t(row)] : nullptr;
}

std::optional<JobRecord> JobTableModel::job(JobId id) const {
    const int row = rowOf(id);
    if (row < 0)
        return std::nullopt;
    return m_rows[std::size_t(row)];
}

int JobTableModel::count(JobState state) const {
    return int(
        std::count_if(m_rows.begin(), m_rows.end(), [&](const JobRecord& r) { return r.state == state; }));
}

} // namespace avatar::ui
