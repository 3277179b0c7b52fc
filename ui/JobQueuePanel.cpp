#include "JobQueuePanel.h"

#include "JobTableModel.h"
#include "ProgressDelegate.h"
#include "jobs/JobQueue.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QIcon>
#include <QMenu>
#include <QTableView>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

namespace avatar::ui {

JobQueuePanel::JobQueuePanel(JobQueue& queue, JobTableModel& model, QWidget* parent)
    : QWidget(parent), m_queue(queue), m_model(model), m_view(new QTableView(this)) {
    m_view->setModel(&m_model);
    m_view->setObjectName(QStringLiteral("jobTable"));
    m_view->setAccessibleName(tr("Job queue"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    // Rows tall enough for the portrait's thumbnail beside the job's name.
    m_view->setIconSize(QSize(JobTableModel::kThumbnailSize, JobTableModel::kThumbnailSize));
    m_view->verticalHeader()->setDefaultSectionSize(JobTableModel::kThumbnailSize + 6);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setItemDelegateForColumn(JobTableModel::columnId(JobTableModel::Column::Progress),
                                     new ProgressDelegate(m_view));
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(JobTableModel::columnId(JobTableModel::Column::Name), QHeaderView::Stretch);
    header->setSectionResizeMode(JobTableModel::columnId(JobTableModel::Column::Output),
                                 QHeaderView::Stretch);
    header->resizeSection(JobTableModel::columnId(JobTableModel::Column::Progress), 160);

    auto* bar = new QToolBar(this);
    bar->setIconSize(QSize(16, 16));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto add = [&](const QString& iconName, const QString& text, const QString& tip, QKeySequence key) {
        QAction* a = bar->addAction(QIcon::fromTheme(iconName), text);
        a->setToolTip(tip);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
        return a;
    };
    m_cancel = add(QStringLiteral("process-stop"), tr("Cancel"), tr("Stop the selected job"),
                   QKeySequence(Qt::Key_Escape));
    m_retry = add(QStringLiteral("view-refresh"), tr("Retry"), tr("Queue a failed or cancelled job again"),
                  QKeySequence(Qt::CTRL | Qt::Key_R));
    m_remove = add(QStringLiteral("list-remove"), tr("Remove"),
                   tr("Remove the selected job from the queue (its video stays on disk)"),
                   QKeySequence(QKeySequence::Delete));
    bar->addSeparator();
    m_up = add(QStringLiteral("go-up"), tr("Move up"), tr("Run the selected job earlier"),
               QKeySequence(Qt::CTRL | Qt::Key_Up));
    m_down = add(QStringLiteral("go-down"), tr("Move down"), tr("Run the selected job later"),
                 QKeySequence(Qt::CTRL | Qt::Key_Down));
    bar->addSeparator();
    m_open = add(QStringLiteral("media-playback-start"), tr("Play"),
                 tr("Play the finished video in the player"), QKeySequence(Qt::Key_Return));
    m_showFolder = add(QStringLiteral("folder-open"), tr("Show in folder"),
                       tr("Open the folder that holds the video"), QKeySequence());

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_view);

    connect(m_cancel, &QAction::triggered, this, [this] { m_queue.cancel(selectedJob()); });
    connect(m_retry, &QAction::triggered, this, [this] { m_queue.retry(selectedJob()); });
    connect(m_remove, &QAction::triggered, this, &JobQueuePanel::removeSelected);
    connect(m_up, &QAction::triggered, this, [this] { m_queue.moveUp(selectedJob()); });
    connect(m_down, &QAction::triggered, this, [this] { m_queue.moveDown(selectedJob()); });
    connect(m_open, &QAction::triggered, this, [this] {
        const auto job = m_model.job(selectedJob());
        if (job && job->state == JobState::Done)
            Q_EMIT playRequested(QString::fromStdString(job->result.output.string()));
    });
    connect(m_showFolder, &QAction::triggered, this, &JobQueuePanel::showInFolder);
    connect(m_view, &QTableView::doubleClicked, m_open, &QAction::trigger);
    connect(m_view, &QTableView::customContextMenuRequested, this, &JobQueuePanel::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateActions();
        Q_EMIT selectedJobChanged(selectedJob());
    });
    connect(&m_model, &QAbstractItemModel::dataChanged, this, &JobQueuePanel::updateActions);
    connect(&m_model, &QAbstractItemModel::rowsRemoved, this, &JobQueuePanel::updateActions);
    connect(&m_model, &QAbstractItemModel::rowsMoved, this, &JobQueuePanel::updateActions);
    updateActions();
}

JobId JobQueuePanel::selectedJob() const {
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid())
        return 0;
    return current.data(JobTableModel::roleId(JobTableModel::Role::JobId)).toLongLong();
}

void JobQueuePanel::selectJob(JobId id) {
    const int row = m_model.rowOf(id);
    if (row >= 0)
        m_view->selectRow(row);
}

void JobQueuePanel::updateActions() {
    const auto job = m_model.job(selectedJob());
    const JobState s = job ? job->state : JobState::Invalid;
    const bool running = s == JobState::Running;
    const int row = job ? m_model.rowOf(job->id) : -1;
    m_cancel->setEnabled(s == JobState::Queued || running);
    m_retry->setEnabled(s == JobState::Failed || s == JobState::Cancelled || s == JobState::Interrupted);
    m_remove->setEnabled(job && !running);
    m_up->setEnabled(s == JobState::Queued && row > 0);
    m_down->setEnabled(s == JobState::Queued && row >= 0 && row + 1 < m_model.rowCount());
    m_open->setEnabled(s == JobState::Done);
    m_showFolder->setEnabled(job.has_value());
}

QList<QAction*> JobQueuePanel::applicableActions() const {
    QList<QAction*> actions;
    for (QAction* a : {m_open, m_showFolder, m_retry, m_cancel, m_remove})
        if (a->isEnabled())
            actions << a;
    return actions;
}

void JobQueuePanel::showContextMenu(const QPoint& pos) {
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    m_view->selectRow(index.row()); // the menu is about the row under the mouse
    const QList<QAction*> actions = applicableActions();
    if (actions.isEmpty())
        return;
    // Not exec(): the event loop (and the engine's events) keep running while the menu is open.
    auto* menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("jobContextMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addActions(actions);
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

void JobQueuePanel::removeSelected() {
    const JobId id = selectedJob();
    m_queue.remove(id);
}

void JobQueuePanel::showInFolder() {
    const auto job = m_model.job(selectedJob());
    if (!job)
        return;
    const QString output = QString::fromStdString(
        (job->state == JobState::Done ? job->result.output : job->spec.render.output).string());
    // Opening the folder is what every desktop supports; selecting the file needs a file-manager D-Bus API.
    const QString folder = QDir::toNativeSeparators(QFileInfo(output).absolutePath());
    if (!QFileInfo(output).absoluteDir().exists())
        Q_EMIT message(tr("The folder %1 does not exist (any more).").arg(folder));
    else if (QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(output).absolutePath())))
        Q_EMIT message(tr("Opened %1 in the file manager.").arg(folder));
    else
        Q_EMIT message(tr("No file manager could open %1: open it yourself.").arg(folder));
}

} // namespace avatar::ui
