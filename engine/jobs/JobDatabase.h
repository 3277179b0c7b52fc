#pragma once

#include "JobTypes.h"
#include "core/ResilienceCounters.h"
#include "core/RetryPolicy.h"
#include "core/SqliteDatabase.h"

#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace avatar {

// The crash-safe store of the job queue: one SQLite file (WAL) with a row per job and a log of every state
// change. Each write is one transaction, committed before the caller announces the change, so a crash at
// any moment leaves either the old or the new state. A file that is damaged or not a job database is
// refused with an error naming it and is never modified: it holds the user's work.
class JobDatabase {
public:
    static constexpr int kSchemaVersion = 1;
    static constexpr int kBusyTimeoutMs = 5000;

    struct LogEntry {
        JobId id = 0;
        double at = 0.0; // seconds since the epoch
        JobState from = JobState::Invalid;
        JobState to = JobState::Invalid;
        std::string note;
    };

    // A write that finds the database locked by another connection waits up to the busy timeout (SQLite's
    // handler), and is then retried whole, transaction and all, with the retry policy's backoff: SQLite does
    // not wait at all in some cases (a deadlock between two writers, a WAL snapshot gone stale) and a long
    // reader (`queue list` on a slow disk) may outlast the timeout.
    struct Options {
        int busyTimeoutMs = kBusyTimeoutMs;
        RetryPolicy retry{};
        ResilienceCounters* counters = nullptr; // retries and give-ups counted here when set
    };

    // Opens or creates `file`. Throws Error(Unreadable) for a damaged or foreign file, Error(Io) when it
    // cannot be opened.
    explicit JobDatabase(const std::filesystem::path& file);
    JobDatabase(const std::filesystem::path& file, Options options);
    ~JobDatabase();
    JobDatabase(const JobDatabase&) = delete;
    JobDatabase& operator=(const JobDatabase&) = delete;

    const std::filesystem::path& file() const { return m_file; }

    std::vector<JobRecord> load() const; // every job, in queue order (position)
    // Stores a new job at the end of the queue: assigns record.id and record.position, logs its state.
    JobId insert(JobRecord& record);
    // Writes the whole row and a log entry `from` → record.state, in one transaction.
    void saveState(const JobRecord& record, JobState from, const std::string& note = {});
    // Stage and progress only (no log entry): the cheap write made while a job runs.
    void saveProgress(const JobRecord& record);
    void savePositions(const std::vector<JobRecord>& records); // one transaction
    void remove(JobId id);                                     // logged as a change to Invalid
    // Jobs left Running by a process that died become Interrupted (logged); returns how many.
    int markRunningInterrupted();

    std::vector<LogEntry> log(JobId id) const;
    std::string integrityCheck() const; // "ok" or SQLite's first complaint

private:
    class Transaction;
    void exec(const char* sql) const;
    // Runs one attempt of a write at a time under the retry policy; throws Error(Io) when all were busy.
    void retrying(const std::function<void()>& write) const;
    [[noreturn]] void writeFailed() const; // after a failed step: busy (retried) or Error(Io)
    void writeRow(const JobRecord& record) const;
    void writeLog(JobId id, JobState from, JobState to, const std::string& note) const;
    [[noreturn]] void fail(const std::string& what) const;

    std::filesystem::path m_file;
    Options m_options;
    SqliteDatabase m_db;
    mutable std::mutex m_mutex; // one connection, used from the queue's threads
};

} // namespace avatar
