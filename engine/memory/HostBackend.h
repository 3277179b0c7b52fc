#pragma once

#include "MemoryBackend.h"

namespace avatar {

// Segments from anonymous private mmap: page-aligned, zero-filled, committed by the kernel on first touch and
// kept committed while the pool caches them (which is why reuse costs no page faults).
class HostBackend final : public MemoryBackend {
public:
    // capacityBytes = 0: the machine's physical memory.
    explicit HostBackend(std::size_t capacityBytes = 0);

    void* allocate(std::size_t bytes) noexcept override;
    void deallocate(void* ptr, std::size_t bytes) noexcept override;
    std::size_t capacityBytes() const override { return m_capacity; }
    std::size_t alignment() const override { return m_pageSize; }
    BackendKind kind() const override { return BackendKind::Host; }

private:
    std::size_t m_capacity;
    std::size_t m_pageSize;
};

} // namespace avatar
