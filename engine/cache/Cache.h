#pragma once

#include "AccessClassifier.h"
#include "AdaptiveTtl.h"
#include "CacheKey.h"
#include "CacheStats.h"
#include "CacheTypes.h"
#include "MemoryCache.h"
#include "ScanDetector.h"
#include "SharedStore.h"
#include "SqliteStore.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace avatar::cache {

struct CacheOptions {
    MemoryCacheOptions memory;
    // L2: used when disk.path is not empty.
    SqliteStoreOptions disk;
    // L3, shared by the nodes of a render farm (issue #16): used when shared.dir is not empty.
    SharedStoreOptions shared;
    TtlPolicy ttl;
    bool learning = true; // access classes (k-means) and scan detection (isolation forest)
    AccessClassifierOptions classes;
    ScanDetectorOptions scans;
    std::size_t maintainEvery = 4096; // recorded accesses between maintenance passes
    std::size_t prefetchPerPass = 32; // hot keys copied from L2 to L1 per pass
    CacheClock clock;                 // default: the system clock
    CacheWarningCallback onWarning;   // default: none
};

// The two-level cache the pipeline uses for TTS per sentence, face analysis per portrait and encoded
// segments. get() looks in L1 (memory), then L2 (SQLite), promoting L2 hits into L1; put() writes both,
// except that with a lower level present a value's first use stays out of L1: a key put without having been
// asked for before the miss that led to the put is written to L2 (and L3) only, and reaches L1 on its second
// use, when a get finds it in L2 (README: "first-use admission").
// With a shared tier (L3, files on a folder every node mounts) a miss of both looks there too (and copies a
// hit into L2 and L1), and put() writes it as well.
// Thread-safe. Never throws for cache trouble: a broken database means misses and a warning.
class Cache {
public:
    explicit Cache(CacheOptions options);
    ~Cache();
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;

    BlobPtr get(const CacheKey& key);
    void put(const CacheKey& key, Blob value);
    void put(const CacheKey& key, BlobPtr value);
    bool erase(const CacheKey& key);

    // The usual pattern: return the cached bytes, or compute, store and return them. Exceptions from
    // compute propagate (they are the caller's, not the cache's); nothing is stored then.
    template <class Compute> BlobPtr getOrCompute(const CacheKey& key, Compute&& compute) {
        if (BlobPtr cached = get(key))
            return cached;
        auto value = std::make_shared<const Blob>(std::forward<Compute>(compute)());
        put(key, value);
        return value;
    }

    // Classification, expiry sweep and prefetch. Runs by itself every maintainEvery accesses; callers may
    // also run it when idle.
    void maintain();
    CacheStats stats() const;
    bool hasDisk() const { return m_disk != nullptr; }

private:
    std::int64_t now() const;
    void learn(const CacheKey& key, std::uint64_t hash, std::size_t bytes, std::int64_t time);
    Admission admissionFor(std::uint64_t hash, std::size_t bytes, std::int64_t time);
    bool firstUse(std::uint64_t hash) const;
    void maintainLocked(std::int64_t time);

    CacheOptions m_options;
    MemoryCache m_memory;
    std::unique_ptr<SqliteStore> m_disk;
    std::unique_ptr<SharedStore> m_shared;
    AdaptiveTtl m_ttl;

    // The learning state is behind one lock taken with try_lock on the access path: under contention an
    // access goes unrecorded (like Caffeine's lossy read buffers) instead of making threads queue.
    mutable std::mutex m_learnMutex;
    AccessClassifier m_classifier;
    ScanDetector m_scanDetector;
    std::size_t m_sinceMaintenance = 0;

    std::atomic<std::uint64_t> m_promotions{0};
    std::atomic<std::uint64_t> m_prefetched{0};
    std::atomic<std::uint64_t> m_bypassed{0};
    std::atomic<std::uint64_t> m_windowOnly{0};
    std::atomic<std::uint64_t> m_firstUseWrites{0};
    std::atomic<std::uint64_t> m_classifications{0};
};

} // namespace avatar::cache
