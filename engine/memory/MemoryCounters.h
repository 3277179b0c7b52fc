#pragma once

#include "MemoryStats.h"

#include <atomic>
#include <cstdint>

// Internal to the memory manager: lock-free counters that pools of different workloads update at once.
namespace avatar::detail {

class AtomicStat {
public:
    void increase(std::int64_t amount) {
        const std::int64_t now = m_current.fetch_add(amount, std::memory_order_relaxed) + amount;
        m_allocated.fetch_add(amount, std::memory_order_relaxed);
        std::int64_t peak = m_peak.load(std::memory_order_relaxed);
        while (now > peak && !m_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
        }
    }
    void decrease(std::int64_t amount) {
        m_current.fetch_sub(amount, std::memory_order_relaxed);
        m_freed.fetch_add(amount, std::memory_order_relaxed);
    }
    void resetPeak() { m_peak.store(m_current.load(std::memory_order_relaxed), std::memory_order_relaxed); }
    StatValue load() const {
        return {m_current.load(std::memory_order_relaxed), m_peak.load(std::memory_order_relaxed),
                m_allocated.load(std::memory_order_relaxed), m_freed.load(std::memory_order_relaxed)};
    }

private:
    std::atomic<std::int64_t> m_current{0};
    std::atomic<std::int64_t> m_peak{0};
    std::atomic<std::int64_t> m_allocated{0};
    std::atomic<std::int64_t> m_freed{0};
};

struct Counters {
    AtomicStat allocatedBytes;
    AtomicStat reservedBytes;
    AtomicStat requestedBytes;
    AtomicStat segments;
    std::atomic<std::uint64_t> numAllocs{0};
    std::atomic<std::uint64_t> numFrees{0};
    std::atomic<std::uint64_t> cacheHits{0};
    std::atomic<std::uint64_t> numAllocRetries{0};
    std::atomic<std::uint64_t> numOoms{0};

    void resetPeaks() {
        allocatedBytes.resetPeak();
        reservedBytes.resetPeak();
        requestedBytes.resetPeak();
        segments.resetPeak();
    }
    PoolStats load() const {
        PoolStats s;
        s.allocatedBytes = allocatedBytes.load();
        s.activeBytes = s.allocatedBytes;
        s.reservedBytes = reservedBytes.load();
        s.requestedBytes = requestedBytes.load();
        s.segments = segments.load();
        s.numAllocs = numAllocs.load(std::memory_order_relaxed);
        s.numFrees = numFrees.load(std::memory_order_relaxed);
        s.cacheHits = cacheHits.load(std::memory_order_relaxed);
        s.numAllocRetries = numAllocRetries.load(std::memory_order_relaxed);
        s.numOoms = numOoms.load(std::memory_order_relaxed);
        return s;
    }
};

// The cap on reserved bytes, shared by every pool of one manager. Reservation is a compare-and-swap so that
// two pools growing at once cannot both slip under the cap.
class ReserveBudget {
public:
    bool tryReserve(std::size_t bytes) {
        std::size_t current = m_reserved.load(std::memory_order_relaxed);
        do {
            const std::size_t cap = m_cap.load(std::memory_order_relaxed);
            if (bytes > cap || current > cap - bytes)
                return false;
        } while (!m_reserved.compare_exchange_weak(current, current + bytes, std::memory_order_relaxed));
        return true;
    }
    void release(std::size_t bytes) { m_reserved.fetch_sub(bytes, std::memory_order_relaxed); }
    void setCap(std::size_t cap) { m_cap.store(cap, std::memory_order_relaxed); }
    std::size_t cap() const { return m_cap.load(std::memory_order_relaxed); }
    std::size_t reserved() const { return m_reserved.load(std::memory_order_relaxed); }

private:
    std::atomic<std::size_t> m_reserved{0};
    std::atomic<std::size_t> m_cap{0};
};

} // namespace avatar::detail
