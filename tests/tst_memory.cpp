#include "MemoryBench.h"
#include "core/Error.h"
#include "memory/FrameBufferPool.h"
#include "memory/MemoryManager.h"
#include "memory/SizeClass.h"

#include <QtTest>
#include <algorithm>
#include <atomic>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

using namespace avatar;

namespace {

constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * 1024;

// A manager with no pre-allocation and a small stand-in for the machine's memory, so that caps are reached
// with a few buffers and every number in the statistics is predictable.
MemoryManager::Options smallOptions(std::size_t capacity = 256 * kMiB, Tier tier = Tier::Standard) {
    MemoryManager::Options options;
    options.capacityBytes = capacity;
    options.tier = tier;
    return options;
}

std::uint8_t patternByte(std::size_t owner, std::size_t offset) {
    return static_cast<std::uint8_t>((owner * 131 + offset * 7 + 1) & 0xff);
}

void fill(const PoolBuffer& buffer, std::size_t owner) {
    auto* bytes = buffer.as<std::uint8_t>();
    for (std::size_t i = 0; i < buffer.size(); ++i)
        bytes[i] = patternByte(owner, i);
}

bool intact(const PoolBuffer& buffer, std::size_t owner) {
    const auto* bytes = buffer.as<std::uint8_t>();
    for (std::size_t i = 0; i < buffer.size(); ++i)
        if (bytes[i] != patternByte(owner, i))
            return false;
    return true;
}

// Touching every byte of multi-megabyte blocks in the stress test would measure memset; the ends and a few
// points between are where an overlap would show.
void stamp(const PoolBuffer& buffer, std::uint8_t value) {
    auto* bytes = buffer.as<std::uint8_t>();
    const std::size_t step = std::max<std::size_t>(1, buffer.size() / 7);
    for (std::size_t i = 0; i < buffer.size(); i += step)
        bytes[i] = value;
    bytes[buffer.size() - 1] = value;
}

bool stamped(const PoolBuffer& buffer, std::uint8_t value) {
    const auto* bytes = buffer.as<std::uint8_t>();
    const std::size_t step = std::max<std::size_t>(1, buffer.size() / 7);
    for (std::size_t i = 0; i < buffer.size(); i += step)
        if (bytes[i] != value)
            return false;
    return bytes[buffer.size() - 1] == value;
}

void checkConsistent(const MemoryStats& stats, std::int64_t liveBlocks) {
    const auto check = [&](const PoolStats& p) {
        QVERIFY(p.allocatedBytes.current <= p.reservedBytes.current);
        QVERIFY(p.requestedBytes.current <= p.allocatedBytes.current);
        QVERIFY(p.allocatedBytes.current <= p.allocatedBytes.peak);
        QVERIFY(p.reservedBytes.current <= p.reservedBytes.peak);
        QCOMPARE(p.allocatedBytes.allocated - p.allocatedBytes.freed, p.allocatedBytes.current);
        QCOMPARE(p.reservedBytes.allocated - p.reservedBytes.freed, p.reservedBytes.current);
        QCOMPARE(p.activeBytes.current, p.allocatedBytes.current);
        QCOMPARE(static_cast<std::int64_t>(p.freeBytes), p.reservedBytes.current - p.allocatedBytes.current);
        QVERIFY(p.cacheHits <= p.numAllocs);
        QVERIFY(p.fragmentation >= 0.0 && p.fragmentation < 1.0);
    };
    check(stats.total);
    QCOMPARE(static_cast<std::int64_t>(stats.total.numAllocs - stats.total.numFrees), liveBlocks);
    QVERIFY(stats.total.reservedBytes.current <= static_cast<std::int64_t>(stats.capBytes));
    PoolStats sum;
    for (const PoolStats& w : stats.workloads) {
        check(w);
        sum.allocatedBytes.current += w.allocatedBytes.current;
        sum.reservedBytes.current += w.reservedBytes.current;
        sum.requestedBytes.current += w.requestedBytes.current;
        sum.numAllocs += w.numAllocs;
        sum.numFrees += w.numFrees;
        sum.cacheHits += w.cacheHits;
    }
    QCOMPARE(sum.allocatedBytes.current, stats.total.allocatedBytes.current);
    QCOMPARE(sum.reservedBytes.current, stats.total.reservedBytes.current);
    QCOMPARE(sum.requestedBytes.current, stats.total.requestedBytes.current);
    QCOMPARE(sum.numAllocs, stats.total.numAllocs);
    QCOMPARE(sum.numFrees, stats.total.numFrees);
    QCOMPARE(sum.cacheHits, stats.total.cacheHits);
}

} // namespace

