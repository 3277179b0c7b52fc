#include "JobMonitor.h"

#include "cache/Cache.h"
#include "pipeline/EngineServices.h"
#include "scale/ProcReaders.h"

#include <algorithm>
#include <pthread.h>

namespace avatar {
namespace {

double rate(std::uint64_t hits, std::uint64_t lookups) {
    return lookups ? static_cast<double>(hits) / static_cast<double>(lookups) : 0.0;
}

} // namespace

JobMonitor::JobMonitor(EngineServices& services, QueueProbe probe, Sink sink,
                       std::chrono::milliseconds period)
    : m_services(services), m_probe(std::move(probe)), m_sink(std::move(sink)), m_period(period),
      m_nvml(std::make_unique<NvmlReader>()), m_origin(std::chrono::steady_clock::now()),
      m_lastTime(m_origin) {}

JobMonitor::~JobMonitor() {
    stop();
}

void JobMonitor::start() {
    std::lock_guard lock(m_loopMutex);
    if (m_thread.joinable())
        return;
    m_stop = false;
    m_thread = std::thread([this] { loop(); });
}

void JobMonitor::stop() {
    {
        std::lock_guard lock(m_loopMutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void JobMonitor::loop() {
    pthread_setname_np(pthread_self(), "job-monitor");
    std::unique_lock lock(m_loopMutex);
    // Deadlines rather than fixed waits, so that the time a sample takes does not drift the period.
    auto next = std::chrono::steady_clock::now() + m_period;
    while (!m_wake.wait_until(lock, next, [this] { return m_stop; })) {
        lock.unlock();
        const EngineMetrics metrics = sample();
        if (m_sink)
            m_sink(metrics);
        lock.lock();
        next += m_period;
    }
}

EngineMetrics JobMonitor::sample() {
    EngineMetrics m;
    const auto now = std::chrono::steady_clock::now();
    m.time = std::chrono::duration<double>(now - m_origin).count();
    m.tier = m_services.tier();

    const MemoryStats memory = m_services.memory.stats();
    m.poolReservedBytes =
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, memory.total.reservedBytes.current));
    m.poolAllocatedBytes =
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, memory.total.allocatedBytes.current));
    m.poolCapBytes = memory.capBytes;
    m.processRssBytes = processRssBytes().value_or(0);
    if (const auto gpu = m_nvml->read()) {
        m.gpuUsedBytes = static_cast<std::int64_t>(gpu->usedBytes);
        m.gpuTotalBytes = static_cast<std::int64_t>(gpu->totalBytes);
    }
    m.workers = static_cast<int>(m_services.renderPool.size());
    m.resilience = m_services.resilience.snapshot();

    QueueSample queue = m_probe ? m_probe() : QueueSample{};
    m.queueDepth = queue.queueDepth;
    m.runningJobs = queue.runningJobs;
    m.latency = std::move(queue.latency);
    m.scalerDecisions = std::move(queue.scalerDecisions);

    std::lock_guard lock(m_sampleMutex);
    const double seconds = std::chrono::duration<double>(now - m_lastTime).count();
    if (seconds > 0.0)
        m.framesPerSecond = static_cast<double>(queue.framesDone - m_lastFrames) / seconds;
    m_lastFrames = queue.framesDone;
    m_lastTime = now;

    if (m_services.cache) {
        const cache::CacheStats c = m_services.cache->stats();
        const std::uint64_t l1Lookups = c.l1.hits + c.l1.misses;
        const std::uint64_t l2Lookups = c.l2.hits + c.l2.misses;
        // Counters only grow; a smaller value means another cache was attached: start again from it.
        if (l1Lookups >= m_lastL1Lookups && c.l1.hits >= m_lastL1Hits)
            m.l1HitRate = rate(c.l1.hits - m_lastL1Hits, l1Lookups - m_lastL1Lookups);
        if (l2Lookups >= m_lastL2Lookups && c.l2.hits >= m_lastL2Hits)
            m.l2HitRate = rate(c.l2.hits - m_lastL2Hits, l2Lookups - m_lastL2Lookups);
        m_lastL1Hits = c.l1.hits;
        m_lastL1Lookups = l1Lookups;
        m_lastL2Hits = c.l2.hits;
        m_lastL2Lookups = l2Lookups;
        m.l1Entries = c.l1.entries;
        m.l2Entries = c.l2.entries;
        m.l1Bytes = c.l1.bytes;
        m.l2Bytes = c.l2.bytes;
    }
    return m;
}

} // namespace avatar
