#include "Bottleneck.h"

#include <algorithm>
#include <cstdio>

namespace avatar {

namespace {

constexpr double kSaturated = 0.9;

double clamp01(double v) {
    return std::clamp(v, 0.0, 1.0);
}

std::string percent(double fraction) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", fraction * 100.0);
    return buf;
}

} // namespace

Bottleneck detectBottleneck(const Measurements& m) {
    Bottleneck b;
    const ResourceLoad& r = m.resources;
    const double cpu = r.cpuUtilisation >= 0 ? clamp01((r.cpuUtilisation - 0.5) / 0.45) : 0.0;
    const bool queued = r.queueDepth > 0.5;
    const double pool = r.poolCap > 0 ? clamp01(r.poolWorkers / r.poolCap) * (queued ? 1.0 : 0.5) : 0.0;
    const double memory = r.memoryCapBytes > 0 ? clamp01(r.memoryPeakBytes / r.memoryCapBytes) : 0.0;
    if (r.cpuUtilisation >= kSaturated)
        b.saturated.push_back("cpu");
    if (pool >= kSaturated)
        b.saturated.push_back("pool");
    if (memory >= kSaturated)
        b.saturated.push_back("memory");

    const StageLoad* top = nullptr;
    for (const StageLoad& s : m.stages) {
        if (s.stage == "queue" || s.stage == "wait")
            continue;
        if (!top || s.share + s.waitShare > top->share + top->waitShare)
            top = &s;
    }
    if (!top || top->share + top->waitShare <= 0.0) {
        b.resource = "none";
        b.reason = "Nothing was measured.";
        return b;
    }
    b.stage = top->stage;
    b.share = clamp01(top->share + top->waitShare);
    const double queue =
        top->waitNs + top->serviceNs > 0 ? top->waitNs / (top->waitNs + top->serviceNs) : 0.0;

    // The resource that explains the stage: the most pressing one it depends on.
    struct Candidate {
        const char* name;
        double pressure;
    };
    std::vector<Candidate> candidates{{"queue", queue}, {"memory", memory}};
    if (top->parallel) {
        candidates.push_back({"cpu", cpu});
        candidates.push_back({"pool", pool});
    } else {
        candidates.push_back({"serial", 1.0});
    }
    const auto worst =
        std::max_element(candidates.begin(), candidates.end(),
                         [](const Candidate& a, const Candidate& b) { return a.pressure < b.pressure; });
    const double pressure = worst->pressure;
    b.resource = pressure > 0.0 ? worst->name : "none";
    b.severity = clamp01(b.share * (0.5 + 0.5 * pressure));

    b.reason = top->stage + " takes " + percent(b.share) + " of the wall time";
    if (b.resource == "serial")
        b.reason += " on one thread";
    else if (b.resource == "cpu")
        b.reason += " with the CPU at " + percent(r.cpuUtilisation);
    else if (b.resource == "pool")
        b.reason += " with the worker pool at its cap (" +
                    std::to_string(static_cast<int>(r.poolWorkers + 0.5)) + " of " +
                    std::to_string(static_cast<int>(r.poolCap + 0.5)) + ")";
    else if (b.resource == "queue")
        b.reason += ", waiting " + percent(queue) + " of each task's time in the queue";
    else if (b.resource == "memory")
        b.reason += " with memory at " + percent(memory) + " of its cap";
    b.reason += ".";
    return b;
}

} // namespace avatar