class TestMemory : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sizeClassRounding_data();
    void sizeClassRounding();
    void alignment();
    void noOverlapBetweenLiveBlocks();
    void splitAndCoalesce();
    void largeRemainderStaysAttached();
    void bestFitPicksSmallestFreeBlock();
    void statisticsStayConsistent();
    void resetPeakStats();
    void capEnforced();
    void retryReleasesCachedSegments();
    void defragmentReturnsIdleSegments();
    void preallocationScaledAndCapped();
    void tierChangeAppliesLive_data();
    void tierChangeAppliesLive();
    void tierStepDownReleasesIdle();
    void manyThreadStress();
    void handleIsMoveOnlyRaii();
    void frameBufferPoolBoundsFramesInFlight();
    void flattenedKeys();
    void cudaBackend();
    void benchmarkPoolVsMalloc();
};

void TestMemory::sizeClassRounding_data() {
    QTest::addColumn<qulonglong>("request");
    QTest::addColumn<qulonglong>("rounded");
    QTest::addColumn<qulonglong>("segment");

    QTest::newRow("zero") << 0ull << 512ull << qulonglong(2 * kMiB);
    QTest::newRow("one byte") << 1ull << 512ull << qulonglong(2 * kMiB);
    QTest::newRow("511") << 511ull << 512ull << qulonglong(2 * kMiB);
    QTest::newRow("512") << 512ull << 512ull << qulonglong(2 * kMiB);
    QTest::newRow("513") << 513ull << 1024ull << qulonglong(2 * kMiB);
    QTest::newRow("1 MiB is small") << qulonglong(kMiB) << qulonglong(kMiB) << qulonglong(2 * kMiB);
    QTest::newRow("1 MiB + 1 is large")
        << qulonglong(kMiB + 1) << qulonglong(kMiB + 512) << qulonglong(20 * kMiB);
    QTest::newRow("720p RGB") << 2764800ull << 2764800ull << qulonglong(20 * kMiB);
    QTest::newRow("1080p RGB") << 6220800ull << 6220800ull << qulonglong(20 * kMiB);
    QTest::newRow("12 MiB + 1 rounds to 2 MiB")
        << qulonglong(12 * kMiB + 1) << qulonglong(12 * kMiB + 512) << qulonglong(14 * kMiB);
}

void TestMemory::sizeClassRounding() {
    QFETCH(qulonglong, request);
    QFETCH(qulonglong, rounded);
    QFETCH(qulonglong, segment);

    QCOMPARE(qulonglong(sizeclass::roundSize(request)), rounded);
    MemoryManager manager(smallOptions());
    PoolBuffer buffer = manager.acquire(Workload::Image, request);
    QVERIFY(buffer);
    QCOMPARE(qulonglong(buffer.size()), request);
    QCOMPARE(qulonglong(buffer.capacity()), rounded);
    const MemoryStats stats = manager.stats();
    QCOMPARE(qulonglong(stats.of(Workload::Image).reservedBytes.current), segment);
    QCOMPARE(qulonglong(stats.total.allocatedBytes.current), rounded);
    QCOMPARE(qulonglong(stats.total.requestedBytes.current), request);
}

void TestMemory::alignment() {
    MemoryManager manager(smallOptions());
    std::vector<PoolBuffer> buffers;
    for (std::size_t bytes : {1ul, 100ul, 777ul, 4097ul, 70000ul, 1200000ul, 2764801ul, 13000000ul}) {
        buffers.push_back(manager.acquire(Workload::Face, bytes));
        QCOMPARE(reinterpret_cast<std::uintptr_t>(buffers.back().data()) % sizeclass::kMinBlockSize, 0u);
    }
    // The first block of a segment starts the segment: page-aligned on the host.
    MemoryManager fresh(smallOptions());
    PoolBuffer first = fresh.acquire(Workload::Video, 3 * kMiB);
    QCOMPARE(reinterpret_cast<std::uintptr_t>(first.data()) % fresh.backend().alignment(), 0u);
    QVERIFY(fresh.backend().alignment() >= 4096);
}

