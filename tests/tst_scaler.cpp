#include "core/MonotonicClock.h"
#include "core/ThreadPool.h"
#include "core/Tier.h"
#include "scale/HoltForecast.h"
#include "scale/ProcReaders.h"
#include "scale/Scaler.h"

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <cmath>
#include <fstream>
#include <thread>
#include <vector>

using namespace avatar;
using namespace std::chrono_literals;

namespace {

// A recorded trace of queue depths, replayed one sample per tick (the last one repeats).
class TraceSource final : public ScalerMetricsSource {
public:
    explicit TraceSource(std::vector<double> depths) : m_depths(std::move(depths)) {}
    ScalerSample sample() override {
        ScalerSample s;
        s.queueDepth = m_depths[std::min(m_next, m_depths.size() - 1)];
        ++m_next;
        return s;
    }

private:
    std::vector<double> m_depths;
    std::size_t m_next = 0;
};

ScalerOptions options(std::size_t initial = 2) {
    ScalerOptions o;
    o.minWorkers = 1;
    o.maxWorkers = 16;
    o.initialWorkers = initial;
    o.targets.queueDepth = 8.0;
    o.targets.cpuUtilisation = 0.0; // traces carry only the queue
    o.targets.gpuUtilisation = 0.0;
    return o;
}

struct Replay {
    std::vector<ScalerDecision> decisions;
    std::vector<std::size_t> workersPerTick;
};

// Ticks once per fake second over the whole trace (plus `extraTicks` of its last value).
Replay replay(const std::vector<double>& trace, ScalerOptions o, std::size_t extraTicks = 0,
              const TierSettings& tier = tierSettings(Tier::Standard)) {
    ManualMonotonicClock clock;
    TraceSource source(trace);
    Scaler scaler(source, o, &clock);
    scaler.setTier(tier);
    Replay r;
    for (std::size_t i = 0; i < trace.size() + extraTicks; ++i) {
        clock.advance(1s);
        if (auto d = scaler.tick())
            r.decisions.push_back(*d);
        r.workersPerTick.push_back(scaler.workers());
    }
    return r;
}

std::vector<double> step(std::size_t before, double low, std::size_t after, double high) {
    std::vector<double> t(before, low);
    t.insert(t.end(), after, high);
    return t;
}

} // namespace

class TestScaler : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stepScalesUpImmediately();
    void withinToleranceNoChange();
    void noisyFlatDoesNotFlap();
    void scaleDownOnlyAfterWindow();
    void cooldownRespected();
    void forecastBeatsReactiveOnRamp();
    void tierMultiplier_data();
    void tierMultiplier();
    void clampedToMinMax();
    void historyBoundedAndListeners();
    void resizesRealPool();
    void loopOnItsOwnThread();
    void holtFollowsTrend();
    void cpuReaderFromFile_data();
    void cpuReaderFromFile();
    void procReadersSane();
};

void TestScaler::stepScalesUpImmediately() {
    const Replay r = replay(step(5, 0.0, 5, 20.0), options(2));
    // Idle at 2 workers with no history to scale down from yet; the step comes at tick 5.
    QVERIFY(!r.decisions.empty());
    const ScalerDecision& up = r.decisions.front();
    QCOMPARE(up.from, std::size_t(2));
    QCOMPARE(up.to, std::size_t(3));               // ceil(20 / 8)
    QCOMPARE(r.workersPerTick[5], std::size_t(3)); // the same tick the step arrives
    QCOMPARE(r.workersPerTick[4], std::size_t(2));
    QVERIFY2(QString::fromStdString(up.reason).contains(
                 QStringLiteral("queue depth 20 (10/worker) > target 8/worker")),
             up.reason.c_str());
    QVERIFY(QString::fromStdString(up.reason).endsWith(QStringLiteral("2 → 3 workers")));
}

void TestScaler::withinToleranceNoChange() {
    ScalerOptions o = options(1);
    const Replay r = replay(std::vector<double>(60, 8.6), o); // 8.6 / 8 = 1.075: inside ±10 %
    QVERIFY(r.decisions.empty());
    const Replay low = replay(std::vector<double>(60, 7.3), o); // 0.91: inside too
    QVERIFY(low.decisions.empty());
}

