#pragma once

#include "CacheTypes.h"
#include "TinyLfuShard.h"

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace avatar::cache {

struct MemoryCacheOptions {
    std::size_t capacityBytes = std::size_t{256} << 20;
    std::size_t shards = 16;                // rounded up to a power of two; each has capacity / shards
    double windowFraction = 0.01;           // admission window, share of each shard
    double protectedFraction = 0.80;        // protected segment, share of the main area
    std::size_t sketchCountersPerShard = 0; // 0: sized from the capacity (one counter per 2 KiB, >= 1024)
};

// L1: a byte-bounded W-TinyLFU cache split into independent shards picked by key hash, so that threads
// touching different keys rarely contend. The sum of the shards' budgets is the capacity, so the total can
// never exceed it.
class MemoryCache {
public:
    explicit MemoryCache(const MemoryCacheOptions& options);

    BlobPtr get(std::string_view id, std::int64_t now, std::int64_t ttlMs,
                std::int64_t* previousAccess = nullptr);
    bool put(std::string_view id, BlobPtr value, std::int64_t now, Admission admission = Admission::Normal);
    // The same with the key's hashString() already computed (the facade needs it anyway): one hash per
    // access.
    BlobPtr get(std::string_view id, std::uint64_t hash, std::int64_t now, std::int64_t ttlMs,
                std::int64_t* previousAccess);
    bool put(std::string_view id, std::uint64_t hash, BlobPtr value, std::int64_t now, Admission admission);
    bool contains(std::string_view id) const;
    bool erase(std::string_view id);
    std::size_t removeExpired(std::int64_t now, const std::function<std::int64_t(std::string_view)>& ttlFor);
    void clear();

    unsigned frequency(std::string_view id) const;
    unsigned frequency(std::uint64_t hash) const;
    ShardCounters counters() const; // summed over the shards
    std::size_t capacity() const { return m_capacity; }
    std::size_t shardCount() const { return m_shards.size(); }

private:
    TinyLfuShard& shardFor(std::uint64_t hash) const;

    std::size_t m_capacity;
    std::vector<std::unique_ptr<TinyLfuShard>> m_shards;
};

} // namespace avatar::cache
