#pragma once

#include "Caption.h"

#include <filesystem>
#include <string>
#include <vector>

namespace avatar {

// Subtitle files from caption cues: SubRip (.srt) and WebVTT (.vtt), both UTF-8 with "\n" line ends.
class SubtitleWriter {
public:
    // "1\n00:00:01,500 --> 00:00:03,250\nline\nline\n\n" per cue, numbered from 1.
    static std::string srt(const std::vector<CaptionCue>& cues);
    // "WEBVTT\n\n" then "00:00:01.500 --> 00:00:03.250\nline\n\n" per cue; & < > are escaped as entities.
    static std::string vtt(const std::vector<CaptionCue>& cues);

    // Writes `text` to `path` through a temporary file in the same folder and a rename, so a reader never
    // sees a partial file and a failed write leaves nothing behind. A symbolic link at `path` is followed:
    // its target is replaced. Throws Error(Io) naming the path.
    static void write(const std::string& text, const std::filesystem::path& path);

    // The subtitle file that travels with a video: sidecar("out.mp4", "srt") is "out.srt".
    static std::filesystem::path sidecar(const std::filesystem::path& video, const std::string& ext);
};

} // namespace avatar
