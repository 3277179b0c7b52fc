#pragma once

#include <cstddef>
#include <memory>

namespace avatar {

enum class BackendKind {
    Host,           // page-aligned anonymous memory (mmap)
    CudaDevice,     // cudaMalloc: device memory, not addressable from the CPU
    CudaPinnedHost, // cudaHostAlloc: page-locked host memory for fast uploads and downloads
};

// Where segments come from. The pools never touch the memory they hand out, so the same caching logic serves
// host and device memory. Implementations must be thread-safe: pools of different workloads call them
// concurrently.
class MemoryBackend {
public:
    virtual ~MemoryBackend() = default;
    // A new segment of `bytes` (a multiple of 512), aligned to alignment(); nullptr when the system refuses.
    virtual void* allocate(std::size_t bytes) noexcept = 0;
    virtual void deallocate(void* ptr, std::size_t bytes) noexcept = 0;
    // What the memory cap is a fraction of: the machine's physical memory or the device's.
    virtual std::size_t capacityBytes() const = 0;
    virtual std::size_t alignment() const = 0;
    virtual BackendKind kind() const = 0;
};

const char* backendKindName(BackendKind kind);

// Physical memory of this machine (sysconf), the base of the host pools' cap and of the default
// pre-allocation.
std::size_t physicalMemoryBytes();

// Whether this build has the CUDA backend (CMake found the toolkit). A function rather than the macro, so
// that only engine/memory compiles differently with and without the toolkit: every other object is the same
// in both builds and a machine without CUDA (the fresh-root check) hits the CUDA machine's ccache.
bool builtWithCuda();
// Host: always. The CUDA kinds: only in a build with the CUDA toolkit (builtWithCuda()) and only when
// the CUDA driver reports a device at run time.
bool backendAvailable(BackendKind kind);
// nullptr when !backendAvailable(kind).
std::unique_ptr<MemoryBackend> makeBackend(BackendKind kind);
// For tensors and other GPU work: the device when there is one, the host otherwise.
BackendKind preferredComputeBackend();

} // namespace avatar
