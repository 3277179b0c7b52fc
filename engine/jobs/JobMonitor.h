#pragma once

#include "EngineMetrics.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace avatar {

struct EngineServices;
class NvmlReader;

// Samples EngineMetrics once a period on its own thread ("job-monitor") while started: memory pools and RSS,
// the GPU (NVML, when there is one), both cache levels (hit rates from the counter deltas since the previous
// sample), the render pool's size, and what the queue reports through its probe. Rates are per second over
// the time that really passed between two samples.
class JobMonitor {
public:
    // What only the queue knows, read once per sample.
    struct QueueSample {
        int queueDepth = 0;
        int runningJobs = 0;
        long long framesDone = 0; // a running total; the monitor turns it into a rate
        std::vector<EngineMetrics::StageLatency> latency;
        std::vector<std::string> scalerDecisions; // since the previous sample
    };
    using QueueProbe = std::function<QueueSample()>;
    using Sink = std::function<void(const EngineMetrics&)>;

    JobMonitor(EngineServices& services, QueueProbe probe, Sink sink,
               std::chrono::milliseconds period = std::chrono::seconds(1));
    ~JobMonitor();
    JobMonitor(const JobMonitor&) = delete;
    JobMonitor& operator=(const JobMonitor&) = delete;

    void start();
    void stop();
    EngineMetrics sample(); // one sample now (also what the thread calls)

private:
    void loop();

    EngineServices& m_services;
    QueueProbe m_probe;
    Sink m_sink;
    std::chrono::milliseconds m_period;
    std::unique_ptr<NvmlReader> m_nvml;
    std::chrono::steady_clock::time_point m_origin;

    std::mutex m_sampleMutex; // the previous sample's counters
    std::chrono::steady_clock::time_point m_lastTime;
    long long m_lastFrames = 0;
    std::uint64_t m_lastL1Hits = 0, m_lastL1Lookups = 0, m_lastL2Hits = 0, m_lastL2Lookups = 0;

    std::mutex m_loopMutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace avatar
