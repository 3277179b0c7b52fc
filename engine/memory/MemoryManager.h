#pragma once

#include "MemoryBackend.h"
#include "MemoryCounters.h"
#include "MemoryStats.h"
#include "PoolBuffer.h"
#include "Workload.h"
#include "core/Tier.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>

namespace avatar {

namespace detail {
class BlockPool;
}

// What defragment() may give back.
enum class DefragmentScope {
    KeepPreallocated, // idle segments except those reserved up front (the usual housekeeping)
    Everything,       // every idle segment: what the manager does itself before failing a request
};

// Caching buffer pools per workload, in the manner of PyTorch's CUDACachingAllocator: requests are rounded to
// 512 B, served best-fit from cached blocks of the workload's small (<= 1 MiB) or large pool, carved from
// segments that come from one backend (host mmap, CUDA device or pinned memory) and merged again when freed.
// Reserved memory never exceeds the tier's memory fraction of the backend's capacity; a request that would
// cross it releases idle segments once, tries again, and then throws Error(ErrorCode::OutOfMemory).
//
// Thread-safe: each workload's small and large pool has its own mutex, and statistics are atomics, so threads
// working on different workloads or size classes do not wait for one another.
class MemoryManager {
public:
    struct Options {
        // Reserved up front in each workload's large pool (rounded up to 2 MiB); 0 = none. Reserving does not
        // touch the memory: a host segment costs physical pages only once buffers are written.
        std::array<std::size_t, kWorkloadCount> preallocation{};
        // What the tier's fraction applies to; 0 = the backend's capacity (physical or device memory).
        std::size_t capacityBytes = 0;
        Tier tier = Tier::Standard;

        // The design's pre-allocation (video 1 GiB, image 512 MiB, tts 256 MiB, face 128 MiB) scaled to this
        // machine: in full from 32 GiB of physical memory up, in proportion below (a 8 GiB CI runner gets a
        // quarter: 480 MiB in all). The manager further shrinks it to fit the tier's cap.
        static Options scaledDefaults();
        static Options scaledDefaults(std::size_t physicalBytes);
    };

    static constexpr std::size_t kFullPreallocationMemory = std::size_t{32} << 30;

    // The scaled defaults on a host backend.
    MemoryManager();
    // backend = nullptr: a HostBackend.
    explicit MemoryManager(const Options& options, std::unique_ptr<MemoryBackend> backend = nullptr);
    // Returns every segment to the backend. All PoolBuffers must have been destroyed before.
    ~MemoryManager();
    MemoryManager(const MemoryManager&) = delete;
    MemoryManager& operator=(const MemoryManager&) = delete;

    // A buffer of at least `bytes` bytes, aligned to 512 B (segments are page-aligned on the host). Served
    // from the cache when it can be: acquiring and dropping a frame-sized buffer per frame costs no malloc
    // and, once the pages have been touched, no page faults. Throws Error(OutOfMemory) past the cap.
    PoolBuffer acquire(Workload workload, std::size_t bytes);

    // Applies the tier's memory fraction at once; when reserved memory is over the new cap, idle segments
    // (pre-allocated ones included) are released. Buffers in use stay valid.
    void setTier(Tier tier);
    Tier tier() const { return m_tier.load(std::memory_order_relaxed); }
    std::size_t capBytes() const { return m_budget.cap(); }
    std::size_t capacityBytes() const { return m_capacity; }
    // What was reserved up front for the workload after scaling to the cap.
    std::size_t preallocated(Workload workload) const { return m_preallocated[workloadIndex(workload)]; }
    const MemoryBackend& backend() const { return *m_backend; }

    // Returns idle (wholly free) segments to the backend; the bytes released.
    std::size_t defragment(DefragmentScope scope = DefragmentScope::KeepPreallocated);

    MemoryStats stats() const;
    void resetPeakStats();

private:
    detail::BlockPool& pool(Workload workload, bool small) const;
    std::size_t releaseIdle(bool includePreallocated);
    void preallocate(const Options& options);

    std::unique_ptr<MemoryBackend> m_backend;
    std::size_t m_capacity = 0;
    std::atomic<Tier> m_tier{Tier::Standard};
    detail::ReserveBudget m_budget;
    detail::Counters m_total;
    std::array<detail::Counters, kWorkloadCount> m_workloads;
    // [workload][0 = small, 1 = large]
    std::array<std::array<std::unique_ptr<detail::BlockPool>, 2>, kWorkloadCount> m_pools;
    std::array<std::size_t, kWorkloadCount> m_preallocated{};
};

} // namespace avatar
