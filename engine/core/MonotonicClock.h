#pragma once

#include <atomic>
#include <chrono>

namespace avatar {

// The time source of the batcher and the scaler. Their delay, rate and window rules read the time only
// through this interface, so tests drive them with ManualMonotonicClock and never wait for real time.
class MonotonicClock {
public:
    using Duration = std::chrono::steady_clock::duration;
    using TimePoint = std::chrono::steady_clock::time_point;

    virtual ~MonotonicClock() = default;
    virtual TimePoint now() const = 0;
};

// The real clock (std::chrono::steady_clock).
class SteadyMonotonicClock final : public MonotonicClock {
public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }
};

// A clock that moves only when told to. Thread-safe: a test thread may advance it while workers read it.
class ManualMonotonicClock final : public MonotonicClock {
public:
    // Starts at an arbitrary non-zero epoch, so that "time zero" is never a special value.
    ManualMonotonicClock() : m_ticks(std::chrono::duration_cast<Duration>(std::chrono::hours(1)).count()) {}

    TimePoint now() const override { return TimePoint(Duration(m_ticks.load(std::memory_order_acquire))); }
    template <class Rep, class Period> void advance(std::chrono::duration<Rep, Period> by) {
        m_ticks.fetch_add(std::chrono::duration_cast<Duration>(by).count(), std::memory_order_acq_rel);
    }

private:
    std::atomic<Duration::rep> m_ticks;
};

} // namespace avatar
