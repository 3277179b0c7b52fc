#include "ProfilerBench.h"
#include "core/Error.h"
#include "core/ThreadPool.h"
#include "profile/Baseline.h"
#include "profile/CriticalPath.h"
#include "profile/LatencyHistogram.h"
#include "profile/ProfileMacros.h"
#include "profile/ProfileReport.h"
#include "profile/Profiler.h"
#include "profile/StageColors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

using namespace avatar;

// Defined at the end of this file, after the macros are re-included with AVATAR_PROFILING=0.
int useMacrosCompiledOut(Profiler& profiler, int& evaluations);

namespace {

void spin(std::chrono::microseconds duration) {
    const auto end = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < end) {
    }
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The Trace Event Format's rule for complete events on one tid: any two are either disjoint or nested.
bool strictlyNested(std::vector<QJsonObject> events) {
    auto ns = [](const QJsonObject& e, const char* key) {
        return std::llround(e[QLatin1String(key)].toDouble() * 1000.0);
    };
    std::sort(events.begin(), events.end(), [&](const QJsonObject& a, const QJsonObject& b) {
        const qint64 ta = a[QLatin1String("tid")].toInteger(), tb = b[QLatin1String("tid")].toInteger();
        if (ta != tb)
            return ta < tb;
        if (ns(a, "ts") != ns(b, "ts"))
            return ns(a, "ts") < ns(b, "ts");
        return ns(a, "dur") > ns(b, "dur");
    });
    std::vector<std::pair<qint64, long long>> stack; // tid, end
    for (const QJsonObject& e : events) {
        const qint64 tid = e[QLatin1String("tid")].toInteger();
        const long long start = ns(e, "ts"), end = start + ns(e, "dur");
        while (!stack.empty() && (stack.back().first != tid || stack.back().second <= start))
            stack.pop_back();
        if (!stack.empty() && end > stack.back().second)
            return false;
        stack.emplace_back(tid, end);
    }
    return true;
}

bool contains(const ZoneRecord& outer, const ZoneRecord& inner) {
    return outer.thread == inner.thread && outer.startNs <= inner.startNs && inner.endNs <= outer.endNs;
}

ZoneRecord zone(std::string name, std::size_t thread, std::int64_t start, std::int64_t end, int depth = 0,
                std::uint32_t job = 1) {
    return ZoneRecord{std::move(name), thread, start, end, depth, job};
}

// One job on three threads, in milliseconds: face, tts and animate on the job's thread (0), frames rendered
// on two workers (1, 2) and encoded in order on the job's thread. The encoder waits for render f2; render f0
// and f2 on worker 1 form the chain, f1 and f3 on worker 2 have slack.
ProfileData syntheticJob() {
    constexpr std::int64_t ms = 1'000'000;
    ProfileData d;
    d.processId = 4242;
    d.threads = {{100, "job"}, {101, "render-0"}, {102, "render-1"}};
    d.zones = {zone("job", 0, 0, 61 * ms),
               zone("face", 0, 0, 10 * ms, 1),
               zone("tts", 0, 10 * ms, 28 * ms, 1),
               zone("animate", 0, 28 * ms, 35 * ms, 1),
               zone("render.frame", 1, 35 * ms, 45 * ms),
               zone("render.frame", 2, 35 * ms, 47 * ms),
               zone("render.frame", 1, 45 * ms, 55 * ms),
               zone("render.frame", 2, 47 * ms, 57 * ms),
               zone("encode.frame", 0, 45 * ms, 48 * ms, 1),
               zone("encode.frame", 0, 48 * ms, 51 * ms, 1),
               zone("encode.frame", 0, 55 * ms, 58 * ms, 1),
               zone("encode.frame", 0, 58 * ms, 61 * ms, 1)};
    d.counters = {{"memory.bytes", 0, 0, 1.0e8},
                  {"memory.bytes", 0, 30 * ms, 2.5e8},
                  {"memory.bytes", 0, 60 * ms, 1.2e8},
                  {"cpu.utilisation", 0, 40 * ms, 0.97}};
    d.markers = {{"scaler", "scale 2 -> 3 workers: cpu 97% > target 80%", 0, 50 * ms}};
    d.sortZones();
    return d;
}

// Runs a small job through a real profiler: stages on this thread, frames on a named pool.
ProfileReport recordedJob() {
    Profiler profiler(ProfilerOptions{true, ProfilingLevel::UltraDetailed, 1 << 16});
    profiler.setThreadName("job");
    {
        AVATAR_PROFILE_JOB(profiler, 7);
        AVATAR_ZONE(profiler, "job");
        {
            AVATAR_ZONE(profiler, "face");
            spin(std::chrono::microseconds(300));
        }
        {
            AVATAR_ZONE(profiler, "tts");
            for (int s = 0; s < 3; ++s) {
                AVATAR_ZONE_LEVEL(profiler, "tts.sentence", ProfilingLevel::Moderate);
                spin(std::chrono::microseconds(200));
            }
        }
        {
            AVATAR_ZONE(profiler, "animate");
            spin(std::chrono::microseconds(100));
        }
        ThreadPool pool(2, "render");
        std::vector<std::future<void>> frames;
        for (int f = 0; f < 6; ++f) {
            const ProfileTick submitted = Profiler::now();
            frames.push_back(pool.submit([&profiler, submitted] {
                AVATAR_PROFILE_JOB(profiler, 7);
                profiler.recordZone("queue.render", submitted, Profiler::now());
                AVATAR_ZONE_LEVEL(profiler, "render.frame", ProfilingLevel::Detailed);
                spin(std::chrono::microseconds(400));
            }));
        }
        for (auto& f : frames) {
            f.get();
            AVATAR_ZONE_LEVEL(profiler, "encode.frame", ProfilingLevel::Detailed);
            AVATAR_COUNTER_LEVEL(profiler, "memory.bytes", 3.0e8, ProfilingLevel::UltraDetailed);
            spin(std::chrono::microseconds(150));
        }
        profiler.mark("scaler", "scale 2 -> 4 workers: queue depth 4 > target 2");
        AVATAR_COUNTER(profiler, "cpu.utilisation", 0.95);
    }
    ReportOptions options;
    options.title = "tst_profiler <job> & \"co\"";
    options.settings = RunSettings{Tier::Standard, 2, 8, "medium"};
    return ProfileReport::build(profiler, options);
}

// The PDF as poppler (pdfinfo, pdftotext, pdftoppm from poppler-utils) reads it: an independent reader.
struct Poppler {
    QString info, text;
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb; // the first page at 72 dpi
};

Poppler readPdf(const std::string& pdf) {
    Poppler out;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("report.pdf"));
    {
        std::ofstream file(path.toStdString(), std::ios::binary);
        file << pdf;
    }
    const auto run = [](const QString& program, const QStringList& args) {
        QProcess p;
        p.start(program, args);
        if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            qWarning("%s failed (poppler-utils, packaging/setup-debian.sh): %s", qPrintable(program),
                     p.readAllStandardError().constData());
        return p.readAllStandardOutput();
    };
    out.info = QString::fromUtf8(run(QStringLiteral("pdfinfo"), {path}));
    out.text =
        QString::fromUtf8(run(QStringLiteral("pdftotext"),
                              {QStringLiteral("-enc"), QStringLiteral("UTF-8"), path, QStringLiteral("-")}));
    // A binary PPM (P6) on stdout: "P6\n<width> <height>\n255\n" and the RGB bytes.
    const QByteArray ppm = run(QStringLiteral("pdftoppm"), {QStringLiteral("-r"), QStringLiteral("72"),
                                                            QStringLiteral("-singlefile"), path});
    std::istringstream header(ppm.left(64).toStdString());
    std::string magic;
    int max = 0;
    header >> magic >> out.width >> out.height >> max;
    const auto pixels = std::size_t(out.width) * std::size_t(out.height) * 3;
    if (magic == "P6" && max == 255 && std::size_t(ppm.size()) >= pixels) {
        const char* data = ppm.constData() + ppm.size() - qsizetype(pixels);
        out.rgb.assign(data, data + pixels);
    }
    return out;
}

