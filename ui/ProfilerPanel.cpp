#include "ProfilerPanel.h"

#include "LatencyProbe.h"
#include "UiText.h"
#include "profile/ProfileReport.h"
#include "profile/Profiler.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace avatar::ui {

namespace {

QTableWidgetItem* number(double value, int decimals) {
    auto* item = new QTableWidgetItem;
    item->setData(Qt::DisplayRole, decimals == 0 ? QVariant(qlonglong(value)) : QVariant(value));
    item->setText(QString::number(value, 'f', decimals));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

ProfilerPanel::ProfilerPanel(const Profiler& profiler, const LatencyProbe* probe, QWidget* parent)
    : QWidget(parent), m_profiler(profiler), m_probe(probe), m_table(new QTableWidget(0, 7, this)),
      m_bottleneck(new QLabel(this)), m_uiLatency(new QLabel(this)), m_settingsLabel(new QLabel(this)),
      m_recommendations(new QListWidget(this)),
      m_refresh(new QPushButton(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("Refresh"), this)),
      m_export(
          new QPushButton(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("Export report…"), this)) {
    setObjectName(QStringLiteral("profilerPanel"));
    m_table->setObjectName(QStringLiteral("profileTable"));
    m_table->setAccessibleName(tr("Time per stage"));
    m_table->setHorizontalHeaderLabels({tr("Stage / zone"), tr("Count"), tr("Total ms"), tr("Mean ms"),
                                        tr("p50 ms"), tr("p95 ms"), tr("p99 ms")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSortingEnabled(true);
    m_table->setAlternatingRowColors(true);
    m_bottleneck->setObjectName(QStringLiteral("bottleneckLabel"));
    m_bottleneck->setWordWrap(true);
    m_bottleneck->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bottleneck->setText(tr("Render a video to see where the time goes."));
    m_recommendations->setObjectName(QStringLiteral("recommendationList"));
    m_recommendations->setAccessibleName(tr("Recommendations"));
    m_recommendations->setWordWrap(true);
    m_refresh->setToolTip(tr("Analyse everything recorded so far"));
    m_export->setObjectName(QStringLiteral("exportReport"));
    m_export->setToolTip(
        tr("Save the profile as a Chrome trace (JSON, opens in Perfetto), HTML, CSV or PDF"));
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));

    m_settingsLabel->setObjectName(QStringLiteral("profileSettings"));
    m_settingsLabel->setToolTip(tr("The settings the report and its recommendations are about"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_settingsLabel);
    buttons->addWidget(m_uiLatency, 1);
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_export);
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* bottleneckTitle = new QLabel(tr("<b>Bottleneck</b>"), right);
    auto* recommendationTitle = new QLabel(tr("<b>Recommendations</b>"), right);
    rightLayout->addWidget(bottleneckTitle);
    rightLayout->addWidget(m_bottleneck);
    rightLayout->addWidget(recommendationTitle);
    rightLayout->addWidget(m_recommendations, 1);
    auto* split = new QSplitter(this);
    split->addWidget(m_table);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);

    connect(m_refresh, &QPushButton::clicked, this, &ProfilerPanel::refresh);
    connect(m_export, &QPushButton::clicked, this, &ProfilerPanel::chooseExportFile);
    connect(&m_building, &QFutureWatcher<std::shared_ptr<const ProfileReport>>::finished, this, [this] {
        m_report = m_building.result();
        showReport();
        Q_EMIT refreshed();
        if (std::exchange(m_refreshAgain, false))
            refresh();
    });
    connect(&m_exporting, &QFutureWatcher<QString>::finished, this, [this] {
        const QString error = m_exporting.result();
        m_export->setEnabled(true);
        Q_EMIT exported(m_exportPath, error.isEmpty(), error);
    });
}

ProfilerPanel::~ProfilerPanel() {
    // Both tasks read only the profiler and the report; they must end before the profiler can go away.
    m_building.waitForFinished();
    m_exporting.waitForFinished();
}

void ProfilerPanel::setRunSettings(const RunSettings& settings) {
    m_settings = settings;
    m_settingsLabel->setText(
        tr("Engine tier %1, x264 %2, %3 of %4 threads")
            .arg(UiText::tier(settings.tier), QString::fromStdString(settings.x264Preset))
            .arg(settings.threads)
            .arg(settings.hardwareThreads));
}

void ProfilerPanel::refresh() {
    if (m_building.isRunning()) {
        // The report being built predates this request (a job that finished meanwhile): not dropped.
        m_refreshAgain = true;
        return;
    }
    ReportOptions options;
    options.settings = m_settings;
    m_building.setFuture(
        QtConcurrent::run([&profiler = m_profiler, options]() -> std::shared_ptr<const ProfileReport> {
            return std::make_shared<const ProfileReport>(ProfileReport::build(profiler, options));
        }));
}

void ProfilerPanel::showReport() {
    if (m_probe && m_probe->sampleCount() > 0)
        m_uiLatency->setText(tr("GUI thread latency: p95 %1 ms, max %2 ms")
                                 .arg(m_probe->p95Ms(), 0, 'f', 1)
                                 .arg(m_probe->maxMs(), 0, 'f', 1));
    if (!m_report)
        return;
    m_table->setSortingEnabled(false);
    m_table->setRowCount(0);
    for (const NamedHistogram& h : m_report->histograms) {
        const LatencyHistogram& hist = h.histogram;
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(h.name)));
        m_table->setItem(row, 1, number(double(hist.count()), 0));
        m_table->setItem(row, 2, number(hist.total() / 1e6, 1));
        m_table->setItem(row, 3, number(hist.mean() / 1e6, 2));
        m_table->setItem(row, 4, number(hist.percentile(50) / 1e6, 2));
        m_table->setItem(row, 5, number(hist.percentile(95) / 1e6, 2));
        m_table->setItem(row, 6, number(hist.percentile(99) / 1e6, 2));
    }
    m_table->setSortingEnabled(true);

    const Bottleneck& b = m_report->bottleneck;
    if (b.stage.empty()) {
        m_bottleneck->setText(tr("Nothing measured yet."));
    } else {
        m_bottleneck->setText(tr("%1 (limited by %2, %3% of the time, severity %4)\n%5")
                                  .arg(QString::fromStdString(b.stage), QString::fromStdString(b.resource))
                                  .arg(b.share * 100.0, 0, 'f', 0)
                                  .arg(b.severity, 0, 'f', 2)
                                  .arg(QString::fromStdString(b.reason)));
    }
    m_recommendations->clear();
    for (const Recommendation& r : m_report->recommendations) {
        auto* item = new QListWidgetItem(tr("%1 — saves about %2%")
                                             .arg(QString::fromStdString(r.action))
                                             .arg(r.estimatedGain * 100.0, 0, 'f', 0),
                                         m_recommendations);
        item->setToolTip(QString::fromStdString(r.reason + "\n" + r.setting));
    }
    if (m_report->recommendations.empty())
        new QListWidgetItem(tr("No changes recommended."), m_recommendations);
}

void ProfilerPanel::chooseExportFile() {
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString filter;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export profiler report"),
                                                      folder + QStringLiteral("/avatar-profile.html"),
                                                      tr("HTML report (*.html);;Chrome trace for Perfetto "
                                                         "(*.json);;CSV table (*.csv);;PDF document (*.pdf)"),
                                                      &filter);
    if (!path.isEmpty())
        exportTo(path);
}

void ProfilerPanel::exportTo(const QString& path) {
    if (m_exporting.isRunning())
        return;
    m_export->setEnabled(false);
    m_exportPath = path;
    // A fresh report: the export should include everything up to the moment the user asked.
    ReportOptions options;
    options.settings = m_settings;
    m_exporting.setFuture(
        QtConcurrent::run([&profiler = m_profiler, options, file = path.toStdString()]() -> QString {
            try {
                ProfileReport::build(profiler, options).exportReport(file);
                return {};
            } catch (const std::exception& e) {
                return QString::fromUtf8(e.what());
            }
        }));
}

} // namespace avatar::ui
