#pragma once

#include "AdaptiveTtl.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace avatar::cache {

struct LevelStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t expired = 0; // TTL ran out (counted in misses too)
    std::uint64_t evictions = 0;
    std::uint64_t rejectedAdmissions = 0; // L1 only: refused by TinyLFU, window-only or bypassed
    std::uint64_t bytes = 0;
    std::uint64_t entries = 0;
    std::uint64_t capacityBytes = 0;

    double hitRatio() const {
        const std::uint64_t total = hits + misses;
        return total ? static_cast<double>(hits) / static_cast<double>(total) : 0.0;
    }
};

// A snapshot for the live charts and the JSON reports. Cheap to take (sums per-shard counters and reads one
// row of L2's totals).
struct CacheStats {
    LevelStats l1;
    LevelStats l2;
    std::uint64_t l2Errors = 0;
    std::uint64_t checksumFailures = 0;
    bool l2Open = false;
    bool l2Degraded = false;                // disk full: writes to L2 stopped
    bool l2Rebuilt = false;                 // a damaged database was moved aside at open
    std::uint64_t promotions = 0;           // L2 hits copied into L1
    std::uint64_t prefetched = 0;           // hot keys copied from L2 into L1 before being asked for
    std::uint64_t bypassedAdmissions = 0;   // new keys kept out of L1 during a scan
    std::uint64_t windowOnlyAdmissions = 0; // keys of the one-hit class, kept out of main
    std::uint64_t firstUseWrites = 0;       // puts of a key not asked for before: written to L2/L3 only
    std::uint64_t scansDetected = 0;
    std::uint64_t anomalousWindows = 0;
    std::uint64_t classifications = 0; // k-means runs
    std::size_t keysOneHit = 0;
    std::size_t keysNormal = 0;
    std::size_t keysHot = 0;
    std::vector<KindTtl> ttl;

    // The shared tier of a render farm (issue #16): hits and misses (its bytes and entries are not counted).
    LevelStats l3;
    std::uint64_t l3Writes = 0;
    std::uint64_t l3Waits = 0; // gets that waited for another node computing the same value
    std::uint64_t l3Errors = 0;
    bool l3Open = false; // configured and usable at the last access
};

} // namespace avatar::cache