void TestMemory::noOverlapBetweenLiveBlocks() {
    MemoryManager manager(smallOptions());
    std::mt19937 random(7);
    std::uniform_int_distribution<std::size_t> small(1, 64 * kKiB);
    std::uniform_int_distribution<std::size_t> large(kMiB + 1, 6 * kMiB);
    std::vector<PoolBuffer> buffers;
    std::vector<std::size_t> owners;
    std::size_t nextOwner = 0;
    const auto add = [&](std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) {
            const auto workload = static_cast<Workload>(i % kWorkloadCount);
            buffers.push_back(manager.acquire(workload, i % 5 == 0 ? large(random) : small(random)));
            owners.push_back(nextOwner);
            fill(buffers.back(), nextOwner++);
        }
    };
    const auto verify = [&] {
        for (std::size_t i = 0; i < buffers.size(); ++i)
            QVERIFY2(intact(buffers[i], owners[i]), "a live block was overwritten by another one");
        std::vector<std::pair<std::uintptr_t, std::uintptr_t>> ranges;
        for (const auto& b : buffers)
            ranges.emplace_back(reinterpret_cast<std::uintptr_t>(b.data()),
                                reinterpret_cast<std::uintptr_t>(b.data()) + b.capacity());
        std::sort(ranges.begin(), ranges.end());
        for (std::size_t i = 1; i < ranges.size(); ++i)
            QVERIFY(ranges[i - 1].second <= ranges[i].first);
    };
    add(60);
    verify();
    // Free every other block, so that new ones are carved between live neighbours.
    for (std::size_t i = 0; i < buffers.size(); i += 2)
        buffers[i].reset();
    std::vector<PoolBuffer> kept;
    std::vector<std::size_t> keptOwners;
    for (std::size_t i = 1; i < buffers.size(); i += 2) {
        kept.push_back(std::move(buffers[i]));
        keptOwners.push_back(owners[i]);
    }
    buffers = std::move(kept);
    owners = std::move(keptOwners);
    add(60);
    verify();
    QVERIFY(manager.stats().total.cacheHits > 0);
}

void TestMemory::splitAndCoalesce() {
    MemoryManager manager(smallOptions());
    PoolBuffer a = manager.acquire(Workload::Video, 3 * kMiB);
    PoolBuffer b = manager.acquire(Workload::Video, 3 * kMiB);
    MemoryStats stats = manager.stats();
    QCOMPARE(stats.total.segments.current, 1);
    QCOMPARE(b.bytes(), a.bytes() + 3 * kMiB); // carved from the same segment, next to each other
    QCOMPARE(stats.total.cacheHits, 1u);
    QCOMPARE(stats.total.freeBlocks, 1u);
    QCOMPARE(stats.total.freeBytes, 14 * kMiB);
    QCOMPARE(stats.total.fragmentation, 0.0);

    std::byte* const first = a.bytes();
    a.reset();
    stats = manager.stats();
    QCOMPARE(stats.total.freeBlocks, 2u); // b keeps the two free pieces apart
    QCOMPARE(stats.total.largestFreeBlock, 14 * kMiB);
    QCOMPARE(stats.total.fragmentation, 1.0 - 14.0 / 17.0);

    b.reset();
    stats = manager.stats();
    QCOMPARE(stats.total.freeBlocks, 1u); // merged back into the whole segment
    QCOMPARE(stats.total.largestFreeBlock, 20 * kMiB);
    QCOMPARE(stats.total.fragmentation, 0.0);

    // Best fit, lowest address: the same, already touched, pages come back.
    PoolBuffer again = manager.acquire(Workload::Video, 3 * kMiB);
    QCOMPARE(again.bytes(), first);
    QCOMPARE(manager.stats().total.cacheHits, 2u);
    QCOMPARE(manager.stats().total.segments.current, 1);

    // Small pool: 512 B pieces of one 2 MiB segment.
    PoolBuffer s1 = manager.acquire(Workload::Video, 100);
    PoolBuffer s2 = manager.acquire(Workload::Video, 600);
    PoolBuffer s3 = manager.acquire(Workload::Video, 512);
    QCOMPARE(s2.bytes(), s1.bytes() + 512);
    QCOMPARE(s3.bytes(), s2.bytes() + 1024);
    s2.reset();
    PoolBuffer s4 = manager.acquire(Workload::Video, 1000); // fits the hole s2 left exactly
    QCOMPARE(s4.bytes(), s1.bytes() + 512);
    QCOMPARE(manager.stats().of(Workload::Video).segments.current, 2);
}

