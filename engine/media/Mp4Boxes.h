#pragma once

#include <filesystem>

namespace avatar {

// True when the file is an ISO-BMFF (MP4/MOV) file whose top-level 'moov' box (the index) comes before its
// 'mdat' box (the media data), i.e. it was written with faststart and can play while downloading. Reads
// only the box headers with plain file I/O; false for anything else, including unreadable files.
bool mp4MoovBeforeMdat(const std::filesystem::path& path);

} // namespace avatar
