#pragma once

#include "EngineMetrics.h"
#include "JobTypes.h"
#include "core/Image.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace avatar {

struct EngineServices;

// What happened to a job (or to the engine), delivered to the listener on an engine thread: the listener
// must not block and must not touch UI objects (the studio posts a queued signal; the CLI prints).
struct JobEvent {
    enum class Kind { Added, Changed, Progress, Removed, Moved, Preview, Metrics, Log };
    Kind kind = Kind::Changed;
    JobId id = 0;     // 0 for Metrics and engine-wide Log lines
    JobRecord record; // the job after the change (Added, Changed, Progress, Moved)
    Image preview; // Preview: the latest rendered frame, downscaled to at most 480 px wide, ≤ 5 per second
    EngineMetrics metrics; // Metrics: once a second while the queue is started
    std::string message;   // Log
};
using JobListener = std::function<void(const JobEvent&)>;

// The engine's job scheduler: a priority queue of render jobs run by a small pool of job threads (each job
// renders its frames on the shared render pool of EngineServices). Jobs are persisted in the job database
// when one is given, so that a queue survives restarts and crashes: on start, jobs found Running are marked
// Interrupted and queued again. Thread-safe; every method returns without waiting for a render.
class JobQueue {
public:
    struct Options {
        std::filesystem::path database;                  // SQLite job database; empty = in memory only
        int concurrentJobs = 1;                          // jobs rendering at the same time
        bool monitor = true;                             // sample EngineMetrics once a second while started
        bool autoscale = true;                           // a Scaler resizes services.renderPool while started
        std::chrono::milliseconds progressInterval{100}; // at most one Progress event per job per interval
        // The watchdog: a running job whose stage shows no progress (no sentence, no frame) for this long is
        // cancelled and failed with a message naming the stage; 0 turns it off. The clock is for tests.
        std::chrono::milliseconds stallTimeout{300'000};
        std::chrono::milliseconds watchdogInterval{1'000};
        std::function<std::chrono::steady_clock::time_point()> watchdogClock{};
    };

    JobQueue(EngineServices& services, const Options& options);
    ~JobQueue(); // stops: running jobs are cancelled and stay Interrupted in the database
    JobQueue(const JobQueue&) = delete;
    JobQueue& operator=(const JobQueue&) = delete;

    void setListener(JobListener listener);

    JobId add(const JobSpec& spec); // validated first: Error(InvalidInput/...) for a bad spec, nothing queued
    // What add() stores: the spec validated (throws like add()), its paths made absolute (the queue may run
    // later from another folder) and its name defaulted to the output's file name. For tools that write a
    // job into a database without running the queue (`avatar-render queue add`).
    static JobSpec prepare(EngineServices& services, const JobSpec& spec);
    bool cancel(JobId id); // queued or running → Cancelled (a running job stops at its next frame)
    bool retry(JobId id);  // Failed/Cancelled/Interrupted → Queued again
    bool remove(JobId id); // any job that is not running; its output files stay
    bool moveUp(JobId id);
    bool moveDown(JobId id);

    std::vector<JobRecord> jobs() const; // in queue order
    std::optional<JobRecord> job(JobId id) const;

    void
    setTier(Tier tier); // applied live to the engine services (memory cap, batch sizes, scaler, profiler)
    Tier tier() const;

    void start(); // begin running queued jobs (and the monitor)
    void stop();  // cancel running jobs (they become Interrupted) and stop the threads
    // Blocks until no job is running and none is queued (or the queue is not started / being stopped).
    void waitUntilIdle();
    // Job threads alive now: `concurrentJobs` while started, also after one died and was replaced.
    int jobThreads() const;

    // One metrics sample now, without the monitor thread (tests, the CLI's summary).
    EngineMetrics sampleMetrics();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