void TestMemory::largeRemainderStaysAttached() {
    MemoryManager::Options options = smallOptions();
    options.preallocation[workloadIndex(Workload::Image)] = 4 * kMiB;
    MemoryManager manager(options);
    QCOMPARE(manager.preallocated(Workload::Image), 4 * kMiB);
    // 0.5 MiB left over would only serve small requests, which have their own pool: not split off.
    PoolBuffer buffer = manager.acquire(Workload::Image, 3 * kMiB + 512 * kKiB);
    QCOMPARE(buffer.capacity(), 4 * kMiB);
    QCOMPARE(manager.stats().total.freeBlocks, 0u);
    QCOMPARE(manager.stats().total.cacheHits, 1u); // served from the pre-allocated segment
}

void TestMemory::bestFitPicksSmallestFreeBlock() {
    MemoryManager manager(smallOptions());
    PoolBuffer x1 = manager.acquire(Workload::Tts, 4 * kMiB);
    PoolBuffer s1 = manager.acquire(Workload::Tts, 2 * kMiB);
    PoolBuffer x2 = manager.acquire(Workload::Tts, 5 * kMiB);
    PoolBuffer s2 = manager.acquire(Workload::Tts, 2 * kMiB); // leaves 7 MiB free at the end
    std::byte* const hole4 = x1.bytes();
    std::byte* const hole5 = x2.bytes();
    x1.reset();
    x2.reset();
    QCOMPARE(manager.stats().total.freeBlocks, 3u); // 4, 5 and 7 MiB

    PoolBuffer fits5 = manager.acquire(Workload::Tts, 4 * kMiB + 512 * kKiB);
    QCOMPARE(fits5.bytes(), hole5);
    PoolBuffer fits4 = manager.acquire(Workload::Tts, 3 * kMiB + 512 * kKiB);
    QCOMPARE(fits4.bytes(), hole4);
    QCOMPARE(manager.stats().total.segments.current, 1);
}

void TestMemory::statisticsStayConsistent() {
    MemoryManager manager(smallOptions(std::size_t{2} << 30));
    std::vector<PoolBuffer> buffers;
    std::mt19937 random(11);
    std::uniform_int_distribution<std::size_t> size(1, 3 * kMiB);
    for (int i = 0; i < 200; ++i) {
        if (!buffers.empty() && random() % 3 == 0)
            buffers.erase(buffers.begin() + static_cast<long>(random() % buffers.size()));
        else
            buffers.push_back(
                manager.acquire(static_cast<Workload>(random() % kWorkloadCount), size(random)));
        checkConsistent(manager.stats(), static_cast<std::int64_t>(buffers.size()));
    }
    const std::int64_t peak = manager.stats().total.allocatedBytes.peak;
    QVERIFY(peak > 0);
    buffers.clear();
    const MemoryStats stats = manager.stats();
    checkConsistent(stats, 0);
    QCOMPARE(stats.total.allocatedBytes.current, 0);
    QCOMPARE(stats.total.requestedBytes.current, 0);
    QCOMPARE(stats.total.allocatedBytes.peak, peak);
    QCOMPARE(stats.total.numAllocs, stats.total.numFrees);
    QVERIFY(stats.total.reservedBytes.current > 0); // cached, not returned
}

void TestMemory::resetPeakStats() {
    MemoryManager manager(smallOptions());
    {
        PoolBuffer big = manager.acquire(Workload::Video, 8 * kMiB);
        PoolBuffer small = manager.acquire(Workload::Video, 1000);
    }
    PoolBuffer kept = manager.acquire(Workload::Video, 2 * kMiB);
    QVERIFY(manager.stats().total.allocatedBytes.peak >= std::int64_t(8 * kMiB));
    manager.resetPeakStats();
    const MemoryStats stats = manager.stats();
    QCOMPARE(stats.total.allocatedBytes.peak, std::int64_t(2 * kMiB));
    QCOMPARE(stats.of(Workload::Video).allocatedBytes.peak, std::int64_t(2 * kMiB));
    QCOMPARE(stats.total.reservedBytes.peak, stats.total.reservedBytes.current);
}

