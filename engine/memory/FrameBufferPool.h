#pragma once

#include "MemoryManager.h"

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

namespace avatar {

// A fixed ring of equal frame buffers taken from a MemoryManager once, then lent out frame after frame: no
// allocation per frame at all, and take() blocks when every buffer is in flight, which bounds the frames a
// pipeline holds. The pool must outlive its leases.
class FrameBufferPool {
public:
    class Lease {
    public:
        Lease() = default;
        ~Lease() { reset(); }
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&& other) noexcept;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

        std::byte* data() const { return m_data; }
        std::size_t size() const { return m_size; }
        std::size_t index() const { return m_index; } // which buffer of the ring
        explicit operator bool() const { return m_pool != nullptr; }
        // Gives the buffer back now.
        void reset() noexcept;

    private:
        friend class FrameBufferPool;
        Lease(FrameBufferPool* pool, std::size_t index, std::byte* data, std::size_t size)
            : m_pool(pool), m_index(index), m_data(data), m_size(size) {}

        FrameBufferPool* m_pool = nullptr;
        std::size_t m_index = 0;
        std::byte* m_data = nullptr;
        std::size_t m_size = 0;
    };

    // Acquires `count` buffers of `frameBytes` now (throws Error(OutOfMemory) like MemoryManager::acquire).
    FrameBufferPool(MemoryManager& manager, Workload workload, std::size_t frameBytes, std::size_t count);

    // Waits until a buffer is free.
    Lease take();
    std::optional<Lease> tryTake();

    std::size_t frameBytes() const { return m_frameBytes; }
    std::size_t count() const { return m_buffers.size(); }
    std::size_t available() const;

private:
    void giveBack(std::size_t index) noexcept;
    Lease lendLocked();

    std::size_t m_frameBytes;
    std::vector<PoolBuffer> m_buffers;
    mutable std::mutex m_mutex;
    std::condition_variable m_returned;
    std::vector<std::size_t> m_free; // indices of buffers not lent out
};

} // namespace avatar
