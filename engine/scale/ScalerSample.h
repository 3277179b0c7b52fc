#pragma once

#include <cstddef>
#include <optional>

namespace avatar {

// One reading of everything the scaler looks at. A metric that cannot be read here (no GPU, no engine
// callback) is absent rather than zero, so it never drives a decision.
struct ScalerSample {
    std::optional<double> cpuUtilisation; // whole machine, 0..1, from /proc/stat deltas
    std::optional<double> rssBytes;       // this process, from /proc/self/statm
    std::optional<double> gpuUtilisation; // 0..1, NVML, only when a GPU exists
    std::optional<double> gpuMemoryBytes; // used, NVML
    std::optional<double> queueDepth;     // work waiting, from the engine
    std::optional<double> latencyP95Ms;   // the watched stage's p95, from the engine
};

// What the engine reports through its callback.
struct EngineLoad {
    double queueDepth = 0.0;
    std::optional<double> latencyP95Ms;
};

// Where the scaler's samples come from: the system (SystemMetricsSource) or, in tests, a recorded trace.
class ScalerMetricsSource {
public:
    virtual ~ScalerMetricsSource() = default;
    virtual ScalerSample sample() = 0;
};

} // namespace avatar
