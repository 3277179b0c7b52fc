#pragma once

#include <cstddef>
#include <vector>

namespace avatar {

// Frame-sized allocate + touch + free through a MemoryManager pool against malloc/free, with the same sizes,
// order and touches on both sides. The pattern is a render loop's: a ring of `inFlight` buffers; each frame
// drops the oldest buffer and takes a new one, alternating 720p and 1080p RGB sizes, then writes one byte per
// page of it (what filling a frame costs in page faults, without timing the fill itself, which both sides
// would pay alike). Each side runs one untimed warm-up pass, then `repetitions` timed passes, alternating
// sides; the median pass counts.
struct PoolBenchOptions {
    std::size_t frames = 2000;
    std::size_t inFlight = 4;
    std::vector<std::size_t> frameSizes{std::size_t{1280} * 720 * 3, std::size_t{1920} * 1080 * 3};
    std::size_t touchStride = 4096;
    int repetitions = 5;
};

struct PoolBenchResult {
    double poolNsPerFrame = 0;
    double mallocNsPerFrame = 0;
    double speedup = 0; // mallocNsPerFrame / poolNsPerFrame
    std::size_t frames = 0;
};

PoolBenchResult benchmarkPoolVsMalloc(const PoolBenchOptions& options = {});
// The pool_vs_malloc_speedup (target: at least 5).
inline double poolVsMallocSpeedup(const PoolBenchOptions& options = {}) {
    return benchmarkPoolVsMalloc(options).speedup;
}

} // namespace avatar
