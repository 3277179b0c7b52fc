// avatar-bench --suite cache: the two-level cache against a plain LRU of the same byte size on the same
// traces, and L1 throughput with several threads (docs/PERFORMANCE.md).
#include "Suites.h"

#include "cache/CacheBench.h"
#include "core/Json.h"

#include <iostream>

namespace avatar::bench {

int runCacheSuite(const RenderSpec& /*spec*/, const std::filesystem::path& /*dir*/) {
    const cache::CacheBenchReport report = cache::runCacheBench();
    JsonWriter w;
    w.beginObject().field("suite", "cache");
    w.key("l1_ops_per_second").beginObject();
    for (const auto& t : report.throughput)
        w.field(std::to_string(t.threads) + "_threads", t.opsPerSecond);
    w.endObject();
    for (const auto& t : report.traces) {
        w.key(t.trace)
            .beginObject()
            .field("requests", static_cast<long long>(t.requests))
            .field("unique_keys", static_cast<long long>(t.uniqueKeys))
            .field("capacity_bytes", static_cast<long long>(t.capacityBytes))
            .field("hit_ratio", t.hitRatio)
            .field("lru_hit_ratio", t.lruHitRatio)
            .field("beats_lru", t.hitRatio > t.lruHitRatio)
            .field("scans_detected", static_cast<long long>(t.scansDetected))
            .endObject();
    }
    w.endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace avatar::bench
