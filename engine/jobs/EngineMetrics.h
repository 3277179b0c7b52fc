#pragma once

#include "core/ResilienceCounters.h"
#include "core/Tier.h"

#include <cstdint>
#include <string>
#include <vector>

namespace avatar {

// One sample of the engine's own measurements, taken once a second by the JobQueue's monitor and handed to
// listeners (the studio's charts, the CLI's --json summary, the profiler's counters). Every number is
// measured; nothing here is estimated for show.
struct EngineMetrics {
    double time = 0.0; // seconds since the queue started
    Tier tier = Tier::Standard;

    // Memory (MemoryManager::stats() and /proc/self/statm).
    std::uint64_t poolReservedBytes = 0;
    std::uint64_t poolAllocatedBytes = 0;
    std::uint64_t poolCapBytes = 0;
    std::uint64_t processRssBytes = 0;
    std::int64_t gpuUsedBytes = -1; // -1: no GPU
    std::int64_t gpuTotalBytes = -1;

    // Cache (cache::CacheStats), both levels.
    double l1HitRate = 0.0; // over the last second; 0 when there were no lookups
    double l2HitRate = 0.0;
    std::uint64_t l1Entries = 0, l2Entries = 0;
    std::uint64_t l1Bytes = 0, l2Bytes = 0;

    // Scaler and queue.
    int workers = 0;
    int queueDepth = 0; // jobs waiting
    int runningJobs = 0;
    std::vector<std::string> scalerDecisions; // reasons of the decisions made since the previous sample

    // Throughput and latency.
    double framesPerSecond = 0.0; // frames rendered and encoded in the last second, all jobs
    struct StageLatency {
        std::string stage; // "tts", "face", "animate", "render", "encode"
        double p95Ms = 0.0;
    };
    std::vector<StageLatency> latency;

    // The engine's recovery decisions since it started (totals, not per second): the studio's health view.
    ResilienceCounts resilience{};
};

} // namespace avatar
