#include "RunnerLock.h"

#include "core/Error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace avatar {

std::filesystem::path RunnerLock::lockFile(const std::filesystem::path& database) {
    std::filesystem::path file = database;
    file += ".lock";
    return file;
}

RunnerLock::RunnerLock(const std::filesystem::path& database, std::chrono::milliseconds patience) {
    const std::filesystem::path file = lockFile(database);
    m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw Error(ErrorCode::Io, "Cannot lock the job database '" + database.string() +
                                       "': " + std::strerror(errno) + ".");
    // flock has no timed wait: try again every few milliseconds until the holder lets go or patience runs out
    // (a blocking flock would wait forever for a runner that really runs).
    const auto giveUp = std::chrono::steady_clock::now() + patience;
    int result = ::flock(m_fd, LOCK_EX | LOCK_NB);
    while (result != 0 && errno == EWOULDBLOCK && std::chrono::steady_clock::now() < giveUp) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        result = ::flock(m_fd, LOCK_EX | LOCK_NB);
    }
    if (result != 0) {
        const int error = errno;
        ::close(m_fd);
        m_fd = -1;
        if (error == EWOULDBLOCK)
            throw Error(ErrorCode::Io, "The job database '" + database.string() +
                                           "' is being run by another process (avatar-render queue run or "
                                           "Avatar Studio); wait for it to finish.");
        throw Error(ErrorCode::Io, "Cannot lock the job database '" + database.string() +
                                       "': " + std::strerror(error) + ".");
    }
}

bool RunnerLock::isHeld(const std::filesystem::path& database) {
    try {
        const RunnerLock probe(database, std::chrono::milliseconds(0));
        return false;
    } catch (const Error&) {
        return true;
    }
}

RunnerLock::~RunnerLock() {
    if (m_fd >= 0)
        ::close(m_fd); // releases the lock; the file stays, empty, for the next runner
}

} // namespace avatar
