#pragma once

#include "KMeans.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace avatar::cache {

enum class AccessClass {
    Unknown, // not classified yet
    OneHit,  // used once and not again: scans, abandoned edits
    Normal,
    HotPeriodic, // used often at a steady interval: prefetched from L2 into L1 early
};
const char* accessClassName(AccessClass accessClass);

struct AccessClassifierOptions {
    std::size_t maxTrackedKeys = 8192; // the least recently used beyond this are forgotten
    std::size_t clusters = 3;
    std::uint64_t seed = 11;
};

// Groups keys by how they are used. Per tracked key it keeps count, first and last access, and size; on
// classify() the features log(1+frequency), log(1+recency), log(1+mean reuse interval), log(1+size) are
// normalised (z-scores) and clustered with k-means; clusters are then named by their centres: the least
// frequent one (if about one use per key) is OneHit, the most frequent one HotPeriodic. A key's class is
// looked up by nearest centre from its *current* features, so brand-new keys are classified too.
// Not thread-safe: the cache calls it under its learning lock.
class AccessClassifier {
public:
    explicit AccessClassifier(AccessClassifierOptions options = {});

    void record(std::string_view id, std::uint64_t hash, std::size_t bytes, std::int64_t now);
    // Runs k-means over the tracked keys; returns false when there are too few keys to say anything.
    bool classify(std::int64_t now);
    AccessClass classOf(std::uint64_t hash, std::size_t bytes, std::int64_t now) const;
    std::size_t accessCount(std::uint64_t hash) const;
    // Ids of tracked keys currently in the hot class, most frequent first.
    std::vector<std::string> hotKeys(std::size_t max, std::int64_t now) const;

    std::size_t trackedKeys() const { return m_keys.size(); }
    std::size_t keysIn(AccessClass accessClass) const;
    bool classified() const { return !m_centroids.empty(); }

private:
    struct KeyStats {
        std::string id;
        std::uint32_t count = 0;
        std::int64_t first = 0;
        std::int64_t last = 0;
        std::size_t bytes = 0;
    };
    FeatureVector rawFeatures(const KeyStats& stats, std::int64_t now) const;
    FeatureVector normalised(FeatureVector raw) const;
    void prune();

    AccessClassifierOptions m_options;
    std::unordered_map<std::uint64_t, KeyStats> m_keys;
    std::vector<FeatureVector> m_centroids; // in normalised space
    std::vector<AccessClass> m_clusterClass;
    FeatureVector m_mean;
    FeatureVector m_scale;
    std::vector<std::size_t> m_classSizes = std::vector<std::size_t>(4, 0);
};

} // namespace avatar::cache
