#pragma once

#include "jobs/EngineMetrics.h"

#include <QMap>
#include <QWidget>

namespace avatar::ui {

class HealthView;
class TimeChart;

// The live charts: one sample a second from JobEvent::Metrics (never anything made up), the last five
// minutes. Memory (pool reserved/allocated, process RSS, GPU memory when the engine reports a GPU), cache
// (hit rates; entries and bytes), scaler (workers, queue depth, running jobs, decisions as markers),
// throughput (frames/s) and latency (p95 per stage, one series per stage as the engine names them, from the
// jobs finished so far; and the GUI thread's own latency-probe p95 on the right axis).
class MetricsCharts : public QWidget {
    Q_OBJECT
public:
    explicit MetricsCharts(QWidget* parent = nullptr);

    // `uiLatencyP95Ms`: the LatencyProbe's p95 at the time of the sample; negative when there is none.
    void addSample(const EngineMetrics& metrics, double uiLatencyP95Ms = -1.0);
    void clear();

    int sampleCount() const { return m_samples; }
    TimeChart* memoryChart() const { return m_memory; }
    TimeChart* cacheHitChart() const { return m_cacheHits; }
    TimeChart* cacheSizeChart() const { return m_cacheSize; }
    TimeChart* scalerChart() const { return m_scaler; }
    TimeChart* throughputChart() const { return m_throughput; }
    TimeChart* latencyChart() const { return m_latency; }
    int uiLatencySeries() const { return m_uiLatencySeries; } // in latencyChart()
    HealthView* healthView() const { return m_health; }       // the recovery counters, under the charts
    // The reasons of the scaler decisions shown as markers, by sample time.
    const QMap<double, QStringList>& decisions() const { return m_decisions; }

private:
    TimeChart* m_memory;
    TimeChart* m_cacheHits;
    TimeChart* m_cacheSize;
    TimeChart* m_scaler;
    TimeChart* m_throughput;
    TimeChart* m_latency;
    HealthView* m_health;
    int m_gpuSeries = -1;
    int m_uiLatencySeries = -1;
    int m_decisionSeries = -1;
    int m_samples = 0;
    double m_lastTime = -1.0;
    QMap<double, QStringList> m_decisions;
};

} // namespace avatar::ui
