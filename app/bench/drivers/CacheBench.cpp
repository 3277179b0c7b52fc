#include "CacheBench.h"

#include "cache/Cache.h"
#include "cache/Hashing.h"
#include "cache/LruCache.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <map>
#include <random>
#include <string_view>
#include <thread>
#include <unordered_set>

namespace avatar::cache {

namespace {

constexpr std::size_t kKiB = 1024;

// Concatenation without operator+ chains, which trip GCC 12's -Wrestrict false positive at -O3.
std::string concat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (const std::string_view part : parts)
        out.append(part);
    return out;
}

std::size_t randomBetween(std::mt19937_64& rng, std::size_t low, std::size_t high) {
    return low + static_cast<std::size_t>(uniform01(rng) * static_cast<double>(high - low + 1));
}

// Cumulative Zipf(s) weights over ranks 1..n, for sampling by binary search.
std::vector<double> zipfCdf(std::size_t n, double s) {
    std::vector<double> cdf(n);
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        total += 1.0 / std::pow(static_cast<double>(i + 1), s);
        cdf[i] = total;
    }
    for (double& c : cdf)
        c /= total;
    return cdf;
}

std::size_t sampleCdf(const std::vector<double>& cdf, std::mt19937_64& rng) {
    const double u = uniform01(rng);
    return std::min<std::size_t>(
        static_cast<std::size_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin()), cdf.size() - 1);
}

} // namespace

std::vector<TraceRequest> creatorTrace(std::uint64_t seed, std::size_t renders) {
    std::mt19937_64 rng(seed);
    struct Project {
        std::vector<std::size_t> sentences; // sentence ids; an edit replaces one with a new id
        std::vector<std::size_t> sizes;     // seconds of speech x10, drives the blob sizes
        std::size_t portrait = 0;
    };
    constexpr std::size_t kProjects = 8;
    std::size_t nextSentence = 0;
    std::vector<Project> projects(kProjects);
    for (std::size_t p = 0; p < kProjects; ++p) {
        projects[p].portrait = p % 5; // some projects share a portrait
        const std::size_t count = randomBetween(rng, 30, 60);
        for (std::size_t i = 0; i < count; ++i) {
            projects[p].sentences.push_back(nextSentence++);
            projects[p].sizes.push_back(randomBetween(rng, 15, 60));
        }
    }
    std::vector<TraceRequest> trace;
    const auto request = [&](const char* kind, const std::string& id, std::size_t bytes) {
        trace.push_back(TraceRequest{CacheKey::fromId(kind, id), bytes});
    };
    const auto render = [&](const Project& project) {
        request("face", concat({"portrait-", std::to_string(project.portrait)}), 24 * kKiB);
        for (std::size_t i = 0; i < project.sentences.size(); ++i) {
            const std::string sentence = std::to_string(project.sentences[i]);
            // TTS: 16 kHz 16-bit PCM (32 KiB/s) plus the phone timeline; segment: ~64 KiB/s of H.264.
            request("tts", concat({"s", sentence}), project.sizes[i] * 32 * kKiB / 10);
            request("segment", concat({"s", sentence, "-p", std::to_string(project.portrait)}),
                    project.sizes[i] * 64 * kKiB / 10);
        }
    };
    std::size_t current = 0;
    for (std::size_t r = 0; r < renders; ++r) {
        const double u = uniform01(rng);
        if (u < 0.08) {
            // A one-off preview of a new script: a scan of never-repeated keys.
            Project preview;
            preview.portrait = randomBetween(rng, 0, 4);
            for (std::size_t i = 0; i < randomBetween(rng, 30, 60); ++i) {
                preview.sentences.push_back(nextSentence++);
                preview.sizes.push_back(randomBetween(rng, 15, 60));
            }
            render(preview);
            continue;
        }
        if (u < 0.18)
            current = randomBetween(rng, 0, kProjects - 1); // the creator switches project
        Project& project = u < 0.30 ? projects[randomBetween(rng, 0, kProjects - 1)] : projects[current];
        // Edits before the render: most renders change one to three sentences.
        if (uniform01(rng) < 0.7) {
            for (std::size_t e = randomBetween(rng, 1, 3); e > 0; --e) {
                const std::size_t i = randomBetween(rng, 0, project.sentences.size() - 1);
                project.sentences[i] = nextSentence++;
                project.sizes[i] = randomBetween(rng, 15, 60);
            }
        }
        render(project);
    }
    return trace;
}

std::vector<TraceRequest> zipfScanTrace(std::uint64_t seed, std::size_t requests, std::size_t keys,
                                        std::size_t scanEvery) {
    std::mt19937_64 rng(seed);
    const std::vector<double> cdf = zipfCdf(keys, 0.9);
    std::vector<std::size_t> sizes(keys);
    for (std::size_t& size : sizes)
        size = randomBetween(rng, 2, 32) * kKiB;
    std::vector<CacheKey> hotKeys;
    hotKeys.reserve(keys);
    for (std::size_t i = 0; i < keys; ++i)
        hotKeys.push_back(CacheKey::fromId("zipf", concat({"k", std::to_string(i)})));
    std::vector<TraceRequest> trace;
    trace.reserve(requests + requests / scanEvery * keys / 2);
    std::size_t scanKey = 0;
    for (std::size_t r = 0; r < requests; ++r) {
        if (r > 0 && r % scanEvery == 0) {
            for (std::size_t i = 0; i < keys / 2; ++i) {
                trace.push_back(
                    TraceRequest{CacheKey::fromId("scan", concat({"x", std::to_string(scanKey++)})),
                                 randomBetween(rng, 2, 32) * kKiB});
            }
        }
        const std::size_t rank = sampleCdf(cdf, rng);
        trace.push_back(TraceRequest{hotKeys[rank], sizes[rank]});
    }
    return trace;
}

