#include "ProfilerBench.h"

#include "profile/ProfileMacros.h"

#include <algorithm>
#include <chrono>
#include <limits>

namespace avatar {

namespace {

double timeLoop(Profiler& profiler, std::size_t iterations) {
    // A literal name, as the pipeline writes it; the zone must not be optimised away, and it cannot be: its
    // destructor writes to the buffer.
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < iterations; ++i) {
        AVATAR_ZONE(profiler, "bench.zone");
    }
    const auto end = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::nano>(end - start).count() / static_cast<double>(iterations);
}

double timeClockPairs(std::size_t iterations) {
    ProfileTick sink = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < iterations; ++i) {
        const ProfileTick a = profileTicks();
        const ProfileTick b = profileTicks();
        sink += b - a;
        asm volatile("" : "+r"(sink)); // keeps both readings in the loop, as a zone's are
    }
    const auto end = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::nano>(end - start).count() / static_cast<double>(iterations);
}

} // namespace

ZoneCost measureZoneCost(std::size_t iterations, int repeats) {
    iterations = std::max<std::size_t>(iterations, 1);
    ZoneCost cost{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
                  std::numeric_limits<double>::max()};
    for (int r = 0; r < std::max(repeats, 1); ++r) {
        ProfilerOptions options;
        options.level = ProfilingLevel::Detailed;
        options.maxEventsPerThread = iterations;
        Profiler profiler(options);
        profiler.threadBuffer(); // register outside the timed loop, as a long-running thread would be
        cost.enabledNs = std::min(cost.enabledNs, timeLoop(profiler, iterations));
        profiler.setEnabled(false);
        cost.disabledNs = std::min(cost.disabledNs, timeLoop(profiler, iterations));
        cost.clockPairNs = std::min(cost.clockPairNs, timeClockPairs(iterations));
    }
    return cost;
}

double zoneCostNs(std::size_t iterations, int repeats) {
    return measureZoneCost(iterations, repeats).enabledNs;
}

} // namespace avatar
