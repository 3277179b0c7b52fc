#pragma once

#include <filesystem>

namespace avatar {

// Makes one process at a time the runner of a job database: an exclusive flock() on "<database>.lock",
// released by the kernel when the process dies (so a crash never leaves a stale lock). Without it a second
// runner would take the first one's Running jobs for crashed ones and render them twice. Readers and
// `queue add` do not take it: SQLite already serialises their writes.
class RunnerLock {
public:
    // Throws Error(Io) naming the database when another process holds it.
    explicit RunnerLock(const std::filesystem::path& database);
    ~RunnerLock();
    RunnerLock(const RunnerLock&) = delete;
    RunnerLock& operator=(const RunnerLock&) = delete;

    static std::filesystem::path lockFile(const std::filesystem::path& database);

private:
    int m_fd = -1;
};

} // namespace avatar
