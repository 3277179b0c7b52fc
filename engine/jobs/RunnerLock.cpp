#include "RunnerLock.h"

#include "core/Error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace avatar {

std::filesystem::path RunnerLock::lockFile(const std::filesystem::path& database) {
    std::filesystem::path file = database;
    file += ".lock";
    return file;
}

RunnerLock::RunnerLock(const std::filesystem::path& database) {
    const std::filesystem::path file = lockFile(database);
    m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw Error(ErrorCode::Io, "Cannot lock the job database '" + database.string() +
                                       "': " + std::strerror(errno) + ".");
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
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

RunnerLock::~RunnerLock() {
    if (m_fd >= 0)
        ::close(m_fd); // releases the lock; the file stays, empty, for the next runner
}

} // namespace avatar
