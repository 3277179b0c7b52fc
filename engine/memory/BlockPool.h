#pragma once

#include "MemoryCounters.h"

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory_resource>
#include <mutex>
#include <set>
#include <vector>

namespace avatar {
class MemoryBackend;
}

// Internal to the memory manager: one caching pool (the small or the large one of a workload).
namespace avatar::detail {

// A piece of a segment. Neighbours in the same segment are linked so that a freed block can merge with them.
struct Block {
    std::byte* ptr = nullptr;
    std::size_t size = 0;      // rounded, and what the statistics count
    std::size_t requested = 0; // what the caller asked for
    Block* prev = nullptr;
    Block* next = nullptr;
    bool allocated = false;
    bool preallocated = false; // part of a segment reserved up front, which defragment() keeps by default
};

// Best fit: the smallest free block that is large enough, the lowest address among equals (which keeps reuse
// on the same, already touched, pages).
struct BlockBySize {
    bool operator()(const Block* a, const Block* b) const {
        if (a->size != b->size)
            return a->size < b->size;
        return std::less<const std::byte*>{}(a->ptr, b->ptr);
    }
};

// Why a pool could not grow.
enum class GrowFailure { None, Cap, Backend };

struct FreeSummary {
    std::size_t freeBytes = 0;
    std::size_t freeBlocks = 0;
    std::size_t largestFreeBlock = 0;
};

class BlockPool {
public:
    BlockPool(bool small, MemoryBackend& backend, ReserveBudget& budget, Counters& workload, Counters& total);
    ~BlockPool();
    BlockPool(const BlockPool&) = delete;
    BlockPool& operator=(const BlockPool&) = delete;

    // A block of at least `rounded` bytes, carved from a cached block or from a new segment; nullptr (and the
    // reason in `failure`) when a new segment was needed and the cap or the backend refused it.
    Block* allocate(std::size_t requested, std::size_t rounded, GrowFailure& failure);
    // Marks the block free and merges it with free neighbours.
    void free(Block* block) noexcept;
    // Reserves a segment up front (pre-allocation); false when the cap or the backend refuses.
    bool reserve(std::size_t bytes, bool preallocated);
    // Returns segments that are wholly free to the backend; the bytes returned.
    std::size_t releaseIdle(bool includePreallocated);
    FreeSummary freeSummary() const;

private:
    Block* newNode();
    void recycle(Block* block);
    Block* addSegmentLocked(std::size_t bytes, bool preallocated);
    Block* growLocked(std::size_t rounded, GrowFailure& failure);
    void releaseSegmentLocked(Block* block);

    bool m_small;
    MemoryBackend& m_backend;
    ReserveBudget& m_budget;
    Counters& m_workload;
    Counters& m_total;

    mutable std::mutex m_mutex;
    // The free set's nodes come from a pool resource: the hot path then never calls malloc.
    std::pmr::unsynchronized_pool_resource m_setMemory;
    std::pmr::set<Block*, BlockBySize> m_free{&m_setMemory};
    std::deque<Block> m_nodes; // stable addresses; recycled through m_spare
    std::vector<Block*> m_spare;
    std::map<std::byte*, std::size_t> m_segments; // base -> size, so that the destructor returns them all
};

} // namespace avatar::detail
