#include "SqliteStore.h"

#include "Hashing.h"
#include "core/SqliteDatabase.h"

#include <sqlite3.h>

#include <cstring>
#include <system_error>

namespace avatar::cache {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS entries(
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    size INTEGER NOT NULL,
    checksum INTEGER NOT NULL,
    created INTEGER NOT NULL,
    last_access INTEGER NOT NULL,
    value BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS entries_last_access ON entries(last_access);
CREATE TABLE IF NOT EXISTS totals(id INTEGER PRIMARY KEY CHECK (id = 0), bytes INTEGER NOT NULL,
                                  entries INTEGER NOT NULL);
INSERT OR IGNORE INTO totals VALUES(0, 0, 0);
CREATE TRIGGER IF NOT EXISTS entries_insert AFTER INSERT ON entries BEGIN
    UPDATE totals SET bytes = bytes + new.size, entries = entries + 1 WHERE id = 0; END;
CREATE TRIGGER IF NOT EXISTS entries_delete AFTER DELETE ON entries BEGIN
    UPDATE totals SET bytes = bytes - old.size, entries = entries - 1 WHERE id = 0; END;
CREATE TRIGGER IF NOT EXISTS entries_resize AFTER UPDATE OF size ON entries BEGIN
    UPDATE totals SET bytes = bytes - old.size + new.size WHERE id = 0; END;
)sql";

// last_access is rewritten on a read only when it is older than this: a burst of hits costs one write.
constexpr std::int64_t kAccessGranularityMs = 1000;

} // namespace

struct SqliteStore::Statements {
    SqliteStatement select, touch, upsert, remove, totals, evict, begin, commit, rollback;
};

SqliteStore::SqliteStore(SqliteStoreOptions options, CacheWarningCallback onWarning)
    : m_options(std::move(options)), m_onWarning(std::move(onWarning)) {
    std::string error;
    OpenResult result = openDatabase(error);
    if (result == OpenResult::Corrupt) {
        closeDatabase();
        moveAside();
        warn("The cache database " + m_options.path.string() + " was damaged (" + error +
             "); it was moved aside and a new one was started.");
        m_counters.rebuilt = true;
        result = openDatabase(error);
    }
    if (result != OpenResult::Ok) {
        closeDatabase();
        warn("The cache database " + m_options.path.string() + " cannot be used (" + error +
             "); caching in memory only.");
        return;
    }
    m_counters.open = true;
}

SqliteStore::~SqliteStore() {
    closeDatabase();
}

SqliteStore::OpenResult SqliteStore::openDatabase(std::string& error) {
    // Owner only (SqliteDatabase): 0700 folder, 0600 file.
    int rc = m_db.open(m_options.path, m_options.busyTimeoutMs, error);
    const auto fail = [&](int code) {
        error = m_db.isOpen() ? m_db.message() : SqliteDatabase::describe(code);
        return SqliteDatabase::isCorrupt(code) ? OpenResult::Corrupt : OpenResult::Failed;
    };
    if (rc != SQLITE_OK)
        return SqliteDatabase::isCorrupt(rc) ? OpenResult::Corrupt : OpenResult::Failed;

    // The first statements read the header: a garbage file fails here with SQLITE_NOTADB.
    if ((rc = m_db.useWriteAheadLog(SqliteDatabase::Sync::Normal)) != SQLITE_OK)
        return fail(rc);
    if (m_options.verifyOnOpen) {
        std::string verdict;
        if ((rc = m_db.quickCheck(verdict)) != SQLITE_OK)
            return fail(rc);
        if (verdict != "ok") {
            error = "quick_check: " + verdict;
            return OpenResult::Corrupt;
        }
    }
    if ((rc = m_db.exec(kSchema)) != SQLITE_OK)
        return fail(rc);
    if (m_options.maxPageCount > 0)
        m_db.exec(("PRAGMA max_page_count=" + std::to_string(m_options.maxPageCount) + ";").c_str());

    m_statements = std::make_unique<Statements>();
    const std::pair<SqliteStatement*, const char*> sql[] = {
        {&m_statements->select, "SELECT size, checksum, last_access, value FROM entries WHERE key = ?1"},
        {&m_statements->touch, "UPDATE entries SET last_access = ?2 WHERE key = ?1 AND last_access < ?3"},
        {&m_statements->upsert,
         "INSERT INTO entries(key, kind, size, checksum, created, last_access, value) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?5, ?6) ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, "
         "size = excluded.size, checksum = excluded.checksum, created = excluded.created, "
         "last_access = excluded.last_access, value = excluded.value"},
        {&m_statements->remove, "DELETE FROM entries WHERE key = ?1"},
        {&m_statements->totals, "SELECT bytes, entries FROM totals WHERE id = 0"},
        {&m_statements->evict,
         "DELETE FROM entries WHERE id IN (SELECT id FROM entries ORDER BY last_access LIMIT ?1)"},
        {&m_statements->begin, "BEGIN IMMEDIATE"},
        {&m_statements->commit, "COMMIT"},
        {&m_statements->rollback, "ROLLBACK"},
    };
    for (const auto& [target, text] : sql) {
        *target = SqliteStatement(m_db, text);
        if (!target->ok())
            return fail(target->prepareCode());
    }
    return OpenResult::Ok;
}

