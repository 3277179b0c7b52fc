#pragma once

#include <filesystem>

namespace avatar {

// A file written under a temporary name next to its final path, e.g. "out.mp4.part-3f9c0a1b2c3d4e5f".
// Unless commit() moved it onto the final path, the destructor deletes it, so an error or a cancelled job
// never leaves a partial file behind and never touches an existing file at the final path.
class TemporaryFile {
public:
    explicit TemporaryFile(std::filesystem::path target);
    ~TemporaryFile();
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    const std::filesystem::path& target() const { return m_target; }

    // Renames the file onto the target, replacing what was there. Throws Error(Io) on failure, in which
    // case the temporary file is still deleted by the destructor.
    void commit();

private:
    std::filesystem::path m_target;
    std::filesystem::path m_path; // empty once committed
};

} // namespace avatar
