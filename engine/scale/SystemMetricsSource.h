#pragma once

#include "ProcReaders.h"
#include "ScalerSample.h"

#include <functional>

namespace avatar {

// The real readings: CPU from /proc/stat, RSS from /proc/self/statm, GPU through NVML when there is one,
// and queue depth / stage latency from the engine's callback (absent without one).
class SystemMetricsSource final : public ScalerMetricsSource {
public:
    using EngineLoadFn = std::function<EngineLoad()>;

    explicit SystemMetricsSource(EngineLoadFn engineLoad = {});
    ScalerSample sample() override;
    bool hasGpu() const { return m_nvml.available(); }

private:
    EngineLoadFn m_engineLoad;
    CpuUsageReader m_cpu;
    NvmlReader m_nvml;
};

} // namespace avatar
