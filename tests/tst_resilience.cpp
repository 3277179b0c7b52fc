// The engine's error recovery (issue #15 item 4): backoff with full jitter, retried SQLite writes in the job
// database and the cache while another connection holds the lock, circuit breakers and fallback (a failing
// "GPU" backend degrading to the "CPU" one; a corrupt dlib model skipped for face-api in real renders), the
// watchdog on a stuck stage, and a job thread replaced after an exception escaped it. Failures are injected
// and time is a fake clock: nothing here sleeps or asserts a duration.
#include "cache/SqliteStore.h"
#include "core/CircuitBreaker.h"
#include "core/Error.h"
#include "core/Fallback.h"
#include "core/RetryPolicy.h"
#include "core/Watchdog.h"
#include "jobs/JobDatabase.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"
#include "pipeline/RenderPipeline.h"

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sqlite3.h>
#include <stdexcept>
#include <thread>

using namespace avatar;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// A steady clock that moves only when told to.
struct FakeClock {
    std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
    std::function<std::chrono::steady_clock::time_point()> fn() {
        return [this] { return now; };
    }
};

// A second connection that holds the database's write lock until release() (another process writing).
class LockHolder {
public:
    explicit LockHolder(const fs::path& file) {
        QVERIFY(sqlite3_open(file.c_str(), &m_db) == SQLITE_OK);
        QCOMPARE(sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    }
    ~LockHolder() {
        release();
        sqlite3_close(m_db);
    }
    void release() {
        if (m_locked)
            sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
        m_locked = false;
    }

private:
    sqlite3* m_db = nullptr;
    bool m_locked = true;
};

JobSpec smallSpec(const fs::path& output, const char* text = "Hello there.") {
    JobSpec s;
    s.render.text = text;
    s.render.width = 160;
    s.render.height = 120;
    s.render.fps = 12;
    s.render.preset = "ultrafast";
    s.render.threads = 1;
    s.render.output = output;
    return s;
}

// The queue's Changed events, and a hook called on the job thread with every event.
class Events {
public:
    JobListener listener() {
        return [this](const JobEvent& e) {
            if (e.kind == JobEvent::Kind::Changed) {
                std::lock_guard lock(m_mutex);
                m_changes.push_back(e.record);
            }
            m_changed.notify_all();
            if (m_hook)
                m_hook(e);
        };
    }
    std::function<void(const JobEvent&)> m_hook;
    // Queues two jobs (the first one's id also in `firstId`, before the queue starts), starts the queue and
    // waits for both to end.
    bool runTwo(JobQueue& queue, const JobSpec& first, const JobSpec& second, JobRecord& a, JobRecord& b,
                std::atomic<JobId>* firstId = nullptr) {
        const JobId one = queue.add(first);
        if (firstId)
            *firstId = one;
        const JobId two = queue.add(second);
        queue.start();
        return waitForFinal(one, a) && waitForFinal(two, b);
    }
    bool waitForFinal(JobId id, JobRecord& out) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, 120s, [&] {
            for (const JobRecord& r : m_changes)
                if (r.id == id && (r.state == JobState::Done || r.state == JobState::Failed ||
                                   r.state == JobState::Cancelled)) {
                    out = r;
                    return true;
                }
            return false;
        });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<JobRecord> m_changes;
};

} // namespace

class TstResilience : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }

