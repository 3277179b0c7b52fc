#include "ClusterBatchPanel.h"

#include "JobTableModel.h"
#include "ProgressDelegate.h"
#include "StudioSettings.h"
#include "project/SlurmArray.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace avatar::ui {

namespace {

using project::BatchRowState;

constexpr int kRefreshMs = 5000; // squeue and the task databases: cheap, but not for every frame

QString str(const std::filesystem::path& p) {
    return QString::fromStdString(p.string());
}

} // namespace

ClusterBatchPanel::ClusterBatchPanel(StudioSettings& settings, QWidget* parent)
    : QWidget(parent), m_settings(settings), m_table(new QTableWidget(0, ColumnCount, this)),
      m_timer(new QTimer(this)) {
    setObjectName(QStringLiteral("clusterBatches"));
    m_table->setObjectName(QStringLiteral("clusterTable"));
    m_table->setAccessibleName(tr("Cluster batches"));
    m_table->setHorizontalHeaderLabels(
        {tr("Cluster batch"), tr("State"), tr("Progress"), tr("Rows"), tr("Speed"), tr("Slurm jobs")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->setItemDelegateForColumn(ProgressColumn, new ProgressDelegate(m_table));
    m_table->horizontalHeader()->setSectionResizeMode(BatchColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(RowsColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->resizeSection(ProgressColumn, 160);
    for (int c : {StateColumn, RateColumn, JobsColumn})
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    auto* bar = new QToolBar(this);
    bar->setIconSize(QSize(16, 16));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto* title = new QLabel(tr("Cluster batches (Slurm)"), bar);
    title->setContentsMargins(6, 0, 12, 0);
    bar->addWidget(title);
    m_play = bar->addAction(QIcon::fromTheme(QStringLiteral("media-playback-start")), tr("Play latest"));
    m_play->setToolTip(tr("Play the batch's latest finished video"));
    m_showOutputs = bar->addAction(QIcon::fromTheme(QStringLiteral("folder-open")), tr("Show outputs"));
    m_showOutputs->setToolTip(tr("Open the folder the batch's videos are written to"));
    m_resubmit = bar->addAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("Resubmit failed"));
    m_resubmit->setToolTip(tr("Submit the tasks with failed or missing rows again; the rows done stay done "
                              "(avatar-render batch resubmit)"));
    m_forget = bar->addAction(QIcon::fromTheme(QStringLiteral("list-remove")), tr("Forget"));
    m_forget->setToolTip(tr("Take the batch off this list; its folder, videos and Slurm jobs stay"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_table);

    connect(m_play, &QAction::triggered, this, [this] {
        const Snapshot* s = selected();
        if (!s)
            return;
        for (auto r = s->status.rows.rbegin(); r != s->status.rows.rend(); ++r)
            if (r->state == BatchRowState::Done)
                return Q_EMIT playRequested(str(r->output));
    });
    connect(m_showOutputs, &QAction::triggered, this, [this] {
        const Snapshot* s = selected();
        if (!s || s->status.rows.empty())
            return;
        const QString folder = QFileInfo(str(s->status.rows.front().output)).absolutePath();
        if (QDesktopServices::openUrl(QUrl::fromLocalFile(folder)))
            Q_EMIT message(tr("Opened %1 in the file manager.").arg(QDir::toNativeSeparators(folder)));
        else
            Q_EMIT message(
                tr("No file manager could open %1: open it yourself.").arg(QDir::toNativeSeparators(folder)));
    });
    connect(m_resubmit, &QAction::triggered, this, &ClusterBatchPanel::resubmitSelected);
    connect(m_forget, &QAction::triggered, this, &ClusterBatchPanel::forgetSelected);
    connect(m_table, &QTableWidget::doubleClicked, m_play, &QAction::trigger);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ClusterBatchPanel::updateActions);
    connect(m_timer, &QTimer::timeout, this, &ClusterBatchPanel::refresh);

    m_timer->setInterval(kRefreshMs);
    for (const QString& dir : m_settings.clusterBatches())
        addRow(dir);
    updateActions();
    setVisible(!m_dirs.isEmpty());
    if (!m_dirs.isEmpty()) {
        m_timer->start();
        refresh();
    }
}

ClusterBatchPanel::~ClusterBatchPanel() {
    m_reading.waitForFinished();
    m_resubmitting.waitForFinished();
}

void ClusterBatchPanel::addRow(const QString& batchDir) {
    const QString dir = QFileInfo(batchDir).absoluteFilePath();
    if (m_dirs.contains(dir))
        return;
    m_dirs << dir;
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    for (int c = 0; c < ColumnCount; ++c)
        m_table->setItem(row, c, new QTableWidgetItem);
    m_table->item(row, BatchColumn)->setText(QFileInfo(dir).fileName());
    m_table->item(row, BatchColumn)->setToolTip(QDir::toNativeSeparators(dir));
    m_table->item(row, StateColumn)->setText(tr("Reading…"));
}

void ClusterBatchPanel::addBatch(const QString& batchDir) {
    addRow(batchDir);
    m_settings.setClusterBatches(m_dirs);
    setVisible(true);
    m_timer->start();
    refresh();
}

void ClusterBatchPanel::setRefreshInterval(int ms) {
    m_timer->setInterval(ms);
}

void ClusterBatchPanel::refresh() {
    if (m_reading.isRunning() || m_dirs.isEmpty())
        return;
    m_reading = QtConcurrent::run(&ClusterBatchPanel::read, m_dirs);
    m_reading.then(this, [this](std::vector<Snapshot> s) {
        show(s);
        m_snapshots = std::move(s);
        updateActions();
        Q_EMIT refreshed();
    });
}

std::vector<ClusterBatchPanel::Snapshot> ClusterBatchPanel::read(const QStringList& dirs) {
    std::vector<Snapshot> out;
    for (const QString& dir : dirs) {
        Snapshot s;
        s.dir = dir;
        try {
            s.folder = project::BatchFolder::open(dir.toStdString());
            s.status = project::BatchStatus::read(s.folder);
        } catch (const std::exception& e) {
            s.error = QString::fromUtf8(e.what());
        }
        out.push_back(std::move(s));
    }
    return out;
}

void ClusterBatchPanel::show(const std::vector<Snapshot>& snapshots) {
    for (const Snapshot& s : snapshots) {
        const int row = int(m_dirs.indexOf(s.dir));
        if (row < 0 || row >= m_table->rowCount()) // forgotten while it was read
            continue;
        const auto cell = [&](int column) { return m_table->item(row, column); };
        if (!s.error.isEmpty()) {
            cell(StateColumn)->setText(tr("Unreadable"));
            cell(RowsColumn)->setText(s.error);
            cell(RowsColumn)->setToolTip(s.error);
            continue;
        }
        const project::BatchStatus& st = s.status;
        const int rows = int(st.rows.size());
        const int done = st.countOf(BatchRowState::Done);
        const int running = st.countOf(BatchRowState::Running);
        const int failed = st.countOf(BatchRowState::Failed);
        const int missing = st.countOf(BatchRowState::Missing);
        QString state = tr("Running");
        if (done == rows)
            state = tr("Done");
        else if (!st.active())
            state = failed > 0 ? tr("Failed") : tr("Stopped");
        else if (running == 0)
            state = tr("Queued");
        cell(StateColumn)->setText(state);
        cell(ProgressColumn)->setText(QStringLiteral("%1 / %2").arg(done).arg(rows));
        cell(ProgressColumn)
            ->setData(JobTableModel::roleId(JobTableModel::Role::Progress),
                      rows > 0 ? double(done) / rows : 0.0);
        // What `batch status` calls missing (no job, or a job lost with its task) is still to come while
        // the array runs.
        cell(RowsColumn)
            ->setText((st.active() ? tr("%1 done · %2 running · %3 failed · %4 waiting")
                                   : tr("%1 done · %2 running · %3 failed · %4 missing"))
                          .arg(done)
                          .arg(running)
                          .arg(failed)
                          .arg(missing));
        cell(BatchColumn)
            ->setData(kCountsRole, QVariantMap{{QStringLiteral("rows"), rows},
                                               {QStringLiteral("done"), done},
                                               {QStringLiteral("running"), running},
                                               {QStringLiteral("failed"), failed},
                                               {QStringLiteral("missing"), missing}});
        const double rate = st.videosPerMinute();
        cell(RateColumn)->setText(rate > 0 ? tr("%1 videos/min").arg(rate, 0, 'f', 1) : QString());
        QStringList jobs;
        for (const std::string& id : s.folder.slurmJobs)
            jobs << QString::fromStdString(id);
        cell(JobsColumn)->setText(jobs.join(QStringLiteral(", ")));
        // Per task, for the creator who wants to know which node is behind.
        QStringList tasks{QDir::toNativeSeparators(s.dir)};
        for (std::size_t t = 0; t < st.tasks.size(); ++t) {
            const project::BatchTaskStatus& task = st.tasks[t];
            tasks << tr("Task %1: %2 of %3 done, %4 failed — %5")
                         .arg(t)
                         .arg(task.countOf(BatchRowState::Done))
                         .arg(task.rows)
                         .arg(task.countOf(BatchRowState::Failed))
                         .arg(task.slurmState.empty() ? tr("not in Slurm's queue")
                                                      : QString::fromStdString(task.slurmState));
        }
        for (const project::BatchRowStatus& r : st.rows)
            if (r.state == BatchRowState::Failed)
                tasks << tr("Row %1 failed: %2").arg(r.number).arg(QString::fromStdString(r.error));
        for (int c = 0; c < ColumnCount; ++c)
            cell(c)->setToolTip(tasks.join(QLatin1Char('\n')));
    }
}

const ClusterBatchPanel::Snapshot* ClusterBatchPanel::selected() const {
    const int row = m_table->currentRow();
    if (row < 0 || row >= int(m_dirs.size()))
        return nullptr;
    for (const Snapshot& s : m_snapshots)
        if (s.dir == m_dirs[row])
            return &s;
    return nullptr;
}

void ClusterBatchPanel::updateActions() {
    const Snapshot* s = selected();
    const bool ok = s && s->error.isEmpty();
    m_play->setEnabled(ok && s->status.countOf(BatchRowState::Done) > 0);
    m_showOutputs->setEnabled(ok && !s->status.rows.empty());
    m_resubmit->setEnabled(ok && !m_resubmitting.isRunning() && !s->status.tasksToResubmit().empty() &&
                           project::SlurmArray::available());
    m_forget->setEnabled(m_table->currentRow() >= 0);
}

void ClusterBatchPanel::resubmitSelected() {
    const Snapshot* s = selected();
    if (!s || m_resubmitting.isRunning())
        return;
    const QString dir = s->dir;
    m_resubmit->setEnabled(false);
    // The same as `avatar-render batch resubmit`: read the batch afresh (the snapshot may be seconds old)
    // and submit the tasks that have failed or missing rows and that Slurm neither runs nor holds.
    m_resubmitting = QtConcurrent::run([dir] {
        project::BatchFolder folder = project::BatchFolder::open(dir.toStdString());
        const std::string tasks = project::BatchStatus::read(folder).tasksToResubmit();
        return tasks.empty() ? QString() : QString::fromStdString(project::SlurmArray::submit(folder, tasks));
    });
    m_resubmitting
        .then(this,
              [this, dir](const QString& id) {
                  if (id.isEmpty()) {
                      Q_EMIT message(tr("Nothing to resubmit: every row is done or running."));
                  } else {
                      Q_EMIT message(tr("Resubmitted the unfinished tasks as job %1.").arg(id));
                      Q_EMIT resubmitted(dir, id);
                  }
                  refresh();
              })
        .onFailed(this, [this](const std::exception& e) {
            Q_EMIT message(QString::fromUtf8(e.what()));
            refresh();
        });
}

void ClusterBatchPanel::forgetSelected() {
    const int row = m_table->currentRow();
    if (row < 0 || row >= int(m_dirs.size()))
        return;
    m_dirs.removeAt(row);
    m_table->removeRow(row);
    m_settings.setClusterBatches(m_dirs);
    if (m_dirs.isEmpty()) {
        m_timer->stop();
        setVisible(false);
    }
    updateActions();
}

} // namespace avatar::ui
