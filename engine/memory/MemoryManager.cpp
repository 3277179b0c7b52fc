#include "MemoryManager.h"

#include "BlockPool.h"
#include "HostBackend.h"
#include "SizeClass.h"
#include "core/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace avatar {

namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr std::array<std::size_t, kWorkloadCount> kSeedPreallocation = {1024 * kMiB, 512 * kMiB, 256 * kMiB,
                                                                        128 * kMiB};

std::string formatBytes(std::size_t bytes) {
    char text[32];
    if (bytes >= (std::size_t{1} << 30))
        std::snprintf(text, sizeof text, "%.2f GiB",
                      static_cast<double>(bytes) / double(std::size_t{1} << 30));
    else if (bytes >= kMiB)
        std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / double(kMiB));
    else if (bytes >= 1024)
        std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
    else
        std::snprintf(text, sizeof text, "%zu B", bytes);
    return text;
}

std::size_t capFor(Tier tier, std::size_t capacity) {
    return static_cast<std::size_t>(tierSettings(tier).memoryFraction * static_cast<double>(capacity));
}

void addFree(PoolStats& stats, const detail::FreeSummary& summary) {
    stats.freeBytes += summary.freeBytes;
    stats.freeBlocks += summary.freeBlocks;
    stats.largestFreeBlock = std::max(stats.largestFreeBlock, summary.largestFreeBlock);
}

void finishFragmentation(PoolStats& stats) {
    stats.fragmentation = stats.freeBytes == 0 ? 0.0
                                               : 1.0 - static_cast<double>(stats.largestFreeBlock) /
                                                           static_cast<double>(stats.freeBytes);
}

} // namespace

MemoryManager::Options MemoryManager::Options::scaledDefaults() {
    return scaledDefaults(physicalMemoryBytes());
}

MemoryManager::Options MemoryManager::Options::scaledDefaults(std::size_t physicalBytes) {
    Options options;
    const double scale =
        std::min(1.0, static_cast<double>(physicalBytes) / static_cast<double>(kFullPreallocationMemory));
    for (std::size_t i = 0; i < kWorkloadCount; ++i)
        options.preallocation[i] =
            static_cast<std::size_t>(static_cast<double>(kSeedPreallocation[i]) * scale);
    return options;
}

MemoryManager::MemoryManager() : MemoryManager(Options::scaledDefaults()) {}

MemoryManager::MemoryManager(const Options& options, std::unique_ptr<MemoryBackend> backend)
    : m_backend(backend ? std::move(backend) : std::make_unique<HostBackend>()),
      m_capacity(options.capacityBytes ? options.capacityBytes : m_backend->capacityBytes()),
      m_tier(options.tier) {
    m_budget.setCap(capFor(options.tier, m_capacity));
    for (std::size_t w = 0; w < kWorkloadCount; ++w)
        for (std::size_t s = 0; s < 2; ++s)
            m_pools[w][s] =
                std::make_unique<detail::BlockPool>(s == 0, *m_backend, m_budget, m_workloads[w], m_total);
    preallocate(options);
}

MemoryManager::~MemoryManager() = default;

void MemoryManager::preallocate(const Options& options) {
    std::array<std::size_t, kWorkloadCount> wanted{};
    std::size_t total = 0;
    for (std::size_t w = 0; w < kWorkloadCount; ++w) {
        wanted[w] = options.preallocation[w]
                        ? sizeclass::roundUp(options.preallocation[w], sizeclass::kRoundLarge)
                        : 0;
        total += wanted[w];
    }
    // Never more than the cap: scale every workload down alike, leaving room for each to grow a segment.
    const std::size_t cap = m_budget.cap();
    const std::size_t room = cap > kWorkloadCount * sizeclass::kLargeBuffer
                                 ? cap - kWorkloadCount * sizeclass::kLargeBuffer
                                 : cap / 2;
    if (total > room) {
        const double scale = static_cast<double>(room) / static_cast<double>(total);
        for (auto& bytes : wanted)
            bytes = bytes == 0 ? 0
                               : std::max(sizeclass::kRoundLarge,
                                          static_cast<std::size_t>(static_cast<double>(bytes) * scale) /
                                              sizeclass::kRoundLarge * sizeclass::kRoundLarge);
    }
    for (std::size_t w = 0; w < kWorkloadCount; ++w) {
        if (wanted[w] && m_pools[w][1]->reserve(wanted[w], true))
            m_preallocated[w] = wanted[w];
    }
}

