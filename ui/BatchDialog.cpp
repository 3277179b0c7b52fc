#include "BatchDialog.h"

#include "core/Error.h"
#include "project/BatchJournal.h"
#include "project/ProjectFile.h"
#include "project/ProjectRenderer.h"
#include "project/SlurmArray.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace avatar::ui {

namespace {

const QColor kBad(255, 220, 220);
const QColor kDone(220, 245, 220);

bool isCsv(const QString& path) {
    return QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0;
}

// The avatar-render an installed studio has beside it, else the one on the PATH: the tasks run it on the
// nodes, where the same path must hold it.
QString defaultRenderProgram() {
    const QString beside =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("avatar-render"));
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QString::fromStdString(project::SlurmArray::findOnPath("avatar-render").string());
}

} // namespace

BatchDialog::BatchDialog(EngineServices& services, project::Project project, const QString& outputFolder,
                         QWidget* parent)
    : QDialog(parent), m_services(services), m_project(std::move(project)), m_folder(outputFolder),
      m_file(new QLabel(
          tr("No data yet: open or drop a CSV file whose columns fill the project's {{placeholders}}."),
          this)),
      m_pattern(new QLineEdit(this)), m_table(new QTableWidget(0, ColumnCount, this)),
      m_summary(new QLabel(this)), m_skip(new QCheckBox(tr("S&kip invalid rows"), this)),
      m_progress(new QProgressBar(this)), m_open(new QPushButton(tr("&Open CSV…"), this)),
      m_render(new QPushButton(tr("&Render batch"), this)),
      m_cancel(new QPushButton(tr("&Cancel batch"), this)) {
    setObjectName(QStringLiteral("batchDialog"));
    setWindowTitle(tr("Batch from a spreadsheet"));
    setAcceptDrops(true);
    resize(980, 520);
    m_file->setWordWrap(true);
    m_pattern->setObjectName(QStringLiteral("outputPattern"));
    m_pattern->setToolTip(tr("Each row's video file, in %1; {{column}} takes the row's value")
                              .arg(QDir::toNativeSeparators(m_folder)));
    m_table->setObjectName(QStringLiteral("batchRows"));
    m_table->setHorizontalHeaderLabels({tr("Row"), tr("Output"), tr("Script"), tr("Overlays"), tr("Status")});
    m_table->horizontalHeader()->setSectionResizeMode(ScriptColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(StatusColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("batchSummary"));
    m_summary->setWordWrap(true);
    m_progress->setObjectName(QStringLiteral("batchProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_render->setObjectName(QStringLiteral("renderBatch"));
    m_render->setIcon(QIcon::fromTheme(QStringLiteral("media-record")));
    m_cancel->setObjectName(QStringLiteral("cancelBatch"));

    auto* top = new QHBoxLayout;
    top->addWidget(m_file, 1);
    top->addWidget(m_open);
    auto* form = new QFormLayout;
    form->addRow(tr("Output &name:"), m_pattern);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_skip);
    bottom->addWidget(m_progress, 1);
    bottom->addWidget(m_cancel);
    bottom->addWidget(m_render);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buildClusterBox());
    layout->addLayout(bottom);

    connect(m_open, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Open batch data"), QString(),
                                                          tr("CSV files (*.csv);;All files (*)"));
        if (!file.isEmpty())
            loadCsv(file);
    });
    connect(m_pattern, &QLineEdit::editingFinished, this, &BatchDialog::replan);
    connect(m_skip, &QCheckBox::toggled, this, &BatchDialog::updateButtons);
    connect(m_render, &QPushButton::clicked, this, &BatchDialog::render);
    connect(m_cancel, &QPushButton::clicked, this, &BatchDialog::cancel);
    updateButtons();
}

BatchDialog::~BatchDialog() {
    // ~QDialog hides the dialog after this body and the members are gone; a field that has the focus then
    // emits editingFinished, and replan() would run on a destroyed plan (a double free when the studio closed
    // with the name field focused). No child may call back into the dialog from here on.
    for (QObject* child : findChildren<QObject*>())
        disconnect(child, nullptr, this, nullptr);
    m_token.cancel();
    m_future.waitForFinished();
}