void TestMemory::capEnforced() {
    // Standard: 70 % of 64 MiB = 44.8 MiB. 12 MiB requests take 12 MiB segments.
    MemoryManager manager(smallOptions(64 * kMiB));
    QCOMPARE(manager.capBytes(), std::size_t(0.70 * 64 * kMiB));
    std::vector<PoolBuffer> buffers;
    for (int i = 0; i < 3; ++i)
        buffers.push_back(manager.acquire(Workload::Video, 12 * kMiB));
    try {
        buffers.push_back(manager.acquire(Workload::Video, 12 * kMiB));
        QFAIL("a request over the cap succeeded");
    } catch (const Error& error) {
        QCOMPARE(error.code(), ErrorCode::OutOfMemory);
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.contains(QStringLiteral("video")), error.what());
        QVERIFY2(message.contains(QStringLiteral("12.0 MiB")), error.what());
        QVERIFY2(message.contains(QStringLiteral("44.8 MiB")), error.what());
        QVERIFY2(message.contains(QStringLiteral("standard")), error.what());
    }
    const MemoryStats stats = manager.stats();
    QCOMPARE(stats.total.numOoms, 1u);
    QCOMPARE(stats.of(Workload::Video).numOoms, 1u);
    QCOMPARE(stats.total.numAllocRetries, 1u); // it did release cached segments (none) and retry first
    QCOMPARE(stats.total.reservedBytes.current, std::int64_t(36 * kMiB));
    QVERIFY(stats.total.reservedBytes.peak <= std::int64_t(stats.capBytes));
    checkConsistent(stats, 3);

    // A 20 MiB segment no longer fits under the cap, but a 6 MiB request is served from a minimal 6 MiB one.
    PoolBuffer squeezed = manager.acquire(Workload::Image, 6 * kMiB);
    QCOMPARE(manager.stats().total.reservedBytes.current, std::int64_t(42 * kMiB));
    QVERIFY_THROWS_EXCEPTION(Error, manager.acquire(Workload::Face, std::size_t{1} << 50));
}

void TestMemory::retryReleasesCachedSegments() {
    MemoryManager manager(smallOptions(64 * kMiB));
    {
        std::vector<PoolBuffer> images;
        for (int i = 0; i < 3; ++i)
            images.push_back(manager.acquire(Workload::Image, 12 * kMiB));
    }
    QCOMPARE(manager.stats().of(Workload::Image).reservedBytes.current, std::int64_t(36 * kMiB)); // cached
    // 36 + 20 > 44.8: the image pool's idle segments must go before the video pool can grow.
    PoolBuffer video = manager.acquire(Workload::Video, 20 * kMiB);
    QVERIFY(video);
    const MemoryStats stats = manager.stats();
    QCOMPARE(stats.total.numAllocRetries, 1u);
    QCOMPARE(stats.of(Workload::Video).numAllocRetries, 1u);
    QCOMPARE(stats.total.numOoms, 0u);
    QCOMPARE(stats.of(Workload::Image).reservedBytes.current, 0);
    QCOMPARE(stats.of(Workload::Image).segments.freed, 3);
    QCOMPARE(stats.total.reservedBytes.current, std::int64_t(20 * kMiB));
}

void TestMemory::defragmentReturnsIdleSegments() {
    MemoryManager::Options options = smallOptions();
    options.preallocation[workloadIndex(Workload::Video)] = 8 * kMiB;
    MemoryManager manager(options);
    QCOMPARE(manager.stats().total.reservedBytes.current, std::int64_t(8 * kMiB));
    {
        PoolBuffer small = manager.acquire(Workload::Image, 1000);
        PoolBuffer large = manager.acquire(Workload::Image, 3 * kMiB);
    }
    PoolBuffer live = manager.acquire(Workload::Face, 3 * kMiB);
    std::memset(live.data(), 0x5a, live.size());
    QCOMPARE(manager.stats().total.reservedBytes.current, std::int64_t((8 + 2 + 20 + 20) * kMiB));

    // The image segments are idle; the face segment holds a live block; the video one was reserved up front.
    QCOMPARE(manager.defragment(), 22 * kMiB);
    MemoryStats stats = manager.stats();
    QCOMPARE(stats.of(Workload::Image).reservedBytes.current, 0);
    QCOMPARE(stats.of(Workload::Video).reservedBytes.current, std::int64_t(8 * kMiB));
    QCOMPARE(stats.of(Workload::Face).reservedBytes.current, std::int64_t(20 * kMiB));
    QCOMPARE(stats.total.segments.freed, 2);
    QCOMPARE(manager.defragment(), 0u);
    QCOMPARE(manager.defragment(DefragmentScope::Everything), 8 * kMiB);
    QVERIFY(std::all_of(live.bytes(), live.bytes() + live.size(),
                        [](std::byte b) { return b == std::byte{0x5a}; }));
    live.reset();
    QCOMPARE(manager.defragment(), 20 * kMiB);
    stats = manager.stats();
    QCOMPARE(stats.total.reservedBytes.current, 0);
    QCOMPARE(stats.total.freeBytes, 0u);
    checkConsistent(stats, 0);
}