void TestScaler::noisyFlatDoesNotFlap() {
    // Recorded noise around the target: single samples leave the band in both directions.
    const std::vector<double> noise{8,   7,   9.5, 6.5, 8.5, 7.5, 9.9, 6,   8,   8.2, 7.1, 9.7, 6.8, 8.4, 7.9,
                                    9.2, 6.3, 8.8, 7.4, 9.6, 6.9, 8.1, 7.7, 9.3, 6.6, 8.3, 7.2, 9.8, 6.4, 8};
    std::vector<double> trace;
    for (int i = 0; i < 4; ++i)
        trace.insert(trace.end(), noise.begin(), noise.end());
    const Replay r = replay(trace, options(1));
    // At most one step up (a noise peak), and never back and forth.
    QVERIFY2(r.decisions.size() <= 1, qPrintable(QString::number(r.decisions.size())));
    for (const ScalerDecision& d : r.decisions)
        QVERIFY(d.to > d.from);
}

void TestScaler::scaleDownOnlyAfterWindow() {
    // Spike then drop: 10 idle ticks, 3 ticks of 40, then idle.
    std::vector<double> trace(10, 4.0);
    trace.insert(trace.end(), 3, 40.0);
    trace.insert(trace.end(), 80, 0.0);
    ScalerOptions o = options(2);
    o.forecastHorizonTicks = 0.0;
    const Replay r = replay(trace, o);
    QVERIFY(r.decisions.size() >= 2);
    const ScalerDecision& up = r.decisions[0];
    QVERIFY(up.to > up.from);
    const double lastHigh = 13.0; // fake seconds: tick i happens at i + 1 s
    const ScalerDecision& down = r.decisions[1];
    QVERIFY(down.to < down.from);
    QVERIFY2(down.secondsSinceStart - lastHigh >= 30.0, qPrintable(QString::number(down.secondsSinceStart)));
    QVERIFY(QString::fromStdString(down.reason).contains(QStringLiteral("max desired over 30 s")));
}

void TestScaler::cooldownRespected() {
    // A spike to 16 workers, then a queue that falls slowly: the scale-downs are 15 s apart at least.
    std::vector<double> trace(3, 128.0);
    for (int i = 0; i < 120; ++i)
        trace.push_back(std::max(0.0, 100.0 - i));
    ScalerOptions o = options(8);
    o.forecastHorizonTicks = 0.0;
    const Replay r = replay(trace, o);
    std::vector<double> changes;
    for (const ScalerDecision& d : r.decisions)
        changes.push_back(d.secondsSinceStart);
    QVERIFY(r.decisions.size() >= 3);
    for (std::size_t i = 1; i < changes.size(); ++i)
        QVERIFY2(changes[i] - changes[i - 1] >= 15.0, qPrintable(QString::number(changes[i])));

    // An up-cooldown delays a second scale-up.
    ScalerOptions u = options(2);
    u.upCooldown = 5s;
    u.forecastHorizonTicks = 0.0;
    std::vector<double> twoSteps{0, 0, 24, 24, 80, 80, 80, 80, 80, 80};
    const Replay r2 = replay(twoSteps, u);
    QVERIFY(r2.decisions.size() >= 2);
    QVERIFY(r2.decisions[1].secondsSinceStart - r2.decisions[0].secondsSinceStart >= 5.0);
}

void TestScaler::forecastBeatsReactiveOnRamp() {
    std::vector<double> ramp;
    for (int i = 0; i < 30; ++i)
        ramp.push_back(double(i)); // +1 a second
    ScalerOptions reactive = options(1);
    reactive.forecastHorizonTicks = 0.0;
    ScalerOptions predictive = options(1);
    predictive.forecastHorizonTicks = 3.0;
    const Replay a = replay(ramp, reactive);
    const Replay b = replay(ramp, predictive);
    QVERIFY(!a.decisions.empty() && !b.decisions.empty());
    QVERIFY2(b.decisions[0].secondsSinceStart < a.decisions[0].secondsSinceStart,
             qPrintable(QStringLiteral("%1 vs %2")
                            .arg(b.decisions[0].secondsSinceStart)
                            .arg(a.decisions[0].secondsSinceStart)));
    QVERIFY(b.decisions[0].predictive);
    QVERIFY(!a.decisions[0].predictive);
    QVERIFY2(QString::fromStdString(b.decisions[0].reason).contains(QStringLiteral("forecast")),
             b.decisions[0].reason.c_str());
}

