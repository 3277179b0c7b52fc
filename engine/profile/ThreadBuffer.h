#pragma once

#include "ProfileClock.h"

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace avatar {

enum class EventKind : std::uint8_t { Zone, Counter };

// One recorded event, 32 bytes. A zone is written once, when it closes (start and end together), so that a
// reader never sees half of one. A counter keeps its value's bits in `end`.
struct RawEvent {
    ProfileTick start = 0;
    std::uint64_t end = 0;
    const char* name = nullptr; // a string literal or a Profiler::intern() copy: outlives the profiler's data
    std::uint32_t job = 0;
    std::uint16_t depth = 0;
    EventKind kind = EventKind::Zone;
    std::uint8_t reserved = 0;
};
static_assert(sizeof(RawEvent) == 32);

// The events of one thread. Single writer (the thread itself), any number of readers (snapshots): events live
// in fixed-size chunks that never move, and a release store of the event count publishes each one, so neither
// side takes a lock. Chunks are freed only with the buffer, which the Profiler owns; a full buffer drops
// events and counts them rather than growing without bound.
class ThreadBuffer {
public:
    // 2 MiB: one transparent huge page where the kernel gives one (see grow()).
    static constexpr std::size_t kChunkEvents = 65536;

    ThreadBuffer(std::thread::id thread, std::uint64_t osThreadId, std::string name, std::size_t maxEvents);
    ThreadBuffer(const ThreadBuffer&) = delete;
    ThreadBuffer& operator=(const ThreadBuffer&) = delete;

    // Owner thread only.
    void push(const RawEvent& event) {
        if (m_used == kChunkEvents) [[unlikely]] {
            if (!grow()) {
                m_dropped.store(m_dropped.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                return;
            }
        }
        std::construct_at(m_tail + m_used++, event);
        m_published.store(++m_count, std::memory_order_release);
    }

    // Any thread: calls fn(const RawEvent&) for every event published so far.
    template <class F> void forEach(F&& fn) const {
        const std::size_t count = m_published.load(std::memory_order_acquire);
        for (std::size_t i = 0; i < count; ++i) {
            const Chunk* chunk = m_slots[i / kChunkEvents].load(std::memory_order_acquire);
            fn(chunk->events()[i % kChunkEvents]);
        }
    }

    std::size_t size() const { return m_published.load(std::memory_order_acquire); }
    std::uint64_t dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    std::thread::id thread() const { return m_thread; }
    std::uint64_t osThreadId() const { return m_osThreadId; }

    // Owner thread only: the nesting depth of open zones and the job that new events belong to.
    std::uint16_t depth = 0;
    std::uint32_t job = 0;

    // Guarded by the owning Profiler's mutex.
    std::string name;

private:
    // Raw storage: events are constructed as they are pushed, so a new chunk is never written twice (zeroing
    // 2 MiB first would cost as much as filling it).
    struct Chunk {
        RawEvent* events() { return reinterpret_cast<RawEvent*>(bytes); }
        const RawEvent* events() const { return reinterpret_cast<const RawEvent*>(bytes); }
        alignas(RawEvent) std::byte bytes[sizeof(RawEvent) * kChunkEvents];
    };
    struct ChunkFree {
        void operator()(Chunk* c) const noexcept;
    };

    bool grow();

    std::thread::id m_thread;
    std::uint64_t m_osThreadId = 0;
    std::size_t m_maxChunks = 0;
    std::unique_ptr<std::atomic<const Chunk*>[]> m_slots;    // what readers follow; sized once
    std::vector<std::unique_ptr<Chunk, ChunkFree>> m_chunks; // ownership; touched by the writer only
    RawEvent* m_tail = nullptr;                              // the newest chunk
    std::size_t m_used = kChunkEvents;                       // slots used in it; full forces the first grow()
    std::size_t m_count = 0; // this thread's copy of m_published: no atomic load on the hot path
    std::atomic<std::size_t> m_published{0};
    std::atomic<std::uint64_t> m_dropped{0};
};

} // namespace avatar