void TestMemory::preallocationScaledAndCapped() {
    const auto full = MemoryManager::Options::scaledDefaults(64ull << 30);
    QCOMPARE(full.preallocation[workloadIndex(Workload::Video)], std::size_t{1} << 30);
    QCOMPARE(full.preallocation[workloadIndex(Workload::Image)], 512 * kMiB);
    QCOMPARE(full.preallocation[workloadIndex(Workload::Tts)], 256 * kMiB);
    QCOMPARE(full.preallocation[workloadIndex(Workload::Face)], 128 * kMiB);
    const auto quarter = MemoryManager::Options::scaledDefaults(8ull << 30);
    QCOMPARE(quarter.preallocation[workloadIndex(Workload::Video)], 256 * kMiB);
    QCOMPARE(quarter.preallocation[workloadIndex(Workload::Face)], 32 * kMiB);

    // The full seed on a 256 MiB stand-in machine: shrunk to fit the cap, leaving room to grow.
    MemoryManager::Options options = full;
    options.capacityBytes = 256 * kMiB;
    MemoryManager manager(options);
    const MemoryStats stats = manager.stats();
    QVERIFY(stats.total.reservedBytes.current <= std::int64_t(stats.capBytes));
    QVERIFY(manager.preallocated(Workload::Video) > manager.preallocated(Workload::Face));
    QVERIFY(manager.preallocated(Workload::Face) > 0);
    QCOMPARE(stats.of(Workload::Tts).reservedBytes.current,
             std::int64_t(manager.preallocated(Workload::Tts)));
    // Frames come out of the pre-allocated segment without a new one.
    PoolBuffer frame = manager.acquire(Workload::Video, 1920 * 1080 * 3);
    QCOMPARE(manager.stats().total.segments.current, stats.total.segments.current);
    QCOMPARE(manager.stats().total.cacheHits, 1u);
}

void TestMemory::tierChangeAppliesLive_data() {
    QTest::addColumn<Tier>("tier");
    QTest::addColumn<int>("segments"); // 10 MiB segments that fit under the cap of 100 MiB x fraction
    QTest::newRow("standard") << Tier::Standard << 7;
    QTest::newRow("advanced") << Tier::Advanced << 8;
    QTest::newRow("ultra") << Tier::Ultra << 9;
    QTest::newRow("quantum") << Tier::Quantum << 9;
}

void TestMemory::tierChangeAppliesLive() {
    QFETCH(Tier, tier);
    QFETCH(int, segments);
    MemoryManager manager(smallOptions(100 * kMiB, Tier::Standard));
    std::vector<PoolBuffer> buffers;
    for (int i = 0; i < 7; ++i)
        buffers.push_back(manager.acquire(Workload::Video, 10 * kMiB));
    manager.setTier(tier);
    QCOMPARE(manager.tier(), tier);
    QCOMPARE(manager.stats().tier, tier);
    QCOMPARE(manager.capBytes(), std::size_t(tierSettings(tier).memoryFraction * 100 * kMiB));
    for (int i = 7; i < segments; ++i)
        buffers.push_back(manager.acquire(Workload::Video, 10 * kMiB));
    QVERIFY_THROWS_EXCEPTION(Error, manager.acquire(Workload::Video, 10 * kMiB));
    QCOMPARE(manager.stats().total.segments.current, segments);
}

void TestMemory::tierStepDownReleasesIdle() {
    MemoryManager manager(smallOptions(100 * kMiB, Tier::Quantum));
    std::vector<PoolBuffer> buffers;
    for (int i = 0; i < 9; ++i)
        buffers.push_back(manager.acquire(Workload::Face, 10 * kMiB));
    buffers.resize(4); // 5 idle segments cached: 90 MiB reserved
    QCOMPARE(manager.stats().total.reservedBytes.current, std::int64_t(90 * kMiB));
    manager.setTier(Tier::Standard); // 70 MiB: idle segments go at once
    MemoryStats stats = manager.stats();
    QCOMPARE(stats.total.reservedBytes.current, std::int64_t(40 * kMiB));
    QCOMPARE(stats.capBytes, std::size_t(0.70 * 100 * kMiB));
    // Live buffers stay valid and usable.
    for (const auto& b : buffers)
        std::memset(b.data(), 1, b.size());
    checkConsistent(stats, 4);
}

