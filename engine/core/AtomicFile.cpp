#include "AtomicFile.h"

#include "core/Error.h"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace avatar {

namespace {

std::string randomTag() {
    // Random rather than pid-based: two jobs of one process may write beside the same output. Sixteen hex
    // digits at most, the form StaleFiles recognises after a crash.
    std::random_device random;
    const std::uint64_t tag = (std::uint64_t(random()) << 32) ^ random();
    std::array<char, 17> hex = {};
    std::to_chars(hex.data(), hex.data() + 16, tag, 16);
    return hex.data();
}

std::string describe(int error) {
    if (error == ENOSPC || error == EDQUOT)
        return "the disk is full";
    if (error == EROFS)
        return "the file system is read-only";
    return std::generic_category().message(error);
}

} // namespace

AtomicFile::AtomicFile(std::filesystem::path target, Access access, std::string what)
    : m_target(std::move(target)), m_what(std::move(what)) {
    const mode_t mode = access == Access::Private ? 0600 : 0666;
    // A name taken by anything (even a dangling link) is never opened: EEXIST only means "draw again".
    for (int attempt = 0; attempt < 16; ++attempt) {
        std::filesystem::path candidate = m_target;
        candidate += ".part-" + randomTag();
        m_fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (m_fd >= 0) {
            m_path = std::move(candidate);
            break;
        }
        if (errno != EEXIST)
            break;
    }
    if (m_fd < 0) {
        const std::filesystem::path folder = m_target.has_parent_path() ? m_target.parent_path() : ".";
        throw Error(ErrorCode::Io, cannotWrite() + ": the folder '" + folder.string() +
                                       "' is not writable (" + describe(errno) + ").");
    }
    // O_CREAT's mode is reduced by the umask, which can only take permissions away: 0600 stays private.
}

AtomicFile::~AtomicFile() {
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_path.empty())
        ::unlink(m_path.c_str()); // whatever holds the name now is removed, never followed
}

std::filesystem::path AtomicFile::openedPath() const {
    return "/proc/self/fd/" + std::to_string(m_fd);
}

std::string AtomicFile::cannotWrite() const {
    return "Cannot write " + (m_what.empty() ? "" : m_what + " ") + "'" + m_target.string() + "'";
}

void AtomicFile::fail(int error) const {
    throw Error(ErrorCode::Io, cannotWrite() + ": " + describe(error) + ".");
}

void AtomicFile::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail(errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void AtomicFile::commit() {
    // fsync before rename: after a power cut the target is the old file or the whole new one, never empty.
    if (::fsync(m_fd) != 0)
        fail(errno);
    // The name must still be the file written here: one swapped for a link (or another file) in a shared
    // folder would otherwise be renamed onto the target.
    struct stat opened {};
    struct stat named {};
    const bool found = ::lstat(m_path.c_str(), &named) == 0;
    if (!found && errno == ENOENT) {
        const std::filesystem::path folder = m_target.has_parent_path() ? m_target.parent_path() : ".";
        throw Error(ErrorCode::Io, cannotWrite() + ": the folder '" + folder.string() +
                                       "' or the file's temporary copy was removed while it was written.");
    }
    if (!found || ::fstat(m_fd, &opened) != 0 || opened.st_dev != named.st_dev ||
        opened.st_ino != named.st_ino)
        throw Error(ErrorCode::Io, cannotWrite() + ": its temporary file '" + m_path.string() +
                                       "' was replaced by something else while it was written.");
    const int closed = ::close(m_fd);
    m_fd = -1;
    if (closed != 0 && errno != EINTR)
        fail(errno);
    if (::rename(m_path.c_str(), m_target.c_str()) != 0)
        fail(errno);
    m_path.clear();
    // The rename itself is durable once the folder is synced; a folder that cannot be opened changes nothing
    // about the file's contents, so its failure is not the job's.
    const std::filesystem::path folder = m_target.has_parent_path() ? m_target.parent_path() : ".";
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

void AtomicFile::write(const std::filesystem::path& target, std::string_view bytes, Access access,
                       std::string what) {
    AtomicFile file(target, access, std::move(what));
    file.write(bytes);
    file.commit();
}

} // namespace avatar
