#include "JobDatabase.h"

#include "core/Error.h"
#include "core/RetryPolicy.h"
#include "core/SqliteDatabase.h"

#include <chrono>
#include <sqlite3.h>

namespace avatar {
namespace {

double now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// WAL lets `queue list` and the studio read while a runner writes. synchronous=FULL: the writes are few (a
// handful of state changes per job and progress at most once a second), and a job whose id was already
// printed, or that was reported Done, must survive a power cut; NORMAL could roll back the last commits.
constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS jobs(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'validate',
    progress REAL NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    result TEXT,
    created_at REAL NOT NULL DEFAULT 0,
    started_at REAL NOT NULL DEFAULT 0,
    finished_at REAL NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS job_log(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id INTEGER NOT NULL,
    at REAL NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS job_log_by_job ON job_log(job_id, seq);
)";

Stage parseStage(const std::string& name) {
    for (Stage s : {Stage::Validate, Stage::Tts, Stage::Face, Stage::Animate, Stage::Render, Stage::Encode,
                    Stage::Done})
        if (name == stageName(s))
            return s;
    return Stage::Validate;
}

struct Busy {}; // thrown inside one attempt of a write; never leaves JobDatabase

} // namespace

// BEGIN IMMEDIATE takes the write lock at once, so two processes adding jobs never both read the same last
// position; rolled back unless commit() ran.
class JobDatabase::Transaction {
public:
    explicit Transaction(const JobDatabase& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (!m_done)
            m_db.m_db.exec("ROLLBACK");
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        m_db.exec("COMMIT");
        m_done = true;
    }

private:
    const JobDatabase& m_db;
    bool m_done = false;
};

JobDatabase::JobDatabase(const std::filesystem::path& file) : JobDatabase(file, Options{}) {}

JobDatabase::JobDatabase(const std::filesystem::path& file, Options options)
    : m_file(file), m_options(std::move(options)) {
    // Owner only (SqliteDatabase): the jobs hold the user's scripts.
    if (std::string why; m_db.open(file, m_options.busyTimeoutMs, why) != SQLITE_OK)
        throw Error(ErrorCode::Io, "Cannot open the job database '" + file.string() + "': " + why + ".");
    // Checked before anything is written: a damaged file is refused as it is. (Scoped: the statements must be
    // finished before the journal mode can change.)
    {
        if (std::string verdict; m_db.quickCheck(verdict) != SQLITE_OK || verdict != "ok")
            fail("is damaged");
        SqliteStatement tables(m_db, "SELECT count(*), sum(name IN ('jobs', 'job_log')) FROM sqlite_master "
                                     "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        if (!tables.ok() || tables.step() != SQLITE_ROW)
            fail("is damaged");
        if (tables.integer(0) > 0 && tables.integer(1) != 2)
            fail("is not a job database (it holds other tables)");
        SqliteStatement version(m_db, "PRAGMA user_version");
        if (!version.ok() || version.step() != SQLITE_ROW)
            fail("is damaged");
        if (version.integer(0) > kSchemaVersion)
            fail("was written by a newer version of Avatar Studio");
    }
    retrying([this] {
        if (m_db.useWriteAheadLog(SqliteDatabase::Sync::Full) != SQLITE_OK)
            writeFailed();
        Transaction t(*this);
        exec(kSchema);
        exec("PRAGMA user_version=1");
        t.commit();
    });
}

JobDatabase::~JobDatabase() = default;

void JobDatabase::fail(const std::string& what) const {
    std::string message = "The job database '" + m_file.string() + "' " + what;
    if (const int code = m_db.errorCode() & 0xFF; m_db.isOpen() && code != SQLITE_OK && code < SQLITE_ROW)
        message += " (" + m_db.message() + ")";
    message += "; it was left untouched: move it aside to start an empty queue.";
    throw Error(ErrorCode::Unreadable, message);
}

void JobDatabase::exec(const char* sql) const {
    if (std::string why; m_db.exec(sql, &why) != SQLITE_OK) {
        const int code = m_db.errorCode();
        if (SqliteDatabase::isCorrupt(code))
            fail("is damaged");
        if (SqliteDatabase::isBusy(code))
            throw Busy{};
        throw Error(ErrorCode::Io, "Cannot write the job database '" + m_file.string() + "': " + why + ".");
    }
}

void JobDatabase::writeFailed() const {
    if (SqliteDatabase::isBusy(m_db.errorCode()))
        throw Busy{};
    throw Error(ErrorCode::Io,
                "Cannot write the job database '" + m_file.string() + "': " + m_db.message() + ".");
}

void JobDatabase::retrying(const std::function<void()>& write) const {
    const bool done = m_options.retry.run(
        [&] {
            try {
                write();
                return true;
            } catch (const Busy&) {
                return false; // the attempt's transaction was rolled back by its destructor
            }
        },
        m_options.counters);
    if (!done)
        throw Error(ErrorCode::Io, "Cannot write the job database '" + m_file.string() +
                                       "': another program kept it locked through " +
                                       std::to_string(m_options.retry.options().attempts) +
                                       " attempts; close it (or the other avatar-render) and try again.");
}

std::vector<JobRecord> JobDatabase::load() const {
    std::lock_guard lock(m_mutex);
    SqliteStatement q(m_db, "SELECT id, spec, state, stage, progress, error, result, created_at, started_at, "
                            "finished_at, attempts, position FROM jobs ORDER BY position, id");
    if (!q.ok())
        fail("cannot be read");
    std::vector<JobRecord> jobs;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
        JobRecord r;
        r.id = q.integer(0);
        try {
            r.spec = jobSpecFromJson(q.text(1));
            if (const std::string result = q.text(6); !result.empty())
                r.result = renderResultFromJson(result);
        } catch (const Error& e) {
            fail("has a damaged job " + std::to_string(r.id) + " (" + e.what() + ")");
        }
        const auto state = parseJobState(q.text(2));
        if (!state)
            fail("has job " + std::to_string(r.id) + " in an unknown state '" + q.text(2) + "'");
        r.state = *state;
        r.stage = parseStage(q.text(3));
        r.progress = q.real(4);
        r.error = q.text(5);
        r.createdAt = q.real(7);
        r.startedAt = q.real(8);
        r.finishedAt = q.real(9);
        r.attempts = static_cast<int>(q.integer(10));
        r.position = static_cast<int>(q.integer(11));
        if (r.state == JobState::Done && r.finishedAt > r.startedAt)
            r.elapsedSeconds = r.finishedAt - r.startedAt;
        jobs.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE)
        fail("cannot be read");
    return jobs;
}

void JobDatabase::writeRow(const JobRecord& r) const {
    SqliteStatement q(m_db,
                      "UPDATE jobs SET spec = ?1, state = ?2, stage = ?3, progress = ?4, error = ?5, "
                      "result = ?6, created_at = ?7, started_at = ?8, finished_at = ?9, attempts = ?10, "
                      "position = ?11 WHERE id = ?12");
    if (!q.ok())
        fail("cannot be written");
    q.bind(1, jobSpecToJson(r.spec))
        .bind(2, std::string(jobStateName(r.state)))
        .bind(3, std::string(stageName(r.stage)))
        .bind(4, r.progress)
        .bind(5, r.error)
        .bind(6, r.state == JobState::Done ? renderResultToJson(r.result) : std::string())
        .bind(7, r.createdAt)
        .bind(8, r.startedAt)
        .bind(9, r.finishedAt)
        .bind(10, static_cast<std::int64_t>(r.attempts))
        .bind(11, static_cast<std::int64_t>(r.position))
        .bind(12, static_cast<std::int64_t>(r.id));
    if (q.step() != SQLITE_DONE)
        writeFailed();
}

void JobDatabase::writeLog(JobId id, JobState from, JobState to, const std::string& note) const {
    SqliteStatement q(
        m_db, "INSERT INTO job_log(job_id, at, from_state, to_state, note) VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!q.ok())
        fail("cannot be written");
    q.bind(1, static_cast<std::int64_t>(id))
        .bind(2, now())
        .bind(3, std::string(jobStateName(from)))
        .bind(4, std::string(jobStateName(to)))
        .bind(5, note);
    if (q.step() != SQLITE_DONE)
        writeFailed();
}

JobId JobDatabase::insert(JobRecord& record) {
    std::lock_guard lock(m_mutex);
    retrying([&] {
        Transaction t(*this);
        SqliteStatement q(
            m_db, "INSERT INTO jobs(spec, state, position) "
                  "VALUES(?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM jobs)) RETURNING id, position");
        if (!q.ok())
            fail("cannot be written");
        q.bind(1, jobSpecToJson(record.spec)).bind(2, std::string(jobStateName(record.state)));
        if (q.step() != SQLITE_ROW)
            writeFailed();
        record.id = q.integer(0);
        record.position = static_cast<int>(q.integer(1));
        q.step();
        writeRow(record);
        writeLog(record.id, JobState::Invalid, record.state, "added");
        t.commit();
    });
    return record.id;
}

void JobDatabase::saveState(const JobRecord& record, JobState from, const std::string& note) {
    std::lock_guard lock(m_mutex);
    retrying([&] {
        Transaction t(*this);
        writeRow(record);
        writeLog(record.id, from, record.state, note);
        t.commit();
    });
}

void JobDatabase::saveProgress(const JobRecord& record) {
    std::lock_guard lock(m_mutex);
    retrying([&] {
        SqliteStatement q(m_db, "UPDATE jobs SET stage = ?1, progress = ?2 WHERE id = ?3");
        if (!q.ok())
            fail("cannot be written");
        q.bind(1, std::string(stageName(record.stage)))
            .bind(2, record.progress)
            .bind(3, static_cast<std::int64_t>(record.id));
        if (q.step() != SQLITE_DONE)
            writeFailed();
    });
}

void JobDatabase::savePositions(const std::vector<JobRecord>& records) {
    std::lock_guard lock(m_mutex);
    retrying([&] {
        Transaction t(*this);
        for (const JobRecord& r : records) {
            SqliteStatement q(m_db, "UPDATE jobs SET position = ?1 WHERE id = ?2");
            if (!q.ok())
                fail("cannot be written");
            q.bind(1, static_cast<std::int64_t>(r.position)).bind(2, static_cast<std::int64_t>(r.id));
            if (q.step() != SQLITE_DONE)
                writeFailed();
        }
        t.commit();
    });
}

void JobDatabase::remove(JobId id) {
    std::lock_guard lock(m_mutex);
    retrying([&] {
        Transaction t(*this);
        SqliteStatement state(m_db, "SELECT state FROM jobs WHERE id = ?1");
        state.bind(1, static_cast<std::int64_t>(id));
        const JobState from = state.ok() && state.step() == SQLITE_ROW
                                  ? parseJobState(state.text(0)).value_or(JobState::Invalid)
                                  : JobState::Invalid;
        SqliteStatement q(m_db, "DELETE FROM jobs WHERE id = ?1");
        if (!q.ok())
            fail("cannot be written");
        q.bind(1, static_cast<std::int64_t>(id));
        if (q.step() != SQLITE_DONE)
            writeFailed();
        writeLog(id, from, JobState::Invalid, "removed");
        t.commit();
    });
}

int JobDatabase::markRunningInterrupted() {
    std::lock_guard lock(m_mutex);
    int count = 0;
    retrying([&] {
        Transaction t(*this);
        exec("INSERT INTO job_log(job_id, at, from_state, to_state, note) SELECT id, (julianday('now') - "
             "2440587.5) * 86400.0, "
             "'running', 'interrupted', 'the process ended while it was running' FROM jobs "
             "WHERE state = 'running'");
        exec("UPDATE jobs SET state = 'interrupted' WHERE state = 'running'");
        count = static_cast<int>(m_db.changes());
        t.commit();
    });
    return count;
}

std::vector<JobDatabase::LogEntry> JobDatabase::log(JobId id) const {
    std::lock_guard lock(m_mutex);
    SqliteStatement q(m_db,
                      "SELECT at, from_state, to_state, note FROM job_log WHERE job_id = ?1 ORDER BY seq");
    if (!q.ok())
        fail("cannot be read");
    q.bind(1, static_cast<std::int64_t>(id));
    std::vector<LogEntry> entries;
    while (q.step() == SQLITE_ROW) {
        LogEntry e;
        e.id = id;
        e.at = q.real(0);
        e.from = parseJobState(q.text(1)).value_or(JobState::Invalid);
        e.to = parseJobState(q.text(2)).value_or(JobState::Invalid);
        e.note = q.text(3);
        entries.push_back(std::move(e));
    }
    return entries;
}

std::string JobDatabase::integrityCheck() const {
    std::lock_guard lock(m_mutex);
    SqliteStatement q(m_db, "PRAGMA integrity_check");
    if (!q.ok() || q.step() != SQLITE_ROW)
        return m_db.message();
    return q.text(0);
}

} // namespace avatar
