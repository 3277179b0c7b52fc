#pragma once

#include "MemoryBackend.h"
#include "Workload.h"
#include "core/Tier.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace avatar {

// One statistic in the shape of PyTorch's memory_stats(): the value now, its high-water mark since the last
// resetPeakStats(), and the running totals added and removed.
struct StatValue {
    std::int64_t current = 0;
    std::int64_t peak = 0;
    std::int64_t allocated = 0;
    std::int64_t freed = 0;
};

struct PoolStats {
    StatValue allocatedBytes; // blocks handed out, at their rounded (block) size
    StatValue reservedBytes;  // segments held from the backend, used or cached
    // Blocks in use. PyTorch counts blocks whose free waits on a CUDA stream here too; this manager frees at
    // once, so it equals allocatedBytes (kept for the familiar key set).
    StatValue activeBytes;
    StatValue requestedBytes; // what callers asked for, before rounding
    StatValue segments;       // segments held (current/peak) and obtained/returned (allocated/freed)
    std::uint64_t numAllocs = 0;
    std::uint64_t numFrees = 0;
    std::uint64_t cacheHits = 0;       // allocations served from a cached block, without a new segment
    std::uint64_t numAllocRetries = 0; // allocations that released cached segments and tried again
    std::uint64_t numOoms = 0;         // allocations that failed with ErrorCode::OutOfMemory
    // The free blocks inside reserved segments, read when the snapshot is taken.
    std::size_t freeBytes = 0;
    std::size_t freeBlocks = 0;
    std::size_t largestFreeBlock = 0;
    // 1 - largestFreeBlock / freeBytes: 0 when all cached memory is one block (or there is none), towards 1
    // when it is scattered in pieces that cannot serve one request of the same total. Blocks never span
    // segments, so two idle segments already read 0.5: defragment() is what brings it down.
    double fragmentation = 0.0;
};

struct MemoryStats {
    PoolStats total;
    std::array<PoolStats, kWorkloadCount> workloads;
    std::size_t capBytes = 0;      // reserved bytes may not exceed this: tier fraction x capacity
    std::size_t capacityBytes = 0; // the machine's or the device's memory (or the configured stand-in)
    Tier tier = Tier::Standard;
    BackendKind backend = BackendKind::Host;

    const PoolStats& of(Workload workload) const { return workloads[workloadIndex(workload)]; }
};

// Flat "key: value" pairs with PyTorch's names ("allocated_bytes.all.peak", "reserved_bytes.video.current",
// "num_alloc_retries", "num_ooms", ...) for JSON summaries, metrics samples and logs.
std::vector<std::pair<std::string, double>> flattenMemoryStats(const MemoryStats& stats);

} // namespace avatar
