#include "HostBackend.h"

#include <sys/mman.h>
#include <unistd.h>

namespace avatar {

std::size_t physicalMemoryBytes() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0)
        return std::size_t{4} << 30; // unknown: assume a small machine rather than a large one
    return static_cast<std::size_t>(pages) * static_cast<std::size_t>(pageSize);
}

HostBackend::HostBackend(std::size_t capacityBytes)
    : m_capacity(capacityBytes ? capacityBytes : physicalMemoryBytes()) {
    const long pageSize = sysconf(_SC_PAGESIZE);
    m_pageSize = pageSize > 0 ? static_cast<std::size_t>(pageSize) : 4096;
}

void* HostBackend::allocate(std::size_t bytes) noexcept {
    void* ptr = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return ptr == MAP_FAILED ? nullptr : ptr;
}

void HostBackend::deallocate(void* ptr, std::size_t bytes) noexcept {
    if (ptr)
        munmap(ptr, bytes);
}

} // namespace avatar
