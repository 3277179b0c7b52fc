#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace avatar {

// The one way the engine opens an SQLite file (the job database, the cache's disk level, the known faces):
// created readable by its owner only (PrivateFiles), extended result codes, a busy timeout, and the journal
// and integrity checks each owner needs. What to do about a busy, damaged or foreign file stays with the
// owner: the job database refuses it, the cache moves it aside.
class SqliteDatabase {
public:
    enum class Sync { Normal, Full };

    SqliteDatabase() = default;
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    // Opens or creates `file` for reading and writing (owner only). Returns SQLite's code; on failure the
    // connection is closed again and `why` says what SQLite said.
    int open(const std::filesystem::path& file, int busyTimeoutMs, std::string& why);
    void close();
    bool isOpen() const { return m_db != nullptr; }
    sqlite3* handle() const { return m_db; }

    // Runs `sql` (several statements allowed); SQLite's code. `why` (when given) gets the message.
    int exec(const char* sql, std::string* why = nullptr) const;
    // Write-ahead log (readers never wait for the writer) with the given durability.
    int useWriteAheadLog(Sync sync) const;
    // PRAGMA quick_check: "ok", or the first problem it found. SQLite's code.
    int quickCheck(std::string& verdict) const;

    int errorCode() const;       // the last call's extended code
    std::string message() const; // the last call's message
    std::int64_t changes() const;
    bool inTransaction() const;

    // A busy or locked database: the same write may succeed a moment later.
    static bool isBusy(int code);
    // A file that is damaged or not a database at all.
    static bool isCorrupt(int code);
    static std::string describe(int code); // SQLite's words for a code

private:
    sqlite3* m_db = nullptr;
};

// One prepared statement, finalized when it goes.
class SqliteStatement {
public:
    SqliteStatement() = default;
    SqliteStatement(const SqliteDatabase& db, const char* sql); // ok() says whether it compiled
    ~SqliteStatement();
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    bool ok() const { return m_statement != nullptr; }
    int prepareCode() const { return m_prepareCode; }

    // Parameters are numbered from 1; text and blobs are copied.
    SqliteStatement& bind(int index, std::string_view text);
    SqliteStatement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    SqliteStatement& bind(int index, double value);
    SqliteStatement& bind(int index, std::int64_t value);
    SqliteStatement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    SqliteStatement& bindBlob(int index, const void* data, std::size_t bytes);
    // Not copied: `data` must stay alive and unchanged until the statement is reset (large cache values).
    SqliteStatement& bindBlobInPlace(int index, const void* data, std::size_t bytes);

    int step(); // SQLITE_ROW, SQLITE_DONE or an error code
    // Ready to run again: reset and bindings cleared (also releases the read lock of an unfinished query).
    void reset();

    std::string text(int column) const;
    double real(int column) const;
    std::int64_t integer(int column) const;
    const void* blob(int column) const;
    std::size_t bytes(int column) const;

private:
    sqlite3_stmt* m_statement = nullptr;
    int m_prepareCode = 0;
};

// Resets a reused statement when it goes out of scope, so that every early return releases its lock.
class SqliteStatementUse {
public:
    explicit SqliteStatementUse(SqliteStatement& statement) : m_statement(statement) {}
    ~SqliteStatementUse() { m_statement.reset(); }
    SqliteStatementUse(const SqliteStatementUse&) = delete;
    SqliteStatementUse& operator=(const SqliteStatementUse&) = delete;
    SqliteStatement& operator*() const { return m_statement; }
    SqliteStatement* operator->() const { return &m_statement; }

private:
    SqliteStatement& m_statement;
};

} // namespace avatar
