#include "MemoryStats.h"

namespace avatar {

namespace {

void addStat(std::vector<std::pair<std::string, double>>& out, const std::string& name,
             const std::string& scope, const StatValue& value) {
    const std::string prefix = name + "." + scope + ".";
    out.emplace_back(prefix + "current", static_cast<double>(value.current));
    out.emplace_back(prefix + "peak", static_cast<double>(value.peak));
    out.emplace_back(prefix + "allocated", static_cast<double>(value.allocated));
    out.emplace_back(prefix + "freed", static_cast<double>(value.freed));
}

void addPool(std::vector<std::pair<std::string, double>>& out, const std::string& scope,
             const PoolStats& pool) {
    addStat(out, "allocated_bytes", scope, pool.allocatedBytes);
    addStat(out, "reserved_bytes", scope, pool.reservedBytes);
    addStat(out, "active_bytes", scope, pool.activeBytes);
    addStat(out, "requested_bytes", scope, pool.requestedBytes);
    addStat(out, "segment", scope, pool.segments);
    const std::string suffix = scope == "all" ? "" : "." + scope;
    out.emplace_back("num_allocs" + suffix, static_cast<double>(pool.numAllocs));
    out.emplace_back("num_frees" + suffix, static_cast<double>(pool.numFrees));
    out.emplace_back("cache_hits" + suffix, static_cast<double>(pool.cacheHits));
    out.emplace_back("num_alloc_retries" + suffix, static_cast<double>(pool.numAllocRetries));
    out.emplace_back("num_ooms" + suffix, static_cast<double>(pool.numOoms));
    out.emplace_back("free_bytes" + suffix, static_cast<double>(pool.freeBytes));
    out.emplace_back("largest_free_block" + suffix, static_cast<double>(pool.largestFreeBlock));
    out.emplace_back("fragmentation" + suffix, pool.fragmentation);
}

} // namespace

std::vector<std::pair<std::string, double>> flattenMemoryStats(const MemoryStats& stats) {
    std::vector<std::pair<std::string, double>> out;
    addPool(out, "all", stats.total);
    for (std::size_t i = 0; i < kWorkloadCount; ++i)
        addPool(out, workloadName(static_cast<Workload>(i)), stats.workloads[i]);
    out.emplace_back("cap_bytes", static_cast<double>(stats.capBytes));
    out.emplace_back("capacity_bytes", static_cast<double>(stats.capacityBytes));
    return out;
}

} // namespace avatar
