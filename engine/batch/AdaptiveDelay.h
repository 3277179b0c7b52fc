#pragma once

#include "core/MonotonicClock.h"

#include <cstddef>
#include <optional>

namespace avatar {

// How long the oldest queued request may wait for company before its batch runs. The rule:
//   - a full batch: zero;
//   - nothing expected to arrive within maxDelay (arrival rate x maxDelay < 1): minDelay,
//     so a lone request under light load is not held;
//   - otherwise the time the missing requests need to arrive, (maxBatch - queued) / rate, capped by the
//     measured batch service time (waiting longer than a batch takes to run costs more latency than the
//     fuller batch saves) and always within [minDelay, maxDelay].
// The arrival rate is an EWMA of inter-arrival gaps; a silence longer than that mean counts as the current
// gap, so the rate decays at once when the load stops. The service time is an EWMA of batch run times.
class AdaptiveDelay {
public:
    using Duration = MonotonicClock::Duration;
    using TimePoint = MonotonicClock::TimePoint;

    AdaptiveDelay(Duration minDelay, Duration maxDelay);

    void onArrival(TimePoint when);
    void onBatchDone(Duration serviceTime);
    Duration wait(std::size_t queued, std::size_t maxBatch, TimePoint now) const;

    double arrivalRate(TimePoint now) const; // requests per second
    std::optional<Duration> serviceTime() const;
    Duration minDelay() const { return m_min; }
    Duration maxDelay() const { return m_max; }

private:
    static constexpr double kAlpha = 0.2; // EWMA weight of the newest sample

    Duration m_min;
    Duration m_max;
    std::optional<TimePoint> m_lastArrival;
    double m_gapSeconds = 0.0; // 0 until two arrivals were seen
    double m_serviceSeconds = 0.0;
    bool m_haveService = false;
};

} // namespace avatar
