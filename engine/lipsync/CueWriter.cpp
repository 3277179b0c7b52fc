#include "CueWriter.h"

#include "core/Json.h"
#include "profile/ReportFormat.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace avatar {

namespace {

std::string seconds(double t) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", std::max(0.0, t));
    return text;
}

// Same shapes in a row become one cue; empty cues are dropped.
VisemeTrack joined(const VisemeTrack& track) {
    VisemeTrack out;
    for (const VisemeCue& c : track) {
        if (c.end <= c.start)
            continue;
        if (!out.empty() && out.back().shape == c.shape)
            out.back().end = c.end;
        else
            out.push_back(c);
    }
    return out;
}

} // namespace

std::optional<CueFormat> CueWriter::formatFor(const std::filesystem::path& file) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".tsv")
        return CueFormat::Tsv;
    if (ext == ".xml")
        return CueFormat::Xml;
    if (ext == ".json")
        return CueFormat::Json;
    if (ext == ".dat")
        return CueFormat::MohoDat;
    return std::nullopt;
}

std::string CueWriter::format(const VisemeTrack& input, CueFormat format, const Source& source) {
    const VisemeTrack track = joined(input);
    std::string out;
    switch (format) {
    case CueFormat::Tsv:
        for (const VisemeCue& c : track)
            out += seconds(c.start) + "\t" + toChar(c.shape) + "\n";
        out += seconds(source.duration) + "\tX\n";
        break;
    case CueFormat::Xml:
        out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rhubarbResult>\n  <metadata>\n";
        out += "    <soundFile>" + report::xmlEscape(source.soundFile) + "</soundFile>\n";
        out += "    <duration>" + seconds(source.duration) + "</duration>\n  </metadata>\n  <mouthCues>\n";
        for (const VisemeCue& c : track)
            out += "    <mouthCue start=\"" + seconds(c.start) + "\" end=\"" + seconds(c.end) + "\">" +
                   toChar(c.shape) + "</mouthCue>\n";
        out += "  </mouthCues>\n</rhubarbResult>\n";
        break;
    case CueFormat::Json:
        out += "{\n  \"metadata\": {\n    \"soundFile\": \"" + JsonWriter::escape(source.soundFile) + "\",\n";
        out += "    \"duration\": " + seconds(source.duration) + "\n  },\n  \"mouthCues\": [\n";
        for (std::size_t i = 0; i < track.size(); ++i)
            out += std::string("    { \"start\": ") + seconds(track[i].start) +
                   ", \"end\": " + seconds(track[i].end) + ", \"value\": \"" + toChar(track[i].shape) +
                   "\" }" + (i + 1 < track.size() ? ",\n" : "\n");
        out += "  ]\n}\n";
        break;
    case CueFormat::MohoDat: {
        // One line per change of shape at the frame where the cue starts; two cues starting in one frame
        // keep the later (the shape actually seen there), except a lip closure: it keeps its frame and the
        // shape after it starts a frame later. (Closures can be as short as 40 ms, under a frame at 24 fps,
        // and a "b" dropped from the switch file is a B the animator never sees sealed.)
        out += "MohoSwitch1\n";
        long long lastFrame = 0;
        bool pendingSeals = false;
        std::string pending;
        for (const VisemeCue& c : track) {
            long long frame = std::llround(c.start * source.fps.num() / source.fps.den()) + 1;
            if (frame <= lastFrame && pendingSeals)
                frame = lastFrame + 1;
            if (frame != lastFrame && !pending.empty())
                out += pending;
            pending = std::to_string(frame) + " " + toChar(c.shape) + "\n";
            pendingSeals = c.shape == Viseme::A;
            lastFrame = frame;
        }
        out += pending;
        break;
    }
    }
    return out;
}

} // namespace avatar
