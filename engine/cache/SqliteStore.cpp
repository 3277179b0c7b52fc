#include "SqliteStore.h"

#include "Hashing.h"
#include "core/PrivateFiles.h"

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

struct StatementDeleter {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

bool isCorruption(int code) {
    const int primary = code & 0xFF;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

// Resets a statement when it goes out of scope, so that every early return releases its read lock.
class StatementUse {
public:
    explicit StatementUse(sqlite3_stmt* statement) : m_statement(statement) {}
    ~StatementUse() {
        sqlite3_reset(m_statement);
        sqlite3_clear_bindings(m_statement);
    }
    StatementUse(const StatementUse&) = delete;
    StatementUse& operator=(const StatementUse&) = delete;
    sqlite3_stmt* get() const { return m_statement; }

private:
    sqlite3_stmt* m_statement;
};

void bindText(sqlite3_stmt* statement, int index, std::string_view text) {
    sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

} // namespace

struct SqliteStore::Statements {
    Statement select, touch, upsert, remove, totals, evict, begin, commit, rollback;
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
    PrivateFiles::prepareDatabase(m_options.path); // owner only: 0700 folder, 0600 file
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(m_options.path.c_str(), &m_db, flags, nullptr);
    const auto fail = [&](int code) {
        error = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(code);
        return isCorruption(code) ? OpenResult::Corrupt : OpenResult::Failed;
    };
    if (rc != SQLITE_OK)
        return fail(rc);
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, m_options.busyTimeoutMs);

    // The first statements read the header: a garbage file fails here with SQLITE_NOTADB.
    if ((rc = sqlite3_exec(m_db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr,
                           nullptr)) != SQLITE_OK)
        return fail(rc);
    if (m_options.verifyOnOpen) {
        std::string verdict;
        rc = sqlite3_exec(
            m_db, "PRAGMA quick_check(1);",
            [](void* out, int, char** values, char**) {
                *static_cast<std::string*>(out) = values[0] ? values[0] : "";
                return 0;
            },
            &verdict, nullptr);
        if (rc != SQLITE_OK)
            return fail(rc);
        if (verdict != "ok") {
            error = "quick_check: " + verdict;
            return OpenResult::Corrupt;
        }
    }
    if ((rc = sqlite3_exec(m_db, kSchema, nullptr, nullptr, nullptr)) != SQLITE_OK)
        return fail(rc);
    if (m_options.maxPageCount > 0) {
        const std::string pragma = "PRAGMA max_page_count=" + std::to_string(m_options.maxPageCount) + ";";
        sqlite3_exec(m_db, pragma.c_str(), nullptr, nullptr, nullptr);
    }

    m_statements = std::make_unique<Statements>();
    const std::pair<Statement*, const char*> sql[] = {
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
        sqlite3_stmt* statement = nullptr;
        if ((rc = sqlite3_prepare_v2(m_db, text, -1, &statement, nullptr)) != SQLITE_OK)
            return fail(rc);
        target->reset(statement);
    }
    return OpenResult::Ok;
}

void SqliteStore::closeDatabase() {
    m_statements.reset();
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
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
        warn(std::string("The cache database failed to ") + what + " (" + sqlite3_errstr(code) +
             "); such entries are recomputed.");
    }
}

bool SqliteStore::isOpen() const {
    std::lock_guard lock(m_mutex);
    return m_db != nullptr;
}

std::optional<SqliteStore::Hit> SqliteStore::get(std::string_view id, std::int64_t now, bool recordAccess) {
    std::lock_guard lock(m_mutex);
    if (!m_db)
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
        StatementUse select(m_statements->select.get());
        bindText(select.get(), 1, id);
        const int rc = sqlite3_step(select.get());
        if (rc == SQLITE_DONE)
            return miss();
        if (rc != SQLITE_ROW) {
            noteError(rc, "read an entry");
            return miss();
        }
        const auto size = static_cast<std::size_t>(sqlite3_column_int64(select.get(), 0));
        const auto checksum = static_cast<std::uint64_t>(sqlite3_column_int64(select.get(), 1));
        hit.lastAccess = sqlite3_column_int64(select.get(), 2);
        const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(select.get(), 3));
        const auto length = static_cast<std::size_t>(sqlite3_column_bytes(select.get(), 3));
        if (now - hit.lastAccess > m_options.maxIdleMs) {
            expired = true;
        } else if (length != size || checksum64(std::span(data, length)) != checksum) {
            badRow = true;
        } else {
            hit.value = std::make_shared<const Blob>(data, data + length);
        }
    }
    if (badRow || expired) {
        StatementUse remove(m_statements->remove.get());
        bindText(remove.get(), 1, id);
        sqlite3_step(remove.get());
        if (badRow)
            ++m_counters.checksumFailures;
        else
            ++m_counters.expired;
        return miss();
    }
    if (recordAccess) {
        ++m_counters.hits;
        StatementUse touch(m_statements->touch.get());
        bindText(touch.get(), 1, id);
        sqlite3_bind_int64(touch.get(), 2, now);
        sqlite3_bind_int64(touch.get(), 3, now - kAccessGranularityMs);
        const int rc = sqlite3_step(touch.get());
        // A busy or full database only loses recency information; the value itself is fine.
        if (rc != SQLITE_DONE && (rc & 0xFF) != SQLITE_BUSY && (rc & 0xFF) != SQLITE_FULL)
            noteError(rc, "update an entry's access time");
    }
    return hit;
}