private Q_SLOTS:
    void backoffIsFullJitterUnderTheCap() {
        double r = 0.0;
        const RetryPolicy policy(
            {6, 10ms, 100ms}, [](std::chrono::milliseconds) {}, [&r] { return r; });
        r = 0.0;
        for (int n = 1; n <= 6; ++n)
            QCOMPARE(policy.delayBefore(n).count(), 0); // full jitter reaches down to no wait at all
        r = 0.5;
        const std::vector<long long> half = {5, 10, 20, 40, 50, 50};
        for (int n = 1; n <= 6; ++n)
            QCOMPARE(policy.delayBefore(n).count(), half[static_cast<std::size_t>(n - 1)]);
        r = 0.999999;
        const std::vector<long long> top = {9, 19, 39, 79, 99, 99}; // base x 2^(n-1), capped at 100
        for (int n = 1; n <= 6; ++n)
            QCOMPARE(policy.delayBefore(n).count(), top[static_cast<std::size_t>(n - 1)]);
        QCOMPARE(policy.delayBefore(200).count(), 99); // no overflow far past the cap
    }

    void retryStopsAtSuccessOrGivesUp() {
        std::vector<long long> slept;
        const RetryPolicy policy(
            {4, 10ms, 1000ms}, [&](std::chrono::milliseconds d) { slept.push_back(d.count()); },
            [] { return 0.5; });
        ResilienceCounters counters;
        int calls = 0;
        QVERIFY(policy.run([&] { return ++calls == 3; }, &counters));
        QCOMPARE(calls, 3);
        QCOMPARE(slept, (std::vector<long long>{5, 10}));
        QCOMPARE(counters.snapshot()[ResilienceEvent::Retry], 2u);

        calls = 0;
        slept.clear();
        QVERIFY(!policy.run([&] { return ++calls < 0; }, &counters));
        QCOMPARE(calls, 4);
        QCOMPARE(slept.size(), std::size_t{3});
        QCOMPARE(counters.snapshot()[ResilienceEvent::Retry], 5u);
        QCOMPARE(counters.snapshot()[ResilienceEvent::RetryExhausted], 1u);

        calls = 0; // a permanent failure is not retried
        QVERIFY_THROWS_EXCEPTION(Error, policy.run([&]() -> bool {
            ++calls;
            throw Error(ErrorCode::Io, "disk gone");
        }));
        QCOMPARE(calls, 1);
    }

    void breakerOpensHalfOpensAndCloses() {
        FakeClock clock;
        ResilienceCounters counters;
        CircuitBreaker breaker("gpu", {3, 1000ms}, clock.fn(), &counters);
        QVERIFY(breaker.allow());
        breaker.recordFailure();
        breaker.recordFailure();
        breaker.recordSuccess(); // failures must be in a row
        breaker.recordFailure();
        breaker.recordFailure();
        QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
        breaker.recordFailure();
        QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
        QCOMPARE(counters.snapshot()[ResilienceEvent::BreakerOpened], 1u);
        QVERIFY(!breaker.allow());
        clock.now += 999ms;
        QVERIFY(!breaker.allow());
        QCOMPARE(counters.snapshot()[ResilienceEvent::BreakerSkipped], 2u);
        clock.now += 1ms;
        QVERIFY(breaker.allow()); // half-open: one trial
        QCOMPARE(breaker.state(), CircuitBreaker::State::HalfOpen);
        QVERIFY(!breaker.allow()); // the others wait for the trial
        breaker.recordFailure();   // the trial failed: open again for another cool-down
        QCOMPARE(breaker.state(), CircuitBreaker::State::Open);
        QCOMPARE(counters.snapshot()[ResilienceEvent::BreakerOpened], 2u);
        clock.now += 1000ms;
        QVERIFY(breaker.allow());
        breaker.recordSuccess();
        QCOMPARE(breaker.state(), CircuitBreaker::State::Closed);
        QVERIFY(breaker.allow());
    }

    void gpuFailureDegradesToCpu() {
        FakeClock clock;
        ResilienceCounters counters;
        CircuitBreaker gpu("gpu", {3, 60'000ms}, clock.fn(), &counters);
        CircuitBreaker cpu("cpu", {3, 60'000ms}, clock.fn(), &counters);
        int gpuCalls = 0, cpuCalls = 0;
        const std::vector<FallbackBackend<int>> backends = {
            {&gpu,
             [&]() -> int {
                 ++gpuCalls;
                 throw std::runtime_error("CUDA error: an illegal memory access was encountered");
             }},
            {&cpu, [&] {
                 ++cpuCalls;
                 return 42;
             }}};
        const auto anyFault = [](std::exception_ptr) { return true; };
        std::vector<std::string> notes;
        for (int i = 0; i < 3; ++i)
            QCOMPARE(runWithFallback<int>(backends, "device", anyFault, &counters, &notes), 42);
        QCOMPARE(gpuCalls, 3);
        QCOMPARE(gpu.state(), CircuitBreaker::State::Open);
        QVERIFY2(notes.front().find("cpu was used instead") != std::string::npos, notes.front().c_str());
        QVERIFY(notes.front().find("illegal memory access") != std::string::npos);
        // Open: the GPU is not called at all now, the CPU does the work at once.
        QCOMPARE(runWithFallback<int>(backends, "device", anyFault, &counters, &notes), 42);
        QCOMPARE(gpuCalls, 3);
        QCOMPARE(cpuCalls, 4);
        QVERIFY(notes.back().find("out of use") != std::string::npos);
        const ResilienceCounts c = counters.snapshot();
        QCOMPARE(c[ResilienceEvent::Fallback], 4u);
        QCOMPARE(c[ResilienceEvent::BreakerOpened], 1u);
        QCOMPARE(c[ResilienceEvent::BreakerSkipped], 1u);
        // After the cool-down the GPU gets a trial again, and its success brings it back.
        clock.now += 60'000ms;
        gpuCalls = 0;
        const std::vector<FallbackBackend<int>> healed = {{&gpu, [&] { return ++gpuCalls, 7; }},
                                                          {&cpu, [] { return 42; }}};
        QCOMPARE(runWithFallback<int>(healed, "device", anyFault, &counters, &notes), 7);
        QCOMPARE(gpu.state(), CircuitBreaker::State::Closed);
    }

    void answersAboutTheInputAreNotFaults() {
        ResilienceCounters counters;
        CircuitBreaker a("a", {1, 60'000ms}, {}, &counters);
        CircuitBreaker b("b", {1, 60'000ms}, {}, &counters);
        bool bCalled = false;
        const std::vector<FallbackBackend<int>> backends = {
            {&a, []() -> int { throw Error(ErrorCode::NoFace, "No face."); }},
            {&b, [&] { return bCalled = true, 1; }}};
        const auto fault = [](std::exception_ptr p) {
            try {
                std::rethrow_exception(p);
            } catch (const Error& e) {
                return e.code() != ErrorCode::NoFace;
            }
        };
        QVERIFY_THROWS_EXCEPTION(Error, runWithFallback<int>(backends, "backend", fault, &counters, nullptr));
        QVERIFY(!bCalled);
        QCOMPARE(a.state(), CircuitBreaker::State::Closed);

        // Both broken: the last failure goes to the caller; then both open: one clear error.
        const std::vector<FallbackBackend<int>> broken = {
            {&a, []() -> int { throw Error(ErrorCode::Unreadable, "model a is corrupt"); }},
            {&b, []() -> int { throw Error(ErrorCode::Unreadable, "model b is corrupt"); }}};
        try {
            runWithFallback<int>(broken, "backend", fault, &counters, nullptr);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(std::string(e.what()), std::string("model b is corrupt"));
        }
        try {
            runWithFallback<int>(broken, "backend", fault, &counters, nullptr);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("out of use") != std::string::npos, e.what());
        }
    }

    void watchdogReportsAStalledStageOnce() {
        FakeClock clock;
        ResilienceCounters counters;
        std::vector<std::tuple<std::uint64_t, std::string, long long>> stalls;
        Watchdog dog(
            {1000ms, 1000ms, false},
            [&](std::uint64_t id, const std::string& stage, std::chrono::milliseconds idle) {
                stalls.emplace_back(id, stage, idle.count());
            },
            clock.fn(), &counters);
        Watchdog::Lease healthy = dog.watch(8, "tts");
        {
            Watchdog::Lease lease = dog.watch(7, "face");
            clock.now += 500ms;
            lease.beat("render");
            healthy.beat("tts");
            dog.checkNow();
            QVERIFY(stalls.empty());
            clock.now += 999ms;
            healthy.beat("encode");
            dog.checkNow();
            QVERIFY(stalls.empty());
            clock.now += 2ms;
            dog.checkNow();
            QCOMPARE(stalls.size(), std::size_t{1});
            QCOMPARE(std::get<0>(stalls[0]), 7u);
            QCOMPARE(std::get<1>(stalls[0]), std::string("render"));
            QCOMPARE(std::get<2>(stalls[0]), 1001);
            dog.checkNow(); // once per stall
            QCOMPARE(stalls.size(), std::size_t{1});
        }
        clock.now += 10'000ms; // the stalled lease is gone; the healthy one stalls now
        dog.checkNow();
        QCOMPARE(stalls.size(), std::size_t{2});
        QCOMPARE(std::get<0>(stalls[1]), 8u);
        QCOMPARE(std::get<1>(stalls[1]), std::string("encode"));
        QCOMPARE(counters.snapshot()[ResilienceEvent::WatchdogStopped], 2u);
    }

    void jobDatabaseRetriesWhileAnotherWriterHoldsTheLock() {
        const fs::path file = path("locked-jobs.db");
        ResilienceCounters counters;
        { JobDatabase create(file); }
        auto holder = std::make_unique<LockHolder>(file);
        int sleeps = 0;
        JobDatabase::Options o;
        o.busyTimeoutMs = 0; // SQLite's own wait off: the retry policy alone must get the write through
        o.counters = &counters;
        o.retry = RetryPolicy({5, 10ms, 100ms}, [&](std::chrono::milliseconds) {
            if (++sleeps == 2)
                holder->release(); // the other writer commits during the second backoff
        });
        JobDatabase db(file, o);
        JobRecord r;
        r.spec = smallSpec(path("x.mp4"));
        r.state = JobState::Queued;
        const JobId id = db.insert(r);
        QVERIFY(id > 0);
        QCOMPARE(sleeps, 2);
        QCOMPARE(counters.snapshot()[ResilienceEvent::Retry], 2u);
        QCOMPARE(db.load().size(), std::size_t{1});
        QCOMPARE(db.integrityCheck(), std::string("ok"));

        // A lock that is never released: a clear error after the last attempt, nothing half-written.
        o.retry = RetryPolicy({3, 10ms, 100ms}, [](std::chrono::milliseconds) {});
        JobDatabase stuck(file, o);
        holder = std::make_unique<LockHolder>(file);
        r.state = JobState::Running;
        try {
            stuck.saveState(r, JobState::Queued, "started");
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Io);
            QVERIFY2(std::string(e.what()).find("kept it locked through 3 attempts") != std::string::npos,
                     e.what());
        }
        QCOMPARE(counters.snapshot()[ResilienceEvent::RetryExhausted], 1u);
        holder.reset();
        QCOMPARE(stuck.load().front().state, JobState::Queued);
    }

    void cacheStoreRetriesWhileAnotherWriterHoldsTheLock() {
        const fs::path file = path("locked-cache.db");
        ResilienceCounters counters;
        std::unique_ptr<LockHolder> holder;
        int sleeps = 0;
        cache::SqliteStoreOptions o;
        o.path = file;
        o.busyTimeoutMs = 0;
        o.resilience = &counters;
        o.retry = RetryPolicy({3, 10ms, 100ms}, [&](std::chrono::milliseconds) {
            ++sleeps;
            holder->release();
        });
        std::vector<std::string> warnings;
        cache::SqliteStore store(o, [&](const std::string& w) { warnings.push_back(w); });
        QVERIFY(store.isOpen());
        holder = std::make_unique<LockHolder>(file);
        const cache::Blob value = {1, 2, 3, 4};
        QVERIFY(store.put("key", "test", value, 1000));
        QCOMPARE(sleeps, 1);
        QCOMPARE(counters.snapshot()[ResilienceEvent::Retry], 1u);
        QVERIFY(warnings.empty());
        const auto hit = store.get("key", 1001);
        QVERIFY(hit.has_value());
        QCOMPARE(*hit->value, value);
    }

    void watchdogFailsAStuckJobAndTheQueueGoesOn() {
        EngineServices services;
        std::atomic<long long> offsetMs{0};
        JobQueue::Options o;
        o.monitor = false;
        o.autoscale = false;
        o.stallTimeout = 60'000ms;
        o.watchdogInterval = 5ms;
        o.watchdogClock = [&offsetMs] {
            return std::chrono::steady_clock::now() + std::chrono::milliseconds(offsetMs.load());
        };
        // Before the queue, so that it outlives the queue's threads, which call its listener: declared after,
        // a failed wait returned while a job thread still wrote into it (tst_resilience_asan's
        // heap-use-after-free).
        Events events;
        JobQueue queue(services, o);
        std::atomic<JobId> stuckId{0};
        std::atomic_bool stuck{false};
        // The first progress report of the first job blocks its thread (a stage that hangs) and moves the
        // watchdog's clock an hour on; it lets go once the watchdog has counted the stall.
        events.m_hook = [&](const JobEvent& e) {
            if (e.kind != JobEvent::Kind::Progress || e.id != stuckId.load() || stuck.exchange(true))
                return;
            offsetMs += 3'600'000;
            for (int i = 0;
                 i < 1'000'000 && services.resilience.snapshot()[ResilienceEvent::WatchdogStopped] == 0; ++i)
                std::this_thread::yield();
        };
        queue.setListener(events.listener());
        const char* longText = "This sentence is long enough that the job is still drawing frames when the "
                               "watchdog acts. It goes on for a second sentence, and a third one after it.";
        JobRecord failed, done;
        QVERIFY(events.runTwo(queue, smallSpec(path("stuck.mp4"), longText), smallSpec(path("next.mp4")),
                              failed, done, &stuckId));
        QCOMPARE(failed.state, JobState::Failed);
        QVERIFY2(failed.error.find("stage made no progress for 3600 s") != std::string::npos,
                 failed.error.c_str());
        // It hung in its first report, made while validating: the message names that stage.
        QVERIFY2(failed.error.find("The validate stage") == 0, failed.error.c_str());
        QVERIFY(!fs::exists(path("stuck.mp4")));
        QCOMPARE(done.state, JobState::Done);
        QVERIFY(fs::file_size(path("next.mp4")) > 0);
        QCOMPARE(services.resilience.snapshot()[ResilienceEvent::WatchdogStopped], 1u);
    }

    void aDeadJobThreadIsReplaced() {
        EngineServices services;
        JobQueue::Options o;
        o.monitor = false;
        o.autoscale = false;
        o.concurrentJobs = 1;
        // Before the queue, so that it outlives the queue's threads, which call its listener: declared after,
        // a failed wait returned while a job thread still wrote into it (tst_resilience_asan's
        // heap-use-after-free).
        Events events;
        JobQueue queue(services, o);
        std::atomic_bool thrown{false};
        // A listener that throws on the job's thread (the studio's adapter with a bug): the exception escapes
        // the job and kills its thread.
        events.m_hook = [&](const JobEvent& e) {
            if (e.kind == JobEvent::Kind::Changed && e.record.state == JobState::Running &&
                !thrown.exchange(true))
                throw std::runtime_error("listener broke");
        };
        queue.setListener(events.listener());
        JobRecord a, b;
        QVERIFY(events.runTwo(queue, smallSpec(path("dies.mp4")), smallSpec(path("after.mp4")), a, b));
        QCOMPARE(a.state, JobState::Failed);
        QVERIFY2(a.error.find("listener broke") != std::string::npos, a.error.c_str());
        QCOMPARE(b.state, JobState::Done);
        queue.waitUntilIdle();
        QCOMPARE(queue.jobThreads(), 1);
        QCOMPARE(services.resilience.snapshot()[ResilienceEvent::WorkerReplaced], 1u);
    }

    void corruptDlibModelFallsBackToFaceApiThenIsSkipped() {
        const fs::path model = path("corrupt-landmarks.dat");
        {
            std::ofstream out(model, std::ios::binary);
            out << "not a dlib model";
        }
        EngineServices services(model);
        for (int i = 0; i < 4; ++i) {
            RenderSpec spec = smallSpec(path("fallback.mp4")).render;
            spec.useCache = false;
            spec.faceBackend = FaceBackend::Dlib; // not the default: the finder whose model is damaged
            const RenderResult result = RenderPipeline(services).run(spec, CancelToken(), {});
            QVERIFY(fs::file_size(result.output) > 0);
            QCOMPARE(result.resilience[ResilienceEvent::Fallback], 1u);
            QVERIFY(!result.warnings.empty());
            const std::string& w = result.warnings.back();
            QVERIFY2(w.find("face-api was used instead") != std::string::npos, w.c_str());
            if (i < 3)
                QVERIFY2(w.find("dlib failed") != std::string::npos && w.find("corrupt") != std::string::npos,
                         w.c_str());
            else
                QVERIFY2(w.find("dlib is out of use") != std::string::npos, w.c_str());
        }
        QCOMPARE(services.dlibFaceBreaker.state(), CircuitBreaker::State::Open);
        const ResilienceCounts c = services.resilience.snapshot();
        QCOMPARE(c[ResilienceEvent::BreakerOpened], 1u);
        QCOMPARE(c[ResilienceEvent::BreakerSkipped], 1u);
        QCOMPARE(c[ResilienceEvent::Fallback], 4u);
    }
};

QTEST_GUILESS_MAIN(TstResilience)
#include "tst_resilience.moc"