void TestScaler::tierMultiplier_data() {
    QTest::addColumn<int>("tier");
    QTest::addColumn<int>("workers"); // 2 workers, a flat queue of 15 against a base target of 8/worker
    QTest::newRow("standard: within band") << int(Tier::Standard) << 2; // 15 / 16 = 0.94
    QTest::newRow("advanced: within band") << int(Tier::Advanced) << 2; // 15 / 14.4 = 1.04
    QTest::newRow("ultra: scales up") << int(Tier::Ultra) << 3;         // 15 / 12.8 = 1.17
    QTest::newRow("quantum: scales up") << int(Tier::Quantum) << 3;     // 15 / 11.2 = 1.34
}

void TestScaler::tierMultiplier() {
    QFETCH(int, tier);
    QFETCH(int, workers);
    ScalerOptions o = options(2);
    const Replay r = replay(std::vector<double>(5, 15.0), o, 0, tierSettings(static_cast<Tier>(tier)));
    QCOMPARE(r.workersPerTick.back(), std::size_t(workers));
    if (!r.decisions.empty()) {
        const QString reason = QString::fromStdString(r.decisions[0].reason);
        QVERIFY2(reason.contains(QStringLiteral("target 8 x 0.")), qPrintable(reason));
    }
}

void TestScaler::clampedToMinMax() {
    ScalerOptions o = options(2);
    o.maxWorkers = 6;
    const Replay r = replay(std::vector<double>(3, 1000.0), o);
    QCOMPARE(r.workersPerTick.back(), std::size_t(6));
    ScalerOptions m = options(4);
    m.minWorkers = 3;
    m.stabilisation = 5s;
    m.downCooldown = 0s;
    const Replay d = replay(std::vector<double>(40, 0.0), m);
    QCOMPARE(d.workersPerTick.back(), std::size_t(3));
}

void TestScaler::historyBoundedAndListeners() {
    ManualMonotonicClock clock;
    std::vector<double> trace;
    for (int i = 0; i < 10; ++i)
        trace.push_back(16.0 * (i + 2)); // keeps rising: a decision every tick
    TraceSource source(trace);
    ScalerOptions o = options(1);
    o.historySize = 3;
    o.maxWorkers = 1000;
    Scaler scaler(source, o, &clock);
    int heard = 0;
    std::size_t resizedTo = 0;
    scaler.addListener([&](const ScalerDecision&) { ++heard; });
    scaler.addResizeCallback([&](std::size_t n) { resizedTo = n; });
    for (int i = 0; i < 10; ++i) {
        clock.advance(1s);
        scaler.tick();
    }
    QVERIFY(heard >= 4);
    QCOMPARE(scaler.history().size(), std::size_t(3));
    QCOMPARE(resizedTo, scaler.workers());
    QCOMPARE(scaler.history().back().to, scaler.workers());
    QVERIFY(!scaler.lastReason().empty());
}

void TestScaler::resizesRealPool() {
    ManualMonotonicClock clock;
    TraceSource source(step(2, 0.0, 3, 24.0));
    ThreadPool pool(2, "tst-scaled");
    Scaler scaler(source, options(), &clock);
    scaler.attachPool(pool);
    QCOMPARE(scaler.workers(), std::size_t(2));
    for (int i = 0; i < 3; ++i) {
        clock.advance(1s);
        scaler.tick();
    }
    QCOMPARE(scaler.workers(), std::size_t(3)); // ceil(24 / 8)
    QCOMPARE(pool.size(), std::size_t(3));
    // The resized pool still runs work.
    QCOMPARE(pool.submit([] { return 41 + 1; }).get(), 42);
}

