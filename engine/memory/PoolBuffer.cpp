#include "PoolBuffer.h"

#include "BlockPool.h"

#include <utility>

namespace avatar {

PoolBuffer::PoolBuffer(PoolBuffer&& other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr)), m_block(std::exchange(other.m_block, nullptr)),
      m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)),
      m_workload(other.m_workload) {}

PoolBuffer& PoolBuffer::operator=(PoolBuffer&& other) noexcept {
    if (this != &other) {
        reset();
        m_pool = std::exchange(other.m_pool, nullptr);
        m_block = std::exchange(other.m_block, nullptr);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
        m_workload = other.m_workload;
    }
    return *this;
}

std::size_t PoolBuffer::capacity() const {
    return m_block ? m_block->size : 0;
}

void PoolBuffer::reset() noexcept {
    if (m_pool)
        m_pool->free(m_block);
    m_pool = nullptr;
    m_block = nullptr;
    m_data = nullptr;
    m_size = 0;
}

} // namespace avatar
