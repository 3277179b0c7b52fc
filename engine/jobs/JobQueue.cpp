#include "JobQueue.h"

#include "JobDatabase.h"
#include "JobMonitor.h"
#include "RunnerLock.h"
#include "StaleFiles.h"
#include "core/CancelToken.h"
#include "core/Error.h"
#include "core/HeapTrim.h"
#include "core/ImageIO.h"
#include "core/Watchdog.h"
#include "pipeline/EngineServices.h"
#include "pipeline/RenderPipeline.h"
#include "profile/LatencyHistogram.h"
#include "scale/Scaler.h"
#include "scale/SystemMetricsSource.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <thread>

namespace avatar {
namespace {

using Clock = std::chrono::steady_clock;

double wallNow() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Progress is written to the database at most this often (and at every stage change): enough for `queue
// list` and a restart, cheap with synchronous=FULL.
constexpr auto kProgressSaveInterval = std::chrono::seconds(1);
// Below this fraction the rate says nothing yet (validation and TTS start-up dominate).
constexpr double kMinProgressForEta = 0.01;
// Preview frames: at most 5 a second per job, at most 480 px wide (DESIGN.md, events out of the engine).
constexpr auto kPreviewInterval = std::chrono::milliseconds(200);
constexpr int kPreviewMaxWidth = 480;
constexpr std::array<const char*, 5> kStages = {"tts", "face", "animate", "render", "encode"};

} // namespace

struct JobQueue::Impl {
    struct Entry {
        JobRecord record;
        CancelToken cancel;
        bool stopRequested = false; // cancelled by stop(): the job becomes Interrupted, not Cancelled
        bool resumeFirst = false;   // interrupted earlier: runs before the other queued jobs
        Clock::time_point started;
        Clock::time_point lastEmit;
        Clock::time_point lastSave;
        long long framesSeen = 0;
        Watchdog::Lease lease;   // while running: beaten at every progress report and frame
        std::string stallReason; // set by the watchdog: the job fails with it instead of being cancelled
    };

    Impl(EngineServices& s, const Options& o) : services(s), options(o) {}

    EngineServices& services;
    Options options;
    std::unique_ptr<RunnerLock> runnerLock;
    std::unique_ptr<JobDatabase> db;

    mutable std::mutex mutex;
    std::condition_variable wake;                // job threads: a job became runnable, or stop
    std::condition_variable idle;                // waitUntilIdle
    std::vector<std::unique_ptr<Entry>> entries; // in position order
    JobId nextMemoryId = 1;
    bool started = false;
    bool stopping = false;
    int running = 0;
    int delivering = 0; // state changes whose events are being delivered: waitUntilIdle waits for them
    std::vector<std::thread> threads;
    std::array<LatencyHistogram, kStages.size()> stageNs; // per job, from RenderResult::seconds
    std::vector<std::string> scalerDecisions;             // since the last metrics sample
    std::atomic<long long> framesDone{0};
    std::atomic<Tier> tier{Tier::Standard};

    std::recursive_mutex listenerMutex; // recursive: a listener may call back into the queue
    JobListener listener;

    std::unique_ptr<SystemMetricsSource> scalerSource;
    std::unique_ptr<Scaler> scaler;
    std::unique_ptr<JobMonitor> monitor;
    // Destroyed before `entries`; every job gives its lease back when it ends, before that.
    std::unique_ptr<Watchdog> watchdog;
    int liveThreads = 0; // job threads alive (under `mutex`): stays `concurrentJobs` when one is replaced

    Entry* find(JobId id) const {
        for (const auto& e : entries)
            if (e->record.id == id)
                return e.get();
        return nullptr;
    }

    // Interrupted jobs first, then priority, then queue position.
    Entry* next() const {
        Entry* best = nullptr;
        for (const auto& e : entries) {
            if (e->record.state != JobState::Queued)
                continue;
            if (!best ||
                std::tuple(e->resumeFirst, e->record.spec.priority, -e->record.position) >
                    std::tuple(best->resumeFirst, best->record.spec.priority, -best->record.position))
                best = e.get();
        }
        return best;
    }

    int queued() const {
        return static_cast<int>(std::count_if(entries.begin(), entries.end(), [](const auto& e) {
            return e->record.state == JobState::Queued;
        }));
    }

