// The job scheduler and its database: order, cancel, retry, remove, move, events and their throttling,
// persistence and resume after a crash, JSON of the spec, validation at add() and the metrics monitor.
#include "core/Error.h"
#include "core/HeapTrim.h"
#include "core/SqliteDatabase.h"
#include "jobs/JobDatabase.h"
#include "jobs/JobQueue.h"
#include "jobs/RunnerLock.h"
#include "jobs/StaleFiles.h"
#include "pipeline/EngineServices.h"
#include "scale/ProcReaders.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <thread>

using namespace avatar;
namespace fs = std::filesystem;

namespace {

constexpr const char* kShort = "Hello there.";
constexpr const char* kLong =
    "This is a longer script for a job that must still be rendering when we act on it. "
    "It keeps going for a few sentences so that frames take a while. "
    "The presenter talks about queues, databases and crashes. "
    "Nothing here matters except the length. And one more sentence for luck.";

// Collects the queue's events; waitFor() blocks until a predicate over them holds (the timeout only guards
// against a hang, it is not what the test measures).
class Events {
public:
    JobListener listener() {
        return [this](const JobEvent& e) {
            {
                std::lock_guard lock(m_mutex);
                m_events.push_back(e);
            }
            if (m_hook)
                m_hook(e);
            m_changed.notify_all();
        };
    }
    void setHook(std::function<void(const JobEvent&)> hook) { m_hook = std::move(hook); }
    bool waitFor(const std::function<bool(const std::vector<JobEvent>&)>& done) {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::seconds(120), [&] { return done(m_events); });
    }
    std::vector<JobEvent> all() {
        std::lock_guard lock(m_mutex);
        return m_events;
    }
    static bool hasState(const std::vector<JobEvent>& events, JobId id, JobState state) {
        for (const JobEvent& e : events)
            if (e.kind == JobEvent::Kind::Changed && e.id == id && e.record.state == state)
                return true;
        return false;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<JobEvent> m_events;
    std::function<void(const JobEvent&)> m_hook;
};

JobQueue::Options memoryOptions() {
    JobQueue::Options o;
    o.monitor = false;
    o.autoscale = false;
    return o;
}

} // namespace