// The real loop on its own thread (the path ThreadSanitizer watches in tst_scaler_tsan): the load rises on
// another thread while this one reads the history and changes the tier; the loop scales the real pool up.
void TestScaler::loopOnItsOwnThread() {
    class LiveSource final : public ScalerMetricsSource {
    public:
        ScalerSample sample() override {
            ScalerSample s;
            s.queueDepth = depth.load();
            return s;
        }
        std::atomic<double> depth{0.0};
    } source;
    ScalerOptions o = options();
    o.period = std::chrono::milliseconds(10);
    ThreadPool pool(2, "tst-live");
    Scaler scaler(source, o);
    scaler.attachPool(pool);
    std::atomic<int> decisions{0};
    scaler.addListener([&](const ScalerDecision&) { ++decisions; });
    scaler.start();
    std::thread load([&] { source.depth.store(40.0); }); // 5 workers' worth at 8 per worker
    for (int i = 0; i < 20; ++i) {
        scaler.setTier(tierSettings(i % 2 ? Tier::Advanced : Tier::Standard));
        static_cast<void>(scaler.history());
        static_cast<void>(scaler.lastReason());
    }
    load.join();
    scaler.setTier(tierSettings(Tier::Standard));
    QTRY_VERIFY_WITH_TIMEOUT(scaler.workers() >= 5, 10000);
    scaler.stop();
    QVERIFY(decisions.load() >= 1);
    QCOMPARE(pool.size(), scaler.workers());
    QVERIFY(!scaler.history().empty());
}

void TestScaler::holtFollowsTrend() {
    HoltForecast h(0.5, 0.3);
    for (int i = 0; i < 40; ++i)
        h.update(2.0 * i);
    QVERIFY(std::abs(h.trend() - 2.0) < 0.05);
    QVERIFY(std::abs(h.forecast(3) - (2.0 * 39 + 6.0)) < 0.5);
    HoltForecast flat;
    for (int i = 0; i < 10; ++i)
        flat.update(5.0);
    QCOMPARE(flat.forecast(3), 5.0);
}

void TestScaler::cpuReaderFromFile_data() {
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::addColumn<double>("expected");
    // user nice system idle iowait irq softirq steal guest guest_nice
    QTest::newRow("half busy") << QStringLiteral("cpu  100 0 100 200 0 0 0 0 0 0")
                               << QStringLiteral("cpu  150 0 150 300 0 0 0 0 0 0") << 0.5;
    QTest::newRow("iowait is idle") << QStringLiteral("cpu  0 0 0 0 0 0 0 0 0 0")
                                    << QStringLiteral("cpu  25 0 0 50 25 0 0 0 0 0") << 0.25;
    QTest::newRow("guest not counted twice")
        << QStringLiteral("cpu  0 0 0 0 0 0 0 0 0 0") << QStringLiteral("cpu  50 0 0 50 0 0 0 0 40 0") << 0.5;
}

void TestScaler::cpuReaderFromFile() {
    QFETCH(QString, first);
    QFETCH(QString, second);
    QFETCH(double, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("stat")).toStdString();
    CpuUsageReader reader(path);
    std::ofstream(path) << first.toStdString() << "\ncpu0 1 2 3\n";
    QVERIFY(!reader.read()); // primes
    std::ofstream(path) << second.toStdString() << "\ncpu0 1 2 3\n";
    const auto v = reader.read();
    QVERIFY(v.has_value());
    QCOMPARE(*v, expected);
}

void TestScaler::procReadersSane() {
    CpuUsageReader cpu;
    QVERIFY(!cpu.read());
    // Burn CPU until the kernel's jiffy counters move (100 Hz), then the reading is a fraction.
    std::optional<double> v;
    volatile double sink = 0.0;
    for (int round = 0; round < 2000 && !v; ++round) {
        for (int i = 0; i < 200000; ++i)
            sink = sink + std::sqrt(double(i));
        v = cpu.read();
    }
    QVERIFY(v.has_value());
    QVERIFY(*v >= 0.0 && *v <= 1.0);

    const auto rss = processRssBytes();
    QVERIFY(rss.has_value());
    QVERIFY(*rss > 1024u * 1024u);
    QVERIFY(*rss < 64ull * 1024 * 1024 * 1024);

    NvmlReader gpu;
    if (gpu.available()) {
        const auto g = gpu.read();
        QVERIFY(g.has_value());
        QVERIFY(g->utilisation >= 0.0 && g->utilisation <= 1.0);
        QVERIFY(g->totalBytes > 0 && g->usedBytes <= g->totalBytes);
    } else {
        QVERIFY(!gpu.read()); // absent: not reported
    }
}

QTEST_GUILESS_MAIN(TestScaler)
#include "tst_scaler.moc"