    void emit(const JobEvent& event) {
        std::lock_guard lock(listenerMutex);
        if (listener)
            listener(event);
    }
    void emit(JobEvent::Kind kind, const JobRecord& record) {
        JobEvent e;
        e.kind = kind;
        e.id = record.id;
        e.record = record;
        emit(e);
    }
    void log(const std::string& message) {
        JobEvent e;
        e.kind = JobEvent::Kind::Log;
        e.message = message;
        emit(e);
    }

    // An interrupted job's partial files (a dead render's, beside its outputs), removed as it is queued
    // again: before the database says Queued, or a process killed in between leaves a plain queued job
    // whose next run never removes them (tst_faults' random kills found one). Returns the lines to log once
    // the caller has unlocked.
    static std::vector<std::string> removePartialFiles(const JobRecord& record) {
        std::vector<std::string> lines;
        for (const std::filesystem::path& f : removeStaleTemporaries(record.spec.render))
            lines.push_back("Removed the partial file '" + f.string() + "' of an interrupted render.");
        return lines;
    }

    // Persists a state change (the caller holds `mutex`); the caller emits after unlocking. A database
    // that stopped accepting writes must not kill a job thread: the change stays in memory and is logged.
    std::string persist(const JobRecord& record, JobState from, const std::string& note) {
        if (!db)
            return {};
        try {
            db->saveState(record, from, note);
        } catch (const Error& e) {
            return e.what();
        }
        return {};
    }

    void changeState(Entry& e, JobState to, const std::string& note, std::unique_lock<std::mutex>& lock) {
        const JobState from = e.record.state;
        e.record.state = to;
        const std::string problem = persist(e.record, from, note);
        const JobRecord copy = e.record;
        ++delivering;
        lock.unlock();
        try {
            if (!problem.empty())
                log(problem);
            emit(JobEvent::Kind::Changed, copy);
        } catch (...) {
            lock.lock(); // a listener that throws leaves the queue's books straight (replaceWorker)
            --delivering;
            idle.notify_all();
            throw;
        }
        lock.lock();
        --delivering;
        idle.notify_all();
    }

    void onProgress(Entry& e, const Progress& p) {
        e.lease.beat(stageName(p.stage)); // the job's own thread: no lock needed for its lease
        std::unique_lock lock(mutex);
        const Stage previous = e.record.stage;
        const auto now = Clock::now();
        e.record.stage = p.stage;
        e.record.progress = std::clamp(p.fraction, 0.0, 1.0);
        e.record.elapsedSeconds = std::chrono::duration<double>(now - e.started).count();
        e.record.etaSeconds = e.record.progress >= kMinProgressForEta
                                  ? e.record.elapsedSeconds * (1.0 - e.record.progress) / e.record.progress
                                  : -1.0;
        if (p.framesDone > e.framesSeen) {
            framesDone += p.framesDone - e.framesSeen;
            e.framesSeen = p.framesDone;
        }
        const bool save = db && (p.stage != previous || now - e.lastSave >= kProgressSaveInterval);
        // Throttled and coalesced: a call inside the interval only updates the record; the next one after
        // it carries the latest values (and the final state always arrives as a Changed event).
        const bool send = now - e.lastEmit >= options.progressInterval;
        if (save)
            e.lastSave = now;
        if (send)
            e.lastEmit = now;
        const JobRecord copy = e.record;
        lock.unlock();
        if (save) {
            try {
                db->saveProgress(copy);
            } catch (const Error& error) {
                log(error.what());
            }
        }
        if (send)
            emit(JobEvent::Kind::Progress, copy);
    }

    void recordLatency(const StageSeconds& s) {
        const std::array<double, kStages.size()> seconds = {s.tts, s.face, s.animate, s.render, s.encode};
        for (std::size_t i = 0; i < seconds.size(); ++i)
            stageNs[i].record(static_cast<std::int64_t>(seconds[i] * 1e9));
    }