class TstJobs : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<EngineServices> m_services;

    fs::path path(const QString& name) const { return m_dir.filePath(name).toStdString(); }
    JobSpec spec(const QString& name, const char* text = kShort, JobPriority priority = JobPriority::Normal) {
        JobSpec s;
        s.priority = priority;
        s.render.text = text;
        s.render.width = 160;
        s.render.height = 120;
        s.render.fps = 12;
        s.render.preset = "ultrafast";
        s.render.threads = 1;
        s.render.output = path(name + QStringLiteral(".mp4"));
        return s;
    }
    static std::vector<JobId> runOrder(const std::vector<JobEvent>& events) {
        std::vector<JobId> order;
        for (const JobEvent& e : events)
            if (e.kind == JobEvent::Kind::Changed && e.record.state == JobState::Running)
                order.push_back(e.id);
        return order;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_services = std::make_unique<EngineServices>();
    }

    void databaseIsOwnerOnly() {
        // The jobs hold the user's scripts: the database and its WAL files are the owner's only, whatever
        // the umask (issue #15).
        const mode_t previous = ::umask(022);
        const std::string file = m_dir.filePath(QStringLiteral("private-jobs/jobs.db")).toStdString();
        {
            JobDatabase db(file);
            QVERIFY(db.load().empty());
        }
        ::umask(previous);
        struct stat st {};
        QCOMPARE(::stat(m_dir.filePath(QStringLiteral("private-jobs")).toLocal8Bit().constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0700));
        QCOMPARE(::stat(file.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
        for (const char* side : {"-wal", "-shm"})
            if (::stat((file + side).c_str(), &st) == 0)
                QCOMPARE(st.st_mode & 0777, mode_t(0600));
    }

    void freedMemoryGoesBackToTheSystem() {
        // What a job thread leaves behind: many mid-sized blocks freed around a few that live on, so that no
        // free run reaches the top of the arena and glibc keeps the pages (the studio's RSS crept up this
        // way).
        constexpr std::size_t kBlock = 16 << 10, kBlocks = 4096; // 64 MiB, below the mmap threshold
        std::vector<std::unique_ptr<char[]>> kept;
        std::thread worker([&kept] {
            std::vector<std::unique_ptr<char[]>> blocks;
            for (std::size_t i = 0; i < kBlocks; ++i) {
                blocks.push_back(std::make_unique<char[]>(kBlock));
                std::memset(blocks.back().get(), int(i), kBlock);
            }
            for (std::size_t i = 0; i < kBlocks; i += 16)
                kept.push_back(std::move(blocks[i]));
        });
        worker.join();
        const std::uint64_t before = processRssBytes().value_or(0);
        QVERIFY(returnFreedMemory());
        const std::uint64_t after = processRssBytes().value_or(0);
        QVERIFY2(
            before > after + (32u << 20),
            qPrintable(QStringLiteral("RSS %1 MB before, %2 MB after").arg(before >> 20).arg(after >> 20)));
    }

    void runnerWaitsOutABriefStatusRead() {
        // `batch status` and the studio's cluster view take a task's lock for an instant to see whether it
        // runs; a task starting in that instant must not fail (it did: "being run by another process").
        const std::string db = m_dir.filePath(QStringLiteral("brief-lock.db")).toStdString();
        std::mutex mutex;
        std::condition_variable changed;
        bool held = false;
        std::thread reader([&] {
            const RunnerLock probe(db, std::chrono::milliseconds(0));
            {
                std::lock_guard lock(mutex);
                held = true;
            }
            changed.notify_all();
            // The read in progress: the runner below starts while it still holds the lock.
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
        });
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return held; });
        }
        bool ran = false;
        try {
            const RunnerLock runner(db); // the reader lets go while this waits
            ran = true;
        } catch (const Error& e) {
            qWarning() << e.what();
        }
        reader.join();
        QVERIFY(ran);
        QVERIFY(!RunnerLock::isHeld(db));
    }

    void runnerRefusesAHolderThatStays() {
        const std::string db = m_dir.filePath(QStringLiteral("held-lock.db")).toStdString();
        const RunnerLock first(db);
        QVERIFY(RunnerLock::isHeld(db));
        try {
            const RunnerLock second(db, std::chrono::milliseconds(100));
            QFAIL("a second runner took a held database");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("being run by another process")),
                     e.what());
        }
    }

    void specJsonRoundTrip() {
        JobSpec s;
        s.name = "Intro \"take\" 2\n";
        s.priority = JobPriority::High;
        s.tier = Tier::Ultra;
        s.useCache = false;
        RenderSpec& r = s.render;
        r.text = "Hi <break time=\"500ms\"/> there, ünïcödé.";
        r.avatar = "/tmp/some face.png";
        r.voice = "espeak:en";
        r.speed = 1.25;
        r.pitch = -3.5;
        r.width = 640;
        r.height = 360;
        r.fps = 30;
        r.preset = "slow";
        r.crf = 28;
        r.output = "/tmp/out dir/x.mp4";
        r.captionsBurn = true;
        r.captionsSrt = true;
        r.captionsVtt = false;
        r.threads = 3;
        r.faceBackend = FaceBackend::Dlib; // not the default
        const JobSpec b = jobSpecFromJson(jobSpecToJson(s));
        QCOMPARE(b.name, s.name);
        QCOMPARE(b.priority, s.priority);
        QCOMPARE(b.tier, s.tier);
        QCOMPARE(b.useCache, s.useCache);
        QCOMPARE(b.render.text, r.text);
        QCOMPARE(b.render.avatar, r.avatar);
        QCOMPARE(b.render.voice, r.voice);
        QCOMPARE(b.render.speed, r.speed);
        QCOMPARE(b.render.pitch, r.pitch);
        QCOMPARE(b.render.width, r.width);
        QCOMPARE(b.render.height, r.height);
        QCOMPARE(b.render.fps, r.fps);
        QCOMPARE(b.render.preset, r.preset);
        QCOMPARE(b.render.crf, r.crf);
        QCOMPARE(b.render.output, r.output);
        QCOMPARE(b.render.captionsBurn, r.captionsBurn);
        QCOMPARE(b.render.captionsSrt, r.captionsSrt);
        QCOMPARE(b.render.captionsVtt, r.captionsVtt);
        QCOMPARE(b.render.threads, r.threads);
        QCOMPARE(b.render.faceBackend, r.faceBackend);
        // The expression (issue #12): round trip, and rows written before it existed read as neutral.
        {
            JobSpec friendly = s;
            friendly.render.expression = Expression::Friendly;
            QCOMPARE(jobSpecFromJson(jobSpecToJson(friendly)).render.expression, Expression::Friendly);
            std::string old = jobSpecToJson(s);
            const auto at = old.find(",\"expression\":\"neutral\"");
            QVERIFY(at != std::string::npos);
            old.erase(at, std::string(",\"expression\":\"neutral\"").size());
            QCOMPARE(jobSpecFromJson(old).render.expression, Expression::Neutral);
            std::string bad = jobSpecToJson(s);
            bad.replace(bad.find("\"neutral\""), 9, "\"smiley\"");
            QVERIFY_THROWS_EXCEPTION(Error, jobSpecFromJson(bad));
        }
        // And the result column.
        RenderResult res;
        res.output = "/tmp/a.mp4";
        res.duration = 2.5;
        res.frames = 63;
        res.width = 320;
        res.height = 240;
        res.fps = 25;
        res.voice = "flite:slt";
        res.captionFiles = {"/tmp/a.srt"};
        res.seconds.render = 0.75;
        res.totalSeconds = 1.5;
        res.cache.segmentsReused = 9;
        res.cache.audioPartsReused = 8;
        res.cache.audioPartsEncoded = 2;
        res.expression = Expression::Serious;
        const RenderResult back = renderResultFromJson(renderResultToJson(res));
        QCOMPARE(back.expression, Expression::Serious);
        QCOMPARE(back.output, res.output);
        QCOMPARE(back.frames, res.frames);
        QCOMPARE(back.captionFiles.size(), std::size_t(1));
        QCOMPARE(back.seconds.render, 0.75);
        QCOMPARE(back.totalSeconds, 1.5);
        QCOMPARE(back.cache.segmentsReused, 9);
        QCOMPARE(back.cache.audioPartsReused, 8);
        QCOMPARE(back.cache.audioPartsEncoded, 2);
    }

    // Issue #17: a job at 29.97 keeps its exact rate through the database (the row says "frame_rate" exactly
    // and "fps" as a number); rows written when rates were whole numbers (only "fps") still load.
    void frameRateInRows() {
        JobSpec s = spec(QStringLiteral("ntsc"));
        s.render.fps = FrameRate(30000, 1001);
        const std::string json = jobSpecToJson(s);
        QVERIFY2(json.find(R"("fps":29.97002997002997,"frame_rate":"30000/1001")") != std::string::npos,
                 json.c_str());
        QCOMPARE(jobSpecFromJson(json).render.fps, FrameRate(30000, 1001));
        // An older row: no "frame_rate", a whole "fps".
        std::string old = jobSpecToJson(spec(QStringLiteral("old")));
        const std::string exact = R"(,"frame_rate":"12")";
        QVERIFY(old.find(exact) != std::string::npos);
        old.erase(old.find(exact), exact.size());
        QCOMPARE(jobSpecFromJson(old).render.fps, FrameRate(12));
        std::string bad = json;
        bad.replace(bad.find("30000/1001"), 10, "very fast");
        QVERIFY_THROWS_EXCEPTION(Error, jobSpecFromJson(bad));
        // The result: the same two fields.
        RenderResult res;
        res.fps = FrameRate(60000, 1001);
        const std::string result = renderResultToJson(res);
        QVERIFY(result.find(R"("frame_rate":"60000/1001")") != std::string::npos);
        QCOMPARE(renderResultFromJson(result).fps, FrameRate(60000, 1001));
        QCOMPARE(renderResultFromJson(R"({"fps":30})").fps, FrameRate(30));

        // Through the database file, an old row included (written as an older studio wrote it).
        const fs::path file = path(QStringLiteral("rates/jobs.db"));
        JobId newId = 0;
        JobId oldId = 0;
        {
            JobDatabase db(file);
            JobRecord a;
            a.spec = s;
            a.state = JobState::Queued;
            newId = db.insert(a);
            JobRecord b;
            b.spec = spec(QStringLiteral("old"));
            b.state = JobState::Queued;
            oldId = db.insert(b);
        }
        {
            SqliteDatabase raw;
            std::string why;
            QCOMPARE(raw.open(file, 1000, why), 0);
            SqliteStatement update(raw, "UPDATE jobs SET spec = ? WHERE id = ?");
            QVERIFY(update.ok());
            update.bind(1, old).bind(2, std::int64_t(oldId));
            QCOMPARE(update.step(), 101); // SQLITE_DONE
        }
        const std::vector<JobRecord> rows = JobDatabase(file).load();
        QCOMPARE(rows.size(), std::size_t(2));
        for (const JobRecord& row : rows)
            QCOMPARE(row.spec.render.fps, row.id == newId ? FrameRate(30000, 1001) : FrameRate(12));
    }

    void specJsonErrors_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QStringLiteral("{oops") << QStringLiteral("not valid at byte");
        QTest::newRow("not an object") << QStringLiteral("[1]") << QStringLiteral("'spec' must be an object");
        QTest::newRow("no render") << QStringLiteral("{}") << QStringLiteral("'spec.render'");
        QTest::newRow("bad priority") << QStringLiteral(R"({"priority":"urgent","render":{}})")
                                      << QStringLiteral("'spec.priority' must be high, normal or low");
        QTest::newRow("bad width") << QStringLiteral(R"({"render":{"width":12.5}})")
                                   << QStringLiteral("'spec.render.width' must be a whole number");
        QTest::newRow("bad text") << QStringLiteral(R"({"render":{"text":3}})")
                                  << QStringLiteral("'spec.render.text' must be a string");
        QTest::newRow("bad face backend") << QStringLiteral(R"({"render":{"face_backend":"opencv"}})")
                                          << QStringLiteral("'spec.render.face_backend' must be \"dlib\" or");
    }
    void specJsonErrors() {
        QFETCH(QString, json);
        QFETCH(QString, mentions);
        try {
            jobSpecFromJson(json.toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidInput);
            QVERIFY2(QString::fromUtf8(e.what()).contains(mentions), e.what());
        }
    }

    void badSpecIsRefusedAtAdd() {
        Events events; // outlives the queue: a stopping queue still reports
        JobQueue queue(*m_services, memoryOptions());
        queue.setListener(events.listener());
        JobSpec s = spec(QStringLiteral("bad"));
        s.render.width = 333;
        try {
            queue.add(s);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidInput);
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.endsWith(QLatin1Char('.')) && !message.contains(QLatin1Char('\n')), e.what());
        }
        QVERIFY(queue.jobs().empty());
        QVERIFY(events.all().empty());
    }

    void priorityThenPosition() {
        Events events; // outlives the queue: a stopping queue still reports
        JobQueue queue(*m_services, memoryOptions());
        queue.setListener(events.listener());
        const JobId low = queue.add(spec(QStringLiteral("p-low"), kShort, JobPriority::Low));
        const JobId normal1 = queue.add(spec(QStringLiteral("p-n1")));
        const JobId high = queue.add(spec(QStringLiteral("p-high"), kShort, JobPriority::High));
        const JobId normal2 = queue.add(spec(QStringLiteral("p-n2")));
        QCOMPARE(queue.jobs().size(), std::size_t(4));
        QCOMPARE(queue.jobs()[0].spec.name, std::string("p-low.mp4")); // the name defaults to the file
        queue.start();
        queue.waitUntilIdle();
        QCOMPARE(runOrder(events.all()), (std::vector<JobId>{high, normal1, normal2, low}));
        for (const JobRecord& r : queue.jobs()) {
            QCOMPARE(r.state, JobState::Done);
            QCOMPARE(r.progress, 1.0);
            QCOMPARE(r.attempts, 1);
            QVERIFY(r.result.frames > 0);
            QVERIFY(fs::exists(r.spec.render.output));
        }
        // Added comes first for every job, before it runs; previews are downscaled frames.
        const auto all = events.all();
        QCOMPARE(all.front().kind, JobEvent::Kind::Added);
        int previews = 0;
        for (const JobEvent& e : all) {
            if (e.kind != JobEvent::Kind::Preview)
                continue;
            ++previews;
            QCOMPARE(e.preview.width(), 160);
            QCOMPARE(e.preview.height(), 120);
        }
        QVERIFY(previews >= 4); // the first frame of each job at least
    }

    void cancelQueuedAndRunningThenRetry() {
        Events events; // outlives the queue: a stopping queue still reports
        JobQueue queue(*m_services, memoryOptions());
        queue.setListener(events.listener());
        const JobId running = queue.add(spec(QStringLiteral("c-run"), kLong));
        const JobId waiting = queue.add(spec(QStringLiteral("c-wait")));
        QVERIFY(queue.cancel(waiting));
        QCOMPARE(queue.job(waiting)->state, JobState::Cancelled);
        QVERIFY(!queue.cancel(waiting)); // already finished
        // Cancelled from the listener at the first rendered frames: the job is certainly mid-render.
        events.setHook([&](const JobEvent& e) {
            if (e.kind == JobEvent::Kind::Progress && e.id == running && e.record.stage == Stage::Render)
                queue.cancel(running);
        });
        queue.start();
        QVERIFY(events.waitFor(
            [&](const auto& ev) { return Events::hasState(ev, running, JobState::Cancelled); }));
        events.setHook({});
        queue.waitUntilIdle();
        const fs::path out = queue.job(running)->spec.render.output;
        QVERIFY(!fs::exists(out));
        for (const auto& f : fs::directory_iterator(out.parent_path()))
            QVERIFY2(!isTemporaryOf(f.path(), out), f.path().c_str());
        QVERIFY(queue.job(running)->error.empty());

        QVERIFY(queue.retry(waiting));
        QVERIFY(!queue.retry(waiting)); // queued now
        queue.waitUntilIdle();
        QCOMPARE(queue.job(waiting)->state, JobState::Done);
        QVERIFY(fs::exists(queue.job(waiting)->spec.render.output));
    }

    void removeAndMove() {
        Events events; // outlives the queue: a stopping queue still reports
        JobQueue queue(*m_services, memoryOptions());
        queue.setListener(events.listener());
        const JobId a = queue.add(spec(QStringLiteral("m-a")));
        const JobId b = queue.add(spec(QStringLiteral("m-b")));
        const JobId c = queue.add(spec(QStringLiteral("m-c")));
        auto order = [&] {
            std::vector<JobId> ids;
            for (const JobRecord& r : queue.jobs())
                ids.push_back(r.id);
            return ids;
        };
        QVERIFY(queue.moveUp(c));
        QCOMPARE(order(), (std::vector<JobId>{a, c, b}));
        QVERIFY(queue.moveDown(a));
        QCOMPARE(order(), (std::vector<JobId>{c, a, b}));
        QVERIFY(!queue.moveUp(c));   // first already
        QVERIFY(!queue.moveDown(b)); // last already
        QVERIFY(!queue.moveUp(12345));
        int moved = 0;
        for (const JobEvent& e : events.all())
            moved += e.kind == JobEvent::Kind::Moved;
        QCOMPARE(moved, 4); // two jobs per move
        QVERIFY(queue.remove(a));
        QVERIFY(!queue.remove(a));
        QCOMPARE(order(), (std::vector<JobId>{c, b}));
        QCOMPARE(events.all().back().kind, JobEvent::Kind::Removed);
        QCOMPARE(events.all().back().id, a);
        // A running job cannot be removed.
        events.setHook([&](const JobEvent& e) {
            if (e.kind == JobEvent::Kind::Changed && e.id == c && e.record.state == JobState::Running)
                QVERIFY(!queue.remove(c));
        });
        queue.start();
        queue.waitUntilIdle();
        events.setHook({});
        QCOMPARE(order(), (std::vector<JobId>{c, b}));
    }

    void progressIsThrottled() {
        // No throttle: every pipeline callback becomes an event. A throttle longer than the job: only the
        // first. The default 100 ms: never more than one per interval of the job's run time.
        auto progressEvents = [&](std::chrono::milliseconds interval, double* elapsed) {
            JobQueue::Options o = memoryOptions();
            o.progressInterval = interval;
            Events events; // outlives the queue: a stopping queue still reports
            JobQueue queue(*m_services, o);
            queue.setListener(events.listener());
            const JobId id = queue.add(spec(QStringLiteral("t-%1").arg(interval.count()), kLong));
            queue.start();
            queue.waitUntilIdle();
            int n = 0;
            double last = -1.0;
            for (const JobEvent& e : events.all()) {
                if (e.kind != JobEvent::Kind::Progress || e.id != id)
                    continue;
                ++n;
                if (e.record.progress < last)
                    return -1; // progress never goes back
                last = e.record.progress;
            }
            *elapsed = queue.job(id)->elapsedSeconds;
            return n;
        };
        double elapsed = 0.0;
        const int all = progressEvents(std::chrono::milliseconds(0), &elapsed);
        QVERIFY2(all > 20, qPrintable(QString::number(all)));
        QCOMPARE(progressEvents(std::chrono::hours(1), &elapsed), 1);
        const int throttled = progressEvents(std::chrono::milliseconds(100), &elapsed);
        QVERIFY(throttled >= 1);
        QVERIFY2(throttled <= static_cast<int>(elapsed / 0.1) + 1,
                 qPrintable(QStringLiteral("%1 events in %2 s").arg(throttled).arg(elapsed)));
        QVERIFY(throttled < all);
    }

    void persistsAcrossQueues() {
        const fs::path db = path(QStringLiteral("persist.db"));
        JobId a = 0, b = 0, c = 0;
        {
            JobQueue queue(*m_services, [&] {
                auto o = memoryOptions();
                o.database = db;
                return o;
            }());
            a = queue.add(spec(QStringLiteral("s-a")));
            b = queue.add(spec(QStringLiteral("s-b"), kShort, JobPriority::High));
            // The studio's face finder choice travels in the spec: c renders with dlib (not the default).
            JobSpec dlib = spec(QStringLiteral("s-c"));
            dlib.render.faceBackend = FaceBackend::Dlib;
            c = queue.add(dlib);
            QVERIFY(queue.moveUp(c));
            QVERIFY(queue.cancel(a));
        }
        auto o = memoryOptions();
        o.database = db;
        JobQueue queue(*m_services, o);
        const auto jobs = queue.jobs();
        QCOMPARE(jobs.size(), std::size_t(3));
        QCOMPARE(jobs[0].id, a); // a, b, c with c moved up
        QCOMPARE(jobs[1].id, c);
        QCOMPARE(jobs[2].id, b);
        QCOMPARE(jobs[0].state, JobState::Cancelled);
        QCOMPARE(jobs[1].state, JobState::Queued);
        QCOMPARE(jobs[2].spec.priority, JobPriority::High);
        QCOMPARE(jobs[2].spec.render.output, path(QStringLiteral("s-b.mp4")));
        QCOMPARE(jobs[1].spec.render.faceBackend, FaceBackend::Dlib);
        QCOMPARE(jobs[2].spec.render.faceBackend, FaceBackend::Torch);
        queue.start();
        queue.waitUntilIdle();
        queue.stop();
        QCOMPARE(queue.job(b)->state, JobState::Done);
        QCOMPARE(queue.job(c)->state, JobState::Done);
        // The database says the same, and logged every change.
        JobDatabase reader(db);
        QCOMPARE(reader.integrityCheck(), std::string("ok"));
        const auto stored = reader.load();
        QCOMPARE(stored.size(), std::size_t(3));
        QCOMPARE(stored[1].id, c);
        QCOMPARE(stored[1].state, JobState::Done);
        QCOMPARE(stored[1].result.frames, queue.job(c)->result.frames);
        QCOMPARE(stored[1].spec.render.faceBackend, FaceBackend::Dlib);
        const auto log = reader.log(c);
        QCOMPARE(log.size(), std::size_t(3)); // added (queued), running, done
        QCOMPARE(log[1].to, JobState::Running);
        QCOMPARE(log[2].to, JobState::Done);
        // A second runner on the same database is refused.
        try {
            JobQueue second(*m_services, o);
            QFAIL("a second runner was allowed");
        } catch (const Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QString::fromStdString(db.string())), e.what());
        }
    }

    void interruptedJobsResumeFirst() {
        const fs::path db = path(QStringLiteral("crash.db"));
        JobId first = 0, crashed = 0;
        {
            JobDatabase d(db);
            JobRecord r;
            r.spec =
                JobQueue::prepare(*m_services, spec(QStringLiteral("r-first"), kShort, JobPriority::High));
            r.state = JobState::Queued;
            first = d.insert(r);
            r.spec = JobQueue::prepare(*m_services, spec(QStringLiteral("r-crashed")));
            r.state = JobState::Queued;
            crashed = d.insert(r);
            // What a process killed mid-render leaves: the row Running, a partial file beside the output.
            r.state = JobState::Running;
            r.attempts = 1;
            d.saveState(r, JobState::Queued, "started");
        }
        const fs::path partial = path(QStringLiteral("r-crashed.mp4.part-0123abcd"));
        QFile(QString::fromStdString(partial.string())).open(QIODevice::WriteOnly);
        QVERIFY(fs::exists(partial));
        // And a writability probe, where the file system had no unnamed files; a name like it stays.
        const fs::path probe = path(QStringLiteral(".avatar-probe-Ab12Cd"));
        const fs::path notProbe = path(QStringLiteral(".avatar-probe-notes.txt"));
        QFile(QString::fromStdString(probe.string())).open(QIODevice::WriteOnly);
        QFile(QString::fromStdString(notProbe.string())).open(QIODevice::WriteOnly);

        auto o = memoryOptions();
        o.database = db;
        Events events; // outlives the queue: a stopping queue still reports
        JobQueue queue(*m_services, o);
        QCOMPARE(queue.job(crashed)->state, JobState::Interrupted);
        // The partial file goes before the job is queued again: a process killed between the two would
        // otherwise leave a plain queued job whose next run keeps the dead render's file for good.
        std::atomic<int> partialWhenQueued{-1};
        events.setHook([&](const JobEvent& e) {
            if (e.kind == JobEvent::Kind::Changed && e.id == crashed && e.record.state == JobState::Queued &&
                partialWhenQueued < 0)
                partialWhenQueued = fs::exists(partial) ? 1 : 0;
        });
        queue.setListener(events.listener());
        queue.start();
        QCOMPARE(partialWhenQueued.load(), 0);
        queue.waitUntilIdle();
        // The interrupted job ran before the high-priority one, and its leftover is gone.
        QCOMPARE(runOrder(events.all()), (std::vector<JobId>{crashed, first}));
        QCOMPARE(queue.job(crashed)->state, JobState::Done);
        QCOMPARE(queue.job(crashed)->attempts, 2);
        QVERIFY(!fs::exists(partial));
        QVERIFY(!fs::exists(probe));
        QVERIFY(fs::exists(notProbe));
        bool logged = false;
        for (const auto& entry : JobDatabase(db).log(crashed))
            logged = logged || (entry.from == JobState::Running && entry.to == JobState::Interrupted);
        QVERIFY(logged);
    }

    void stopLeavesRunningJobsInterrupted() {
        const fs::path db = path(QStringLiteral("stop.db"));
        auto o = memoryOptions();
        o.database = db;
        {
            Events events; // outlives the queue: a stopping queue still reports
            JobQueue queue(*m_services, o);
            queue.setListener(events.listener());
            queue.add(spec(QStringLiteral("stop"), kLong));
            queue.start();
            QVERIFY(events.waitFor([&](const auto& ev) {
                for (const JobEvent& e : ev)
                    if (e.kind == JobEvent::Kind::Progress && e.record.stage == Stage::Render)
                        return true;
                return false;
            }));
        } // the destructor stops the queue
        const auto stored = JobDatabase(db).load();
        QCOMPARE(stored.size(), std::size_t(1));
        QCOMPARE(stored[0].state, JobState::Interrupted);
        QVERIFY(!fs::exists(stored[0].spec.render.output));
    }

    void damagedDatabaseIsRefusedUntouched() {
        const QString file = m_dir.filePath(QStringLiteral("damaged.db"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray garbage = QByteArray("SQLite format 3").append(4096, '\x5a');
        f.write(garbage);
        f.close();
        try {
            JobDatabase db(file.toStdString());
            QFAIL("a damaged database was opened");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Unreadable);
            QVERIFY2(QString::fromUtf8(e.what()).contains(file), e.what());
        }
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), garbage); // not repaired, not replaced
    }

    void monitorSamplesRealNumbers() {
        JobQueue::Options o = memoryOptions();
        o.monitor = true;
        o.autoscale = true;
        Events events; // outlives the queue: a stopping queue still reports
        JobQueue queue(*m_services, o);
        queue.setListener(events.listener());
        queue.add(spec(QStringLiteral("metrics")));
        queue.start();
        queue.waitUntilIdle();
        QVERIFY(events.waitFor([](const auto& ev) {
            for (const JobEvent& e : ev)
                if (e.kind == JobEvent::Kind::Metrics)
                    return true;
            return false;
        }));
        queue.stop();
        for (const JobEvent& e : events.all()) {
            if (e.kind != JobEvent::Kind::Metrics)
                continue;
            QVERIFY(e.metrics.processRssBytes > (1u << 20));
            QVERIFY(e.metrics.poolCapBytes > 0);
            QVERIFY(e.metrics.workers > 0);
            QVERIFY(e.metrics.time > 0.0);
        }
        const EngineMetrics m = queue.sampleMetrics();
        QCOMPARE(m.queueDepth, 0);
        QCOMPARE(m.runningJobs, 0);
        QCOMPARE(m.latency.size(), std::size_t(5)); // one finished job: every stage has a p95
        QCOMPARE(m.latency[3].stage, std::string("render"));
        QVERIFY(m.latency[3].p95Ms > 0.0);
    }
};

QTEST_GUILESS_MAIN(TstJobs)
#include "tst_jobs.moc"
