#pragma once

#include "MemoryBackend.h"

namespace avatar {

// Device memory (cuMemAlloc) or pinned host staging memory (cuMemHostAlloc) for the same caching pools, on
// device 0's primary context. Compiled only when CMake found the CUDA toolkit (AVATAR_HAVE_CUDA), for cuda.h;
// the driver (libcuda.so.1) is opened at run time, so binaries start on machines without a GPU or driver and
// link nothing of CUDA. Build one through makeBackend(), which checks that a device is present.
class CudaBackend final : public MemoryBackend {
public:
    // kind: CudaDevice or CudaPinnedHost. Device segments come from the current device.
    explicit CudaBackend(BackendKind kind);

    // The driver loads and reports a device; false on any error (no driver, no device).
    static bool deviceAvailable();

    void* allocate(std::size_t bytes) noexcept override;
    void deallocate(void* ptr, std::size_t bytes) noexcept override;
    std::size_t capacityBytes() const override { return m_capacity; }
    std::size_t alignment() const override;
    BackendKind kind() const override { return m_kind; }

private:
    BackendKind m_kind;
    std::size_t m_capacity;
};

} // namespace avatar