TraceResult replayTrace(const std::string& name, const std::vector<TraceRequest>& trace,
                        std::size_t capacityBytes, std::size_t shards, std::int64_t stepMs) {
    std::int64_t fakeNow = 1'000'000;
    CacheOptions options;
    options.memory.capacityBytes = capacityBytes;
    options.memory.shards = shards;
    options.clock = [&fakeNow] { return fakeNow; };
    Cache ours(options);
    LruCache lru(ours.stats().l1.capacityBytes);

    // Values are shared per size: the caches charge value->size(), and the replay allocates nothing.
    std::map<std::size_t, BlobPtr> blobs;
    std::unordered_set<std::string> unique;
    std::size_t ourHits = 0;
    std::size_t lruHits = 0;
    for (const TraceRequest& request : trace) {
        fakeNow += stepMs;
        unique.insert(request.key.id());
        if (ours.get(request.key)) {
            ++ourHits;
        } else {
            BlobPtr& blob = blobs[request.bytes];
            if (!blob)
                blob = std::make_shared<const Blob>(request.bytes);
            ours.put(request.key, blob);
        }
        if (lru.access(request.key.id(), request.bytes))
            ++lruHits;
    }
    const CacheStats stats = ours.stats();
    TraceResult result;
    result.trace = name;
    result.requests = trace.size();
    result.uniqueKeys = unique.size();
    result.capacityBytes = stats.l1.capacityBytes;
    result.hitRatio = trace.empty() ? 0.0 : static_cast<double>(ourHits) / static_cast<double>(trace.size());
    result.lruHitRatio =
        trace.empty() ? 0.0 : static_cast<double>(lruHits) / static_cast<double>(trace.size());
    result.scansDetected = stats.scansDetected;
    result.bypassedAdmissions = stats.bypassedAdmissions;
    return result;
}

ThroughputResult measureThroughput(int threads, std::size_t opsPerThread, std::size_t shards,
                                   std::uint64_t seed) {
    constexpr std::size_t kKeys = 65'536;
    constexpr std::size_t kValueBytes = 512;
    CacheOptions options;
    options.memory.capacityBytes = std::size_t{32} << 20; // about half of the key set fits
    options.memory.shards = shards;
    Cache cache(options);
    std::vector<CacheKey> keys;
    keys.reserve(kKeys);
    for (std::size_t i = 0; i < kKeys; ++i)
        keys.push_back(CacheKey::fromId("bench", concat({"k", std::to_string(i)})));
    const auto value = std::make_shared<const Blob>(kValueBytes);
    const std::vector<double> cdf = zipfCdf(kKeys, 0.8);

    // Each thread draws its requests before the clock starts, so that the measurement is the cache's.
    std::vector<std::vector<std::uint32_t>> plans(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) {
        std::mt19937_64 rng(seed + static_cast<std::uint64_t>(t));
        plans[static_cast<std::size_t>(t)].reserve(opsPerThread);
        for (std::size_t i = 0; i < opsPerThread; ++i)
            plans[static_cast<std::size_t>(t)].push_back(static_cast<std::uint32_t>(sampleCdf(cdf, rng)));
    }
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            ready.fetch_add(1);
            while (!go.load(std::memory_order_acquire))
                std::this_thread::yield();
            std::size_t i = 0;
            for (const std::uint32_t k : plans[static_cast<std::size_t>(t)]) {
                // Nine reads to one write; a read miss is followed by its put, as in the pipeline.
                if (++i % 10 == 0 || !cache.get(keys[k]))
                    cache.put(keys[k], value);
            }
        });
    }
    while (ready.load() < threads)
        std::this_thread::yield();
    const auto start = std::chrono::steady_clock::now();
    go.store(true, std::memory_order_release);
    for (std::thread& worker : workers)
        worker.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ThroughputResult result;
    result.threads = threads;
    result.operations = opsPerThread * static_cast<std::size_t>(threads);
    result.seconds = seconds;
    result.opsPerSecond = seconds > 0 ? static_cast<double>(result.operations) / seconds : 0.0;
    return result;
}

std::size_t traceShards(std::size_t capacityBytes, std::size_t maxShards) {
    // Shards of at least 12 MiB, as in the default configuration (256 MiB / 16): a 48 MiB L1 cut into 16
    // shards of 3 MiB holds ~12 blobs of 100-400 KiB per shard, and the hash's imbalance between such small
    // partitions (an overfull shard evicts while another idles), not the policy, is then what a comparison
    // with one unsharded LRU measures.
    constexpr std::size_t kMinShardBytes = std::size_t{12} << 20;
    return std::bit_floor(
        std::clamp<std::size_t>(capacityBytes / kMinShardBytes, 1, std::max<std::size_t>(maxShards, 1)));
}

CacheBenchReport runCacheBench(const CacheBenchOptions& options) {
    CacheBenchReport report;
    for (const int threads : options.threads)
        report.throughput.push_back(
            measureThroughput(threads, options.opsPerThread, options.shards, options.seed));
    // Capacities: about a quarter of each trace's distinct bytes, where the choice of policy matters.
    constexpr std::size_t kCreatorBytes = std::size_t{48} << 20;
    constexpr std::size_t kZipfBytes = std::size_t{32} << 20;
    report.traces.push_back(replayTrace("creator", creatorTrace(options.seed), kCreatorBytes,
                                        traceShards(kCreatorBytes, options.shards)));
    report.traces.push_back(replayTrace("zipf+scans", zipfScanTrace(options.seed), kZipfBytes,
                                        traceShards(kZipfBytes, options.shards)));
    return report;
}

} // namespace avatar::cache
