#include "QueueCommand.h"

#include "CliOptions.h"
#include "cache/Cache.h"
#include "core/Error.h"
#include "jobs/JobDatabase.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <pthread.h>
#include <thread>

namespace avatar::cli {
namespace {

// The flags of the queue itself; everything else given to `queue add` is a render flag for cli::parse.
struct QueueFlags {
    std::string action;
    std::filesystem::path database;
    std::string name;
    JobPriority priority = JobPriority::Normal;
    std::filesystem::path cacheDir; // empty: defaultCacheDir()
    bool noCache = false;
    int jobs = 1;
    bool json = false;
    bool quiet = false;
    bool help = false;
    std::vector<std::string> renderArgs;
};

QueueFlags parseFlags(const std::vector<std::string>& args) {
    QueueFlags f;
    if (args.empty())
        throw UsageError{"'queue' needs add, run or list. Run 'avatar-render queue --help' for the options."};
    if (args[0] == "-h" || args[0] == "--help") {
        f.help = true;
        return f;
    }
    f.action = args[0];
    if (f.action != "add" && f.action != "run" && f.action != "list")
        throw UsageError{"Unknown queue command '" + f.action + "': use add, run or list."};
    std::map<std::string, bool> given;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size())
                throw UsageError{a + " needs a value."};
            if (given[a])
                throw UsageError{a + " was given twice."};
            given[a] = true;
            return args[++i];
        };
        if (a == "--jobs-db") {
            f.database = value();
            if (f.database.empty())
                throw UsageError{"--jobs-db needs a file name."};
        } else if (a == "--json") {
            f.json = true;
        } else if (a == "-h" || a == "--help") {
            f.help = true;
        } else if (a == "-q" || a == "--quiet") {
            f.quiet = true;
        } else if (f.action == "add" && a == "--name") {
            f.name = value();
        } else if (f.action == "add" && a == "--priority") {
            const std::string p = value();
            const auto priority = parseJobPriority(p);
            if (!priority)
                throw UsageError{"--priority expects high, normal or low, not '" + p + "'."};
            f.priority = *priority;
        } else if (f.action == "run" && a == "--cache-dir") {
            f.cacheDir = value();
            if (f.cacheDir.empty())
                throw UsageError{"--cache-dir needs a folder name."};
        } else if (f.action == "run" && a == "--no-cache") {
            f.noCache = true;
        } else if (f.action == "run" && a == "--jobs") {
            const std::string n = value();
            const auto [ptr, ec] = std::from_chars(n.data(), n.data() + n.size(), f.jobs);
            if (ec != std::errc() || ptr != n.data() + n.size() || f.jobs < 1 || f.jobs > 16)
                throw UsageError{"--jobs expects a whole number from 1 to 16, not '" + n + "'."};
        } else if (f.action == "add") {
            f.renderArgs.push_back(a); // a render flag (or a mistake cli::parse will name)
        } else {
            throw UsageError{"'queue " + f.action + "' does not take '" + a +
                             "'. Run 'avatar-render queue --help' for the options."};
        }
    }
    if (f.noCache && !f.cacheDir.empty())
        throw UsageError{"Give either --cache-dir or --no-cache, not both."};
    if (!f.help && f.database.empty())
        throw UsageError{"'queue " + f.action + "' needs --jobs-db FILE."};
    return f;
}

void requireExisting(const std::filesystem::path& database) {
    std::error_code ec;
    if (!std::filesystem::exists(database, ec))
        throw Error(ErrorCode::NotFound, "The job database '" + database.string() +
                                             "' does not exist; add a job with 'avatar-render queue add'.");
}

int add(const QueueFlags& f) {
    std::vector<std::string> renderArgs = {"render"};
    renderArgs.insert(renderArgs.end(), f.renderArgs.begin(), f.renderArgs.end());
    const CliOptions options = parse(renderArgs);
    if (options.command != Command::Render)
        throw UsageError{"'queue add' takes render options only."};
    if (options.noCache || !options.cacheDir.empty())
        throw UsageError{
            "The cache is chosen when the queue runs: give --cache-dir or --no-cache to 'queue run'."};
    JobSpec spec;
    spec.name = f.name;
    spec.priority = f.priority;
    spec.render = options.spec;
    EngineServices services;
    JobRecord record;
    record.spec = JobQueue::prepare(services, spec);
    record.state = JobState::Queued;
    record.createdAt =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    JobDatabase(f.database).insert(record);
    if (f.json)
        std::printf("%s\n", jobRecordToJson(record).c_str());
    else
        std::printf("%lld\n", static_cast<long long>(record.id));
    return 0;
}

int list(const QueueFlags& f) {
    requireExisting(f.database);
    const std::vector<JobRecord> jobs = JobDatabase(f.database).load();
    if (f.json) {
        std::string out = "[";
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            if (i)
                out += ',';
            out += jobRecordToJson(jobs[i]);
        }
        std::printf("%s]\n", out.c_str());
        return 0;
    }
    for (const JobRecord& j : jobs)
        std::printf("%5lld  %-11s %3.0f%%  %-6s  %s  %s\n", static_cast<long long>(j.id),
                    jobStateName(j.state), j.progress * 100.0, jobPriorityName(j.spec.priority),
                    j.spec.name.c_str(), j.spec.render.output.c_str());
    return 0;
}

