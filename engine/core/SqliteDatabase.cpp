#include "SqliteDatabase.h"

#include "PrivateFiles.h"

#include <sqlite3.h>

#include <utility>

namespace avatar {

SqliteDatabase::~SqliteDatabase() {
    close();
}

int SqliteDatabase::open(const std::filesystem::path& file, int busyTimeoutMs, std::string& why) {
    close();
    PrivateFiles::prepareDatabase(file); // owner only: 0700 folders, 0600 file (and so its -wal and -shm)
    const int rc = sqlite3_open_v2(file.c_str(), &m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        why = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        close();
        return rc;
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
    return SQLITE_OK;
}

void SqliteDatabase::close() {
    if (m_db) {
        // _v2: statements still alive (a caller's bug) keep the connection until they go, instead of failing.
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

int SqliteDatabase::exec(const char* sql, std::string* why) const {
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK && why)
        *why = message ? message : sqlite3_errmsg(m_db);
    sqlite3_free(message);
    return rc;
}

int SqliteDatabase::useWriteAheadLog(Sync sync) const {
    const int rc = exec("PRAGMA journal_mode=WAL");
    if (rc != SQLITE_OK)
        return rc;
    return exec(sync == Sync::Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
}

int SqliteDatabase::quickCheck(std::string& verdict) const {
    SqliteStatement check(*this, "PRAGMA quick_check(1)");
    if (!check.ok())
        return check.prepareCode();
    const int rc = check.step();
    if (rc != SQLITE_ROW)
        return rc;
    verdict = check.text(0);
    return SQLITE_OK;
}

int SqliteDatabase::errorCode() const {
    return m_db ? sqlite3_extended_errcode(m_db) : SQLITE_MISUSE;
}

std::string SqliteDatabase::message() const {
    return m_db ? sqlite3_errmsg(m_db) : "the database is not open";
}

std::int64_t SqliteDatabase::changes() const {
    return m_db ? sqlite3_changes64(m_db) : 0;
}

bool SqliteDatabase::inTransaction() const {
    return m_db && !sqlite3_get_autocommit(m_db);
}

bool SqliteDatabase::isBusy(int code) {
    return (code & 0xFF) == SQLITE_BUSY || (code & 0xFF) == SQLITE_LOCKED;
}

bool SqliteDatabase::isCorrupt(int code) {
    return (code & 0xFF) == SQLITE_CORRUPT || (code & 0xFF) == SQLITE_NOTADB;
}

std::string SqliteDatabase::describe(int code) {
    return sqlite3_errstr(code);
}

SqliteStatement::SqliteStatement(const SqliteDatabase& db, const char* sql) {
    m_prepareCode = sqlite3_prepare_v2(db.handle(), sql, -1, &m_statement, nullptr);
    if (m_prepareCode != SQLITE_OK) {
        sqlite3_finalize(m_statement);
        m_statement = nullptr;
    }
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(m_statement);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_statement(std::exchange(other.m_statement, nullptr)), m_prepareCode(other.m_prepareCode) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_statement);
        m_statement = std::exchange(other.m_statement, nullptr);
        m_prepareCode = other.m_prepareCode;
    }
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view text) {
    sqlite3_bind_text64(m_statement, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
    sqlite3_bind_double(m_statement, index, value);
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(m_statement, index, value);
    return *this;
}

SqliteStatement& SqliteStatement::bindBlob(int index, const void* data, std::size_t bytes) {
    sqlite3_bind_blob64(m_statement, index, data, bytes, SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement& SqliteStatement::bindBlobInPlace(int index, const void* data, std::size_t bytes) {
    sqlite3_bind_blob64(m_statement, index, data, bytes, SQLITE_STATIC);
    return *this;
}

int SqliteStatement::step() {
    return m_statement ? sqlite3_step(m_statement) : SQLITE_MISUSE;
}

void SqliteStatement::reset() {
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

std::string SqliteStatement::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_statement, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column)))
             : std::string();
}

double SqliteStatement::real(int column) const {
    return sqlite3_column_double(m_statement, column);
}

std::int64_t SqliteStatement::integer(int column) const {
    return sqlite3_column_int64(m_statement, column);
}

const void* SqliteStatement::blob(int column) const {
    return sqlite3_column_blob(m_statement, column);
}

std::size_t SqliteStatement::bytes(int column) const {
    return static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column));
}

} // namespace avatar