void TestMemory::manyThreadStress() {
    MemoryManager::Options options = smallOptions(std::size_t{8} << 30);
    options.preallocation[workloadIndex(Workload::Video)] = 64 * kMiB;
    MemoryManager manager(options);
    const int threads = std::max(8, static_cast<int>(std::thread::hardware_concurrency()));
    constexpr int kIterations = 20000;
    std::atomic<int> failures{0};
    std::atomic<bool> done{false};

    // Meanwhile: statistics, defragmentation and tier changes, as the UI and the scaler will do.
    std::thread housekeeper([&] {
        const Tier tiers[] = {Tier::Advanced, Tier::Quantum, Tier::Ultra, Tier::Standard};
        int round = 0;
        while (!done.load()) {
            const MemoryStats stats = manager.stats();
            if (stats.total.allocatedBytes.peak < stats.total.allocatedBytes.current)
                failures.fetch_add(1);
            manager.defragment();
            manager.setTier(tiers[round++ % 4]);
            std::this_thread::yield();
        }
    });
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            std::mt19937 random(static_cast<unsigned>(t) * 7919u + 1);
            std::vector<std::pair<PoolBuffer, std::uint8_t>> held;
            for (int i = 0; i < kIterations; ++i) {
                if (held.size() >= 8 || (!held.empty() && random() % 2 == 0)) {
                    const std::size_t victim = random() % held.size();
                    if (!stamped(held[victim].first, held[victim].second))
                        failures.fetch_add(1);
                    held.erase(held.begin() + static_cast<long>(victim));
                    continue;
                }
                const auto workload = static_cast<Workload>(random() % kWorkloadCount);
                const std::size_t bytes =
                    random() % 4 == 0 ? kMiB + random() % (7 * kMiB) : 1 + random() % (64 * kKiB);
                try {
                    PoolBuffer buffer = manager.acquire(workload, bytes);
                    const auto value = static_cast<std::uint8_t>(random());
                    stamp(buffer, value);
                    held.emplace_back(std::move(buffer), value);
                } catch (const Error&) {
                    failures.fetch_add(1);
                }
            }
            for (auto& [buffer, value] : held)
                if (!stamped(buffer, value))
                    failures.fetch_add(1);
        });
    }
    for (auto& w : workers)
        w.join();
    done.store(true);
    housekeeper.join();

    QCOMPARE(failures.load(), 0);
    const MemoryStats stats = manager.stats();
    checkConsistent(stats, 0);
    QCOMPARE(stats.total.allocatedBytes.current, 0);
    QCOMPARE(stats.total.numOoms, 0u);
    QVERIFY(stats.total.numAllocs > std::uint64_t(threads) * kIterations / 3);
    QVERIFY(stats.total.cacheHits > stats.total.numAllocs / 2);
    manager.defragment(DefragmentScope::Everything);
    QCOMPARE(manager.stats().total.reservedBytes.current, 0);
}

void TestMemory::handleIsMoveOnlyRaii() {
    static_assert(!std::is_copy_constructible_v<PoolBuffer>);
    static_assert(std::is_nothrow_move_constructible_v<PoolBuffer>);
    MemoryManager manager(smallOptions());
    PoolBuffer a = manager.acquire(Workload::Tts, 4000);
    void* const data = a.data();
    QCOMPARE(a.workload(), Workload::Tts);
    PoolBuffer b = std::move(a);
    QVERIFY(a.empty());
    QCOMPARE(b.data(), data);
    QCOMPARE(b.size(), std::size_t(4000));
    QCOMPARE(b.span().size(), std::size_t(4000));
    PoolBuffer c = manager.acquire(Workload::Tts, 100);
    c = std::move(b); // c's old block goes back
    QCOMPARE(manager.stats().total.numFrees, 1u);
    QCOMPARE(c.data(), data);
    c = PoolBuffer();
    QCOMPARE(manager.stats().total.numFrees, 2u);
    QCOMPARE(manager.stats().total.allocatedBytes.current, 0);
}

