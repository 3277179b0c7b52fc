#pragma once

#include <filesystem>
#include <string_view>

namespace avatar {

// Writes `bytes` to a temporary file beside `path`, then renames it over `path`, so that a reader sees either
// the old file or the whole new one. Throws Error(Io) naming the path; leaves no temporary behind.
void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

} // namespace avatar
