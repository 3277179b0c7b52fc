#include "cache/Cache.h"
#include "cache/SqliteStore.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <fstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace avatar::cache;

namespace {

CacheKey key(int i) {
    return CacheKey::Builder("tts").integer("sentence", i).build();
}

Blob valueFor(int i, std::size_t size = 2000) {
    return Blob(size, static_cast<std::uint8_t>(i * 7 + 1));
}

void execSql(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

} // namespace

class TestCacheSqlite : public QObject {
    Q_OBJECT

private:
    CacheOptions options(const QString& file) {
        CacheOptions o;
        o.memory.capacityBytes = 1 << 20;
        o.memory.shards = 2;
        o.disk.path = m_dir.filePath(file).toStdString();
        o.disk.capacityBytes = 4 << 20;
        o.clock = [this] { return m_now; };
        o.onWarning = [this](const std::string& message) { m_warnings.push_back(message); };
        return o;
    }

    QTemporaryDir m_dir;
    std::int64_t m_now = 1'700'000'000'000;
    std::vector<std::string> m_warnings;

private Q_SLOTS:
    void init() { m_warnings.clear(); }
    void roundTripAndPromotion();
    void checksumMismatchIsMiss();
    void evictionByBytes();
    void twoConnections();
    void forkedWriter();
    void corruptFileRebuilt_data();
    void corruptFileRebuilt();
    void diskFullDegrades();
    void ownerOnly();
    void firstUseStaysBelowMemory();
};

// The cache holds what users render: created readable by its owner only, whatever the umask (issue #15).
void TestCacheSqlite::ownerOnly() {
    const mode_t previous = ::umask(022);
    CacheOptions o = options(QStringLiteral("private/cache/cache.db"));
    {
        Cache cache(o);
        QVERIFY(cache.stats().l2Open);
        cache.put(key(1), valueFor(1));
    }
    ::umask(previous);
    struct stat st {};
    QCOMPARE(::stat(m_dir.filePath(QStringLiteral("private")).toLocal8Bit().constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0700));
    QCOMPARE(::stat(m_dir.filePath(QStringLiteral("private/cache")).toLocal8Bit().constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0700));
    int files = 0;
    for (const char* suffix : {"", "-wal", "-shm"})
        if (::stat((o.disk.path.string() + suffix).c_str(), &st) == 0) {
            QCOMPARE(st.st_mode & 0777, mode_t(0600));
            ++files;
        }
    QVERIFY(files >= 1);
}

void TestCacheSqlite::roundTripAndPromotion() {
    const CacheOptions o = options(QStringLiteral("roundtrip.db"));
    {
        Cache cache(o);
        QVERIFY(cache.stats().l2Open);
        for (int i = 0; i < 10; ++i)
            cache.put(key(i), valueFor(i));
    }
    Cache cache(o); // a new process: L1 empty, L2 has everything
    QCOMPARE(cache.stats().l1.entries, std::uint64_t{0});
    for (int i = 0; i < 10; ++i) {
        const BlobPtr value = cache.get(key(i));
        QVERIFY(value);
        QCOMPARE(*value, valueFor(i));
    }
    CacheStats stats = cache.stats();
    QCOMPARE(stats.l2.hits, std::uint64_t{10});
    QCOMPARE(stats.promotions, std::uint64_t{10});
    QCOMPARE(stats.l1.entries, std::uint64_t{10});
    // Promoted: the second read is an L1 hit and does not reach SQLite.
    QVERIFY(cache.get(key(3)));
    stats = cache.stats();
    QCOMPARE(stats.l1.hits, std::uint64_t{1});
    QCOMPARE(stats.l2.hits, std::uint64_t{10});
    QCOMPARE(stats.l2.entries, std::uint64_t{10});
    QCOMPARE(stats.l2.bytes, std::uint64_t{20'000});
    QVERIFY(!cache.get(key(99)));
    QCOMPARE(cache.stats().l2.misses, std::uint64_t{1});
    QVERIFY(m_warnings.empty());
}

void TestCacheSqlite::checksumMismatchIsMiss() {
    const CacheOptions o = options(QStringLiteral("checksum.db"));
    {
        Cache cache(o);
        cache.put(key(1), valueFor(1));
        cache.put(key(2), valueFor(2));
    }
    // Flip the bytes of one value behind the cache's back, keeping its length.
    execSql(o.disk.path,
            ("UPDATE entries SET value = zeroblob(size) WHERE key = '" + key(1).id() + "'").c_str());
    Cache cache(o);
    QVERIFY(!cache.get(key(1)));
    QVERIFY(cache.get(key(2)));
    const CacheStats stats = cache.stats();
    QCOMPARE(stats.checksumFailures, std::uint64_t{1});
    QCOMPARE(stats.l2.entries, std::uint64_t{1}); // the bad row is gone
    QVERIFY(m_warnings.empty());
}

void TestCacheSqlite::evictionByBytes() {
    CacheOptions o = options(QStringLiteral("evict.db"));
    o.disk.capacityBytes = 100'000;
    Cache cache(o);
    for (int i = 0; i < 100; ++i) {
        m_now += 1000; // distinct access times: eviction order is by last access
        cache.put(key(i), valueFor(i, 5000));
        if (i == 0)
            QVERIFY(cache.get(key(0)) !=
                    nullptr); // its second use: from L2 into L1 (a first use stays in L2)
        if (i == 50) {
            m_now += 1000;
            QVERIFY(cache.get(key(0)) != nullptr); // an L1 hit: L2's recency is not touched by it
        }
        QVERIFY(cache.stats().l2.bytes <= o.disk.capacityBytes);
    }
    const CacheStats stats = cache.stats();
    QVERIFY(stats.l2.evictions > 0);
    QVERIFY(stats.l2.entries <= 20);
    // The newest survive in L2; the oldest are gone.
    SqliteStoreOptions direct = o.disk;
    SqliteStore store(direct, {});
    QVERIFY(store.get(key(99).id(), m_now).has_value());
    QVERIFY(!store.get(key(1).id(), m_now).has_value());
}

void TestCacheSqlite::twoConnections() {
    const CacheOptions o = options(QStringLiteral("shared.db"));
    Cache a(o);
    Cache b(o);
    a.put(key(1), valueFor(1));
    QVERIFY(b.get(key(1)));
    b.put(key(2), valueFor(2));
    QVERIFY(a.get(key(2)));
    QCOMPARE(*a.get(key(2)), valueFor(2));
    QCOMPARE(a.stats().l2Errors + b.stats().l2Errors, std::uint64_t{0});
}

void TestCacheSqlite::forkedWriter() {
    const CacheOptions o = options(QStringLiteral("forked.db"));
    constexpr int kEntries = 200;
    { Cache create(o); } // the schema exists before both start
    const pid_t child = fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        // The child: its own connection, writes, and leaves without running the parent's destructors.
        CacheOptions childOptions = o;
        childOptions.onWarning = {};
        childOptions.clock = [] { return std::int64_t{1'700'000'000'000}; };
        Cache writer(childOptions);
        for (int i = 0; i < kEntries; ++i)
            writer.put(key(i), valueFor(i));
        const bool ok = writer.stats().l2Errors == 0;
        _exit(ok ? 0 : 1);
    }
    // The parent reads while the child writes: every value seen must be whole.
    CacheOptions readerOptions = o;
    readerOptions.memory.capacityBytes = 0; // read through to SQLite every time
    Cache reader(readerOptions);
    int seen = 0;
    int status = 0;
    bool childDone = false;
    while (seen < kEntries) {
        if (!childDone)
            childDone = waitpid(child, &status, WNOHANG) == child;
        seen = 0;
        for (int i = 0; i < kEntries; ++i) {
            if (const BlobPtr value = reader.get(key(i))) {
                QCOMPARE(*value, valueFor(i));
                ++seen;
            }
        }
        if (childDone)
            break;
    }
    if (!childDone)
        QCOMPARE(waitpid(child, &status, 0), child);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
    for (int i = 0; i < kEntries; ++i)
        QVERIFY(reader.get(key(i)));
    QCOMPARE(reader.stats().l2Errors, std::uint64_t{0});
    QCOMPARE(reader.stats().checksumFailures, std::uint64_t{0});
}

void TestCacheSqlite::corruptFileRebuilt_data() {
    QTest::addColumn<bool>("truncate");
    QTest::newRow("garbage") << false;
    QTest::newRow("truncated") << true;
}

void TestCacheSqlite::corruptFileRebuilt() {
    QFETCH(bool, truncate);
    const QString name = truncate ? QStringLiteral("truncated.db") : QStringLiteral("garbage.db");
    const CacheOptions o = options(name);
    if (truncate) {
        {
            Cache cache(o);
            for (int i = 0; i < 200; ++i)
                cache.put(key(i), valueFor(i, 3000));
        }
        const auto size = std::filesystem::file_size(o.disk.path);
        std::filesystem::resize_file(o.disk.path, size / 2 + 100);
    } else {
        std::ofstream out(o.disk.path, std::ios::binary);
        for (int i = 0; i < 1000; ++i)
            out << "this is not a database ";
    }
    Cache cache(o);
    QCOMPARE(m_warnings.size(), std::size_t{1});
    const CacheStats stats = cache.stats();
    QVERIFY(stats.l2Open);
    QVERIFY(stats.l2Rebuilt);
    QVERIFY(std::filesystem::exists(o.disk.path.string() + ".corrupt"));
    QCOMPARE(stats.l2.entries, std::uint64_t{0});
    cache.put(key(1), valueFor(1));
    QVERIFY(cache.get(key(1)));
    QCOMPARE(cache.stats().l2.entries, std::uint64_t{1});
}

void TestCacheSqlite::diskFullDegrades() {
    CacheOptions o = options(QStringLiteral("full.db"));
    o.disk.maxPageCount = 40; // 40 pages of 4 KiB: a tiny disk
    Cache cache(o);
    for (int i = 0; i < 30; ++i)
        cache.put(key(i), valueFor(i, 20'000)); // never throws; past ~150 KB SQLite reports SQLITE_FULL
    CacheStats stats = cache.stats();
    QVERIFY(stats.l2Degraded);
    QCOMPARE(m_warnings.size(), std::size_t{1}); // reported once
    // The caller goes on: the newest values are still served from memory.
    QVERIFY(cache.get(key(29)));
    QCOMPARE(*cache.get(key(29)), valueFor(29, 20'000));
    // Entries written before the disk filled are still readable from L2.
    CacheOptions fresh = o;
    fresh.onWarning = {};
    Cache reader(fresh);
    QVERIFY(reader.get(key(0)));
}

// Issue #14: a batch writes each row's own values once and never reads them again; they must not pile up
// in L1. A value computed now goes to L2 only; its second use (an L2 hit) brings it into L1. Without L2,
// L1 is the only copy and keeps everything.
void TestCacheSqlite::firstUseStaysBelowMemory() {
    const auto useOnce = [](Cache& cache, int i) {
        QVERIFY(!cache.get(key(i)));
        cache.put(key(i), valueFor(i));
    };
    Cache cache(options(QStringLiteral("firstuse.db")));
    useOnce(cache, 1000);
    QCOMPARE(cache.stats().l1.entries, std::uint64_t{0});
    QVERIFY(cache.get(key(1000))); // the second use: from L2, promoted
    const CacheStats shared = cache.stats();
    QCOMPARE(shared.l2.hits, std::uint64_t{1});
    QCOMPARE(shared.l1.entries, std::uint64_t{1});
    QVERIFY(shared.l1.bytes >= 2000);
    for (int i = 0; i < 50; ++i)
        useOnce(cache, i);
    CacheStats stats = cache.stats();
    QCOMPARE(stats.l1.bytes, shared.l1.bytes); // flat: 50 one-use values took no memory
    QCOMPARE(stats.l1.entries, std::uint64_t{1});
    QCOMPARE(stats.l2.entries, std::uint64_t{51});
    QCOMPARE(stats.firstUseWrites, std::uint64_t{51});
    QVERIFY(cache.get(key(1000))); // the twice-used one is still in memory
    QCOMPARE(cache.stats().l1.hits, std::uint64_t{1});
    QCOMPARE(*cache.get(key(7)), valueFor(7)); // a one-use value is still served, from L2
    QCOMPARE(cache.stats().l2.hits, std::uint64_t{2});

    CacheOptions memoryOnly = options(QString());
    memoryOnly.disk.path.clear();
    Cache alone(memoryOnly);
    for (int i = 0; i < 50; ++i)
        useOnce(alone, i);
    QCOMPARE(alone.stats().l1.entries, std::uint64_t{50});
    QCOMPARE(alone.stats().firstUseWrites, std::uint64_t{0});
}

QTEST_GUILESS_MAIN(TestCacheSqlite)
#include "tst_cache_sqlite.moc"
