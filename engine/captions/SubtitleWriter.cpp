#include "SubtitleWriter.h"

#include "core/AtomicFile.h"
#include "core/Error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <system_error>

namespace avatar {

namespace {

// HH:MM:SS followed by `separator` and milliseconds. Hours keep counting past 99 rather than wrapping.
std::string timestamp(double seconds, char separator) {
    const long long total = std::llround(std::max(0.0, seconds) * 1000.0);
    std::array<char, 40> buffer = {};
    std::snprintf(buffer.data(), buffer.size(), "%02lld:%02lld:%02lld%c%03lld", total / 3600000,
                  total / 60000 % 60, total / 1000 % 60, separator, total % 1000);
    return buffer.data();
}

// The lines of a cue as they may appear in a file: a blank line would end the cue early, and a line break
// inside a line would make one, so both are flattened.
std::vector<std::string> printableLines(const CaptionCue& cue) {
    std::vector<std::string> lines;
    for (std::string line : cue.lines) {
        for (char& c : line) {
            if (c == '\n' || c == '\r')
                c = ' ';
        }
        if (line.find_first_not_of(" \t") != std::string::npos)
            lines.push_back(std::move(line));
    }
    return lines;
}

std::string escapeVtt(const std::string& line) {
    std::string out;
    for (const char c : line) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

std::string format(const std::vector<CaptionCue>& cues, bool webVtt) {
    std::string out = webVtt ? "WEBVTT\n\n" : "";
    int index = 0;
    for (const CaptionCue& cue : cues) {
        const std::vector<std::string> lines = printableLines(cue);
        if (lines.empty())
            continue; // both formats need text in a cue
        if (!webVtt)
            out += std::to_string(++index) + '\n';
        const char separator = webVtt ? '.' : ',';
        out += timestamp(cue.start, separator) + " --> " + timestamp(cue.end, separator) + '\n';
        for (const std::string& line : lines)
            out += (webVtt ? escapeVtt(line) : line) + '\n';
        out += '\n';
    }
    return out;
}

} // namespace

std::string SubtitleWriter::srt(const std::vector<CaptionCue>& cues) {
    return format(cues, false);
}

std::string SubtitleWriter::vtt(const std::vector<CaptionCue>& cues) {
    return format(cues, true);
}

void SubtitleWriter::write(const std::string& text, const std::filesystem::path& output) {
    // Writing through a symbolic link replaces its target, not the link (as for the video).
    std::filesystem::path path = output;
    std::error_code error;
    for (int hops = 0; hops < 16 && std::filesystem::is_symlink(path, error); ++hops) {
        const std::filesystem::path target = std::filesystem::read_symlink(path, error);
        if (error)
            break;
        path = target.is_absolute() ? target : path.parent_path() / target;
    }

    AtomicFile::write(path, text, AtomicFile::Access::Shared, "the captions");
}

std::filesystem::path SubtitleWriter::sidecar(const std::filesystem::path& video, const std::string& ext) {
    std::filesystem::path result = video;
    result.replace_extension(ext.empty() || ext.front() == '.' ? ext : '.' + ext);
    return result;
}

} // namespace avatar
