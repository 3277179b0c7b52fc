#include "ProcReaders.h"

#include <dlfcn.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace avatar {

CpuUsageReader::CpuUsageReader(std::string statPath) : m_path(std::move(statPath)) {}

std::optional<double> CpuUsageReader::read() {
    std::ifstream in(m_path);
    std::string line;
    if (!in || !std::getline(in, line) || line.rfind("cpu ", 0) != 0)
        return std::nullopt;
    std::istringstream fields(line.substr(4));
    std::uint64_t value = 0, total = 0, idle = 0;
    for (int i = 0; fields >> value; ++i) {
        if (i >= 8)
            break; // guest and guest_nice are already counted in user and nice
        total += value;
        if (i == 3 || i == 4)
            idle += value; // idle, iowait
    }
    const std::uint64_t busy = total - idle;
    std::optional<double> result;
    if (m_primed && total > m_lastTotal) {
        const double dBusy = busy >= m_lastBusy ? double(busy - m_lastBusy) : 0.0;
        result = std::min(1.0, dBusy / double(total - m_lastTotal));
    }
    m_lastBusy = busy;
    m_lastTotal = total;
    m_primed = true;
    return result;
}

std::optional<std::uint64_t> processRssBytes() {
    std::ifstream in("/proc/self/statm");
    std::uint64_t size = 0, resident = 0;
    if (!(in >> size >> resident))
        return std::nullopt;
    const long page = sysconf(_SC_PAGESIZE);
    return resident * static_cast<std::uint64_t>(page > 0 ? page : 4096);
}

namespace {
// The two NVML structs read here, as nvml.h lays them out (stable since NVML 1).
struct NvmlUtilization {
    unsigned int gpu;
    unsigned int memory;
};
struct NvmlMemory {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};
} // namespace

NvmlReader::NvmlReader() {
    m_library = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!m_library)
        return;
    auto init = reinterpret_cast<InitFn>(dlsym(m_library, "nvmlInit_v2"));
    auto count = reinterpret_cast<CountFn>(dlsym(m_library, "nvmlDeviceGetCount_v2"));
    auto handle = reinterpret_cast<HandleFn>(dlsym(m_library, "nvmlDeviceGetHandleByIndex_v2"));
    m_shutdown = reinterpret_cast<ShutdownFn>(dlsym(m_library, "nvmlShutdown"));
    m_utilisation = reinterpret_cast<UtilFn>(dlsym(m_library, "nvmlDeviceGetUtilizationRates"));
    m_memory = reinterpret_cast<MemFn>(dlsym(m_library, "nvmlDeviceGetMemoryInfo"));
    unsigned devices = 0;
    if (!init || !count || !handle || !m_shutdown || !m_utilisation || !m_memory || init() != 0) {
        dlclose(m_library);
        m_library = nullptr;
        return;
    }
    if (count(&devices) != 0 || devices == 0 || handle(0, &m_device) != 0)
        m_device = nullptr;
}

NvmlReader::~NvmlReader() {
    if (m_library) {
        m_shutdown();
        dlclose(m_library);
    }
}

std::optional<NvmlReader::Reading> NvmlReader::read() const {
    if (!m_device)
        return std::nullopt;
    NvmlUtilization util{};
    NvmlMemory mem{};
    if (m_utilisation(m_device, &util) != 0 || m_memory(m_device, &mem) != 0)
        return std::nullopt;
    return Reading{util.gpu / 100.0, mem.used, mem.total};
}

} // namespace avatar