detail::BlockPool& MemoryManager::pool(Workload workload, bool small) const {
    return *m_pools[workloadIndex(workload)][small ? 0 : 1];
}

PoolBuffer MemoryManager::acquire(Workload workload, std::size_t bytes) {
    auto& counters = m_workloads[workloadIndex(workload)];
    if (bytes > sizeclass::kMaxRequest) {
        counters.numOoms.fetch_add(1, std::memory_order_relaxed);
        m_total.numOoms.fetch_add(1, std::memory_order_relaxed);
        throw Error(ErrorCode::OutOfMemory, std::string("The ") + workloadName(workload) +
                                                " pool cannot take " + formatBytes(bytes) +
                                                ": no machine has that much memory.");
    }
    const std::size_t rounded = sizeclass::roundSize(bytes);
    detail::BlockPool& target = pool(workload, sizeclass::isSmall(rounded));
    detail::GrowFailure failure = detail::GrowFailure::None;
    if (detail::Block* block = target.allocate(bytes, rounded, failure))
        return PoolBuffer(&target, block, block->ptr, bytes, workload);

    // As PyTorch does: give back what is cached but idle, anywhere, and try once more.
    counters.numAllocRetries.fetch_add(1, std::memory_order_relaxed);
    m_total.numAllocRetries.fetch_add(1, std::memory_order_relaxed);
    releaseIdle(true);
    if (detail::Block* block = target.allocate(bytes, rounded, failure))
        return PoolBuffer(&target, block, block->ptr, bytes, workload);

    counters.numOoms.fetch_add(1, std::memory_order_relaxed);
    m_total.numOoms.fetch_add(1, std::memory_order_relaxed);
    const std::size_t cap = m_budget.cap();
    std::string message =
        std::string("The ") + workloadName(workload) + " pool cannot take " + formatBytes(bytes) + ": ";
    if (failure == detail::GrowFailure::Backend)
        message +=
            std::string("the ") + backendKindName(m_backend->kind()) + " backend refused a new segment";
    else
        message += formatBytes(m_budget.reserved()) + " is reserved and the " + tierName(tier()) +
                   " tier caps it at " + formatBytes(cap) + " (" +
                   std::to_string(std::lround(tierSettings(tier()).memoryFraction * 100)) + "% of " +
                   formatBytes(m_capacity) + ")";
    message += "; free buffers, render a smaller size or choose a higher tier.";
    throw Error(ErrorCode::OutOfMemory, message);
}

std::size_t MemoryManager::releaseIdle(bool includePreallocated) {
    std::size_t released = 0;
    // One pool at a time, never two locks at once: no lock order to get wrong.
    for (auto& pools : m_pools)
        for (auto& p : pools)
            released += p->releaseIdle(includePreallocated);
    return released;
}

std::size_t MemoryManager::defragment(DefragmentScope scope) {
    return releaseIdle(scope == DefragmentScope::Everything);
}

void MemoryManager::setTier(Tier tier) {
    m_tier.store(tier, std::memory_order_relaxed);
    m_budget.setCap(capFor(tier, m_capacity));
    if (m_budget.reserved() > m_budget.cap())
        releaseIdle(true);
}

MemoryStats MemoryManager::stats() const {
    MemoryStats stats;
    stats.total = m_total.load();
    for (std::size_t w = 0; w < kWorkloadCount; ++w) {
        stats.workloads[w] = m_workloads[w].load();
        for (const auto& p : m_pools[w]) {
            const detail::FreeSummary summary = p->freeSummary();
            addFree(stats.workloads[w], summary);
            addFree(stats.total, summary);
        }
        finishFragmentation(stats.workloads[w]);
    }
    finishFragmentation(stats.total);
    stats.capBytes = m_budget.cap();
    stats.capacityBytes = m_capacity;
    stats.tier = tier();
    stats.backend = m_backend->kind();
    return stats;
}

void MemoryManager::resetPeakStats() {
    m_total.resetPeaks();
    for (auto& counters : m_workloads)
        counters.resetPeaks();
}

} // namespace avatar