void TestMemory::frameBufferPoolBoundsFramesInFlight() {
    MemoryManager manager(smallOptions());
    FrameBufferPool frames(manager, Workload::Video, 1280 * 720 * 3, 3);
    QCOMPARE(frames.count(), std::size_t(3));
    const std::uint64_t allocsBefore = manager.stats().total.numAllocs;
    std::vector<FrameBufferPool::Lease> leases;
    for (int i = 0; i < 3; ++i)
        leases.push_back(frames.take());
    QVERIFY(!frames.tryTake().has_value());
    QCOMPARE(frames.available(), std::size_t(0));

    std::atomic<bool> got{false};
    std::thread waiter([&] {
        FrameBufferPool::Lease lease = frames.take(); // blocks until a lease comes back
        got.store(lease.data() != nullptr);
    });
    std::byte* const returned = leases.front().data();
    leases.erase(leases.begin());
    waiter.join();
    QVERIFY(got.load());
    FrameBufferPool::Lease again = frames.take();
    QCOMPARE(again.data(), returned);
    QCOMPARE(manager.stats().total.numAllocs, allocsBefore); // no allocation per frame
}

void TestMemory::flattenedKeys() {
    MemoryManager manager(smallOptions());
    PoolBuffer b = manager.acquire(Workload::Face, 1000);
    const auto flat = flattenMemoryStats(manager.stats());
    const auto value = [&](const char* key) -> double {
        for (const auto& [name, v] : flat)
            if (name == key)
                return v;
        return -1;
    };
    QCOMPARE(value("allocated_bytes.all.current"), 1024.0);
    QCOMPARE(value("allocated_bytes.face.current"), 1024.0);
    QCOMPARE(value("reserved_bytes.all.peak"), double(2 * kMiB));
    QCOMPARE(value("requested_bytes.all.current"), 1000.0);
    QCOMPARE(value("active_bytes.all.current"), 1024.0);
    QCOMPARE(value("num_allocs"), 1.0);
    QCOMPARE(value("num_ooms"), 0.0);
    QCOMPARE(value("num_alloc_retries.video"), 0.0);
    QVERIFY(value("fragmentation") >= 0.0);
}

void TestMemory::cudaBackend() {
    if (!backendAvailable(BackendKind::CudaDevice)) {
        if (builtWithCuda())
            QSKIP("Built with CUDA, but the CUDA driver reports no device: the device pools are not "
                  "exercised.");
        QSKIP("Built without the CUDA toolkit: the device pools are not exercised.");
    }
    QVERIFY(makeBackend(BackendKind::Host) != nullptr);
    QCOMPARE(preferredComputeBackend(), BackendKind::CudaDevice);
    MemoryManager::Options options = smallOptions();
    options.preallocation[workloadIndex(Workload::Face)] = 8 * kMiB;
    MemoryManager device(options, makeBackend(BackendKind::CudaDevice));
    QCOMPARE(device.backend().kind(), BackendKind::CudaDevice);
    {
        PoolBuffer a = device.acquire(Workload::Face, 3 * kMiB);
        PoolBuffer b = device.acquire(Workload::Face, 3 * kMiB);
        QCOMPARE(b.bytes(), a.bytes() + 3 * kMiB);
        QCOMPARE(reinterpret_cast<std::uintptr_t>(a.data()) % 256, 0u);
        PoolBuffer small = device.acquire(Workload::Image, 1000);
        QCOMPARE(small.capacity(), std::size_t(1024));
        checkConsistent(device.stats(), 3);
    }
    QCOMPARE(device.stats().total.cacheHits, 2u);
    QCOMPARE(device.defragment(), 2 * kMiB);
    QCOMPARE(device.defragment(DefragmentScope::Everything), 8 * kMiB);

    MemoryManager pinned(smallOptions(), makeBackend(BackendKind::CudaPinnedHost));
    PoolBuffer staging = pinned.acquire(Workload::Video, 1920 * 1080 * 3);
    fill(staging, 3);
    QVERIFY(intact(staging, 3));
}

void TestMemory::benchmarkPoolVsMalloc() {
    PoolBenchOptions options;
#if defined(AVATAR_TSAN) || defined(__SANITIZE_ADDRESS__)
    // Single-threaded timing, 10x slower under ThreadSanitizer and AddressSanitizer (their mallocs clear or
    // poison shadow memory): a few frames.
    options.frames = 40;
    options.repetitions = 1;
#else
    options.frames = 400;
    options.repetitions = 3;
#endif
    const PoolBenchResult result = avatar::benchmarkPoolVsMalloc(options);
    QVERIFY(result.poolNsPerFrame > 0);
    QVERIFY(result.mallocNsPerFrame > 0);
    QCOMPARE(result.frames, options.frames);
    qInfo("pool %.0f ns/frame, malloc %.0f ns/frame, pool_vs_malloc_speedup %.1f", result.poolNsPerFrame,
          result.mallocNsPerFrame, result.speedup);
}

QTEST_GUILESS_MAIN(TestMemory)
#include "tst_memory.moc"
