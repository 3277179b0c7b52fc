#include "CudaBackend.h"

#include "core/Error.h"

#include <cuda_runtime_api.h>
#include <string>

namespace avatar {

bool CudaBackend::deviceAvailable() {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        cudaGetLastError(); // clear the sticky error so that later calls start clean
        return false;
    }
    return count > 0;
}

CudaBackend::CudaBackend(BackendKind kind) : m_kind(kind), m_capacity(0) {
    if (kind == BackendKind::Host)
        throw Error(ErrorCode::Internal,
                    "CudaBackend serves device or pinned memory, not plain host memory.");
    if (kind == BackendKind::CudaPinnedHost) {
        // Pinned memory is host RAM: its cap is a fraction of the machine's memory.
        m_capacity = physicalMemoryBytes();
        return;
    }
    std::size_t freeBytes = 0;
    std::size_t totalBytes = 0;
    const cudaError_t status = cudaMemGetInfo(&freeBytes, &totalBytes);
    if (status != cudaSuccess)
        throw Error(ErrorCode::Internal, std::string("The GPU's memory size could not be read: ") +
                                             cudaGetErrorString(status) + ".");
    m_capacity = totalBytes;
}

void* CudaBackend::allocate(std::size_t bytes) noexcept {
    void* ptr = nullptr;
    const cudaError_t status = m_kind == BackendKind::CudaDevice
                                   ? cudaMalloc(&ptr, bytes)
                                   : cudaHostAlloc(&ptr, bytes, cudaHostAllocDefault);
    if (status != cudaSuccess) {
        cudaGetLastError(); // an out-of-memory error is not sticky, but clear it for the next caller
        return nullptr;
    }
    return ptr;
}

void CudaBackend::deallocate(void* ptr, std::size_t /*bytes*/) noexcept {
    if (!ptr)
        return;
    if (m_kind == BackendKind::CudaDevice)
        cudaFree(ptr);
    else
        cudaFreeHost(ptr);
}

std::size_t CudaBackend::alignment() const {
    // cudaMalloc guarantees 256 B; cudaHostAlloc returns whole pages.
    return m_kind == BackendKind::CudaDevice ? 256 : 4096;
}

} // namespace avatar
