#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

namespace avatar {

// Each decision the engine's error recovery takes (issue #15): counted so that the profiler report,
// `avatar-render --json` and the studio's health view show what was recovered and what was given up.
enum class ResilienceEvent {
    Retry,           // a transient failure (a busy database) was retried after a backoff
    RetryExhausted,  // every attempt failed transiently: the failure went on to the caller
    BreakerOpened,   // a backend failed often enough to be taken out of use for a cool-down
    BreakerSkipped,  // a call went past a backend whose breaker was open
    Fallback,        // a failed or skipped backend's work was done by the next one
    WatchdogStopped, // a stage made no progress for too long; its job was failed
    WorkerReplaced,  // a worker thread died of an escaped exception and a new one took its place
};

inline constexpr std::size_t kResilienceEventCount = 7;

// A plain copy of the counters at one moment.
struct ResilienceCounts {
    std::array<std::uint64_t, kResilienceEventCount> values{};

    std::uint64_t operator[](ResilienceEvent e) const { return values[static_cast<std::size_t>(e)]; }
    // What was counted after `earlier` (a snapshot of the same counters).
    ResilienceCounts since(const ResilienceCounts& earlier) const {
        ResilienceCounts d;
        for (std::size_t i = 0; i < kResilienceEventCount; ++i)
            d.values[i] = values[i] - earlier.values[i];
        return d;
    }
    static ResilienceEvent event(std::size_t index) { return static_cast<ResilienceEvent>(index); }
    // A stable snake_case name for JSON keys and report rows ("retries", "breaker_opened", ...).
    static std::string_view name(ResilienceEvent e);
    // A short phrase for people ("retries after a busy database", ...).
    static std::string_view label(ResilienceEvent e);
};

// Shared by everything in one engine (EngineServices owns it); lock-free, safe from any thread.
class ResilienceCounters {
public:
    void add(ResilienceEvent e, std::uint64_t n = 1) {
        m_values[static_cast<std::size_t>(e)].fetch_add(n, std::memory_order_relaxed);
    }
    ResilienceCounts snapshot() const {
        ResilienceCounts c;
        for (std::size_t i = 0; i < kResilienceEventCount; ++i)
            c.values[i] = m_values[i].load(std::memory_order_relaxed);
        return c;
    }

private:
    std::array<std::atomic<std::uint64_t>, kResilienceEventCount> m_values{};
};

// Counts into `counters` when there is one: most users of the recovery types take an optional pointer.
inline void countResilience(ResilienceCounters* counters, ResilienceEvent e) {
    if (counters)
        counters->add(e);
}

} // namespace avatar
