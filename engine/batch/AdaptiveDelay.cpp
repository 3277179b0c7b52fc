#include "AdaptiveDelay.h"

#include <algorithm>

namespace avatar {

namespace {
double seconds(MonotonicClock::Duration d) {
    return std::chrono::duration<double>(d).count();
}
MonotonicClock::Duration fromSeconds(double s) {
    return std::chrono::duration_cast<MonotonicClock::Duration>(std::chrono::duration<double>(s));
}
} // namespace

AdaptiveDelay::AdaptiveDelay(Duration minDelay, Duration maxDelay)
    : m_min(std::max(Duration::zero(), minDelay)), m_max(std::max(m_min, maxDelay)) {}

void AdaptiveDelay::onArrival(TimePoint when) {
    if (m_lastArrival) {
        const double gap = std::max(0.0, seconds(when - *m_lastArrival));
        m_gapSeconds =
            m_gapSeconds > 0.0 ? kAlpha * gap + (1.0 - kAlpha) * m_gapSeconds : std::max(gap, 1e-6);
    }
    m_lastArrival = when;
}

void AdaptiveDelay::onBatchDone(Duration serviceTime) {
    const double s = std::max(0.0, seconds(serviceTime));
    m_serviceSeconds = m_haveService ? kAlpha * s + (1.0 - kAlpha) * m_serviceSeconds : s;
    m_haveService = true;
}

double AdaptiveDelay::arrivalRate(TimePoint now) const {
    if (!m_lastArrival || m_gapSeconds <= 0.0)
        return 0.0;
    const double gap = std::max(m_gapSeconds, seconds(now - *m_lastArrival));
    return gap > 0.0 ? 1.0 / gap : 0.0;
}

std::optional<AdaptiveDelay::Duration> AdaptiveDelay::serviceTime() const {
    if (!m_haveService)
        return std::nullopt;
    return fromSeconds(m_serviceSeconds);
}

AdaptiveDelay::Duration AdaptiveDelay::wait(std::size_t queued, std::size_t maxBatch, TimePoint now) const {
    if (queued >= maxBatch)
        return Duration::zero(); // nothing left to wait for
    const double rate = arrivalRate(now);
    if (rate * seconds(m_max) < 1.0)
        return m_min; // light load: nobody is coming to share the batch
    Duration cap = m_max;
    if (m_haveService)
        cap = std::clamp(fromSeconds(m_serviceSeconds), m_min, m_max);
    const Duration fill = fromSeconds(double(maxBatch - queued) / rate);
    return std::clamp(fill, m_min, cap);
}

} // namespace avatar
