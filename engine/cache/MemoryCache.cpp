#include "MemoryCache.h"

#include "Hashing.h"

#include <algorithm>
#include <bit>

namespace avatar::cache {

MemoryCache::MemoryCache(const MemoryCacheOptions& options) : m_capacity(options.capacityBytes) {
    const std::size_t shards = std::bit_ceil(std::max<std::size_t>(options.shards, 1));
    const std::size_t perShard = options.capacityBytes / shards;
    m_capacity = perShard * shards;
    const std::size_t counters = options.sketchCountersPerShard > 0
                                     ? options.sketchCountersPerShard
                                     : std::max<std::size_t>(1024, perShard / 2048);
    m_shards.reserve(shards);
    for (std::size_t i = 0; i < shards; ++i)
        m_shards.push_back(std::make_unique<TinyLfuShard>(perShard, options.windowFraction,
                                                          options.protectedFraction, counters));
}

TinyLfuShard& MemoryCache::shardFor(std::uint64_t hash) const {
    // The top bits choose the shard; the sketch mixes the whole hash again, so the two stay independent.
    return *m_shards[(hash >> 40) & (m_shards.size() - 1)];
}

BlobPtr MemoryCache::get(std::string_view id, std::int64_t now, std::int64_t ttlMs,
                         std::int64_t* previousAccess) {
    return get(id, hashString(id), now, ttlMs, previousAccess);
}

BlobPtr MemoryCache::get(std::string_view id, std::uint64_t hash, std::int64_t now, std::int64_t ttlMs,
                         std::int64_t* previousAccess) {
    return shardFor(hash).get(id, hash, now, ttlMs, previousAccess);
}

bool MemoryCache::put(std::string_view id, std::uint64_t hash, BlobPtr value, std::int64_t now,
                      Admission admission) {
    return shardFor(hash).put(id, hash, std::move(value), now, admission);
}

bool MemoryCache::put(std::string_view id, BlobPtr value, std::int64_t now, Admission admission) {
    return put(id, hashString(id), std::move(value), now, admission);
}

bool MemoryCache::contains(std::string_view id) const {
    return shardFor(hashString(id)).contains(id);
}

bool MemoryCache::erase(std::string_view id) {
    return shardFor(hashString(id)).erase(id);
}

std::size_t MemoryCache::removeExpired(std::int64_t now,
                                       const std::function<std::int64_t(std::string_view)>& ttlFor) {
    std::size_t removed = 0;
    for (const auto& shard : m_shards)
        removed += shard->removeExpired(now, ttlFor);
    return removed;
}

void MemoryCache::clear() {
    for (const auto& shard : m_shards)
        shard->clear();
}

unsigned MemoryCache::frequency(std::string_view id) const {
    return frequency(hashString(id));
}

unsigned MemoryCache::frequency(std::uint64_t hash) const {
    return shardFor(hash).frequency(hash);
}

ShardCounters MemoryCache::counters() const {
    ShardCounters total;
    for (const auto& shard : m_shards) {
        const ShardCounters c = shard->counters();
        total.hits += c.hits;
        total.misses += c.misses;
        total.expired += c.expired;
        total.evictions += c.evictions;
        total.rejected += c.rejected;
        total.bytes += c.bytes;
        total.entries += c.entries;
    }
    return total;
}

} // namespace avatar::cache
