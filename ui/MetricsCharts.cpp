#include "MetricsCharts.h"

#include "HealthView.h"
#include "TimeChart.h"

#include <QGridLayout>
#include <QScatterSeries>
#include <QToolTip>

namespace avatar::ui {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

enum MemorySeries { PoolReserved, PoolAllocated, Rss };
enum CacheHitSeries { L1Hit, L2Hit };
enum CacheSizeSeries { L1Entries, L2Entries, L1Bytes, L2Bytes };
enum ScalerSeries { Workers, QueueDepth, Running };

} // namespace

MetricsCharts::MetricsCharts(QWidget* parent)
    : QWidget(parent), m_memory(new TimeChart(tr("Memory"), tr("MiB"), {}, this)),
      m_cacheHits(new TimeChart(tr("Cache hit rate"), tr("%"), {}, this)),
      m_cacheSize(new TimeChart(tr("Cache size"), tr("entries"), tr("MiB"), this)),
      m_scaler(new TimeChart(tr("Scaler"), tr("count"), {}, this)),
      m_throughput(new TimeChart(tr("Throughput"), tr("frames/s"), {}, this)),
      m_latency(new TimeChart(tr("Latency p95 per stage"), tr("ms"), tr("UI ms"), this)),
      m_health(new HealthView(this)) {
    setObjectName(QStringLiteral("metricsCharts"));
    m_memory->addSeries(tr("pool reserved"));
    m_memory->addSeries(tr("pool allocated"));
    m_memory->addSeries(tr("process RSS"));
    m_cacheHits->addSeries(tr("L1 (memory)"));
    m_cacheHits->addSeries(tr("L2 (disk)"));
    m_cacheHits->setLeftRange(0, 100);
    m_cacheSize->addSeries(tr("L1 entries"));
    m_cacheSize->addSeries(tr("L2 entries"));
    m_cacheSize->addSeries(tr("L1 MiB"), TimeChart::Axis::Right);
    m_cacheSize->addSeries(tr("L2 MiB"), TimeChart::Axis::Right);
    m_scaler->addSeries(tr("workers"));
    m_scaler->addSeries(tr("queued jobs"));
    m_scaler->addSeries(tr("running jobs"));
    m_decisionSeries = m_scaler->addSeries(tr("decisions"), TimeChart::Axis::Left, TimeChart::Kind::Markers);
    m_throughput->addSeries(tr("frames/s"));
    // The stages' series come with the first finished job (the engine names them); the window's own
    // responsiveness is there from the first sample, on the right axis (a stage takes seconds, the UI ms).
    m_uiLatencySeries = m_latency->addSeries(tr("UI thread"), TimeChart::Axis::Right);

    // A decision's reasons on hover: the markers are only useful with the why.
    auto* markers = qobject_cast<QScatterSeries*>(m_scaler->series(m_decisionSeries));
    connect(markers, &QScatterSeries::hovered, this, [this](const QPointF& point, bool state) {
        if (!state) {
            QToolTip::hideText();
            return;
        }
        const auto it = m_decisions.lowerBound(point.x() - 0.01);
        if (it != m_decisions.end())
            QToolTip::showText(QCursor::pos(), it.value().join(QLatin1Char('\n')), this);
    });

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    grid->addWidget(m_memory, 0, 0);
    grid->addWidget(m_throughput, 0, 1);
    grid->addWidget(m_scaler, 1, 0);
    grid->addWidget(m_latency, 1, 1);
    grid->addWidget(m_cacheHits, 2, 0);
    grid->addWidget(m_cacheSize, 2, 1);
    grid->addWidget(m_health, 3, 0, 1, 2);
    for (TimeChart* c : {m_memory, m_cacheHits, m_cacheSize, m_scaler, m_throughput, m_latency})
        c->setMinimumSize(210, 100); // with the health box under them, the window still fits 1366x768
}

void MetricsCharts::clear() {
    for (TimeChart* c : {m_memory, m_cacheHits, m_cacheSize, m_scaler, m_throughput, m_latency})
        for (int i = 0; i < c->seriesCount(); ++i)
            c->series(i)->clear();
    m_decisions.clear();
    m_samples = 0;
    m_lastTime = -1.0;
}

void MetricsCharts::addSample(const EngineMetrics& m, double uiLatencyP95Ms) {
    m_health->setCounts(m.resilience);
    // A restarted queue counts time from zero again: start the charts over rather than draw backwards.
    if (m.time < m_lastTime)
        clear();
    m_lastTime = m.time;
    const double t = m.time;
    ++m_samples;

    m_memory->append(PoolReserved, t, double(m.poolReservedBytes) / kMiB);
    m_memory->append(PoolAllocated, t, double(m.poolAllocatedBytes) / kMiB);
    m_memory->append(Rss, t, double(m.processRssBytes) / kMiB);
    if (m.gpuUsedBytes >= 0) {
        if (m_gpuSeries < 0)
            m_gpuSeries = m_memory->addSeries(tr("GPU used"));
        m_memory->append(m_gpuSeries, t, double(m.gpuUsedBytes) / kMiB);
    }

    m_cacheHits->append(L1Hit, t, m.l1HitRate * 100.0);
    m_cacheHits->append(L2Hit, t, m.l2HitRate * 100.0);
    m_cacheSize->append(L1Entries, t, double(m.l1Entries));
    m_cacheSize->append(L2Entries, t, double(m.l2Entries));
    m_cacheSize->append(L1Bytes, t, double(m.l1Bytes) / kMiB);
    m_cacheSize->append(L2Bytes, t, double(m.l2Bytes) / kMiB);

    m_scaler->append(Workers, t, m.workers);
    m_scaler->append(QueueDepth, t, m.queueDepth);
    m_scaler->append(Running, t, m.runningJobs);
    if (!m.scalerDecisions.empty()) {
        QStringList reasons;
        for (const std::string& r : m.scalerDecisions)
            reasons << QString::fromStdString(r);
        m_decisions.insert(t, reasons);
        m_scaler->append(m_decisionSeries, t, m.workers);
    }
    while (!m_decisions.isEmpty() && m_decisions.firstKey() < t - TimeChart::kWindowSeconds)
        m_decisions.erase(m_decisions.begin());

    m_throughput->append(0, t, m.framesPerSecond);

    for (const EngineMetrics::StageLatency& s : m.latency) {
        const QString name = QString::fromStdString(s.stage);
        int index = m_latency->find(name);
        if (index < 0)
            index = m_latency->addSeries(name);
        m_latency->append(index, t, s.p95Ms);
    }
    if (uiLatencyP95Ms >= 0.0)
        m_latency->append(m_uiLatencySeries, t, uiLatencyP95Ms);

    for (TimeChart* c : {m_memory, m_cacheHits, m_cacheSize, m_scaler, m_throughput, m_latency})
        c->advance(t);
}

} // namespace avatar::ui
