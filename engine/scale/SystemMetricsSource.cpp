#include "SystemMetricsSource.h"

namespace avatar {

SystemMetricsSource::SystemMetricsSource(EngineLoadFn engineLoad) : m_engineLoad(std::move(engineLoad)) {
    m_cpu.read(); // prime: the first real sample then covers the first period
}

ScalerSample SystemMetricsSource::sample() {
    ScalerSample s;
    s.cpuUtilisation = m_cpu.read();
    if (auto rss = processRssBytes())
        s.rssBytes = double(*rss);
    if (auto gpu = m_nvml.read()) {
        s.gpuUtilisation = gpu->utilisation;
        s.gpuMemoryBytes = double(gpu->usedBytes);
    }
    if (m_engineLoad) {
        const EngineLoad load = m_engineLoad();
        s.queueDepth = load.queueDepth;
        s.latencyP95Ms = load.latencyP95Ms;
    }
    return s;
}

} // namespace avatar