    void runOne(Entry& e, std::unique_lock<std::mutex>& lock);
    void replaceWorker(Entry& e, std::exception_ptr failure, std::unique_lock<std::mutex>& lock);
    void onStall(JobId id, const std::string& stage, std::chrono::milliseconds idle);
    bool move(JobId id, int direction);
    void threadMain(int index);
    JobMonitor::QueueSample probe();
};

void JobQueue::Impl::threadMain(int index) {
    const std::string name = "job-" + std::to_string(index);
    pthread_setname_np(pthread_self(), name.c_str());
    // The job thread encodes (and x264's threads inherit its priority): bulk work, below the GUI.
    ThreadPool::lowerCurrentThreadPriority(EngineServices::kBulkNiceness);
    std::unique_lock lock(mutex);
    ++liveThreads;
    for (;;) {
        wake.wait(lock, [this] { return stopping || next() != nullptr; });
        if (stopping)
            break;
        Entry& e = *next();
        try {
            runOne(e, lock);
        } catch (...) {
            // Something escaped the job (a listener that threw, a file system error around the render): this
            // thread's state is no longer trusted, so it fails the job, starts its replacement and ends.
            replaceWorker(e, std::current_exception(), lock);
            return;
        }
    }
    --liveThreads;
}

void JobQueue::Impl::replaceWorker(Entry& e, std::exception_ptr failure, std::unique_lock<std::mutex>& lock) {
    if (!lock.owns_lock())
        lock.lock();
    std::string why = "an unknown exception";
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& x) {
        why = x.what();
    } catch (...) {
    }
    services.resilience.add(ResilienceEvent::WorkerReplaced);
    e.lease = Watchdog::Lease();
    --liveThreads;
    if (!stopping) {
        const int index = static_cast<int>(threads.size()) + 1;
        threads.emplace_back([this, index] { threadMain(index); });
    }
    if (e.record.state == JobState::Running) {
        --running;
        e.record.error = "The job's worker thread failed (" + why + "); a new worker took its place.";
        e.record.finishedAt = wallNow();
        e.record.etaSeconds = -1.0;
        try {
            changeState(e, JobState::Failed, "worker replaced", lock);
        } catch (...) {
            // Stored before the listener is told: a listener that throws again changes nothing here.
        }
    }
    const std::string message =
        "A job thread died (" + why + ") and was replaced; job " + std::to_string(e.record.id) + " failed.";
    lock.unlock();
    try {
        log(message);
    } catch (...) {
    }
    lock.lock();
    idle.notify_all();
}

void JobQueue::Impl::onStall(JobId id, const std::string& stage, std::chrono::milliseconds idle) {
    std::string message;
    {
        std::lock_guard lock(mutex);
        Entry* e = find(id);
        if (!e || e->record.state != JobState::Running)
            return;
        e->stallReason =
            "The " + stage + " stage made no progress for " + std::to_string(idle.count() / 1000) +
            " s, so the watchdog stopped the job; retry it, and report the input if it happens again.";
        e->cancel.cancel(); // the job thread fails the job with the reason when the pipeline stops
        message = "Job " + std::to_string(id) + ": " + e->stallReason;
    }
    log(message);
}