int pagesOf(const QString& info) {
    const QRegularExpressionMatch m =
        QRegularExpression(QStringLiteral("^Pages:\\s+(\\d+)$"), QRegularExpression::MultilineOption)
            .match(info);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

} // namespace

class TstProfiler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nestedZones() {
        Profiler profiler;
        {
            AVATAR_ZONE(profiler, "render");
            {
                AVATAR_ZONE(profiler, "render.warp");
                spin(std::chrono::microseconds(50));
            }
            {
                AVATAR_ZONE(profiler, "render.mouth");
                AVATAR_ZONE(profiler, "render.mouth.teeth");
                spin(std::chrono::microseconds(50));
            }
        }
        const ProfileData d = profiler.snapshot();
        QCOMPARE(d.zones.size(), std::size_t{4});
        QCOMPARE(d.threads.size(), std::size_t{1});
        // Sorted by start, parents first.
        QCOMPARE(d.zones[0].name, std::string("render"));
        QCOMPARE(d.zones[1].name, std::string("render.warp"));
        QCOMPARE(d.zones[2].name, std::string("render.mouth"));
        QCOMPARE(d.zones[3].name, std::string("render.mouth.teeth"));
        QCOMPARE(d.zones[0].depth, 0);
        QCOMPARE(d.zones[1].depth, 1);
        QCOMPARE(d.zones[2].depth, 1);
        QCOMPARE(d.zones[3].depth, 2);
        QVERIFY(contains(d.zones[0], d.zones[1]));
        QVERIFY(contains(d.zones[0], d.zones[2]));
        QVERIFY(contains(d.zones[2], d.zones[3]));
        QVERIFY(d.zones[1].endNs <= d.zones[2].startNs);
        // The clock is calibrated: a 50 us spin measures as 50 us, give or take the scheduler.
        QVERIFY(d.zones[1].durationNs() >= 45'000);
        QVERIFY(d.zones[1].durationNs() < 50'000'000);
    }

    void multiThreadZonesCarryThreadNames() {
        Profiler profiler;
        profiler.setThreadName("job");
        {
            AVATAR_ZONE(profiler, "encode");
            ThreadPool pool(3, "render");
            std::vector<std::future<void>> futures;
            std::atomic<int> arrived{0};
            for (int i = 0; i < 3; ++i)
                futures.push_back(pool.submit([&] {
                    AVATAR_ZONE(profiler, "render.frame");
                    // Hold until all three run, so that each worker records one.
                    ++arrived;
                    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
                    while (arrived.load() < 3 && std::chrono::steady_clock::now() < deadline)
                        std::this_thread::yield();
                }));
            for (auto& f : futures)
                f.get();
        }
        const ProfileData d = profiler.snapshot();
        QCOMPARE(d.zones.size(), std::size_t{4});
        QCOMPARE(d.threads.size(), std::size_t{4});
        std::set<std::string> names;
        std::set<std::uint64_t> ids;
        for (const ThreadInfo& t : d.threads) {
            names.insert(t.name);
            ids.insert(t.id);
        }
        QCOMPARE(ids.size(), std::size_t{4});
        QVERIFY(names.count("job"));
        QVERIFY(names.count("render-0"));
        QVERIFY(names.count("render-1"));
        QVERIFY(names.count("render-2"));
        for (const ZoneRecord& z : d.zones) {
            QCOMPARE(d.threads[z.thread].name == "job", z.name == "encode");
            QCOMPARE(z.depth, 0);
        }
    }

    void runtimeSwitchAndLevels() {
        Profiler profiler(ProfilerOptions{true, ProfilingLevel::Basic, 1024});
        auto record = [&] {
            AVATAR_ZONE(profiler, "render");
            AVATAR_ZONE_LEVEL(profiler, "render.batch", ProfilingLevel::Moderate);
            AVATAR_ZONE_LEVEL(profiler, "render.frame", ProfilingLevel::Detailed);
            AVATAR_COUNTER_LEVEL(profiler, "queue.depth", 3, ProfilingLevel::UltraDetailed);
        };
        record();
        QCOMPARE(profiler.snapshot().zones.size(), std::size_t{1});
        profiler.setLevel(ProfilingLevel::Detailed);
        record();
        QCOMPARE(profiler.snapshot().zones.size(), std::size_t{4});
        QCOMPARE(profiler.snapshot().counters.size(), std::size_t{0});
        profiler.setLevel(ProfilingLevel::UltraDetailed);
        profiler.setEnabled(false);
        record();
        profiler.mark("scaler", "ignored");
        QCOMPARE(profiler.snapshot().zones.size(), std::size_t{4});
        QVERIFY(profiler.snapshot().markers.empty());
        profiler.setEnabled(true);
        record();
        QCOMPARE(profiler.snapshot().zones.size(), std::size_t{7});
        QCOMPARE(profiler.snapshot().counters.size(), std::size_t{1});
        profiler.reset();
        QVERIFY(profiler.snapshot().zones.empty());
        record();
        QCOMPARE(profiler.snapshot().zones.size(), std::size_t{3});
    }

