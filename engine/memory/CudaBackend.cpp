#include "CudaBackend.h"

#include "core/Error.h"

#include <cuda.h>
#include <dlfcn.h>
#include <mutex>
#include <string>

namespace avatar {
namespace {

// The CUDA driver (libcuda.so.1, installed with NVIDIA's kernel driver), opened on first use. Neither the
// runtime library nor the toolkit is needed at run time, and nothing CUDA is loaded or linked on a machine
// without the driver. (The static runtime used before carried a page-aligned initial-exec TLS block, which
// kept the engine from being opened with dlopen: avatar-render's core is a module.) Only cuda.h's types and
// names are used; each entry point is looked up by its versioned symbol, as the header's macros spell it.
struct Driver {
    decltype(&::cuInit) init = nullptr;
    decltype(&::cuDeviceGetCount) deviceGetCount = nullptr;
    decltype(&::cuDeviceGet) deviceGet = nullptr;
    decltype(&::cuDevicePrimaryCtxRetain) primaryCtxRetain = nullptr;
    decltype(&::cuCtxSetCurrent) ctxSetCurrent = nullptr;
    decltype(&::cuDeviceTotalMem) deviceTotalMem = nullptr;
    decltype(&::cuMemAlloc) memAlloc = nullptr;
    decltype(&::cuMemFree) memFree = nullptr;
    decltype(&::cuMemHostAlloc) memHostAlloc = nullptr;
    decltype(&::cuMemFreeHost) memFreeHost = nullptr;
    decltype(&::cuGetErrorString) errorString = nullptr;
    CUcontext context = nullptr; // device 0's primary context, as the runtime API would use
    int devices = 0;

    Driver() {
        void* lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL); // kept open for the process
        if (!lib)
            return;
        auto bind = [lib](auto& fn, const char* name) {
            fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
            return fn != nullptr;
        };
        const bool all = bind(init, "cuInit") && bind(deviceGetCount, "cuDeviceGetCount") &&
                         bind(deviceGet, "cuDeviceGet") &&
                         bind(primaryCtxRetain, "cuDevicePrimaryCtxRetain") &&
                         bind(ctxSetCurrent, "cuCtxSetCurrent") &&
                         bind(deviceTotalMem, "cuDeviceTotalMem_v2") && bind(memAlloc, "cuMemAlloc_v2") &&
                         bind(memFree, "cuMemFree_v2") && bind(memHostAlloc, "cuMemHostAlloc") &&
                         bind(memFreeHost, "cuMemFreeHost") && bind(errorString, "cuGetErrorString");
        CUdevice device = 0;
        if (!all || init(0) != CUDA_SUCCESS || deviceGetCount(&devices) != CUDA_SUCCESS || devices < 1 ||
            deviceGet(&device, 0) != CUDA_SUCCESS || primaryCtxRetain(&context, device) != CUDA_SUCCESS) {
            devices = 0;
            context = nullptr;
        }
    }

    // The driver's context is per thread; pool calls come from any worker, so each makes it current first.
    bool enter() const { return context && ctxSetCurrent(context) == CUDA_SUCCESS; }

    std::string message(CUresult status) const {
        const char* text = nullptr;
        return errorString && errorString(status, &text) == CUDA_SUCCESS && text
                   ? text
                   : "CUDA error " + std::to_string(status);
    }
};

const Driver& driver() {
    static std::once_flag once;
    static const Driver* instance = nullptr; // built once, never destroyed: the pools may outlive statics
    std::call_once(once, [] { instance = new Driver(); }); // NOLINT(cppcoreguidelines-owning-memory)
    return *instance;
}

} // namespace

bool CudaBackend::deviceAvailable() {
    return driver().devices > 0;
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
    const Driver& d = driver();
    if (!d.enter())
        throw Error(ErrorCode::Internal, "No CUDA device could be used.");
    std::size_t totalBytes = 0;
    const CUresult status = d.deviceTotalMem(&totalBytes, 0);
    if (status != CUDA_SUCCESS)
        throw Error(ErrorCode::Internal,
                    "The GPU's memory size could not be read: " + d.message(status) + ".");
    m_capacity = totalBytes;
}

void* CudaBackend::allocate(std::size_t bytes) noexcept {
    const Driver& d = driver();
    if (!d.enter())
        return nullptr;
    if (m_kind == BackendKind::CudaDevice) {
        CUdeviceptr ptr = 0;
        return d.memAlloc(&ptr, bytes) == CUDA_SUCCESS ? reinterpret_cast<void*>(ptr) : nullptr;
    }
    void* ptr = nullptr;
    return d.memHostAlloc(&ptr, bytes, 0) == CUDA_SUCCESS ? ptr : nullptr;
}

void CudaBackend::deallocate(void* ptr, std::size_t /*bytes*/) noexcept {
    const Driver& d = driver();
    if (!ptr || !d.enter())
        return;
    if (m_kind == BackendKind::CudaDevice)
        d.memFree(reinterpret_cast<CUdeviceptr>(ptr));
    else
        d.memFreeHost(ptr);
}

std::size_t CudaBackend::alignment() const {
    // cuMemAlloc guarantees 256 B; cuMemHostAlloc returns whole pages.
    return m_kind == BackendKind::CudaDevice ? 256 : 4096;
}

} // namespace avatar
