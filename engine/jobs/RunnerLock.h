#pragma once

#include <chrono>
#include <filesystem>

namespace avatar {

// Makes one process at a time the runner of a job database: an exclusive flock() on "<database>.lock",
// released by the kernel when the process dies (so a crash never leaves a stale lock). Without it a second
// runner would take the first one's Running jobs for crashed ones and render them twice. Readers and
// `queue add` do not take it: SQLite already serialises their writes.
class RunnerLock {
public:
    // A status read (`batch status`, the studio's cluster view every few seconds) holds a task's lock for an
    // instant to see whether the task runs; a runner that starts in that instant waits it out for up to
    // `patience` instead of failing its whole task.
    static constexpr std::chrono::milliseconds kPatience{3000};

    // Throws Error(Io) naming the database when another process still holds it after `patience`.
    explicit RunnerLock(const std::filesystem::path& database,
                        std::chrono::milliseconds patience = kPatience);
    ~RunnerLock();
    RunnerLock(const RunnerLock&) = delete;
    RunnerLock& operator=(const RunnerLock&) = delete;

    static std::filesystem::path lockFile(const std::filesystem::path& database);
    // Whether a runner holds the database now: takes the lock for an instant if it is free, never waits.
    static bool isHeld(const std::filesystem::path& database);

private:
    int m_fd = -1;
};

} // namespace avatar