QGroupBox* BatchDialog::buildClusterBox() {
    m_cluster = new QGroupBox(tr("Render on c&luster (Slurm)"), this);
    m_cluster->setObjectName(QStringLiteral("clusterBox"));
    m_cluster->setCheckable(true);
    m_cluster->setChecked(false);
    m_batchDir = new QLineEdit(
        QDir(m_folder).filePath(QStringLiteral("cluster-") +
                                QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))),
        m_cluster);
    m_batchDir->setObjectName(QStringLiteral("batchDir"));
    m_batchDir->setToolTip(tr("A new folder on storage every node mounts: the project, the rows, each task's "
                              "job database and log"));
    // The CLI's defaults: 4 tasks, the partition's own time limit, the cluster's default partition.
    m_tasks = new QSpinBox(m_cluster);
    m_tasks->setObjectName(QStringLiteral("clusterTasks"));
    m_tasks->setRange(1, 10000);
    m_tasks->setValue(project::FarmSubmission::kDefaultTasks);
    m_tasks->setToolTip(tr("Array tasks; row R is rendered by task (R - 1) mod tasks"));
    m_partition = new QLineEdit(m_cluster);
    m_partition->setObjectName(QStringLiteral("partition"));
    m_partition->setPlaceholderText(tr("the cluster's default"));
    m_time = new QLineEdit(m_cluster);
    m_time->setObjectName(QStringLiteral("timeLimit"));
    m_time->setPlaceholderText(tr("the partition's limit"));
    m_time->setToolTip(
        tr("Each task's limit, as sbatch --time: minutes, or hours:minutes:seconds (02:00:00)"));
    m_cpus = new QSpinBox(m_cluster);
    m_cpus->setObjectName(QStringLiteral("cpusPerTask"));
    m_cpus->setRange(0, 1024);
    m_cpus->setSpecialValueText(tr("the cluster's default"));
    m_sharedCache = new QLineEdit(m_cluster);
    m_sharedCache->setObjectName(QStringLiteral("sharedCache"));
    m_sharedCache->setPlaceholderText(tr("none: each node caches for itself"));
    m_sharedCache->setToolTip(tr("A folder every node mounts: a sentence every video says is drawn once for "
                                 "the whole cluster"));
    auto* grid = new QFormLayout;
    grid->addRow(tr("Batch &folder:"), m_batchDir);
    auto* row = new QHBoxLayout;
    auto* tasksLabel = new QLabel(tr("&Tasks:"), m_cluster);
    tasksLabel->setBuddy(m_tasks);
    row->addWidget(tasksLabel);
    row->addWidget(m_tasks);
    row->addSpacing(12);
    auto* partitionLabel = new QLabel(tr("&Partition:"), m_cluster);
    partitionLabel->setBuddy(m_partition);
    row->addWidget(partitionLabel);
    row->addWidget(m_partition, 1);
    row->addSpacing(12);
    auto* timeLabel = new QLabel(tr("Ti&me limit:"), m_cluster);
    timeLabel->setBuddy(m_time);
    row->addWidget(timeLabel);
    row->addWidget(m_time, 1);
    row->addSpacing(12);
    auto* cpusLabel = new QLabel(tr("CP&Us per task:"), m_cluster);
    cpusLabel->setBuddy(m_cpus);
    row->addWidget(cpusLabel);
    row->addWidget(m_cpus);
    grid->addRow(row);
    grid->addRow(tr("S&hared cache:"), m_sharedCache);
    m_cluster->setLayout(grid);
    m_renderProgram = defaultRenderProgram();
    if (project::SlurmArray::available()) {
        m_cluster->setToolTip(tr("Write a batch folder and submit the rows as a Slurm job array, as "
                                 "avatar-render batch --slurm does; its progress shows in the job queue"));
    } else {
        m_cluster->setEnabled(false);
        m_cluster->setToolTip(
            tr("sbatch is not on the PATH: install the Slurm client (slurm-client) or start "
               "the studio on a machine that submits to your cluster"));
    }
    connect(m_cluster, &QGroupBox::toggled, this,
            [this](bool on) { m_render->setText(on ? tr("&Submit to cluster") : tr("&Render batch")); });
    return m_cluster;
}

