#include "BlinkTrack.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>

namespace avatar {

BlinkTrack::BlinkTrack(double seconds, std::uint64_t seed, const Timing& timing)
    : m_close(timing.closeShare), m_shut(timing.shutShare) {
    // std::mt19937_64 and a hand-rolled uniform mapping: std::uniform_real_distribution is not specified
    // bit-exactly across standard libraries, and blinks should not move when the toolchain changes.
    std::mt19937_64 rng(seed);
    auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * (double(rng() >> 11) * 0x1.0p-53); };
    // The first blink within about a mean interval: the pipeline blinks each sentence on its own, and
    // sentences are often shorter than the longest interval, so a later start would thin out the rate.
    double t = timing.firstAfter + uniform(0.0, 0.5 * (timing.minInterval + timing.maxInterval));
    while (t < seconds) {
        const double duration = uniform(timing.minDuration, timing.maxDuration);
        if (t + duration > seconds)
            break;
        m_blinks.push_back({t, duration});
        t += uniform(timing.minInterval, timing.maxInterval);
    }
}

double BlinkTrack::closureAt(double t) const {
    // The last blink that started at or before t is the only one that can be under way (they never overlap).
    const auto next = std::upper_bound(m_blinks.begin(), m_blinks.end(), t,
                                       [](double time, const Blink& b) { return time < b.start; });
    if (next != m_blinks.begin()) {
        const Blink& b = *std::prev(next);
        const double x = (t - b.start) / b.duration;
        if (x >= 1.0)
            return 0.0;
        // Ease in to closed, hold, ease out when opening: smoothstep on each side.
        const double reopen = m_close + m_shut;
        if (x >= m_close && x <= reopen)
            return 1.0;
        const double y = x < m_close ? x / m_close : 1.0 - (x - reopen) / (1.0 - reopen);
        return y * y * (3.0 - 2.0 * y);
    }
    return 0.0;
}

void BlinkTrack::apply(std::vector<MouthParams>& poses, double fps) const {
    for (std::size_t f = 0; f < poses.size(); ++f)
        poses[f].blink = closureAt((static_cast<double>(f) + 0.5) / fps);
    // Frames sample the blink at their centres and can straddle the short shut phase; the frame nearest its
    // middle is drawn shut, so that a blink always reads as lids closing, not as a squint.
    for (const Blink& b : m_blinks) {
        const double middle = b.start + (m_close + 0.5 * m_shut) * b.duration;
        const auto f = static_cast<long long>(std::floor(middle * fps));
        if (f >= 0 && f < static_cast<long long>(poses.size()))
            poses[static_cast<std::size_t>(f)].blink = 1.0;
    }
}

} // namespace avatar