void JobQueue::Impl::runOne(Entry& e, std::unique_lock<std::mutex>& lock) {
    const bool resumed = e.resumeFirst;
    e.resumeFirst = false;
    e.cancel = CancelToken();
    e.stopRequested = false;
    e.started = e.lastSave = Clock::now();
    e.lastEmit = e.started - options.progressInterval;
    e.framesSeen = 0;
    e.stallReason.clear();
    e.record.attempts += 1;
    e.record.stage = Stage::Validate;
    e.record.progress = 0.0;
    e.record.elapsedSeconds = 0.0;
    e.record.etaSeconds = -1.0;
    e.record.error.clear();
    e.record.startedAt = wallNow();
    e.record.finishedAt = 0.0;
    ++running;
    const CancelToken cancel = e.cancel;
    const JobSpec spec = e.record.spec;
    changeState(e, JobState::Running, resumed ? "resumed" : "started", lock);

    lock.unlock();
    if (watchdog)
        e.lease = watchdog->watch(static_cast<std::uint64_t>(e.record.id), stageName(Stage::Validate));
    JobState outcome = JobState::Done;
    std::string error;
    RenderResult result;
    try {
        RunHooks hooks;
        hooks.jobId = e.record.id;
        Clock::time_point lastPreview = e.started - kPreviewInterval;
        hooks.onFrame = [this, &e, &lastPreview](const Image& frame, long long) {
            e.lease.beat(stageName(Stage::Render));
            const auto now = Clock::now();
            if (now - lastPreview < kPreviewInterval || frame.width() <= 0)
                return;
            lastPreview = now;
            JobEvent event;
            event.kind = JobEvent::Kind::Preview;
            event.id = e.record.id; // the id never changes: no lock needed
            const int width = std::min(frame.width(), kPreviewMaxWidth);
            const int height = std::max(1, frame.height() * width / frame.width());
            event.preview = width == frame.width() ? frame : ImageIO::resized(frame, width, height);
            emit(event);
        };
        // The job's own tier decides its encoder preset when it names none; the memory cap, batch sizes and
        // scaler follow the queue's tier (setTier), which all running jobs share.
        RenderSpec render = spec.render;
        render.useCache = spec.useCache;
        render.preset = effectiveEncoderPreset(render.preset, spec.tier);
        result = RenderPipeline(services).run(
            render, cancel, [this, &e](const Progress& p) { onProgress(e, p); }, hooks);
    } catch (const Error& x) {
        outcome = x.code() == ErrorCode::Cancelled ? JobState::Cancelled : JobState::Failed;
        error = x.code() == ErrorCode::Cancelled ? std::string() : x.what();
    } catch (const std::exception& x) {
        outcome = JobState::Failed;
        error = std::string("Unexpected failure: ") + x.what();
    }
    e.lease = Watchdog::Lease();
    // The job's frames, sound and encoder state are freed by now: give their pages back before the job is
    // announced finished, so that a long run's resident memory does not creep up in the allocator's arenas.
    returnFreedMemory();
    lock.lock();
    if (outcome == JobState::Cancelled && !e.stallReason.empty()) {
        outcome = JobState::Failed;
        error = e.stallReason;
    } else if (outcome == JobState::Cancelled && e.stopRequested) {
        outcome = JobState::Interrupted;
    }
    e.record.error = error;
    e.record.finishedAt = wallNow();
    e.record.elapsedSeconds = std::chrono::duration<double>(Clock::now() - e.started).count();
    e.record.etaSeconds = outcome == JobState::Done ? 0.0 : -1.0;
    if (outcome == JobState::Done) {
        e.record.result = result;
        e.record.stage = Stage::Done;
        e.record.progress = 1.0;
        recordLatency(result.seconds);
    }
    --running;
    const char* note = outcome == JobState::Interrupted ? "the queue was stopped" : "";
    changeState(e, outcome, note, lock);
}

// Swaps the positions of a queued job and its queued neighbour (running and finished jobs keep theirs).
bool JobQueue::Impl::move(JobId id, int direction) {
    Impl& d = *this;
    std::unique_lock lock(d.mutex);
    auto& v = d.entries;
    const auto it = std::find_if(v.begin(), v.end(), [id](const auto& e) { return e->record.id == id; });
    if (it == v.end() || (*it)->record.state != JobState::Queued)
        return false;
    std::ptrdiff_t i = it - v.begin();
    std::ptrdiff_t j = i + direction;
    while (j >= 0 && j < static_cast<std::ptrdiff_t>(v.size()) && v[j]->record.state != JobState::Queued)
        j += direction;
    if (j < 0 || j >= static_cast<std::ptrdiff_t>(v.size()))
        return false;
    std::swap(v[i]->record.position, v[j]->record.position);
    std::swap(v[i], v[j]);
    const std::vector<JobRecord> moved = {v[j]->record, v[i]->record};
    if (d.db)
        d.db->savePositions(moved);
    lock.unlock();
    for (const JobRecord& r : moved)
        d.emit(JobEvent::Kind::Moved, r);
    return true;
}

JobMonitor::QueueSample JobQueue::Impl::probe() {
    JobMonitor::QueueSample s;
    std::lock_guard lock(mutex);
    s.queueDepth = queued();
    s.runningJobs = running;
    s.framesDone = framesDone.load();
    for (std::size_t i = 0; i < kStages.size(); ++i)
        if (stageNs[i].count())
            s.latency.push_back({kStages[i], stageNs[i].percentile(95.0) / 1e6});
    s.scalerDecisions = std::move(scalerDecisions);
    scalerDecisions.clear();
    return s;
}

