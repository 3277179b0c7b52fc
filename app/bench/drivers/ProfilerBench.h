#pragma once

#include <cstddef>

namespace avatar {

// What one empty zone costs, for avatar-bench's profiler_zone_ns (goal: <= 20 ns).
struct ZoneCost {
    double enabledNs = 0.0;  // enter + exit of an empty recorded zone
    double disabledNs = 0.0; // the same with the profiler switched off at run time (one relaxed load)
    // Two clock readings (profileTicks()) and nothing else: the floor under any zone, which must read the
    // clock when it opens and when it closes. On AMD Zen an rdtsc takes about 10 ns, so this floor alone is
    // about 19 ns; enabledNs - clockPairNs is what the profiler itself adds.
    double clockPairNs = 0.0;
};

// Times `iterations` empty zones in a tight loop on the calling thread, `repeats` times with a fresh profiler
// each, and keeps the fastest run of each kind (the least disturbed by the scheduler). The first run also
// pays for faulting in the buffer's pages; later runs show the steady state.
ZoneCost measureZoneCost(std::size_t iterations = 1'000'000, int repeats = 5);

// measureZoneCost().enabledNs.
double zoneCostNs(std::size_t iterations = 1'000'000, int repeats = 5);

} // namespace avatar
