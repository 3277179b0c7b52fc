#include "batch/AdaptiveDelay.h"
#include "batch/Batcher.h"
#include "core/Error.h"
#include "core/MonotonicClock.h"
#include "core/Tier.h"

#include <QtTest>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using namespace avatar;
using namespace std::chrono_literals;

namespace {

using IntBatcher = Batcher<int, int>;

BatchOptions manualOptions(std::size_t base = 4) {
    BatchOptions o;
    o.name = "test";
    o.baseMaxBatch = base;
    o.minDelay = 1ms;
    o.maxDelay = 20ms;
    o.executors = 0; // the test runs batches with runDue() on a fake clock
    return o;
}

// Remembers every batch it was given; answers request x with x * 10.
struct Recorder {
    std::mutex mutex;
    std::vector<std::vector<int>> batches;
    IntBatcher::BatchFunction fn() {
        return [this](std::vector<int>& in) {
            std::lock_guard lock(mutex);
            batches.push_back(in);
            std::vector<int> out;
            for (int x : in)
                out.push_back(x * 10);
            return out;
        };
    }
};

ErrorCode errorOf(std::future<int>& f) {
    try {
        f.get();
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::Internal; // not an avatar::Error: the caller compares against the expected code
}

} // namespace

class TestBatcher : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void loneRequestWaitsOnlyMinDelay();
    void fullBatchRunsAtOnce();
    void adaptiveDelay_data();
    void adaptiveDelay();
    void heavyLoadWaitsLongerThanLight();
    void priorities();
    void cancelQueued();
    void errorsReachEveryRequest();
    void wrongResponseCountIsInternal();
    void shutdownCancels();
    void shutdownDrains();
    void tierMultiplier_data();
    void tierMultiplier();
    void metricsSnapshot();
    void stressEveryIdOnce();
};

void TestBatcher::loneRequestWaitsOnlyMinDelay() {
    ManualMonotonicClock clock;
    Recorder rec;
    IntBatcher b(rec.fn(), manualOptions(), &clock);
    auto t = b.submit(7);
    QCOMPARE(b.runDue(), std::size_t(0)); // not due yet: the min delay has not passed
    clock.advance(1ms);
    QCOMPARE(b.runDue(), std::size_t(1));
    QCOMPARE(t.result.get(), 70);
    QCOMPARE(rec.batches.size(), std::size_t(1));
}

