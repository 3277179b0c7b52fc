// avatar-bench --suite soak: a long run (issue #15 item 7). 100 different jobs queued in one JobQueue with a
// job database and a cache, as `avatar-render queue run` runs them; the process's resident memory and open
// file descriptors are read after every job, and their growth from job 10 to job 100 is reported. The cache's
// memory level is small enough to be full before job 10, so that its filling is not taken for a leak.
#include "Suites.h"

#include "cache/Cache.h"
#include "core/Error.h"
#include "core/Json.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"
#include "scale/ProcReaders.h"

#include <chrono>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

namespace avatar::bench {

namespace {

constexpr int kJobs = 100;
constexpr int kFrom = 10; // the growth is measured from this job, once the memory cache is full
// Small enough that the first few jobs' speech and segments fill it (about 180 KB a job at 320x180), in four
// shards so that a job's speech (about 100 KB) still fits a shard.
constexpr std::size_t kMemoryCacheBytes = std::size_t{1} << 20;
constexpr std::size_t kMemoryCacheShards = 4;

std::size_t openDescriptors() {
    std::error_code ec;
    std::size_t n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec))
        ++n;
    return n;
}

struct Sample {
    std::uint64_t rss = 0;
    std::size_t fds = 0;
    std::uint64_t cacheBytes = 0;
};

} // namespace

int runSoakSuite(const RenderSpec& spec, const std::filesystem::path& dir) {
    cache::CacheOptions cacheOptions;
    cacheOptions.memory.capacityBytes = kMemoryCacheBytes;
    cacheOptions.memory.shards = kMemoryCacheShards;
    cacheOptions.disk.path = dir / "cache" / "cache.db";
    std::filesystem::create_directories(dir / "cache");
    cache::Cache cache(std::move(cacheOptions));

    EngineServices services;
    services.faces.load(); // as a long-running queue has them
    services.cache = &cache;
    JobQueue::Options options;
    options.database = dir / "jobs.db";
    JobQueue queue(services, options);

    // Every job is different (its own sentence), so each one synthesises, renders and encodes anew.
    for (int i = 1; i <= kJobs; ++i) {
        JobSpec job;
        job.render = spec;
        job.render.text = "This is job number " + std::to_string(i) + " of the long run. It ends here.";
        job.render.output = dir / ("soak-" + std::to_string(i) + ".mp4");
        queue.add(job);
    }

    std::mutex mutex;
    std::vector<Sample> samples;
    int failed = 0;
    std::string firstError;
    queue.setListener([&](const JobEvent& e) {
        if (e.kind != JobEvent::Kind::Changed ||
            (e.record.state != JobState::Done && e.record.state != JobState::Failed))
            return;
        // Read on the job thread as the job ends: the next job has not started yet.
        std::error_code ec;
        std::filesystem::remove(e.record.spec.render.output, ec); // 100 videos need not stay on disk
        Sample s{processRssBytes().value_or(0), openDescriptors(), cache.stats().l1.bytes};
        std::lock_guard lock(mutex);
        if (e.record.state == JobState::Failed && failed++ == 0)
            firstError = e.record.error;
        samples.push_back(s);
    });
    const auto start = std::chrono::steady_clock::now();
    queue.start();
    queue.waitUntilIdle();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    queue.stop();

    if (failed > 0)
        throw Error(ErrorCode::Internal,
                    std::to_string(failed) + " soak jobs failed; the first: " + firstError);
    if (samples.size() != kJobs)
        throw Error(ErrorCode::Internal,
                    "The soak run ended after " + std::to_string(samples.size()) + " jobs.");
    const Sample& from = samples[kFrom - 1];
    const Sample& last = samples.back();
    const double rssGrowth = from.rss ? (static_cast<double>(last.rss) - static_cast<double>(from.rss)) /
                                            static_cast<double>(from.rss)
                                      : 0.0;
    const long long fdGrowth = static_cast<long long>(last.fds) - static_cast<long long>(from.fds);
    std::uint64_t peak = 0;
    int cacheFullAt = 0; // the first job after which the memory cache held 90 % of its capacity
    for (std::size_t i = 0; i < samples.size(); ++i) {
        peak = std::max(peak, samples[i].rss);
        if (cacheFullAt == 0 && samples[i].cacheBytes * 10 >= kMemoryCacheBytes * 9)
            cacheFullAt = static_cast<int>(i + 1);
    }

    JsonWriter w;
    w.beginObject()
        .field("suite", "soak")
        .field("jobs", kJobs)
        .field("size", std::to_string(spec.width) + "x" + std::to_string(spec.height))
        .field("seconds", seconds)
        .field("memory_cache_capacity_mb", static_cast<double>(kMemoryCacheBytes) / (1 << 20))
        .field("memory_cache_mb_at_job_10", static_cast<double>(from.cacheBytes) / (1 << 20))
        .field("memory_cache_full_at_job", cacheFullAt)
        .field("rss_mb_at_job_10", static_cast<double>(from.rss) / (1 << 20))
        .field("rss_mb_at_job_100", static_cast<double>(last.rss) / (1 << 20))
        .field("rss_peak_mb", static_cast<double>(peak) / (1 << 20))
        .field("rss_growth", rssGrowth)
        .field("fds_at_job_10", static_cast<long long>(from.fds))
        .field("fds_at_job_100", static_cast<long long>(last.fds))
        .field("fd_growth", fdGrowth);
    w.key("rss_mb_per_job").beginArray();
    for (const Sample& s : samples)
        w.value(static_cast<double>(s.rss) / (1 << 20));
    w.endArray().key("memory_cache_mb_per_job").beginArray();
    for (const Sample& s : samples)
        w.value(static_cast<double>(s.cacheBytes) / (1 << 20));
    w.endArray().key("fds_per_job").beginArray();
    for (const Sample& s : samples)
        w.value(static_cast<long long>(s.fds));
    w.endArray().endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace avatar::bench
