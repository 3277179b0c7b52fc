#pragma once

namespace avatar {
struct EngineServices;
}

namespace avatar::cli {

struct CliOptions;

// `avatar-render cues [--audio FILE] [--text T | --script F] -o FILE`: the mouth cues of a recording (its
// acoustic analysis) or of a script (the voice's own phones) in the format of the file's extension
// (lipsync/CueWriter), written atomically. Throws avatar::Error; returns 0.
int writeCues(EngineServices& services, const CliOptions& options);

} // namespace avatar::cli
