#include "ProfileClock.h"

namespace avatar {

namespace {

std::int64_t steadyNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// One (tick, ns) pair, with the tick taken between two clock readings so that it sits in the middle of them.
struct Pair {
    ProfileTick tick;
    std::int64_t ns;
};

Pair samplePair() {
    const std::int64_t before = steadyNs();
    const ProfileTick tick = profileTicks();
    const std::int64_t after = steadyNs();
    return {tick, before + (after - before) / 2};
}

constexpr std::int64_t kInitialSpanNs = 1'000'000;

} // namespace

TickCalibration::TickCalibration() {
    const Pair origin = samplePair();
    m_originTick = origin.tick;
    m_originNs = origin.ns;
#ifdef AVATAR_PROFILE_TSC
    Pair now = samplePair();
    while (now.ns - m_originNs < kInitialSpanNs)
        now = samplePair();
    m_nsPerTick = static_cast<double>(now.ns - m_originNs) / static_cast<double>(now.tick - m_originTick);
#endif
}

void TickCalibration::refine() {
#ifdef AVATAR_PROFILE_TSC
    const Pair now = samplePair();
    if (now.ns - m_originNs > kInitialSpanNs && now.tick > m_originTick)
        m_nsPerTick = static_cast<double>(now.ns - m_originNs) / static_cast<double>(now.tick - m_originTick);
#endif
}

std::int64_t TickCalibration::toNs(ProfileTick tick) const {
    // The unsigned difference wraps to a negative signed value for ticks before the origin.
    const auto delta = static_cast<std::int64_t>(tick - m_originTick);
    return static_cast<std::int64_t>(static_cast<double>(delta) * m_nsPerTick);
}

} // namespace avatar
