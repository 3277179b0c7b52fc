#pragma once

#include "core/Tier.h"

#include <string>
#include <vector>

namespace avatar {

// How the job ran: the settings the analyses may recommend changing.
struct RunSettings {
    Tier tier = Tier::Standard;
    int threads = 0;         // render workers (--threads); 0 = unknown
    int hardwareThreads = 0; // 0 = unknown
    std::string x264Preset = "medium";
};

// One stage's load, from the zones (ProfileReport fills these in; tests write them by hand).
struct StageLoad {
    std::string stage;
    double share = 0.0;     // of the wall time, on the critical path (0..1)
    double busyNs = 0.0;    // summed zone time over all threads
    double serviceNs = 0.0; // mean time of one task of this stage
    double waitNs = 0.0;    // mean queue wait of one task ("queue.<stage>" zones)
    double waitShare = 0.0; // of the wall time, queue wait on the critical path charged to this stage
    bool parallel = false;  // ran on more than one thread
};

// Sampled resources, from the counters named in README.md; negative or zero = not measured.
struct ResourceLoad {
    double cpuUtilisation = -1.0; // mean of "cpu.utilisation", 0..1 of the whole machine
    double poolWorkers = 0.0;     // mean of "pool.workers"
    double poolCap = 0.0;         // max of "pool.cap"
    double queueDepth = 0.0;      // mean of "queue.depth"
    double memoryPeakBytes = 0.0; // max of "memory.bytes"
    double memoryCapBytes = 0.0;  // max of "memory.cap.bytes"
};

struct Measurements {
    double wallNs = 0.0;
    std::vector<StageLoad> stages;
    ResourceLoad resources;
    RunSettings settings;
};

// The stage that limited the run, what saturated, and how sure we are.
//
// severity = clamp(share x (0.5 + 0.5 x pressure)): a stage that owns the whole critical path is at least
// half a bottleneck; it is fully one when something behind it is saturated. pressure is the largest of: its
// single thread (1 for a serial stage: it keeps its thread busy by definition), CPU ((u - 0.5) / 0.45, so 95%
// reads as 1), the pool (workers / cap, counted fully only with tasks queued), its queue (wait / (wait +
// service)) and memory (peak / cap).
struct Bottleneck {
    std::string stage;    // empty when nothing was measured
    std::string resource; // "cpu", "pool", "queue", "memory", "serial" or "none"
    double share = 0.0;
    double severity = 0.0;              // 0..1
    std::vector<std::string> saturated; // every resource at >= 90%
    std::string reason;                 // one sentence for the report
};

Bottleneck detectBottleneck(const Measurements& m);

} // namespace avatar