JobQueue::JobQueue(EngineServices& services, const Options& options)
    : m_impl(std::make_unique<Impl>(services, options)) {
    Impl& d = *m_impl;
    d.options.concurrentJobs = std::max(1, options.concurrentJobs);
    d.tier = services.tier();
    if (!options.database.empty()) {
        d.runnerLock = std::make_unique<RunnerLock>(options.database);
        JobDatabase::Options dbOptions;
        dbOptions.counters = &services.resilience;
        d.db = std::make_unique<JobDatabase>(options.database, std::move(dbOptions));
        d.db->markRunningInterrupted();
        for (JobRecord& r : d.db->load()) {
            auto e = std::make_unique<Impl::Entry>();
            e->record = std::move(r);
            d.entries.push_back(std::move(e));
        }
    }
    if (options.autoscale) {
        d.scalerSource = std::make_unique<SystemMetricsSource>([&d] {
            std::lock_guard lock(d.mutex);
            return EngineLoad{static_cast<double>(d.queued()), std::nullopt};
        });
        d.scaler = std::make_unique<Scaler>(*d.scalerSource, ScalerOptions{});
        d.scaler->attachPool(services.renderPool);
        d.scaler->setTier(tierSettings(d.tier.load()));
        d.scaler->addListener([&d](const ScalerDecision& decision) {
            std::lock_guard lock(d.mutex);
            d.scalerDecisions.push_back(decision.reason);
        });
    }
    if (options.stallTimeout.count() > 0) {
        Watchdog::Options w;
        w.stallTimeout = options.stallTimeout;
        w.checkInterval = options.watchdogInterval;
        d.watchdog = std::make_unique<Watchdog>(
            w,
            [&d](std::uint64_t id, const std::string& stage, std::chrono::milliseconds idle) {
                d.onStall(static_cast<JobId>(id), stage, idle);
            },
            options.watchdogClock, &services.resilience);
    }
    d.monitor = std::make_unique<JobMonitor>(
        services, [&d] { return d.probe(); },
        [&d](const EngineMetrics& m) {
            JobEvent e;
            e.kind = JobEvent::Kind::Metrics;
            e.metrics = m;
            d.emit(e);
        });
}

JobQueue::~JobQueue() {
    stop();
}

void JobQueue::setListener(JobListener listener) {
    std::lock_guard lock(m_impl->listenerMutex);
    m_impl->listener = std::move(listener);
}

JobSpec JobQueue::prepare(EngineServices& services, const JobSpec& input) {
    JobSpec spec = input;
    if (!spec.render.avatar.empty())
        spec.render.avatar = std::filesystem::absolute(spec.render.avatar);
    if (!spec.render.output.empty())
        spec.render.output = std::filesystem::absolute(spec.render.output);
    RenderPipeline(services).validate(spec.render);
    if (spec.name.empty())
        spec.name = spec.render.output.filename().string();
    return spec;
}

JobId JobQueue::add(const JobSpec& input) {
    Impl& d = *m_impl;
    JobSpec spec = prepare(d.services, input);
    JobRecord record;
    record.spec = std::move(spec);
    record.state = JobState::Queued;
    record.createdAt = wallNow();
    // Taken before the state lock (the order every listener call uses), so that Added reaches the listener
    // before a job thread can announce that the job started.
    std::lock_guard emitLock(d.listenerMutex);
    std::unique_lock lock(d.mutex);
    if (d.db) {
        d.db->insert(record);
    } else {
        record.id = d.nextMemoryId++;
        record.position = d.entries.empty() ? 1 : d.entries.back()->record.position + 1;
    }
    auto e = std::make_unique<Impl::Entry>();
    e->record = record;
    d.entries.push_back(std::move(e));
    d.wake.notify_all();
    lock.unlock();
    d.emit(JobEvent::Kind::Added, record);
    return record.id;
}

bool JobQueue::cancel(JobId id) {
    Impl& d = *m_impl;
    std::unique_lock lock(d.mutex);
    Impl::Entry* e = d.find(id);
    if (!e)
        return false;
    if (e->record.state == JobState::Running) {
        e->cancel.cancel(); // the job thread records Cancelled when the pipeline stops
        return true;
    }
    if (e->record.state != JobState::Queued && e->record.state != JobState::Interrupted)
        return false;
    e->record.finishedAt = wallNow();
    d.changeState(*e, JobState::Cancelled, "cancelled while waiting", lock);
    return true;
}