void SqliteStore::closeDatabase() {
    m_statements.reset();
    m_db.close();
}

void SqliteStore::moveAside() {
    // "<name>.corrupt", or "<name>.corrupt-2", ... if an older one is still there for someone to inspect.
    std::filesystem::path target = m_options.path;
    target += ".corrupt";
    for (int n = 2; std::filesystem::exists(target); ++n) {
        target = m_options.path;
        target += ".corrupt-" + std::to_string(n);
    }
    std::error_code ec;
    std::filesystem::rename(m_options.path, target, ec);
    if (ec)
        std::filesystem::remove(m_options.path, ec);
    // The WAL and shared-memory files belong to the damaged database: replaying them onto a new one would
    // be wrong.
    for (const char* suffix : {"-wal", "-shm"}) {
        std::filesystem::path side = m_options.path;
        side += suffix;
        std::filesystem::path sideTarget = target;
        sideTarget += suffix;
        if (std::filesystem::exists(side, ec))
            std::filesystem::rename(side, sideTarget, ec);
    }
}

void SqliteStore::warn(const std::string& message) {
    if (m_onWarning)
        m_onWarning(message);
}

void SqliteStore::noteError(int code, const char* what) {
    ++m_counters.errors;
    if (!m_errorReported) {
        m_errorReported = true;
        warn(std::string("The cache database failed to ") + what + " (" + SqliteDatabase::describe(code) +
             "); such entries are recomputed.");
    }
}

bool SqliteStore::isOpen() const {
    std::lock_guard lock(m_mutex);
    return m_db.isOpen();
}

std::optional<SqliteStore::Hit> SqliteStore::get(std::string_view id, std::int64_t now, bool recordAccess) {
    std::lock_guard lock(m_mutex);
    if (!m_db.isOpen())
        return std::nullopt;
    const auto miss = [&] {
        if (recordAccess)
            ++m_counters.misses;
        return std::nullopt;
    };
    Hit hit;
    bool badRow = false;
    bool expired = false;
    {
        SqliteStatementUse select(m_statements->select);
        const int rc = select->bind(1, id).step();
        if (rc == SQLITE_DONE)
            return miss();
        if (rc != SQLITE_ROW) {
            noteError(rc, "read an entry");
            return miss();
        }
        const auto size = static_cast<std::size_t>(select->integer(0));
        const auto checksum = static_cast<std::uint64_t>(select->integer(1));
        hit.lastAccess = select->integer(2);
        const auto* data = static_cast<const std::uint8_t*>(select->blob(3));
        const std::size_t length = select->bytes(3);
        if (now - hit.lastAccess > m_options.maxIdleMs) {
            expired = true;
        } else if (length != size || checksum64(std::span(data, length)) != checksum) {
            badRow = true;
        } else {
            hit.value = std::make_shared<const Blob>(data, data + length);
        }
    }
    if (badRow || expired) {
        SqliteStatementUse remove(m_statements->remove);
        remove->bind(1, id).step();
        if (badRow)
            ++m_counters.checksumFailures;
        else
            ++m_counters.expired;
        return miss();
    }
    if (recordAccess) {
        ++m_counters.hits;
        SqliteStatementUse touch(m_statements->touch);
        const int rc = touch->bind(1, id).bind(2, now).bind(3, now - kAccessGranularityMs).step();
        // A busy or full database only loses recency information; the value itself is fine.
        if (rc != SQLITE_DONE && (rc & 0xFF) != SQLITE_BUSY && (rc & 0xFF) != SQLITE_FULL)
            noteError(rc, "update an entry's access time");
    }
    return hit;
}