    void compiledOutMacrosRecordNothing() {
        Profiler profiler(ProfilerOptions{true, ProfilingLevel::UltraDetailed, 1024});
        int evaluations = 0;
        QCOMPARE(useMacrosCompiledOut(profiler, evaluations), 42);
        QCOMPARE(evaluations, 0); // the counter's value expression is not even evaluated
        const ProfileData d = profiler.snapshot();
        QVERIFY(d.zones.empty());
        QVERIFY(d.counters.empty());
        QVERIFY(d.threads.empty()); // the thread never registered
    }

    void fullBufferDropsAndCounts() {
        Profiler profiler(ProfilerOptions{true, ProfilingLevel::Basic, 10});
        const std::size_t recorded = ThreadBuffer::kChunkEvents + 3'000;
        for (std::size_t i = 0; i < recorded; ++i) {
            AVATAR_ZONE(profiler, "x");
        }
        // The cap rounds up to whole chunks.
        QCOMPARE(profiler.snapshot().zones.size(), ThreadBuffer::kChunkEvents);
        QCOMPARE(profiler.droppedEvents(), std::uint64_t{recorded - ThreadBuffer::kChunkEvents});
    }

    void snapshotsWhileThreadsRecord() {
        Profiler profiler;
#ifdef AVATAR_TSAN
        // ThreadSanitizer runs the zones 5-15x slower; fewer still overlap the snapshots.
        constexpr int kThreads = 4, kZones = 10'000;
#else
        constexpr int kThreads = 4, kZones = 50'000;
#endif
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&] {
                while (!go.load())
                    std::this_thread::yield();
                for (int i = 0; i < kZones; ++i) {
                    AVATAR_ZONE(profiler, "render.frame");
                    AVATAR_ZONE(profiler, "render.warp");
                }
            });
        go = true;
        std::size_t last = 0;
        for (int i = 0; i < 20; ++i) {
            const std::size_t now = profiler.snapshot().zones.size();
            QVERIFY(now >= last);
            last = now;
        }
        for (auto& t : threads)
            t.join();
        const ProfileData d = profiler.snapshot();
        QCOMPARE(d.zones.size(), std::size_t{2 * kThreads * kZones});
        for (const ZoneRecord& z : d.zones)
            QVERIFY(z.endNs >= z.startNs);
    }

    void percentilesMatchSortedSamples_data() {
        QTest::addColumn<QString>("distribution");
        QTest::addColumn<int>("count");
        QTest::newRow("uniform 1k") << QStringLiteral("uniform") << 1000;
        QTest::newRow("uniform 7") << QStringLiteral("uniform") << 7;
        QTest::newRow("exponential 100k") << QStringLiteral("exponential") << 100'000;
        QTest::newRow("lognormal 50k") << QStringLiteral("lognormal") << 50'000;
        QTest::newRow("bimodal 10k") << QStringLiteral("bimodal") << 10'000;
        QTest::newRow("constant") << QStringLiteral("constant") << 500;
        QTest::newRow("small exact values") << QStringLiteral("small") << 3000;
        QTest::newRow("one sample") << QStringLiteral("uniform") << 1;
    }
    void percentilesMatchSortedSamples() {
        QFETCH(QString, distribution);
        QFETCH(int, count);
        std::mt19937_64 rng(12345);
        std::vector<std::int64_t> samples;
        for (int i = 0; i < count; ++i) {
            double v = 0;
            if (distribution == QLatin1String("uniform"))
                v = std::uniform_real_distribution<double>(1e3, 5e7)(rng);
            else if (distribution == QLatin1String("exponential"))
                v = std::exponential_distribution<double>(1.0 / 4e6)(rng);
            else if (distribution == QLatin1String("lognormal"))
                v = std::lognormal_distribution<double>(14.0, 1.5)(rng);
            else if (distribution == QLatin1String("bimodal"))
                v = (i % 10 == 0) ? std::normal_distribution<double>(9e8, 1e7)(rng)
                                  : std::normal_distribution<double>(2e6, 2e5)(rng);
            else if (distribution == QLatin1String("constant"))
                v = 1234567;
            else
                v = std::uniform_int_distribution<int>(0, 255)(rng);
            samples.push_back(std::max<std::int64_t>(0, static_cast<std::int64_t>(v)));
        }
        LatencyHistogram h;
        for (const std::int64_t s : samples)
            h.record(s);
        std::sort(samples.begin(), samples.end());
        auto exact = [&](double p) {
            const auto rank =
                static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
            return static_cast<double>(samples[std::max<std::size_t>(rank, 1) - 1]);
        };
        for (const double p : {1.0, 25.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0}) {
            const double want = exact(p);
            const double got = h.percentile(p);
            QVERIFY2(std::abs(got - want) <= LatencyHistogram::kMaxRelativeError * want,
                     qPrintable(QStringLiteral("p%1: %2 vs exact %3").arg(p).arg(got).arg(want)));
            if (distribution == QLatin1String("small"))
                QCOMPARE(got, want); // below 256 every value has its own bucket
        }
        QCOMPARE(h.count(), static_cast<std::uint64_t>(samples.size()));
        QCOMPARE(h.min(), samples.front());
        QCOMPARE(h.max(), samples.back());
        double total = 0;
        for (const std::int64_t s : samples)
            total += static_cast<double>(s);
        QVERIFY(std::abs(h.total() - total) <= 1e-9 * total + 1e-9);
        QVERIFY(std::abs(h.mean() - total / static_cast<double>(samples.size())) <= 1e-6 * h.mean() + 1e-9);

        LatencyHistogram merged;
        LatencyHistogram a, b;
        for (std::size_t i = 0; i < samples.size(); ++i)
            (i % 2 ? a : b).record(samples[i]);
        merged.merge(a);
        merged.merge(b);
        QCOMPARE(merged.count(), h.count());
        QCOMPARE(merged.percentile(95), h.percentile(95));
    }

    void bucketsAreContiguous() {
        for (std::size_t i = 0; i < 5000; ++i) {
            QCOMPARE(LatencyHistogram::bucketLower(i) + LatencyHistogram::bucketWidth(i),
                     LatencyHistogram::bucketLower(i + 1));
            QCOMPARE(LatencyHistogram::bucketIndex(LatencyHistogram::bucketLower(i)), i);
            QVERIFY(LatencyHistogram::bucketWidth(i) * 128 <=
                    std::max<std::uint64_t>(LatencyHistogram::bucketLower(i), 128));
        }
    }

    void counters() {
        Profiler profiler;
        for (int i = 0; i < 5; ++i)
            AVATAR_COUNTER(profiler, "memory.bytes", 1024.0 * (i + 1));
        AVATAR_COUNTER(profiler, "queue.depth", 3);
        const ProfileData d = profiler.snapshot();
        QCOMPARE(d.counters.size(), std::size_t{6});
        std::vector<double> memory;
        for (const CounterSample& c : d.counters) {
            if (c.name == "memory.bytes")
                memory.push_back(c.value);
        }
        QCOMPARE(memory, (std::vector<double>{1024, 2048, 3072, 4096, 5120}));
        QVERIFY(std::is_sorted(
            d.counters.begin(), d.counters.end(),
            [](const CounterSample& a, const CounterSample& b) { return a.timeNs < b.timeNs; }));
        QCOMPARE(d.counters.back().name, std::string("queue.depth"));
        QCOMPARE(d.counters.back().value, 3.0);
    }

    void criticalPathOfSyntheticJob() {
        const ProfileData d = syntheticJob();
        const CriticalPath path = CriticalPath::compute(d.zones);
        constexpr std::int64_t ms = 1'000'000;
        QCOMPARE(path.wallNs(), 61 * ms);
        QCOMPARE(QString::fromStdString(path.chain()),
                 QStringLiteral("face > tts > animate > render > encode"));
        const auto stageTimes = path.stageTimes();
        std::map<std::string, std::int64_t> times(stageTimes.begin(), stageTimes.end());
        QCOMPARE(times["face"], 10 * ms);
        QCOMPARE(times["tts"], 18 * ms);
        QCOMPARE(times["animate"], 7 * ms);
        QCOMPARE(times["render"], 20 * ms); // f0 and f2 on render-0
        QCOMPARE(times["encode"], 6 * ms);  // f2 and f3; f0 and f1 had slack
        QVERIFY(!times.count("wait"));
        std::int64_t sum = 0;
        for (const CriticalSegment& s : path.segments) {
            sum += s.durationNs();
            if (s.stage == "render")
                QCOMPARE(s.thread, std::size_t{1});
        }
        QCOMPARE(sum, path.wallNs());
        QVERIFY(std::is_sorted(
            path.segments.begin(), path.segments.end(),
            [](const CriticalSegment& a, const CriticalSegment& b) { return a.endNs <= b.startNs; }));
    }

    void criticalPathNestingAndWaits() {
        // A parent keeps only its own time; a gap before a cross-thread dependency is "wait".
        std::vector<ZoneRecord> zones{zone("render", 0, 0, 100), zone("render.warp", 0, 10, 30, 1),
                                      zone("render.mouth", 0, 60, 90, 1), zone("encode", 1, 120, 150)};
        const CriticalPath path = CriticalPath::compute(zones);
        QCOMPARE(path.segments.size(), std::size_t{7});
        const std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> want{
            {"render", 0, 10},   {"render.warp", 10, 30}, {"render", 30, 60},  {"render.mouth", 60, 90},
            {"render", 90, 100}, {"wait", 100, 120},      {"encode", 120, 150}};
        for (std::size_t i = 0; i < want.size(); ++i) {
            QCOMPARE(path.segments[i].zone, std::get<0>(want[i]));
            QCOMPARE(path.segments[i].startNs, std::get<1>(want[i]));
            QCOMPARE(path.segments[i].endNs, std::get<2>(want[i]));
        }
        QCOMPARE(QString::fromStdString(path.chain()), QStringLiteral("render > wait > encode"));
    }

    // Issue #18: a long render alternates render and encode on the path hundreds of times; the chain shows
    // that as one run with its count, and the HTML and PDF reports a line instead of five pages of steps.
    static ProfileData alternatingJob(int frames) {
        ProfileData d;
        d.processId = 4242;
        d.threads = {{100, "job"}, {101, "render-0"}};
        d.zones = {zone("face", 0, 0, 10), zone("tts", 0, 10, 20), zone("animate", 0, 20, 30)};
        for (int k = 0; k < frames;
             ++k) { // each frame rendered on the worker, then encoded on the job thread
            const std::int64_t t = 30 + 10 * std::int64_t(k);
            d.zones.push_back(zone("render.frame", 1, t, t + 6));
            d.zones.push_back(zone("encode", 0, t + 6, t + 10));
        }
        d.zones.push_back(zone("job", 0, 0, 30 + 10 * std::int64_t(frames)));
        return d;
    }

    void criticalPathCollapsesRuns() {
        const ProfileData d = alternatingJob(612);
        const CriticalPath path = CriticalPath::compute(d.zones);
        QCOMPARE(QString::fromStdString(path.chain()),
                 QStringLiteral("face > tts > animate > (render > encode) × 612"));
        // Other shapes: a cycle of three with a wait, a tail after the run, no run at all.
        std::vector<ZoneRecord> zones{zone("tts", 0, 0, 10)};
        for (int k = 0; k < 5; ++k) {
            const std::int64_t t = 10 + 12 * std::int64_t(k);
            zones.push_back(zone("render", 1, t, t + 6));
            zones.push_back(zone("encode", 0, t + 8, t + 12)); // 2 ns of wait before each encode
        }
        zones.push_back(zone("render", 1, 70, 80));
        QCOMPARE(QString::fromStdString(CriticalPath::compute(zones).chain()),
                 QStringLiteral("tts > (render > wait > encode) × 5 > render"));

        const ProfileReport r = ProfileReport::build(alternatingJob(612));
        const QString html = QString::fromStdString(r.toHtml());
        QVERIFY(html.contains(QStringLiteral("(render &gt; encode) × 612")));
        QVERIFY2(html.count(QStringLiteral("render &gt; encode")) < 5,
                 "the chain is written out step by step");
#ifndef AVATAR_TSAN
        // Read back by poppler's programs, started with fork: ThreadSanitizer cannot start threads after a
        // fork of a threaded process, and the later cases start threads (the PDF is checked in tst_profiler
        // and tst_profiler_asan; the PDF tests at the end of the suite run under it too).
        const Poppler p = readPdf(r.toPdf());
        QVERIFY2(pagesOf(p.info) <= 2, qPrintable(p.info));
        QVERIFY2(p.text.contains(QStringLiteral("× 612")), qPrintable(p.text));
#endif
    }

    void bottleneckAndRecommendations_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("stage");
        QTest::addColumn<QString>("resource");
        QTest::addColumn<double>("severity");
        QTest::addColumn<QString>("setting");
        QTest::addColumn<double>("gain");
        // render 90% of the path, CPU 97%: Standard -> Ultra gives k = 1 + 0.5 x (1.5 - 1) = 1.25, 0.9 x 0.2.
        QTest::newRow("cpu-bound render")
            << QStringLiteral("cpu") << QStringLiteral("render") << QStringLiteral("cpu") << 0.9
            << QStringLiteral("--tier ultra") << 0.18;
        // render 50% on 4 of 16 threads, CPU 30%: k = min(16/4, 1/0.3) = 3.33, 0.5 x 0.7.
        QTest::newRow("too few threads")
            << QStringLiteral("threads") << QStringLiteral("render") << QStringLiteral("none") << 0.25
            << QStringLiteral("--threads 16") << 0.35;
        // encode 60% on one thread at medium: faster takes 0.55 of the time, 0.6 x 0.45.
        QTest::newRow("slow preset") << QStringLiteral("preset") << QStringLiteral("encode")
                                     << QStringLiteral("serial") << 0.6 << QStringLiteral("--preset faster")
                                     << 0.27;
        // render waits 40% of the path in the queue with the pool at its cap: half of it assumed saved.
        QTest::newRow("pool at cap") << QStringLiteral("queue") << QStringLiteral("render")
                                     << QStringLiteral("pool") << 0.6 << QStringLiteral("--tier advanced")
                                     << 0.2;
    }
    void bottleneckAndRecommendations() {
        QFETCH(QString, scenario);
        QFETCH(QString, stage);
        QFETCH(QString, resource);
        QFETCH(double, severity);
        QFETCH(QString, setting);
        QFETCH(double, gain);
        Measurements m;
        m.wallNs = 1e9;
        m.settings = RunSettings{Tier::Standard, 8, 8, "medium"};
        if (scenario == QLatin1String("cpu")) {
            m.stages = {{"tts", 0.05, 5e7, 1e7, 0, 0, false},
                        {"render", 0.9, 7e9, 1e7, 0, 0, true},
                        {"encode", 0.05, 5e7, 1e6, 0, 0, false}};
            m.resources.cpuUtilisation = 0.97;
        } else if (scenario == QLatin1String("threads")) {
            m.settings.threads = 4;
            m.settings.hardwareThreads = 16;
            m.stages = {{"tts", 0.1, 1e8, 1e7, 0, 0, false},
                        {"render", 0.5, 2e9, 1e7, 0, 0, true},
                        {"encode", 0.1, 1e8, 1e6, 0, 0, false}};
            m.resources.cpuUtilisation = 0.3;
        } else if (scenario == QLatin1String("preset")) {
            m.stages = {{"tts", 0.2, 2e8, 1e7, 0, 0, false},
                        {"render", 0.1, 4e8, 1e7, 0, 0, true},
                        {"encode", 0.6, 6e8, 2e7, 0, 0, false}};
        } else {
            m.stages = {{"render", 0.2, 4e9, 1e7, 3e7, 0.4, true}, {"encode", 0.1, 1e8, 1e6, 0, 0, false}};
            m.resources.poolWorkers = 8;
            m.resources.poolCap = 8;
            m.resources.queueDepth = 12;
        }
        const Bottleneck b = detectBottleneck(m);
        QCOMPARE(QString::fromStdString(b.stage), stage);
        QCOMPARE(QString::fromStdString(b.resource), resource);
        QVERIFY2(std::abs(b.severity - severity) < 1e-9, qPrintable(QString::number(b.severity)));
        QVERIFY(b.severity >= 0.0 && b.severity <= 1.0);
        QVERIFY(!b.reason.empty());

        const std::vector<Recommendation> recs = recommend(m);
        QVERIFY(!recs.empty());
        QCOMPARE(QString::fromStdString(recs.front().setting), setting);
        QVERIFY2(std::abs(recs.front().estimatedGain - gain) < 1e-9,
                 qPrintable(QString::number(recs.front().estimatedGain)));
        QVERIFY(
            std::is_sorted(recs.begin(), recs.end(), [](const Recommendation& x, const Recommendation& y) {
                return x.estimatedGain > y.estimatedGain;
            }));
        for (const Recommendation& r : recs)
            QVERIFY(r.estimatedGain >= 0.0 && r.estimatedGain < 1.0 && !r.action.empty() &&
                    !r.reason.empty());
        if (scenario == QLatin1String("cpu"))
            QCOMPARE(QString::fromStdString(recs.front().action),
                     QStringLiteral("Switch to Ultra: batch multiplier 1.5"));
    }

    // Issue #18: under every tier, with every rule triggered, a recommendation names only a tier above the
    // run's own (it once suggested "--tier advanced" to an Ultra run and "--tier ultra" to a Quantum one).
    void recommendationsPointUp_data() {
        QTest::addColumn<int>("tier");
        for (Tier t : {Tier::Standard, Tier::Advanced, Tier::Ultra, Tier::Quantum})
            QTest::newRow(tierName(t)) << int(t);
    }
    void recommendationsPointUp() {
        QFETCH(int, tier);
        Measurements m;
        m.wallNs = 1e9;
        m.settings = RunSettings{Tier(tier), 8, 8, "veryfast"};
        m.stages = {{"face", 0.2, 2e8, 1e7, 0, 0, true},
                    {"render", 0.3, 4e9, 1e7, 3e7, 0.4, true},
                    {"encode", 0.3, 3e8, 1e6, 0, 0, false}};
        m.resources.poolWorkers = 8;
        m.resources.poolCap = 8;
        m.resources.memoryCapBytes = 1e9;
        m.resources.memoryPeakBytes = 0.95e9;
        const std::vector<Recommendation> recs = recommend(m);
        QVERIFY(recs.size() >= 2); // the queue and memory rules at least
        for (const Recommendation& r : recs) {
            if (r.setting.rfind("--tier ", 0) != 0)
                continue;
            const std::optional<Tier> named = parseTier(r.setting.substr(7));
            QVERIFY2(named && int(*named) > tier, r.setting.c_str());
        }
        // veryfast encodes: the preset rule may suggest only a faster preset than veryfast.
        for (const Recommendation& r : recs)
            if (r.setting.rfind("--preset ", 0) == 0)
                QVERIFY2(x264PresetRelativeTime(r.setting.substr(9)) < x264PresetRelativeTime("veryfast"),
                         r.setting.c_str());
    }

    void reportOfSyntheticJob() {
        ReportOptions options;
        options.settings = RunSettings{Tier::Standard, 2, 2, "medium"};
        const ProfileReport r = ProfileReport::build(syntheticJob(), options);
        QCOMPARE(r.criticalPaths.size(), std::size_t{1});
        QCOMPARE(r.bottleneck.stage, std::string("render"));
        QCOMPARE(r.bottleneck.resource, std::string("cpu"));
        const auto render = std::find_if(r.measurements.stages.begin(), r.measurements.stages.end(),
                                         [](const StageLoad& s) { return s.stage == "render"; });
        QVERIFY(render != r.measurements.stages.end());
        QVERIFY(render->parallel);
        QVERIFY(std::abs(render->share - 20.0 / 61.0) < 1e-9);
        QCOMPARE(render->busyNs, 42e6);
        QCOMPARE(r.measurements.resources.memoryPeakBytes, 2.5e8);
        QCOMPARE(r.histogram("render.frame")->histogram.count(), std::uint64_t{4});
        QCOMPARE(r.wallNs, std::int64_t{61'000'000});
    }

    void regressionAgainstBaseline() {
        Baseline before;
        before.stages["render.frame"] = {4e6, 5e6};
        before.stages["encode.frame"] = {2e6, 3e6};
        before.stages["tts"] = {1e8, 1e8};
        before.stages["tiny"] = {1e3, 2e3};
        Baseline now;
        now.stages["render.frame"] = {4.1e6, 6.5e6}; // p95 +30%
        now.stages["encode.frame"] = {2.1e6, 3.1e6}; // +5%, +3%
        now.stages["tts"] = {0.8e8, 0.9e8};          // faster
        now.stages["tiny"] = {2e3, 4e3};             // +100% but microseconds: noise
        const auto regressions = compareToBaseline(before, now, 0.10);
        QCOMPARE(regressions.size(), std::size_t{8});
        std::vector<std::string> flagged;
        for (const Regression& g : regressions)
            if (g.regressed)
                flagged.push_back(g.stage + "/" + g.metric);
        QCOMPARE(flagged, std::vector<std::string>{"render.frame/p95"});
        const auto p95 = std::find_if(regressions.begin(), regressions.end(), [](const Regression& g) {
            return g.stage == "render.frame" && g.metric == "p95";
        });
        QVERIFY(std::abs(p95->change - 0.3) < 1e-9);

        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath(QStringLiteral("baseline.json")).toStdString();
        before.save(file);
        const Baseline loaded = Baseline::load(file);
        QCOMPARE(loaded.stages.size(), before.stages.size());
        for (const auto& [name, s] : before.stages) {
            QCOMPARE(loaded.stages.at(name).p50Ns, s.p50Ns);
            QCOMPARE(loaded.stages.at(name).p95Ns, s.p95Ns);
        }
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(readFile(file)));
        QVERIFY(doc.isObject());
        QCOMPARE(doc[QLatin1String("stages")][QLatin1String("render.frame")][QLatin1String("p95")].toDouble(),
                 5e6);

        // A report carries the comparison.
        ReportOptions options;
        Baseline strict = ProfileReport::build(syntheticJob()).toBaseline();
        strict.stages["render.frame"].p95Ns /= 2;
        options.baseline = strict;
        const ProfileReport r = ProfileReport::build(syntheticJob(), options);
        QVERIFY(r.hasBaseline);
        QVERIFY(std::any_of(r.regressions.begin(), r.regressions.end(), [](const Regression& g) {
            return g.regressed && g.stage == "render.frame" && g.metric == "p95";
        }));

        try {
            Baseline::load(dir.filePath(QStringLiteral("missing.json")).toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::NotFound);
        }
        std::ofstream(dir.filePath(QStringLiteral("bad.json")).toStdString()) << "{\"stages\": [1, 2";
        try {
            Baseline::load(dir.filePath(QStringLiteral("bad.json")).toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidInput);
        }
    }

    void chromeTraceHoldsEveryZone() {
        const ProfileReport r = recordedJob();
        QCOMPARE(r.data.zones.size(),
                 std::size_t{1 + 3 + 3 + 6 + 6 + 6}); // job, stages, sentences, queue waits, frames
        QJsonParseError error;
        const QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray::fromStdString(r.toChromeTrace()), &error);
        QVERIFY2(!doc.isNull(), qPrintable(error.errorString()));
        QCOMPARE(doc[QLatin1String("displayTimeUnit")].toString(), QStringLiteral("ms"));
        const QJsonArray events = doc[QLatin1String("traceEvents")].toArray();

        std::map<qint64, QString> threadNames;
        std::vector<QJsonObject> complete;
        int counters = 0, instants = 0;
        for (const QJsonValue& v : events) {
            const QJsonObject e = v.toObject();
            const QString ph = e[QLatin1String("ph")].toString();
            QVERIFY(e.contains(QLatin1String("pid")) && e.contains(QLatin1String("name")));
            if (ph == QLatin1String("M") &&
                e[QLatin1String("name")].toString() == QLatin1String("thread_name"))
                threadNames[e[QLatin1String("tid")].toInteger()] =
                    e[QLatin1String("args")][QLatin1String("name")].toString();
            else if (ph == QLatin1String("X"))
                complete.push_back(e);
            else if (ph == QLatin1String("C")) {
                ++counters;
                QVERIFY(e[QLatin1String("args")][QLatin1String("value")].isDouble());
            } else if (ph == QLatin1String("i")) {
                ++instants;
                QCOMPARE(e[QLatin1String("s")].toString(), QStringLiteral("g"));
            } else
                QCOMPARE(ph, QStringLiteral("M"));
        }
        QCOMPARE(counters, 7);
        QCOMPARE(instants, 1);
        QVERIFY(threadNames.size() >= r.data.threads.size());
        QCOMPARE(threadNames[static_cast<qint64>(r.data.threads[0].id)], QStringLiteral("job"));
        int renderThreads = 0;
        for (const auto& [tid, name] : threadNames)
            renderThreads += name.startsWith(QLatin1String("render-"));
        QVERIFY(renderThreads >= 1);

        // Every zone is there once with its thread, start and duration (microseconds, exact to the ns). Zones
        // that overlap others partly sit on an extra track named after their thread.
        QCOMPARE(complete.size(), r.data.zones.size());
        std::vector<bool> matched(complete.size(), false);
        for (const ZoneRecord& z : r.data.zones) {
            bool found = false;
            const QString thread = QString::fromStdString(r.data.threads[z.thread].name);
            for (std::size_t i = 0; i < complete.size() && !found; ++i) {
                const QJsonObject& e = complete[i];
                if (matched[i] || e[QLatin1String("name")].toString().toStdString() != z.name ||
                    !threadNames[e[QLatin1String("tid")].toInteger()].startsWith(thread) ||
                    std::abs(e[QLatin1String("ts")].toDouble() - static_cast<double>(z.startNs) / 1000.0) >
                        0.0015)
                    continue;
                QVERIFY(std::abs(e[QLatin1String("dur")].toDouble() -
                                 static_cast<double>(z.durationNs()) / 1000.0) < 0.0015);
                QCOMPARE(e[QLatin1String("cat")].toString().toStdString(), std::string(stageOf(z.name)));
                matched[i] = found = true;
            }
            QVERIFY2(found, z.name.c_str());
        }
        QVERIFY(strictlyNested(complete));
        // The job's stage zones nest inside "job" on the job's thread.
        for (const ZoneRecord& z : r.data.zones)
            if (z.name == "tts.sentence")
                QCOMPARE(z.depth, 2);
    }

    void chromeTraceMovesOverlapsToExtraTracks() {
        ProfileData d;
        d.processId = 1;
        d.threads = {{77, "render-0"}};
        d.zones = {zone("render.frame", 0, 0, 100), zone("render.warp", 0, 10, 40, 1),
                   zone("queue.render", 0, 50, 150), // began while render.frame ran: overlaps it partly
                   zone("queue.render", 0, 120, 200), zone("render.frame", 0, 150, 300)};
        d.sortZones();
        const ProfileReport r = ProfileReport::build(std::move(d));
        const QJsonArray events = QJsonDocument::fromJson(QByteArray::fromStdString(
            r.toChromeTrace()))[QLatin1String("traceEvents")]
                                      .toArray();
        std::vector<QJsonObject> complete;
        std::set<qint64> tids;
        QStringList names;
        for (const QJsonValue& v : events) {
            const QJsonObject e = v.toObject();
            if (e[QLatin1String("ph")].toString() == QLatin1String("X")) {
                complete.push_back(e);
                tids.insert(e[QLatin1String("tid")].toInteger());
            } else if (e[QLatin1String("name")].toString() == QLatin1String("thread_name")) {
                names << e[QLatin1String("args")][QLatin1String("name")].toString();
            }
        }
        QCOMPARE(complete.size(), std::size_t{5});
        QVERIFY(tids.size() >= 2);
        QVERIFY(names.contains(QStringLiteral("render-0")));
        QVERIFY(names.contains(QStringLiteral("render-0 (2)")));
        QVERIFY(strictlyNested(complete));
    }

    void htmlIsWellFormedWithCharts() {
        const ProfileReport r = recordedJob();
        const QString html = QString::fromStdString(r.toHtml());
        QXmlStreamReader xml(html);
        std::map<QString, int> open;
        int svgs = 0, tables = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement()) {
                ++open[xml.name().toString()];
                svgs += xml.name() == QLatin1String("svg");
                tables += xml.name() == QLatin1String("table");
                const QString href = xml.attributes().value(QLatin1String("href")).toString() +
                                     xml.attributes().value(QLatin1String("src")).toString();
                QVERIFY2(href.isEmpty(), qPrintable(href)); // nothing loaded from elsewhere
            }
            if (xml.isEndElement())
                --open[xml.name().toString()];
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString() + QStringLiteral(" at line ") +
                                             QString::number(xml.lineNumber())));
        for (const auto& [name, depth] : open)
            QCOMPARE(depth, 0);
        // stage bars, one histogram per zone name (up to 12), the timeline, two counters.
        QVERIFY(svgs >= 1 + 6 + 1 + 2);
        QVERIFY(tables >= 4);
        QVERIFY(!html.contains(QLatin1String("<script")));
        QVERIFY(!html.contains(QLatin1String("<link")));
        QVERIFY(!html.contains(QLatin1String("@import")));
        for (const char* name : {"tts", "face", "animate", "render", "encode", "render.frame", "render-",
                                 "job", "memory.bytes", "scale 2 -&gt; 4 workers", "Recommendations",
                                 "Critical path", "tst_profiler &lt;job&gt; &amp;"})
            QVERIFY2(html.contains(QLatin1String(name)), name);
        QVERIFY(html.contains(QStringLiteral("aria-label=\"Zones per thread\"")));
        QVERIFY(html.contains(QStringLiteral("aria-label=\"Counter memory.bytes\"")));
        QVERIFY(html.contains(QStringLiteral("aria-label=\"Time per stage\"")));
    }

    void csvMatchesHistograms() {
        const ProfileReport r = recordedJob();
        const QStringList lines =
            QString::fromStdString(r.toCsv()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.first(), QStringLiteral("name,count,total,mean,min,max,p50,p95,p99"));
        QCOMPARE(static_cast<std::size_t>(lines.size() - 1), r.histograms.size());
        for (int i = 1; i < lines.size(); ++i) {
            const QStringList f = lines[i].split(QLatin1Char(','));
            QCOMPARE(f.size(), 9);
            const NamedHistogram* named = r.histogram(f[0].toStdString());
            QVERIFY2(named, qPrintable(f[0]));
            const LatencyHistogram& h = named->histogram;
            QCOMPARE(f[1].toULongLong(), static_cast<qulonglong>(h.count()));
            const double want[] = {h.total(),
                                   h.mean(),
                                   static_cast<double>(h.min()),
                                   static_cast<double>(h.max()),
                                   h.percentile(50),
                                   h.percentile(95),
                                   h.percentile(99)};
            for (int c = 0; c < 7; ++c)
                QVERIFY2(std::abs(f[2 + c].toDouble() - want[c] / 1e6) <= 1e-6, qPrintable(lines[i]));
        }
    }

    void pdfStructureIsValid() {
        const ProfileReport r = recordedJob();
        const std::string pdf = r.toPdf();
        QVERIFY(pdf.rfind("%PDF-1.", 0) == 0);
        QVERIFY(pdf.size() > 6 && pdf.compare(pdf.size() - 6, 6, "%%EOF\n") == 0);
        // The cross-reference table: every entry points at its object.
        const std::size_t sx = pdf.rfind("startxref\n");
        QVERIFY(sx != std::string::npos);
        const std::size_t xref = std::stoull(pdf.substr(sx + 10));
        QCOMPARE(pdf.substr(xref, 5), std::string("xref\n"));
        std::istringstream in(pdf.substr(xref + 5));
        std::size_t first = 0, count = 0;
        in >> first >> count;
        QCOMPARE(first, std::size_t{0});
        QVERIFY(count > 6);
        std::string line;
        std::getline(in, line); // rest of the subsection line
        for (std::size_t n = 0; n < count; ++n) {
            char entry[21] = {};
            in.read(entry, 20);
            const std::string e(entry, 20);
            if (n == 0 || e.substr(17, 1) == "f")
                continue;
            const std::size_t offset = std::stoull(e.substr(0, 10));
            const std::string header = std::to_string(n) + " 0 obj";
            QCOMPARE(pdf.substr(offset, header.size()), header);
        }

        const Poppler p = readPdf(pdf);
        QVERIFY2(pagesOf(p.info) >= 1, qPrintable(p.info));
        const QRegularExpression title(QStringLiteral("^Title:\\s+") +
                                           QRegularExpression::escape(QString::fromStdString(r.title)) +
                                           QStringLiteral("$"),
                                       QRegularExpression::MultilineOption);
        QVERIFY2(title.match(p.info).hasMatch(), qPrintable(p.info));
        for (const char* name : {"tts", "face", "animate", "render", "encode", "render.frame",
                                 "Recommendations", "Latency per zone (ms)", "Time per stage"})
            QVERIFY2(p.text.contains(QLatin1String(name)), name);
        // The bar chart, seen on the rendered page: a bar in each measured stage's colour.
        QVERIFY(!p.rgb.empty());
        for (const char* stage : {"tts", "render", "encode"}) {
            const report::Rgb c = report::stageColor(stage);
            const int want[3] = {int(std::lround(c.r * 255)), int(std::lround(c.g * 255)),
                                 int(std::lround(c.b * 255))};
            int found = 0;
            for (std::size_t i = 0; i + 2 < p.rgb.size(); i += 3)
                found += std::abs(p.rgb[i] - want[0]) <= 6 && std::abs(p.rgb[i + 1] - want[1]) <= 6 &&
                         std::abs(p.rgb[i + 2] - want[2]) <= 6;
            QVERIFY2(found >= 20, stage);
        }
    }

    void pdfPaginatesLongTables() {
        ProfileData d = syntheticJob();
        for (int i = 0; i < 150; ++i)
            d.zones.push_back(zone("render.step" + std::to_string(i), 1, 0, 1000 + i));
        const Poppler p = readPdf(ProfileReport::build(std::move(d)).toPdf());
        QVERIFY2(pagesOf(p.info) >= 3, qPrintable(p.info));
        QVERIFY(p.text.contains(QStringLiteral("render.step149")));
    }

    void pdfKeepsUnicodeText() {
        // Zone names are UTF-8 (a user's job title, a stage named in another language): the PDF shows them,
        // where the old Latin-1 writer printed '?'.
        ProfileData d = syntheticJob();
        d.zones.push_back(zone("render.Zoë-ñ", 1, 0, 5000));
        const Poppler p = readPdf(ProfileReport::build(std::move(d)).toPdf());
        QVERIFY2(p.text.contains(QStringLiteral("render.Zoë-ñ")), qPrintable(p.text));
    }

    void exportPicksFormatByExtension() {
        const ProfileReport r = ProfileReport::build(syntheticJob());
        QTemporaryDir dir;
        for (const char* name : {"trace.json", "report.html", "stats.csv", "report.pdf", "UPPER.PDF"}) {
            const std::filesystem::path path = dir.filePath(QLatin1String(name)).toStdString();
            r.exportReport(path);
            QVERIFY(std::filesystem::file_size(path) > 100);
        }
        QVERIFY(readFile(dir.filePath(QStringLiteral("trace.json")).toStdString())
                    .rfind("{\"traceEvents\":[", 0) == 0);
        QVERIFY(
            readFile(dir.filePath(QStringLiteral("report.html")).toStdString()).rfind("<!DOCTYPE html>", 0) ==
            0);
        QVERIFY(readFile(dir.filePath(QStringLiteral("stats.csv")).toStdString()).rfind("name,count,", 0) ==
                0);
        QVERIFY(readFile(dir.filePath(QStringLiteral("report.pdf")).toStdString()).rfind("%PDF-1.", 0) == 0);
        // Overwrites in place, and leaves no temporary files behind.
        r.exportReport(dir.filePath(QStringLiteral("stats.csv")).toStdString());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 5);

        try {
            r.exportReport(dir.filePath(QStringLiteral("report.txt")).toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidInput);
            QVERIFY(QString::fromUtf8(e.what()).contains(QLatin1String(".json")));
            QVERIFY(QString::fromUtf8(e.what()).contains(QLatin1String("report.txt")));
        }
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("report.txt"))));
        try {
            r.exportReport(dir.filePath(QStringLiteral("no/such/folder/r.csv")).toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Io);
        }
    }

    void zoneCost() {
#ifdef AVATAR_TSAN
        // ThreadSanitizer makes every zone 5-15x dearer: the zones run for its checks, the bounds are the
        // normal build's.
        const ZoneCost cost = measureZoneCost(20'000, 1);
        QVERIFY(cost.enabledNs > 0.0);
#else
        const ZoneCost cost = measureZoneCost(500'000, 5);
        qInfo("profiler zone: %.1f ns enabled, %.2f ns switched off", cost.enabledNs, cost.disabledNs);
        QVERIFY(cost.enabledNs > 0.0);
        // No bound on the time here: speed goals are the benchmark's (`avatar-bench --suite engine` reports
        // the zone cost against its 20 ns goal), and a bound failed CI runs on a loaded machine.
#endif
    }
};

// Everything below sees the macros as a build with -DAVATAR_PROFILING=OFF does.
#undef AVATAR_PROFILING
#define AVATAR_PROFILING 0
#include "profile/ProfileMacros.h"

int useMacrosCompiledOut(Profiler& profiler, int& evaluations) {
    AVATAR_PROFILE_JOB(profiler, 3);
    AVATAR_ZONE(profiler, "render");
    AVATAR_ZONE_LEVEL(profiler, "render.frame", ProfilingLevel::Basic);
    AVATAR_COUNTER(profiler, "memory.bytes", ++evaluations);
    AVATAR_COUNTER_LEVEL(profiler, "memory.bytes", ++evaluations, ProfilingLevel::Basic);
    return 42;
}

QTEST_GUILESS_MAIN(TstProfiler)
#include "tst_profiler.moc"
