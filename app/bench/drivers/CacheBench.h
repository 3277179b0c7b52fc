#pragma once

#include "cache/CacheKey.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace avatar::cache {

// One request of a synthetic trace: the key and the size of the value it stands for.
struct TraceRequest {
    CacheKey key;
    std::size_t bytes = 0;
};

struct CacheBenchOptions {
    std::vector<int> threads = {1, 2, 4, 8};
    std::size_t opsPerThread = 200'000;
    std::uint64_t seed = 2024;
    std::size_t shards = 16; // throughput; the trace replays use traceShards() of it
};

struct ThroughputResult {
    int threads = 0;
    std::size_t operations = 0;
    double seconds = 0.0;
    double opsPerSecond = 0.0;
};

struct TraceResult {
    std::string trace;
    std::size_t requests = 0;
    std::size_t uniqueKeys = 0;
    std::size_t capacityBytes = 0;
    double hitRatio = 0.0;    // ours: W-TinyLFU + classes + scan detection + adaptive TTL
    double lruHitRatio = 0.0; // a plain LRU charged the same bytes per entry, same capacity
    std::uint64_t scansDetected = 0;
    std::uint64_t bypassedAdmissions = 0;
};

struct CacheBenchReport {
    std::vector<ThroughputResult> throughput;
    std::vector<TraceResult> traces;
};

// A creator's session: repeated renders of a few scripts (TTS and encoded segment per sentence, face per
// portrait), with a few sentences edited between renders, and occasional one-off previews of new scripts.
std::vector<TraceRequest> creatorTrace(std::uint64_t seed, std::size_t renders = 300);
// Zipf(0.9) popularity over `keys` keys, with a scan of keys/2 never-repeated keys every `scanEvery`
// requests.
std::vector<TraceRequest> zipfScanTrace(std::uint64_t seed, std::size_t requests = 300'000,
                                        std::size_t keys = 20'000, std::size_t scanEvery = 30'000);

// Replays a trace (get; put on a miss) against our L1 and a plain LRU of the same byte capacity. The clock is
// simulated: stepMs per request.
TraceResult replayTrace(const std::string& name, const std::vector<TraceRequest>& trace,
                        std::size_t capacityBytes, std::size_t shards, std::int64_t stepMs = 20);
// The shard count the trace replays use: options.shards, lowered so that each shard holds at least 12 MiB.
std::size_t traceShards(std::size_t capacityBytes, std::size_t maxShards);
// L1 get/put throughput with several threads (90% reads over a Zipf-distributed key set).
ThroughputResult measureThroughput(int threads, std::size_t opsPerThread, std::size_t shards,
                                   std::uint64_t seed);

// Everything above, as `avatar-bench --suite cache` reports it.
CacheBenchReport runCacheBench(const CacheBenchOptions& options = {});

} // namespace avatar::cache
