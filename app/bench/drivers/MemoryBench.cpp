#include "MemoryBench.h"

#include "memory/MemoryManager.h"
#include "memory/SizeClass.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>

namespace avatar {

namespace {

// Keeps the compiler from dropping stores into memory that is freed right after (GCC knows free()).
inline void escape(void* ptr) {
    asm volatile("" : : "g"(ptr) : "memory");
}

std::size_t frameSize(const PoolBenchOptions& options, std::size_t frame) {
    // Every third frame switches size, so that each ring slot sees both sizes over time.
    return options.frameSizes[(frame / 3) % options.frameSizes.size()];
}

void touch(std::byte* data, std::size_t bytes, std::size_t stride, std::size_t frame) {
    for (std::size_t offset = 0; offset < bytes; offset += stride)
        data[offset] = static_cast<std::byte>(frame);
    escape(data);
}

template <class Acquire, class Release>
double runPass(const PoolBenchOptions& options, Acquire acquire, Release release) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    for (std::size_t frame = 0; frame < options.frames; ++frame) {
        const std::size_t slot = frame % options.inFlight;
        release(slot);
        const std::size_t bytes = frameSize(options, frame);
        touch(acquire(slot, bytes), bytes, options.touchStride, frame);
    }
    for (std::size_t slot = 0; slot < options.inFlight; ++slot)
        release(slot);
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
           static_cast<double>(options.frames);
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

PoolBenchResult benchmarkPoolVsMalloc(const PoolBenchOptions& input) {
    PoolBenchOptions options = input;
    options.inFlight = std::max<std::size_t>(1, options.inFlight);
    options.repetitions = std::max(1, options.repetitions);
    options.touchStride = std::max<std::size_t>(1, options.touchStride);
    if (options.frameSizes.empty())
        options.frameSizes.push_back(std::size_t{1920} * 1080 * 3);

    // The pool as the pipeline will set it up: the ring's worth pre-allocated in the video pool.
    const std::size_t largest = *std::max_element(options.frameSizes.begin(), options.frameSizes.end());
    MemoryManager::Options managerOptions;
    managerOptions.preallocation[workloadIndex(Workload::Video)] =
        options.inFlight * sizeclass::roundSize(largest) + sizeclass::kLargeBuffer;
    MemoryManager manager(managerOptions);

    std::vector<PoolBuffer> pooled(options.inFlight);
    auto poolAcquire = [&](std::size_t slot, std::size_t bytes) {
        pooled[slot] = manager.acquire(Workload::Video, bytes);
        return pooled[slot].bytes();
    };
    auto poolRelease = [&](std::size_t slot) { pooled[slot].reset(); };

    std::vector<void*> plain(options.inFlight, nullptr);
    auto mallocAcquire = [&](std::size_t slot, std::size_t bytes) {
        plain[slot] = std::malloc(bytes);
        if (!plain[slot])
            throw std::bad_alloc();
        return static_cast<std::byte*>(plain[slot]);
    };
    auto mallocRelease = [&](std::size_t slot) {
        std::free(plain[slot]);
        plain[slot] = nullptr;
    };

    PoolBenchOptions warmUp = options;
    warmUp.frames = std::min<std::size_t>(options.frames, options.inFlight * 6);
    runPass(warmUp, poolAcquire, poolRelease);
    runPass(warmUp, mallocAcquire, mallocRelease);

    std::vector<double> poolTimes;
    std::vector<double> mallocTimes;
    for (int i = 0; i < options.repetitions; ++i) {
        poolTimes.push_back(runPass(options, poolAcquire, poolRelease));
        mallocTimes.push_back(runPass(options, mallocAcquire, mallocRelease));
    }

    PoolBenchResult result;
    result.frames = options.frames;
    result.poolNsPerFrame = median(poolTimes);
    result.mallocNsPerFrame = median(mallocTimes);
    result.speedup = result.poolNsPerFrame > 0 ? result.mallocNsPerFrame / result.poolNsPerFrame : 0;
    return result;
}

} // namespace avatar
