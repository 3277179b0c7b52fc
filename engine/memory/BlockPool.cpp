#include "BlockPool.h"

#include "MemoryBackend.h"
#include "SizeClass.h"

namespace avatar::detail {

namespace {
std::int64_t signedSize(std::size_t bytes) {
    return static_cast<std::int64_t>(bytes);
}
} // namespace

BlockPool::BlockPool(bool small, MemoryBackend& backend, ReserveBudget& budget, Counters& workload,
                     Counters& total)
    : m_small(small), m_backend(backend), m_budget(budget), m_workload(workload), m_total(total) {}

BlockPool::~BlockPool() {
    // Every segment goes back, including any that a PoolBuffer still points into: buffers must not outlive
    // their manager (MemoryManager.h says so).
    for (const auto& [base, size] : m_segments) {
        m_backend.deallocate(base, size);
        m_budget.release(size);
    }
}

Block* BlockPool::newNode() {
    if (!m_spare.empty()) {
        Block* node = m_spare.back();
        m_spare.pop_back();
        *node = Block{};
        return node;
    }
    return &m_nodes.emplace_back();
}

void BlockPool::recycle(Block* block) {
    m_spare.push_back(block);
}

Block* BlockPool::addSegmentLocked(std::size_t bytes, bool preallocated) {
    if (!m_budget.tryReserve(bytes))
        return nullptr;
    void* memory = m_backend.allocate(bytes);
    if (!memory) {
        m_budget.release(bytes);
        return nullptr;
    }
    Block* block = newNode();
    block->ptr = static_cast<std::byte*>(memory);
    block->size = bytes;
    block->preallocated = preallocated;
    m_segments.emplace(block->ptr, bytes);
    for (Counters* c : {&m_workload, &m_total}) {
        c->reservedBytes.increase(signedSize(bytes));
        c->segments.increase(1);
    }
    return block;
}

Block* BlockPool::growLocked(std::size_t rounded, GrowFailure& failure) {
    const std::size_t preferred = sizeclass::segmentSize(rounded);
    const std::size_t minimal = sizeclass::minimalSegmentSize(rounded);
    const std::size_t sizes[] = {preferred, minimal};
    const std::size_t tries = preferred == minimal ? 1 : 2;
    for (std::size_t i = 0; i < tries; ++i) {
        const std::size_t bytes = sizes[i];
        const bool underCap = bytes <= m_budget.cap() && m_budget.reserved() <= m_budget.cap() - bytes;
        if (Block* block = addSegmentLocked(bytes, false))
            return block;
        // Another pool may have grown in between; the reason only chooses the wording of the error.
        failure = underCap ? GrowFailure::Backend : GrowFailure::Cap;
    }
    return nullptr;
}

Block* BlockPool::allocate(std::size_t requested, std::size_t rounded, GrowFailure& failure) {
    failure = GrowFailure::None;
    std::lock_guard lock(m_mutex);
    Block key;
    key.size = rounded;
    Block* block = nullptr;
    bool cached = false;
    if (auto it = m_free.lower_bound(&key); it != m_free.end()) {
        block = *it;
        m_free.erase(it);
        cached = true;
    } else {
        block = growLocked(rounded, failure);
        if (!block)
            return nullptr;
        failure = GrowFailure::None;
    }

    if (sizeclass::shouldSplit(block->size, rounded, m_small)) {
        Block* rest = newNode();
        rest->ptr = block->ptr + rounded;
        rest->size = block->size - rounded;
        rest->preallocated = block->preallocated;
        rest->prev = block;
        rest->next = block->next;
        if (block->next)
            block->next->prev = rest;
        block->next = rest;
        block->size = rounded;
        m_free.insert(rest);
    }
    block->allocated = true;
    block->requested = requested;

    for (Counters* c : {&m_workload, &m_total}) {
        c->allocatedBytes.increase(signedSize(block->size));
        c->requestedBytes.increase(signedSize(requested));
        c->numAllocs.fetch_add(1, std::memory_order_relaxed);
        if (cached)
            c->cacheHits.fetch_add(1, std::memory_order_relaxed);
    }
    return block;
}

void BlockPool::free(Block* block) noexcept {
    std::lock_guard lock(m_mutex);
    for (Counters* c : {&m_workload, &m_total}) {
        c->allocatedBytes.decrease(signedSize(block->size));
        c->requestedBytes.decrease(signedSize(block->requested));
        c->numFrees.fetch_add(1, std::memory_order_relaxed);
    }
    block->allocated = false;
    block->requested = 0;

    if (Block* prev = block->prev; prev && !prev->allocated) {
        m_free.erase(prev);
        prev->size += block->size;
        prev->next = block->next;
        if (block->next)
            block->next->prev = prev;
        recycle(block);
        block = prev;
    }
    if (Block* next = block->next; next && !next->allocated) {
        m_free.erase(next);
        block->size += next->size;
        block->next = next->next;
        if (next->next)
            next->next->prev = block;
        recycle(next);
    }
    m_free.insert(block);
}

bool BlockPool::reserve(std::size_t bytes, bool preallocated) {
    std::lock_guard lock(m_mutex);
    Block* block = addSegmentLocked(bytes, preallocated);
    if (!block)
        return false;
    m_free.insert(block);
    return true;
}

void BlockPool::releaseSegmentLocked(Block* block) {
    m_backend.deallocate(block->ptr, block->size);
    m_budget.release(block->size);
    m_segments.erase(block->ptr);
    for (Counters* c : {&m_workload, &m_total}) {
        c->reservedBytes.decrease(signedSize(block->size));
        c->segments.decrease(1);
    }
    recycle(block);
}

std::size_t BlockPool::releaseIdle(bool includePreallocated) {
    std::lock_guard lock(m_mutex);
    std::size_t released = 0;
    for (auto it = m_free.begin(); it != m_free.end();) {
        Block* block = *it;
        // A free block without neighbours is a whole segment that nobody uses.
        if (!block->prev && !block->next && (includePreallocated || !block->preallocated)) {
            it = m_free.erase(it);
            released += block->size;
            releaseSegmentLocked(block);
        } else {
            ++it;
        }
    }
    return released;
}

FreeSummary BlockPool::freeSummary() const {
    std::lock_guard lock(m_mutex);
    FreeSummary summary;
    for (const Block* block : m_free)
        summary.freeBytes += block->size;
    summary.freeBlocks = m_free.size();
    if (!m_free.empty())
        summary.largestFreeBlock = (*m_free.rbegin())->size;
    return summary;
}

} // namespace avatar::detail
