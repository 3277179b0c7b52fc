#include "BatchDialog.h"

#include "core/Error.h"
#include "project/ProjectRenderer.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
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
    m_token.cancel();
    m_future.waitForFinished();
}

bool BatchDialog::loadCsv(const QString& csv, QString* error) {
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
    m_table->setRowCount(0);
    m_plan = {};
    if (!m_data) {
        m_summary->clear();
        updateButtons();
        return;
    }
    m_plan = project::BatchPlan::make(m_project, *m_data,
                                      QDir(m_folder).filePath(m_pattern->text().trimmed()).toStdString());
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
}

void BatchDialog::setStatus(int row, const QString& text) {
    if (QTableWidgetItem* item = m_table->item(row, StatusColumn))
        item->setText(text);
}

void BatchDialog::render() {
    if (m_rendering || !m_render->isEnabled())
        return;
    std::vector<int> rows;
    for (int r = 0; r < int(m_plan.rows.size()); ++r)
        if (m_plan.rows[std::size_t(r)].problems.empty()) {
            rows.push_back(r);
            setStatus(r, tr("Waiting"));
        }
    QDir().mkpath(m_folder);
    m_rendering = true;
    m_token = CancelToken();
    m_progress->setValue(0);
    updateButtons();
    // Rows one after the other: each is a whole project render using every core, and the cache makes the
    // sentences without a placeholder render once for all rows.
    m_future = QtConcurrent::run([this, rows, plan = m_plan, cancel = m_token] {
        int done = 0, failed = 0;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const int r = rows[i];
            const auto post = [this](auto f) {
                QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection);
            };
            QString error;
            try {
                project::ProjectRenderer(m_services)
                    .run(plan.rows[std::size_t(r)].project, plan.rows[std::size_t(r)].output, cancel,
                         [&, r](const Progress& p) {
                             const double overall = (double(i) + p.fraction) / double(rows.size());
                             post([this, r, f = p.fraction, overall] {
                                 setStatus(r, tr("Rendering %1 %").arg(int(f * 100)));
                                 m_progress->setValue(int(overall * 1000));
                             });
                         });
                ++done;
            } catch (const std::exception& e) {
                error = QString::fromUtf8(e.what());
                ++failed;
            }
            post([this, r, error] {
                setStatus(r, error.isEmpty() ? tr("Done") : tr("Failed: %1").arg(error));
                for (int c = 0; c < ColumnCount; ++c)
                    if (QTableWidgetItem* item = m_table->item(r, c))
                        item->setBackground(error.isEmpty() ? kDone : kBad);
                Q_EMIT rowFinished(r, error);
            });
            if (cancel.isCancelled())
                break;
        }
        QMetaObject::invokeMethod(
            this,
            [this, done, failed] {
                m_rendering = false;
                m_progress->setValue(1000);
                m_summary->setText(tr("%1 video(s) rendered, %2 failed.").arg(done).arg(failed));
                updateButtons();
                Q_EMIT batchFinished(done, failed);
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