// SIGINT/SIGTERM stop the queue from a thread of their own (sigwait), so that the running jobs are cancelled
// cleanly and stay Interrupted in the database instead of being killed mid-write. SIGUSR1 ends the watcher.
class SignalWatcher {
public:
    // Call before any thread exists (the render pool is made with the services): threads inherit the mask,
    // so no thread but the watcher ever takes these signals.
    static void blockSignals() {
        const sigset_t set = signals();
        pthread_sigmask(SIG_BLOCK, &set, nullptr);
    }
    explicit SignalWatcher(JobQueue& queue) {
        const sigset_t set = signals();
        m_thread = std::thread([this, &queue, set] {
            int sig = 0;
            if (sigwait(&set, &sig) == 0 && sig != SIGUSR1) {
                m_signal = sig;
                queue.stop();
            }
        });
    }
    ~SignalWatcher() {
        pthread_kill(m_thread.native_handle(), SIGUSR1);
        m_thread.join();
    }
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;
    int signal() const { return m_signal.load(); }

private:
    static sigset_t signals() {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGUSR1);
        return set;
    }
    std::atomic_int m_signal{0};
    std::thread m_thread;
};

int run(const QueueFlags& f) {
    requireExisting(f.database);
    SignalWatcher::blockSignals();
    EngineServices services;
    // Shared by every job of this run (and, through its SQLite file, with other processes); it outlives the
    // queue, which is declared after it.
    std::unique_ptr<cache::Cache> cache;
    if (!f.noCache) {
        cache = openCache(f.cacheDir.empty() ? defaultCacheDir() : f.cacheDir, &services.resilience);
        services.cache = cache.get();
    }
    JobQueue::Options options;
    options.database = f.database;
    options.concurrentJobs = f.jobs;
    options.monitor = false; // nothing here shows the samples
    JobQueue queue(services, options);
    std::mutex printMutex;
    std::map<JobId, Stage> shownStage;
    int failed = 0;
    queue.setListener([&](const JobEvent& e) {
        std::lock_guard lock(printMutex);
        const JobRecord& r = e.record;
        if (e.kind == JobEvent::Kind::Log) {
            if (!f.quiet)
                std::fprintf(stderr, "avatar-render: %s\n", e.message.c_str());
        } else if (e.kind == JobEvent::Kind::Progress && !f.quiet && shownStage[r.id] != r.stage) {
            shownStage[r.id] = r.stage; // one line per stage: readable in logs, and something to wait for
            std::fprintf(stderr, "job %lld: %s\n", static_cast<long long>(r.id), stageName(r.stage));
        } else if (e.kind == JobEvent::Kind::Changed) {
            if (r.state == JobState::Failed || r.state == JobState::Cancelled)
                ++failed;
            if (r.state == JobState::Queued || r.state == JobState::Running)
                return;
            if (f.json)
                std::printf("%s\n", jobRecordToJson(r).c_str());
            else if (r.state == JobState::Done)
                std::printf("job %lld done: %s (%.1f s, %lld frames) in %.1f s\n",
                            static_cast<long long>(r.id), r.result.output.c_str(), r.result.duration,
                            r.result.frames, r.elapsedSeconds);
            else
                std::printf("job %lld %s: %s\n", static_cast<long long>(r.id), jobStateName(r.state),
                            r.error.empty() ? r.spec.name.c_str() : r.error.c_str());
        }
        std::fflush(stdout);
        std::fflush(stderr);
    });
    SignalWatcher watcher(queue);
    queue.start();
    queue.waitUntilIdle();
    queue.stop();
    if (watcher.signal() != 0) {
        std::fprintf(stderr,
                     "avatar-render: interrupted; the unfinished jobs resume with the next 'queue run'.\n");
        return 128 + watcher.signal();
    }
    return failed ? 1 : 0;
}

} // namespace

std::string queueUsage() {
    return R"(Usage: avatar-render queue add [render options] --jobs-db FILE [--name NAME]
                                 [--priority high|normal|low] [--json]
       avatar-render queue run --jobs-db FILE [--jobs N] [--cache-dir DIR | --no-cache] [--json] [-q]
       avatar-render queue list --jobs-db FILE [--json]

A crash-safe job queue in a SQLite file.
  add    validates a render (the options of 'avatar-render --help') and queues it; prints its id
         (with --json the job as one JSON line)
  run    renders the queued jobs, interrupted ones first, N at a time (default 1); prints a line per
         finished job (--json: one JSON object per line); exit 0 when all are done, 1 if any failed.
         Ctrl-C stops it; the unfinished jobs resume with the next run. The jobs share the render
         cache of 'avatar-render --help' (--cache-dir DIR, default $XDG_CACHE_HOME/avatar-studio or
         ~/.cache/avatar-studio; --no-cache: none).
  list   the jobs in queue order (--json: one JSON array)
)";
}

int runQueueCommand(const std::vector<std::string>& args) {
    try {
        const QueueFlags f = parseFlags(args);
        if (f.help) {
            std::printf("%s", queueUsage().c_str());
            return 0;
        }
        if (f.action == "add")
            return add(f);
        if (f.action == "list")
            return list(f);
        return run(f);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avatar-render: %s\n", e.message.c_str());
        return 2;
    } catch (const Error& e) {
        std::fprintf(stderr, "avatar-render: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avatar-render: unexpected failure: %s\n", e.what());
        return 1;
    }
}

} // namespace avatar::cli
