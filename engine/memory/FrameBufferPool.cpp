#include "FrameBufferPool.h"

#include <utility>

namespace avatar {

FrameBufferPool::Lease::Lease(Lease&& other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr)), m_index(other.m_index),
      m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)) {}

FrameBufferPool::Lease& FrameBufferPool::Lease::operator=(Lease&& other) noexcept {
    if (this != &other) {
        reset();
        m_pool = std::exchange(other.m_pool, nullptr);
        m_index = other.m_index;
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

void FrameBufferPool::Lease::reset() noexcept {
    if (m_pool)
        m_pool->giveBack(m_index);
    m_pool = nullptr;
    m_data = nullptr;
    m_size = 0;
}

FrameBufferPool::FrameBufferPool(MemoryManager& manager, Workload workload, std::size_t frameBytes,
                                 std::size_t count)
    : m_frameBytes(frameBytes) {
    m_buffers.reserve(count);
    m_free.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        m_buffers.push_back(manager.acquire(workload, frameBytes));
        // Handed out last-in first-out, so the most recently used (cache-warm) buffer goes first.
        m_free.push_back(count - 1 - i);
    }
}

FrameBufferPool::Lease FrameBufferPool::lendLocked() {
    const std::size_t index = m_free.back();
    m_free.pop_back();
    return Lease(this, index, m_buffers[index].bytes(), m_frameBytes);
}

FrameBufferPool::Lease FrameBufferPool::take() {
    std::unique_lock lock(m_mutex);
    m_returned.wait(lock, [this] { return !m_free.empty(); });
    return lendLocked();
}

std::optional<FrameBufferPool::Lease> FrameBufferPool::tryTake() {
    std::lock_guard lock(m_mutex);
    if (m_free.empty())
        return std::nullopt;
    return lendLocked();
}

std::size_t FrameBufferPool::available() const {
    std::lock_guard lock(m_mutex);
    return m_free.size();
}

void FrameBufferPool::giveBack(std::size_t index) noexcept {
    {
        std::lock_guard lock(m_mutex);
        m_free.push_back(index);
    }
    m_returned.notify_one();
}

} // namespace avatar