bool SqliteStore::put(std::string_view id, std::string_view kind, const Blob& value, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    if (!m_db.isOpen() || m_counters.degraded)
        return false;
    int rc = SQLITE_DONE;
    m_options.retry.run(
        [&] {
            rc = storeOnce(id, kind, value, now);
            return !SqliteDatabase::isBusy(rc);
        },
        m_options.resilience);
    if (rc == SQLITE_DONE)
        return true;
    if ((rc & 0xFF) == SQLITE_FULL) {
        ++m_counters.errors;
        m_counters.degraded = true;
        warn("The disk holding the cache database " + m_options.path.string() +
             " is full; caching in memory only for the rest of this session.");
    } else {
        noteError(rc, "store an entry");
    }
    return false;
}

// One attempt at storing an entry, in one transaction (rolled back when it fails); SQLite's result code.
int SqliteStore::storeOnce(std::string_view id, std::string_view kind, const Blob& value, std::int64_t now) {
    const auto step = [](SqliteStatement& statement) { return SqliteStatementUse(statement)->step(); };
    int rc = step(m_statements->begin);
    if (rc == SQLITE_DONE) {
        SqliteStatementUse upsert(m_statements->upsert);
        rc = upsert->bind(1, id)
                 .bind(2, kind)
                 .bind(3, static_cast<std::int64_t>(value.size()))
                 .bind(4, static_cast<std::int64_t>(checksum64(value)))
                 .bind(5, now)
                 .bindBlobInPlace(6, value.data(), value.size())
                 .step();
    }
    if (rc == SQLITE_DONE)
        rc = evictIfNeeded(now) ? SQLITE_DONE : m_db.errorCode();
    if (rc == SQLITE_DONE)
        rc = step(m_statements->commit);
    if (rc != SQLITE_DONE && m_db.inTransaction())
        step(m_statements->rollback);
    return rc;
}

bool SqliteStore::evictIfNeeded(std::int64_t /*now*/) {
    const auto readTotals = [&](std::uint64_t& bytes) {
        SqliteStatementUse totals(m_statements->totals);
        if (totals->step() != SQLITE_ROW)
            return false;
        bytes = static_cast<std::uint64_t>(totals->integer(0));
        return true;
    };
    std::uint64_t bytes = 0;
    if (!readTotals(bytes))
        return false;
    if (bytes <= m_options.capacityBytes)
        return true;
    const auto target =
        static_cast<std::uint64_t>(static_cast<double>(m_options.capacityBytes) * m_options.evictToFraction);
    while (bytes > target) {
        SqliteStatementUse evict(m_statements->evict);
        if (evict->bind(1, m_options.evictBatchRows).step() != SQLITE_DONE)
            return false;
        const auto deleted = m_db.changes();
        m_counters.evictions += static_cast<std::uint64_t>(deleted);
        if (deleted == 0 || !readTotals(bytes))
            break;
    }
    return true;
}

bool SqliteStore::erase(std::string_view id) {
    std::lock_guard lock(m_mutex);
    if (!m_db.isOpen())
        return false;
    SqliteStatementUse remove(m_statements->remove);
    return remove->bind(1, id).step() == SQLITE_DONE && m_db.changes() > 0;
}

SqliteStoreCounters SqliteStore::counters() const {
    std::lock_guard lock(m_mutex);
    SqliteStoreCounters out = m_counters;
    if (m_db.isOpen()) {
        SqliteStatementUse totals(m_statements->totals);
        if (totals->step() == SQLITE_ROW) {
            out.bytes = static_cast<std::uint64_t>(totals->integer(0));
            out.entries = static_cast<std::uint64_t>(totals->integer(1));
        }
    }
    return out;
}

} // namespace avatar::cache