void TestBatcher::fullBatchRunsAtOnce() {
    ManualMonotonicClock clock;
    Recorder rec;
    IntBatcher b(rec.fn(), manualOptions(4), &clock);
    std::vector<IntBatcher::Ticket> tickets;
    for (int i = 0; i < 5; ++i)
        tickets.push_back(b.submit(i));
    QCOMPARE(b.runDue(), std::size_t(1)); // one full batch of 4; the fifth waits for its delay
    QCOMPARE(rec.batches.at(0), (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(b.queueDepth(), std::size_t(1));
}

void TestBatcher::adaptiveDelay_data() {
    QTest::addColumn<double>("gapMs"); // between arrivals
    QTest::addColumn<int>("queued");
    QTest::addColumn<double>("serviceMs"); // < 0: none measured
    QTest::addColumn<double>("expectMs");

    // min 1 ms, max 20 ms, max batch 8
    QTest::newRow("light load: do not hold") << 50.0 << 1 << -1.0 << 1.0;
    QTest::newRow("full batch: no wait") << 1.0 << 8 << -1.0 << 0.0;
    QTest::newRow("heavy: time to fill") << 2.0 << 2 << -1.0 << 12.0;      // 6 missing x 2 ms
    QTest::newRow("heavy: capped at max") << 5.0 << 1 << -1.0 << 20.0;     // 35 ms > max
    QTest::newRow("heavy: capped by service") << 2.0 << 2 << 4.0 << 4.0;   // fill 12 ms > service 4 ms
    QTest::newRow("very heavy: floor at min") << 0.05 << 7 << -1.0 << 1.0; // fill 0.05 ms < min
}

void TestBatcher::adaptiveDelay() {
    QFETCH(double, gapMs);
    QFETCH(int, queued);
    QFETCH(double, serviceMs);
    QFETCH(double, expectMs);
    AdaptiveDelay d(1ms, 20ms);
    ManualMonotonicClock clock;
    const auto gap =
        std::chrono::duration_cast<AdaptiveDelay::Duration>(std::chrono::duration<double, std::milli>(gapMs));
    for (int i = 0; i < 50; ++i) {
        d.onArrival(clock.now());
        clock.advance(gap);
    }
    clock.advance(-gap); // "now" is the last arrival
    if (serviceMs >= 0)
        d.onBatchDone(std::chrono::duration_cast<AdaptiveDelay::Duration>(
            std::chrono::duration<double, std::milli>(serviceMs)));
    const double got =
        std::chrono::duration<double, std::milli>(d.wait(std::size_t(queued), 8, clock.now())).count();
    QVERIFY2(std::abs(got - expectMs) < 0.01, qPrintable(QString::number(got)));
    // Always within [0, max]; zero only for a full batch.
    QVERIFY(got <= 20.0);
}

void TestBatcher::heavyLoadWaitsLongerThanLight() {
    ManualMonotonicClock clock;
    Recorder rec;
    BatchOptions o = manualOptions(16);
    IntBatcher b(rec.fn(), o, &clock);
    // Heavy: one request per 0.5 ms. Batches fill, and the delay grows above the minimum.
    for (int i = 0; i < 200; ++i) {
        b.submit(i);
        clock.advance(500us);
        b.runDue();
    }
    const BatchMetricsSnapshot heavy = b.metrics();
    QVERIFY2(heavy.meanBatchSize > 1.5, qPrintable(QString::number(heavy.meanBatchSize)));
    // Light: after a long silence a lone request is not held.
    clock.advance(5s);
    auto lone = b.submit(1000);
    QCOMPARE(b.metrics().currentDelayMs, 1.0);
    clock.advance(1ms);
    QCOMPARE(b.runDue(), std::size_t(1));
    QCOMPARE(lone.result.get(), 10000);
}

void TestBatcher::priorities() {
    ManualMonotonicClock clock;
    Recorder rec;
    IntBatcher b(rec.fn(), manualOptions(8), &clock);
    b.submit(1, BatchPriority::Low);
    b.submit(2, BatchPriority::Normal);
    QCOMPARE(b.runDue(), std::size_t(0));
    auto high = b.submit(3, BatchPriority::High);
    QCOMPARE(b.runDue(), std::size_t(1)); // High skips the wait and takes the others along
    QCOMPARE(rec.batches.at(0), (std::vector<int>{3, 2, 1}));
    QCOMPARE(high.result.get(), 30);
}

void TestBatcher::cancelQueued() {
    ManualMonotonicClock clock;
    Recorder rec;
    IntBatcher b(rec.fn(), manualOptions(8), &clock);
    auto a = b.submit(1);
    auto c = b.submit(2);
    auto d = b.submit(3);
    QVERIFY(b.cancel(c.id));
    QVERIFY(!b.cancel(c.id));  // twice
    QVERIFY(!b.cancel(99999)); // never queued
    QCOMPARE(errorOf(c.result), ErrorCode::Cancelled);
    clock.advance(1s);
    b.runDue();
    QCOMPARE(rec.batches.at(0), (std::vector<int>{1, 3})); // the cancelled one never ran
    QCOMPARE(a.result.get(), 10);
    QCOMPARE(d.result.get(), 30);
    QVERIFY(!b.cancel(a.id)); // finished
    QCOMPARE(b.metrics().cancellations, std::uint64_t(1));
}

void TestBatcher::errorsReachEveryRequest() {
    ManualMonotonicClock clock;
    IntBatcher b([](std::vector<int>&) -> std::vector<int> { throw Error(ErrorCode::Codec, "boom"); },
                 manualOptions(3), &clock);
    std::vector<IntBatcher::Ticket> t;
    for (int i = 0; i < 3; ++i)
        t.push_back(b.submit(i));
    QCOMPARE(b.runDue(), std::size_t(1));
    for (auto& x : t)
        QCOMPARE(errorOf(x.result), ErrorCode::Codec);
    QCOMPARE(b.metrics().failed, std::uint64_t(3));
}

void TestBatcher::wrongResponseCountIsInternal() {
    ManualMonotonicClock clock;
    IntBatcher b([](std::vector<int>&) { return std::vector<int>{1}; }, manualOptions(2), &clock);
    auto x = b.submit(1);
    auto y = b.submit(2);
    b.runDue();
    QCOMPARE(errorOf(x.result), ErrorCode::Internal);
    QCOMPARE(errorOf(y.result), ErrorCode::Internal);
}

void TestBatcher::shutdownCancels() {
    ManualMonotonicClock clock;
    Recorder rec;
    IntBatcher b(rec.fn(), manualOptions(8), &clock);
    auto x = b.submit(1);
    auto y = b.submit(2, BatchPriority::Low);
    b.shutdown(BatchShutdown::Cancel);
    QCOMPARE(errorOf(x.result), ErrorCode::Cancelled);
    QCOMPARE(errorOf(y.result), ErrorCode::Cancelled);
    auto late = b.submit(3);
    QCOMPARE(errorOf(late.result), ErrorCode::Cancelled);
    QVERIFY(rec.batches.empty());
    QCOMPARE(b.metrics().cancellations, std::uint64_t(3));
}

void TestBatcher::shutdownDrains() {
    Recorder rec;
    BatchOptions o = manualOptions(2);
    o.executors = 2;
    o.maxDelay = 10s; // only the drain can make these run
    o.minDelay = 10s;
    IntBatcher b(rec.fn(), o);
    std::vector<IntBatcher::Ticket> t;
    for (int i = 0; i < 5; ++i)
        t.push_back(b.submit(i, BatchPriority::Low));
    b.shutdown(BatchShutdown::Drain);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(t[std::size_t(i)].result.get(), i * 10);
}

void TestBatcher::tierMultiplier_data() {
    QTest::addColumn<int>("tier");
    QTest::addColumn<int>("expected");
    QTest::newRow("standard") << int(Tier::Standard) << 8;
    QTest::newRow("advanced") << int(Tier::Advanced) << 10;
    QTest::newRow("ultra") << int(Tier::Ultra) << 12;
    QTest::newRow("quantum") << int(Tier::Quantum) << 16;
}

void TestBatcher::tierMultiplier() {
    QFETCH(int, tier);
    QFETCH(int, expected);
    ManualMonotonicClock clock;
    Recorder rec;
    IntBatcher b(rec.fn(), manualOptions(8), &clock);
    for (int i = 0; i < 20; ++i)
        b.submit(i);
    b.setTier(tierSettings(static_cast<Tier>(tier))); // live, with requests queued
    QCOMPARE(b.maxBatchSize(), std::size_t(expected));
    b.runDue();
    QCOMPARE(rec.batches.at(0).size(), std::size_t(expected));
}

void TestBatcher::metricsSnapshot() {
    ManualMonotonicClock clock;
    Recorder rec;
    IntBatcher b(rec.fn(), manualOptions(4), &clock);
    // 4 requests that waited 0, 1, 2, 3 ms (a full batch runs at once), then one alone after 1 ms.
    for (int i = 0; i < 4; ++i) {
        b.submit(i);
        if (i < 3)
            clock.advance(1ms);
    }
    b.runDue();
    b.submit(9);
    clock.advance(1ms);
    b.runDue();
    const BatchMetricsSnapshot m = b.metrics();
    QCOMPARE(m.requests, std::uint64_t(5));
    QCOMPARE(m.completed, std::uint64_t(5));
    QCOMPARE(m.batches, std::uint64_t(2));
    QCOMPARE(m.batchSizeHistogram.size(), std::size_t(5));
    QCOMPARE(m.batchSizeHistogram[4], std::uint64_t(1));
    QCOMPARE(m.batchSizeHistogram[1], std::uint64_t(1));
    QCOMPARE(m.meanBatchSize, 2.5);
    QCOMPARE(m.queueWaitP50Ms, 1.0); // waits 3, 2, 1, 0, 1
    QCOMPARE(m.queueWaitP95Ms, 3.0);
    QCOMPARE(m.queueDepth, std::size_t(0));
}

void TestBatcher::stressEveryIdOnce() {
    constexpr int kProducers = 8;
    constexpr int kPerProducer = 400;
    constexpr int kTotal = kProducers * kPerProducer;
    std::vector<std::atomic<int>> runs(kTotal);
    BatchOptions o;
    o.name = "stress";
    o.baseMaxBatch = 16;
    o.minDelay = 0us;
    o.maxDelay = 2ms;
    o.executors = 3;
    Batcher<int, int> b(
        [&](std::vector<int>& in) {
            for (int x : in)
                runs[std::size_t(x)].fetch_add(1);
            return in;
        },
        o);
    std::vector<std::vector<IntBatcher::Ticket>> tickets(kProducers);
    std::vector<std::vector<int>> values(kProducers);
    std::atomic<int> cancelled{0};
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; ++p)
        producers.emplace_back([&, p] {
            for (int i = 0; i < kPerProducer; ++i) {
                const int value = p * kPerProducer + i;
                const auto priority = static_cast<BatchPriority>(i % 3);
                tickets[std::size_t(p)].push_back(b.submit(value, priority));
                values[std::size_t(p)].push_back(value);
                if (i % 7 == 0 && b.cancel(tickets[std::size_t(p)].back().id))
                    cancelled.fetch_add(1);
            }
        });
    for (auto& t : producers)
        t.join();
    b.shutdown(BatchShutdown::Drain);

    int answered = 0, cancelledSeen = 0;
    for (int p = 0; p < kProducers; ++p)
        for (std::size_t i = 0; i < tickets[std::size_t(p)].size(); ++i) {
            auto& f = tickets[std::size_t(p)][i].result;
            const int value = values[std::size_t(p)][i];
            try {
                QCOMPARE(f.get(), value);
                ++answered;
                QCOMPARE(runs[std::size_t(value)].load(), 1);
            } catch (const Error& e) {
                QCOMPARE(e.code(), ErrorCode::Cancelled);
                ++cancelledSeen;
                QCOMPARE(runs[std::size_t(value)].load(), 0);
            }
        }
    QCOMPARE(answered + cancelledSeen, kTotal);
    QCOMPARE(cancelledSeen, cancelled.load());
    const BatchMetricsSnapshot m = b.metrics();
    QCOMPARE(m.requests, std::uint64_t(kTotal));
    QCOMPARE(m.completed + m.cancellations, std::uint64_t(kTotal));
    QCOMPARE(m.cancellations, std::uint64_t(cancelledSeen));
}

QTEST_GUILESS_MAIN(TestBatcher)
#include "tst_batcher.moc"