bool JobQueue::retry(JobId id) {
    Impl& d = *m_impl;
    std::unique_lock lock(d.mutex);
    Impl::Entry* e = d.find(id);
    if (!e || (e->record.state != JobState::Failed && e->record.state != JobState::Cancelled &&
               e->record.state != JobState::Interrupted))
        return false;
    e->resumeFirst = e->record.state == JobState::Interrupted;
    const std::vector<std::string> removed =
        e->resumeFirst ? Impl::removePartialFiles(e->record) : std::vector<std::string>();
    e->record.progress = 0.0;
    e->record.stage = Stage::Validate;
    e->record.error.clear();
    e->record.etaSeconds = -1.0;
    d.changeState(*e, JobState::Queued, "retry", lock);
    d.wake.notify_all();
    lock.unlock();
    for (const std::string& message : removed)
        d.log(message);
    return true;
}

bool JobQueue::remove(JobId id) {
    Impl& d = *m_impl;
    std::unique_lock lock(d.mutex);
    const auto it =
        std::find_if(d.entries.begin(), d.entries.end(), [id](const auto& e) { return e->record.id == id; });
    if (it == d.entries.end() || (*it)->record.state == JobState::Running)
        return false;
    if (d.db)
        d.db->remove(id);
    const JobRecord record = (*it)->record;
    d.entries.erase(it);
    d.idle.notify_all();
    lock.unlock();
    d.emit(JobEvent::Kind::Removed, record);
    return true;
}

bool JobQueue::moveUp(JobId id) {
    return m_impl->move(id, -1);
}
bool JobQueue::moveDown(JobId id) {
    return m_impl->move(id, +1);
}

std::vector<JobRecord> JobQueue::jobs() const {
    std::lock_guard lock(m_impl->mutex);
    std::vector<JobRecord> out;
    out.reserve(m_impl->entries.size());
    for (const auto& e : m_impl->entries)
        out.push_back(e->record);
    return out;
}

std::optional<JobRecord> JobQueue::job(JobId id) const {
    std::lock_guard lock(m_impl->mutex);
    if (const Impl::Entry* e = m_impl->find(id))
        return e->record;
    return std::nullopt;
}

void JobQueue::setTier(Tier tier) {
    m_impl->tier = tier;
    m_impl->services.setTier(tier);
    if (m_impl->scaler)
        m_impl->scaler->setTier(tierSettings(tier));
}

Tier JobQueue::tier() const {
    return m_impl->tier.load();
}

void JobQueue::start() {
    Impl& d = *m_impl;
    std::unique_lock lock(d.mutex);
    if (d.started)
        return;
    d.started = true;
    d.stopping = false;
    // Jobs interrupted by a crash or a stop are queued again, ahead of the others, their partial files
    // removed first (no job of this process runs yet, so none of them is writing).
    std::vector<std::string> removed;
    for (auto& e : d.entries) {
        if (e->record.state == JobState::Interrupted) {
            for (std::string& line : Impl::removePartialFiles(e->record))
                removed.push_back(std::move(line));
            e->resumeFirst = true;
            d.changeState(*e, JobState::Queued, "queued again after an interruption", lock);
        }
    }
    for (int i = 0; i < d.options.concurrentJobs; ++i)
        d.threads.emplace_back([&d, i] { d.threadMain(i + 1); });
    lock.unlock();
    for (const std::string& message : removed)
        d.log(message);
    if (d.scaler)
        d.scaler->start();
    if (d.options.monitor)
        d.monitor->start();
}

void JobQueue::stop() {
    Impl& d = *m_impl;
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(d.mutex);
        if (!d.started)
            return;
        d.stopping = true;
        for (auto& e : d.entries) {
            if (e->record.state == JobState::Running) {
                e->stopRequested = true;
                e->cancel.cancel();
            }
        }
        threads.swap(d.threads);
    }
    d.wake.notify_all();
    d.idle.notify_all();
    for (std::thread& t : threads)
        t.join();
    d.monitor->stop();
    if (d.scaler)
        d.scaler->stop();
    std::lock_guard lock(d.mutex);
    d.started = false;
    d.stopping = false;
    d.idle.notify_all();
}

int JobQueue::jobThreads() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->liveThreads;
}

void JobQueue::waitUntilIdle() {
    Impl& d = *m_impl;
    std::unique_lock lock(d.mutex);
    d.idle.wait(lock, [&d] {
        return d.running == 0 && d.delivering == 0 && (!d.started || d.stopping || d.queued() == 0);
    });
}

EngineMetrics JobQueue::sampleMetrics() {
    return m_impl->monitor->sample();
}

} // namespace avatar
