#pragma once

#include "Workload.h"

#include <cstddef>
#include <span>

namespace avatar {

namespace detail {
class BlockPool;
struct Block;
} // namespace detail

// A block from a MemoryManager pool, returned to its pool when the handle is destroyed or reset. Move-only.
// For host backends data() is ordinary memory; for the CUDA device backend it is a device pointer that the
// CPU must not dereference. The manager must outlive its buffers.
class PoolBuffer {
public:
    PoolBuffer() = default;
    ~PoolBuffer() { reset(); }
    PoolBuffer(PoolBuffer&& other) noexcept;
    PoolBuffer& operator=(PoolBuffer&& other) noexcept;
    PoolBuffer(const PoolBuffer&) = delete;
    PoolBuffer& operator=(const PoolBuffer&) = delete;

    void* data() const { return m_data; }
    std::byte* bytes() const { return static_cast<std::byte*>(m_data); }
    template <class T> T* as() const { return static_cast<T*>(m_data); }
    std::span<std::byte> span() const { return {bytes(), m_size}; }
    // What was asked for; capacity() is the block's rounded size (at least this).
    std::size_t size() const { return m_size; }
    std::size_t capacity() const;
    Workload workload() const { return m_workload; }
    bool empty() const { return m_data == nullptr; }
    explicit operator bool() const { return m_data != nullptr; }

    // Returns the block to its pool now; the handle becomes empty.
    void reset() noexcept;

private:
    friend class MemoryManager;
    PoolBuffer(detail::BlockPool* pool, detail::Block* block, void* data, std::size_t size, Workload workload)
        : m_pool(pool), m_block(block), m_data(data), m_size(size), m_workload(workload) {}

    detail::BlockPool* m_pool = nullptr;
    detail::Block* m_block = nullptr;
    void* m_data = nullptr;
    std::size_t m_size = 0;
    Workload m_workload = Workload::Video;
};

} // namespace avatar
