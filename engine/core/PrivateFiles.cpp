#include "PrivateFiles.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace avatar {

bool PrivateFiles::createFolder(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (dir.empty())
        return false;
    // The missing levels, outermost first: mkdir with 0700 (less the umask, which can only take more away).
    std::vector<fs::path> missing;
    for (fs::path p = fs::absolute(dir, ec); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
        missing.push_back(p);
        if (p == p.parent_path())
            break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it)
        if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST)
            return false;
    return fs::is_directory(dir, ec);
}

void PrivateFiles::prepareDatabase(const std::filesystem::path& file) {
    if (file.empty() || file == ":memory:")
        return;
    if (file.has_parent_path())
        createFolder(file.parent_path());
    // O_EXCL: an existing file (or a symbolic link planted in its place) is never created through.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0)
        ::close(fd);
}

} // namespace avatar
