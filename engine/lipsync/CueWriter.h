#pragma once

#include "Viseme.h"
#include "core/FrameRate.h"

#include <filesystem>
#include <optional>
#include <string>

namespace avatar {

// Mouth cues for 2D animators (issue #13): the viseme track in the file formats of Rhubarb Lip Sync (TSV,
// XML, JSON) and the Moho / Papagayo switch file (.dat), with the same A-H and X shapes.
enum class CueFormat { Tsv, Xml, Json, MohoDat };

class CueWriter {
public:
    // The format named by the file's extension (.tsv, .xml, .json, .dat; any case), or none.
    static std::optional<CueFormat> formatFor(const std::filesystem::path& file);

    struct Source {
        std::string soundFile; // the recording, or empty for a synthesised script
        double duration = 0.0; // seconds; the track tiles [0, duration]
        FrameRate fps = 24;    // frames per second of the .dat switch file (Moho's default is 24; 30000/1001)
    };
    // TSV: "start<TAB>shape" per cue, then the end time with X. XML and JSON: metadata (sound file, duration)
    // and one cue per shape with start and end. DAT: "MohoSwitch1", then "frame shape" per change, frames
    // counted from 1. Times in seconds with three decimals; neighbouring cues of the same shape are joined.
    static std::string format(const VisemeTrack& track, CueFormat format, const Source& source);
};

} // namespace avatar