bool BatchDialog::loadCsv(const QString& csv, QString* error) {
    if (m_rendering) { // the rows rendering stay what they are
        if (error)
            *error = tr("A batch is rendering; open the CSV file when it has finished.");
        return false;
    }
    try {
        m_data = project::CsvTable::load(csv.toStdString());
    } catch (const Error& e) {
        m_data.reset();
        const QString message = QString::fromStdString(e.what());
        m_file->setText(message);
        if (error)
            *error = message;
        replan();
        return false;
    }
    m_csv = QFileInfo(csv).absoluteFilePath();
    m_file->setText(tr("%1 — rows: %2").arg(QDir::toNativeSeparators(csv)).arg(m_data->rows.size()));
    // A first guess at the output name: the first column's value, which is usually the name.
    if (m_pattern->text().isEmpty() && !m_data->header.empty())
        m_pattern->setText(QStringLiteral("{{%1}}.mp4").arg(QString::fromStdString(m_data->header.front())));
    replan();
    return true;
}

void BatchDialog::setOutputPattern(const QString& pattern) {
    m_pattern->setText(pattern);
    replan();
}

void BatchDialog::replan() {
    if (m_rendering)
        return;
    m_plan = {};
    if (m_data)
        m_plan = project::BatchPlan::make(m_project, *m_data,
                                          QDir(m_folder).filePath(m_pattern->text().trimmed()).toStdString());
    showPlan();
}

