#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace avatar {

// Machine-wide CPU utilisation from the difference between two reads of /proc/stat's "cpu" line:
// busy / total jiffies, where idle and iowait are not busy. The first read only primes it.
class CpuUsageReader {
public:
    explicit CpuUsageReader(std::string statPath = "/proc/stat");
    std::optional<double> read(); // 0..1; nullopt on the first call or when the file cannot be read

private:
    std::string m_path;
    std::uint64_t m_lastBusy = 0;
    std::uint64_t m_lastTotal = 0;
    bool m_primed = false;
};

// Resident set size of this process: /proc/self/statm's second field x the page size.
std::optional<std::uint64_t> processRssBytes();

// GPU utilisation and memory through NVML, loaded with dlopen("libnvidia-ml.so.1") at run time so that
// nothing links it. available() is false without the library or a device; reads are then nullopt.
class NvmlReader {
public:
    struct Reading {
        double utilisation = 0.0; // 0..1, device 0
        std::uint64_t usedBytes = 0;
        std::uint64_t totalBytes = 0;
    };

    NvmlReader();
    ~NvmlReader();
    NvmlReader(const NvmlReader&) = delete;
    NvmlReader& operator=(const NvmlReader&) = delete;

    bool available() const { return m_device != nullptr; }
    std::optional<Reading> read() const;

private:
    using InitFn = int (*)();
    using ShutdownFn = int (*)();
    using CountFn = int (*)(unsigned*);
    using HandleFn = int (*)(unsigned, void**);
    using UtilFn = int (*)(void*, void*);
    using MemFn = int (*)(void*, void*);

    void* m_library = nullptr;
    void* m_device = nullptr;
    ShutdownFn m_shutdown = nullptr;
    UtilFn m_utilisation = nullptr;
    MemFn m_memory = nullptr;
};

} // namespace avatar
