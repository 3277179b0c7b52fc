#pragma once

// Opening a media file for decoding, shared by MediaReader and AudioDecoder. Internal to engine/media: it
// includes FFmpeg's headers.

#include "media/FfmpegPtr.h"

#include <filesystem>

namespace avatar::media {

// The demuxer of `path` with its stream info. Throws Error(NotFound) for a missing file, Error(Unreadable)
// when FFmpeg cannot open it or it holds neither audio nor video.
ffmpeg::InputFormatPtr openInput(const std::filesystem::path& path);
// The best stream of `type`, or -1. Cover art (an attached picture) does not count as video.
int bestStream(AVFormatContext* format, AVMediaType type);
// An opened decoder for `stream`. Throws Error(Unreadable).
ffmpeg::CodecContextPtr openDecoder(const std::filesystem::path& path, const AVStream* stream);

} // namespace avatar::media
