#pragma once

#include "CacheTypes.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/ResilienceCounters.h"
#include "core/RetryPolicy.h"
#include "core/SqliteDatabase.h"

namespace avatar::cache {

struct SqliteStoreOptions {
    std::filesystem::path path;
    std::size_t capacityBytes = std::size_t{2} << 30;
    std::int64_t maxIdleMs = std::int64_t{30} * 24 * 3600 * 1000; // rows unread this long are misses
    int busyTimeoutMs = 5000;      // another process writing: wait this long before counting an error
    double evictToFraction = 0.90; // eviction deletes down to this share of the capacity, in batches
    int evictBatchRows = 64;
    std::int64_t maxPageCount =
        0;                    // > 0: PRAGMA max_page_count (a disk quota; tests use it to fake a full disk)
    bool verifyOnOpen = true; // PRAGMA quick_check at open
    // A store still busy after the timeout is retried whole a few times with a short backoff: a render waits
    // on its cache writes, so this gives up sooner than the job database (the entry is recomputed next time).
    RetryPolicy retry{RetryPolicy::Options{3, std::chrono::milliseconds(10), std::chrono::milliseconds(200)}};
    ResilienceCounters* resilience = nullptr; // retries and give-ups counted here when set
};

struct SqliteStoreCounters {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t expired = 0;
    std::uint64_t checksumFailures = 0;
    std::uint64_t evictions = 0;
    std::uint64_t errors = 0;
    std::uint64_t bytes = 0;   // of all processes sharing the file
    std::uint64_t entries = 0; // of all processes sharing the file
    bool open = false;         // false: the database could not be used at all; L1 works alone
    bool degraded = false;     // true after SQLITE_FULL: writes stopped, reads go on
    bool rebuilt = false;      // true when a damaged file was moved aside at open
};

// L2: blobs in one SQLite file (WAL, so readers never block the writer and two processes can share it).
// Each row carries a 64-bit checksum of its value, verified on every read; a mismatch deletes the row and is
// a miss. Bounded in bytes: a trigger-maintained total, and least-recently-read rows are deleted in batches
// when a write goes over. Nothing here throws: trouble is counted, reported once through the warning
// callback, and turns into misses (or into L1-only operation).
class SqliteStore {
public:
    struct Hit {
        BlobPtr value;
        std::int64_t lastAccess = 0;
    };

    SqliteStore(SqliteStoreOptions options, CacheWarningCallback onWarning);
    ~SqliteStore();
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    bool isOpen() const;
    // recordAccess = false peeks (prefetch): no counters, no last-access update.
    std::optional<Hit> get(std::string_view id, std::int64_t now, bool recordAccess = true);
    bool put(std::string_view id, std::string_view kind, const Blob& value, std::int64_t now);
    bool erase(std::string_view id);
    SqliteStoreCounters counters() const;
    const std::filesystem::path& path() const { return m_options.path; }

private:
    struct Statements;
    enum class OpenResult { Ok, Corrupt, Failed };

    OpenResult openDatabase(std::string& error);
    void closeDatabase();
    void moveAside();
    bool evictIfNeeded(std::int64_t now);
    int storeOnce(std::string_view id, std::string_view kind, const Blob& value, std::int64_t now);
    void noteError(int code, const char* what);
    void warn(const std::string& message);

    SqliteStoreOptions m_options;
    CacheWarningCallback m_onWarning;
    mutable std::mutex m_mutex;
    SqliteDatabase m_db;
    std::unique_ptr<Statements> m_statements;
    SqliteStoreCounters m_counters;
    bool m_errorReported = false;
};

} // namespace avatar::cache
