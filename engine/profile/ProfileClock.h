#pragma once

#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define AVATAR_PROFILE_TSC 1
#endif

namespace avatar {

// A raw timestamp: TSC cycles on x86, steady-clock nanoseconds elsewhere. Only TickCalibration turns it into
// time, and only when a snapshot is taken, so that the hot path is one instruction.
using ProfileTick = std::uint64_t;

// Why rdtsc: steady_clock costs about 20 ns through the vDSO and a zone needs two readings, which would spend
// the whole 20 ns budget on the clock; the TSC costs a few ns and is invariant (constant rate, synchronised
// across cores) on every x86-64 CPU that Linux accepts as a TSC clocksource. CLOCK_MONOTONIC_COARSE would be
// cheap but ticks only every 1-4 ms, longer than most zones.
inline ProfileTick profileTicks() noexcept {
#ifdef AVATAR_PROFILE_TSC
    return __rdtsc();
#else
    return static_cast<ProfileTick>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

// Maps ticks onto nanoseconds since an origin: the rate is measured against steady_clock, first over about a
// millisecond when it is made, then over the whole run each time refine() is called (the longer the span, the
// smaller the error: ±30 ns of clock-reading jitter over 1 ms is 3e-5).
class TickCalibration {
public:
    TickCalibration();

    void refine();
    // Nanoseconds since the origin; negative for ticks taken before it.
    std::int64_t toNs(ProfileTick tick) const;
    double nsPerTick() const { return m_nsPerTick; }
    ProfileTick originTick() const { return m_originTick; }

private:
    ProfileTick m_originTick = 0;
    std::int64_t m_originNs = 0;
    double m_nsPerTick = 1.0;
};

} // namespace avatar