bool SqliteStore::put(std::string_view id, std::string_view kind, const Blob& value, std::int64_t now) {
    std::lock_guard lock(m_mutex);
    if (!m_db || m_counters.degraded)
        return false;
    int rc = SQLITE_DONE;
    m_options.retry.run(
        [&] {
            rc = storeOnce(id, kind, value, now);
            return (rc & 0xFF) != SQLITE_BUSY && (rc & 0xFF) != SQLITE_LOCKED;
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
    const auto step = [](sqlite3_stmt* statement) {
        StatementUse use(statement);
        return sqlite3_step(statement);
    };
    int rc = step(m_statements->begin.get());
    if (rc == SQLITE_DONE) {
        StatementUse upsert(m_statements->upsert.get());
        bindText(upsert.get(), 1, id);
        bindText(upsert.get(), 2, kind);
        sqlite3_bind_int64(upsert.get(), 3, static_cast<sqlite3_int64>(value.size()));
        sqlite3_bind_int64(upsert.get(), 4, static_cast<sqlite3_int64>(checksum64(value)));
        sqlite3_bind_int64(upsert.get(), 5, now);
        sqlite3_bind_blob64(upsert.get(), 6, value.data(), value.size(), SQLITE_STATIC);
        rc = sqlite3_step(upsert.get());
    }
    if (rc == SQLITE_DONE)
        rc = evictIfNeeded(now) ? SQLITE_DONE : sqlite3_errcode(m_db);
    if (rc == SQLITE_DONE)
        rc = step(m_statements->commit.get());
    if (rc != SQLITE_DONE && !sqlite3_get_autocommit(m_db))
        step(m_statements->rollback.get());
    return rc;
}

bool SqliteStore::evictIfNeeded(std::int64_t /*now*/) {
    const auto readTotals = [&](std::uint64_t& bytes) {
        StatementUse totals(m_statements->totals.get());
        if (sqlite3_step(totals.get()) != SQLITE_ROW)
            return false;
        bytes = static_cast<std::uint64_t>(sqlite3_column_int64(totals.get(), 0));
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
        StatementUse evict(m_statements->evict.get());
        sqlite3_bind_int(evict.get(), 1, m_options.evictBatchRows);
        if (sqlite3_step(evict.get()) != SQLITE_DONE)
            return false;
        const int deleted = sqlite3_changes(m_db);
        m_counters.evictions += static_cast<std::uint64_t>(deleted);
        if (deleted == 0 || !readTotals(bytes))
            break;
    }
    return true;
}

bool SqliteStore::erase(std::string_view id) {
    std::lock_guard lock(m_mutex);
    if (!m_db)
        return false;
    StatementUse remove(m_statements->remove.get());
    bindText(remove.get(), 1, id);
    return sqlite3_step(remove.get()) == SQLITE_DONE && sqlite3_changes(m_db) > 0;
}

SqliteStoreCounters SqliteStore::counters() const {
    std::lock_guard lock(m_mutex);
    SqliteStoreCounters out = m_counters;
    if (m_db) {
        StatementUse totals(m_statements->totals.get());
        if (sqlite3_step(totals.get()) == SQLITE_ROW) {
            out.bytes = static_cast<std::uint64_t>(sqlite3_column_int64(totals.get(), 0));
            out.entries = static_cast<std::uint64_t>(sqlite3_column_int64(totals.get(), 1));
        }
    }
    return out;
}

} // namespace avatar::cache
