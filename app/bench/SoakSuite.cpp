// avatar-bench --suite soak: a long run (issue #15 item 7). 100 different jobs queued in one JobQueue with a
// job database and a cache, as `avatar-render queue run` runs them; the process's resident memory and open
// file descriptors are read after every job, and their growth from job 10 to job 100 is reported. The cache's
// memory level is small enough to be full before job 10, so that its filling is not taken for a leak.
#include "SoakReport.h"
#include "Suites.h"

#include "cache/Cache.h"
#include "core/Error.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"

#include <chrono>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

namespace avatar::bench {

int runSoakSuite(const RenderSpec& spec, const std::filesystem::path& dir) {
    cache::Cache cache(soakCacheOptions(dir));

    EngineServices services;
    services.faces.load(); // as a long-running queue has them
    services.cache = &cache;
    JobQueue::Options options;
    options.database = dir / "jobs.db";
    JobQueue queue(services, options);

    // Every job is different (its own sentence), so each one synthesises, renders and encodes anew.
    for (int i = 1; i <= kSoakJobs; ++i) {
        JobSpec job;
        job.render = spec;
        job.render.text = soakSentence(i);
        job.render.output = dir / ("soak-" + std::to_string(i) + ".mp4");
        queue.add(job);
    }

    std::mutex mutex;
    std::vector<SoakSample> samples;
    int failed = 0;
    std::string firstError;
    queue.setListener([&](const JobEvent& e) {
        if (e.kind != JobEvent::Kind::Changed ||
            (e.record.state != JobState::Done && e.record.state != JobState::Failed))
            return;
        // Read on the job thread as the job ends: the next job has not started yet.
        std::error_code ec;
        std::filesystem::remove(e.record.spec.render.output, ec); // 100 videos need not stay on disk
        const SoakSample s = takeSoakSample(cache.stats().l1.bytes);
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
    if (samples.size() != kSoakJobs)
        throw Error(ErrorCode::Internal,
                    "The soak run ended after " + std::to_string(samples.size()) + " jobs.");
    std::cout << soakReportJson("soak", samples, kSoakFrom,
                                std::to_string(spec.width) + "x" + std::to_string(spec.height), seconds,
                                kSoakMemoryCacheBytes)
              << std::endl;
    return 0;
}

} // namespace avatar::bench
