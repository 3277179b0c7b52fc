#include "media/TemporaryFile.h"

#include "core/Error.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <random>
#include <system_error>

namespace avatar {

TemporaryFile::TemporaryFile(std::filesystem::path target) : m_target(std::move(target)) {
    // Random rather than pid-based: two encoders in one process may target the same output.
    std::random_device random;
    const std::uint64_t tag = (std::uint64_t(random()) << 32) ^ random();
    std::array<char, 17> hex = {};
    std::to_chars(hex.data(), hex.data() + 16, tag, 16);
    m_path = m_target;
    m_path += ".part-";
    m_path += hex.data();
}

TemporaryFile::~TemporaryFile() {
    if (!m_path.empty()) {
        std::error_code ignored;
        std::filesystem::remove(m_path, ignored);
    }
}

void TemporaryFile::commit() {
    // rename() replaces the target atomically when both are on the same filesystem, which is why the file
    // lives in the target's folder: readers see either the old file or the complete new one.
    std::error_code error;
    std::filesystem::rename(m_path, m_target, error);
    if (error)
        throw Error(ErrorCode::Io, "Cannot write '" + m_target.string() + "': " + error.message() + ".");
    m_path.clear();
}

} // namespace avatar
