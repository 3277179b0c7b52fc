#include "HostBackend.h"
#include "MemoryBackend.h"

#if defined(AVATAR_HAVE_CUDA)
#include "CudaBackend.h"
#endif

namespace avatar {

const char* backendKindName(BackendKind kind) {
    switch (kind) {
    case BackendKind::Host:
        return "host";
    case BackendKind::CudaDevice:
        return "cuda";
    case BackendKind::CudaPinnedHost:
        return "cuda-pinned";
    }
    return "host";
}

bool builtWithCuda() {
#if defined(AVATAR_HAVE_CUDA)
    return true;
#else
    return false;
#endif
}

bool backendAvailable(BackendKind kind) {
    if (kind == BackendKind::Host)
        return true;
#if defined(AVATAR_HAVE_CUDA)
    return CudaBackend::deviceAvailable();
#else
    return false;
#endif
}

std::unique_ptr<MemoryBackend> makeBackend(BackendKind kind) {
    if (kind == BackendKind::Host)
        return std::make_unique<HostBackend>();
#if defined(AVATAR_HAVE_CUDA)
    if (CudaBackend::deviceAvailable())
        return std::make_unique<CudaBackend>(kind);
#endif
    return nullptr;
}

BackendKind preferredComputeBackend() {
    return backendAvailable(BackendKind::CudaDevice) ? BackendKind::CudaDevice : BackendKind::Host;
}

} // namespace avatar
