#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace avatar {

// The one way the engine writes a file that someone reads later (videos, captions, images, reports,
// projects): a new file beside the destination, "<name>.part-<16 hex>", created with
// O_CREAT|O_EXCL|O_NOFOLLOW so that nothing planted at that name (a file, a symbolic link) is ever opened or
// written through; written, fsync'ed and renamed over the destination by commit(). rename() replaces a
// symbolic link at the destination itself, never the file it points to, and a reader sees either the old file
// or the whole new one. Unless committed, the destructor removes the temporary file, so an error or a
// cancelled job leaves nothing behind.
class AtomicFile {
public:
    enum class Access {
        Shared,  // 0666 less the umask, as any new file (videos, captions)
        Private, // 0600 whatever the umask (what a user wrote: projects, reports)
    };

    // Creates the temporary file. Throws Error(Io) naming `target` when its folder cannot take it; `what`
    // ("the captions") says in messages what the file is.
    explicit AtomicFile(std::filesystem::path target, Access access = Access::Shared, std::string what = {});
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::filesystem::path& target() const { return m_target; }
    // The temporary file's name; empty once committed.
    const std::filesystem::path& path() const { return m_path; }
    // A name that opens the very file created here (/proc/self/fd/N), for libraries that open by name
    // (FFmpeg, OpenCV): it cannot be swapped for a link between creating and opening.
    std::filesystem::path openedPath() const;

    // Appends bytes. Throws Error(Io) naming the target (a full disk says so).
    void write(std::string_view bytes);
    // fsync, rename onto the target, fsync the folder. Throws Error(Io); the temporary file is then still
    // removed by the destructor.
    void commit();

    // The whole file at once: `bytes` replace `target` or nothing changes.
    static void write(const std::filesystem::path& target, std::string_view bytes,
                      Access access = Access::Shared, std::string what = {});

private:
    std::string cannotWrite() const; // "Cannot write [what ]'target'"
    [[noreturn]] void fail(int error) const;

    std::filesystem::path m_target;
    std::string m_what;
    std::filesystem::path m_path; // empty once committed
    int m_fd = -1;
};

} // namespace avatar