void BatchDialog::showPlan() {
    m_table->setRowCount(0);
    if (!m_data) {
        m_summary->clear();
        updateButtons();
        return;
    }
    m_table->setRowCount(int(m_plan.rows.size()));
    for (int r = 0; r < int(m_plan.rows.size()); ++r) {
        const project::BatchRow& row = m_plan.rows[std::size_t(r)];
        QStringList overlays;
        for (const project::Scene& scene : row.project.scenes)
            for (const project::TextOverlay& o : scene.overlays)
                overlays << QString::fromStdString(o.text);
        const QString script = row.project.scenes.empty()
                                   ? QString()
                                   : QString::fromStdString(row.project.scenes.front().script);
        QStringList problems;
        for (const std::string& p : row.problems)
            problems << QString::fromStdString(p);
        const QStringList cells = {QString::number(row.number),
                                   QFileInfo(QString::fromStdString(row.output.string())).fileName(), script,
                                   overlays.join(QStringLiteral(" · ")),
                                   problems.isEmpty() ? tr("Ready") : problems.join(QStringLiteral("; "))};
        for (int c = 0; c < ColumnCount; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (!problems.isEmpty())
                item->setBackground(kBad);
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeColumnToContents(RowColumn);
    m_table->resizeColumnToContents(OutputColumn);
    QStringList batchProblems;
    for (const std::string& p : m_plan.problems)
        batchProblems << QString::fromStdString(p);
    const int bad = m_plan.invalidRows();
    QString text = bad == 0 ? tr("Every row can render (%1).").arg(m_plan.rows.size())
                            : tr("Rows that cannot render (in red): %1.").arg(bad);
    if (!batchProblems.isEmpty())
        text = batchProblems.join(QLatin1Char('\n'));
    m_summary->setText(text);
    updateButtons();
}

void BatchDialog::updateButtons() {
    const int good = int(m_plan.rows.size()) - m_plan.invalidRows();
    const bool ready =
        m_plan.problems.empty() && good > 0 && (m_plan.invalidRows() == 0 || m_skip->isChecked());
    m_render->setEnabled(!m_rendering && ready);
    m_cancel->setEnabled(m_rendering);
    m_open->setEnabled(!m_rendering);
    m_pattern->setEnabled(!m_rendering);
    m_skip->setEnabled(!m_rendering);
    m_cluster->setEnabled(!m_rendering && project::SlurmArray::available());
}

void BatchDialog::setStatus(int row, const QString& text) {
    if (QTableWidgetItem* item = m_table->item(row, StatusColumn))
        item->setText(text);
}

void BatchDialog::render() {
    if (m_rendering || !m_render->isEnabled())
        return;
    if (m_cluster->isChecked()) {
        submitToCluster();
        return;
    }
    // Written down before any row renders, so that a studio killed half-way resumes the batch.
    try {
        QDir().mkpath(m_folder);
        const QString dir = QDir(m_folder).filePath(
            QStringLiteral(".studio-batch-") +
            QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
        const std::string output =
            QFileInfo(QDir(m_folder).filePath(m_pattern->text().trimmed())).absoluteFilePath().toStdString();
        runFolder(project::BatchFolder::create(dir.toStdString(), m_project, m_csv.toStdString(), output, 1,
                                               {}, false, {}));
    } catch (const std::exception& e) {
        m_summary->setText(QString::fromUtf8(e.what()));
    }
}

bool BatchDialog::resume(const QString& batchDir, QString* error) {
    if (m_rendering)
        return false;
    try {
        runFolder(project::BatchFolder::open(batchDir.toStdString()));
        return true;
    } catch (const std::exception& e) {
        const QString message = tr("The batch in %1 cannot resume: %2")
                                    .arg(QDir::toNativeSeparators(batchDir), QString::fromUtf8(e.what()));
        m_summary->setText(message);
        if (error)
            *error = message;
        return false;
    }
}

// A first run and a resumed one both take the rows from the folder (its saved project, its copy of the CSV,
// its absolute output pattern), as `avatar-render batch --shard` does, so that both compute the same row
// keys.
void BatchDialog::runFolder(const project::BatchFolder& folder) {
    project::LoadedProject loaded = project::ProjectFile::load(folder.projectFile());
    if (!loaded.notices.empty()) // the portrait or a slide changed since the batch started
        throw Error(ErrorCode::InvalidInput, loaded.notices.front().message());
    m_project = std::move(loaded.project);
    m_data = project::CsvTable::load(folder.dataFile());
    m_csv = QString::fromStdString(folder.dataFile().string());
    m_folder = QString::fromStdString(folder.dir.parent_path().string());
    // The spreadsheet the user chose, not the hidden copy the rows are read from.
    const QString shown =
        QString::fromStdString((folder.source.empty() ? folder.dataFile() : folder.source).string());
    m_file->setText(tr("%1 — rows: %2").arg(QDir::toNativeSeparators(shown)).arg(m_data->rows.size()));
    m_pattern->setText(QDir(m_folder).relativeFilePath(QString::fromStdString(folder.output)));
    m_plan = project::BatchPlan::make(m_project, *m_data, folder.output);
    showPlan();
    std::vector<int> rows;
    for (int r = 0; r < int(m_plan.rows.size()); ++r)
        if (m_plan.rows[std::size_t(r)].problems.empty()) {
            rows.push_back(r);
            setStatus(r, tr("Waiting"));
        }
    m_rendering = true;
    m_token = CancelToken();
    m_progress->setValue(0);
    updateButtons();
    const QString dir = QString::fromStdString(folder.dir.string());
    Q_EMIT batchStarted(dir);
    // Rows one after the other: each is a whole project render using every core, and the cache makes the
    // sentences without a placeholder render once for all rows.
    m_future = QtConcurrent::run([this, rows, plan = m_plan, jobs = folder.jobsFile(0),
                                  digest = project::BatchJournal::projectDigest(m_project),
                                  cancel = m_token] {
        const auto post = [this](auto f) {
            QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection);
        };
        const auto mark = [this](int r, const QString& status, bool ok) {
            setStatus(r, status);
            for (int c = 0; c < ColumnCount; ++c)
                if (QTableWidgetItem* item = m_table->item(r, c))
                    item->setBackground(ok ? kDone : kBad);
        };
        int done = 0, failed = 0;
        QString fatal;
        try {
            // The journal's runner lock: a second studio (or avatar-render) on this batch is refused here.
            project::BatchJournal journal(jobs, digest);
            std::vector<int> todo;
            for (const int r : rows) {
                if (!journal.done(plan.rows[std::size_t(r)])) {
                    todo.push_back(r);
                    continue;
                }
                ++done;
                post([mark, r, text = tr("Done (before a restart)")] { mark(r, text, true); });
            }
            if (done > 0)
                post([this, done, total = rows.size()] {
                    m_summary->setText(
                        tr("Resuming the batch: %1 of %2 videos were already done.").arg(done).arg(total));
                    m_progress->setValue(int(1000.0 * done / double(total)));
                });
            const int before = done;
            for (std::size_t i = 0; i < todo.size() && !cancel.isCancelled(); ++i) {
                const int r = todo[i];
                const project::BatchRow& row = plan.rows[std::size_t(r)];
                QString error;
                JobRecord job = journal.start(row);
                try {
                    std::error_code ec;
                    if (row.output.has_parent_path())
                        std::filesystem::create_directories(row.output.parent_path(), ec);
                    const project::ProjectRenderResult result =
                        project::ProjectRenderer(m_services)
                            .run(row.project, row.output, cancel, [&, r](const Progress& p) {
                                const double overall =
                                    (double(before + int(i)) + p.fraction) / double(rows.size());
                                post([this, r, f = p.fraction, overall] {
                                    setStatus(r, tr("Rendering %1 %").arg(int(f * 100)));
                                    m_progress->setValue(int(overall * 1000));
                                });
                            });
                    journal.finish(job, result);
                    ++done;
                } catch (const std::exception& e) {
                    error = QString::fromUtf8(e.what());
                    const auto* engine = dynamic_cast<const Error*>(&e);
                    const bool stopped = engine && engine->code() == ErrorCode::Cancelled;
                    // A cancelled row is Interrupted: the next run of the batch renders it again.
                    journal.stop(job, stopped ? JobState::Interrupted : JobState::Failed, e.what());
                    ++failed;
                }
                post([this, mark, r, error] {
                    mark(r, error.isEmpty() ? tr("Done") : tr("Failed: %1").arg(error), error.isEmpty());
                    Q_EMIT rowFinished(r, error);
                });
            }
        } catch (const std::exception& e) {
            fatal = QString::fromUtf8(e.what());
        }
        post([this, done, failed, fatal] {
            m_rendering = false;
            m_progress->setValue(1000);
            m_summary->setText(fatal.isEmpty() ? tr("%1 video(s) done, %2 failed.").arg(done).arg(failed)
                                               : fatal);
            updateButtons();
            Q_EMIT batchFinished(done, failed);
        });
    });
}

void BatchDialog::submitToCluster() {
    const auto fail = [this](const QString& message) {
        m_summary->setText(message);
        Q_EMIT clusterFailed(message);
    };
    if (m_renderProgram.isEmpty())
        return fail(
            tr("avatar-render is neither beside the studio nor on the PATH; the cluster's tasks run it, "
               "so install it where every node finds it."));
    if (m_batchDir->text().trimmed().isEmpty())
        return fail(tr("Name the batch folder: a new folder on storage every node mounts."));
    project::FarmSubmission submission;
    submission.batchDir = m_batchDir->text().trimmed().toStdString();
    submission.tasks = m_tasks->value();
    submission.slurm = {m_partition->text().trimmed().toStdString(), m_time->text().trimmed().toStdString(),
                        m_cpus->value()};
    submission.sharedCache = m_sharedCache->text().trimmed().toStdString();
    submission.renderProgram = m_renderProgram.toStdString();
    // Absolute, as the CLI's: a node runs the rows from another working folder.
    const std::string output =
        QFileInfo(QDir(m_folder).filePath(m_pattern->text().trimmed())).absoluteFilePath().toStdString();
    m_rendering = true;
    m_progress->setRange(0, 0); // sbatch answers in a moment, or after its own timeout on a busy controller
    updateButtons();
    m_summary->setText(tr("Submitting to the cluster…"));
    // Off the GUI thread: the batch folder may be on a slow shared mount, and sbatch waits for slurmctld.
    m_future = QtConcurrent::run([this, fail, submission, project = m_project, csv = m_csv.toStdString(),
                                  output] {
        QString dir, id, error;
        try {
            const project::BatchFolder folder =
                project::SlurmArray::submitNew(submission, project, csv, output);
            dir = QString::fromStdString(folder.dir.string());
            id = QString::fromStdString(folder.slurmJobs.back());
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, fail, dir, id, error] {
                m_rendering = false;
                m_progress->setRange(0, 1000);
                m_progress->setValue(error.isEmpty() ? 1000 : 0);
                updateButtons();
                if (!error.isEmpty())
                    return fail(error);
                m_summary->setText(tr("Submitted to the cluster as job %1 (%2 tasks); the job queue shows "
                                      "its progress.")
                                       .arg(id)
                                       .arg(m_tasks->value()));
                Q_EMIT clusterSubmitted(dir, id);
            },
            Qt::QueuedConnection);
    });
}

void BatchDialog::cancel() {
    m_token.cancel();
}

void BatchDialog::reject() {
    cancel();
    m_future.waitForFinished();
    QDialog::reject();
}

void BatchDialog::dragEnterEvent(QDragEnterEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!m_rendering && !urls.isEmpty() && urls.first().isLocalFile() && isCsv(urls.first().toLocalFile()))
        event->acceptProposedAction();
}

void BatchDialog::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && loadCsv(urls.first().toLocalFile()))
        event->acceptProposedAction();
}

} // namespace avatar::ui
