#pragma once

#include "core/Tier.h"
#include "pipeline/RenderSpec.h"

#include <filesystem>

#include <optional>
#include <string>
#include <vector>

namespace avatar::cli {

enum class Command { Render, Voices, Frame, Shapes, Help, Version };

struct CliOptions {
    Command command = Command::Render;
    RenderSpec spec;
    // frame: VIDEO --at SECONDS -o PNG
    std::string video;
    double at = 0.0;
    bool json = false;
    bool quiet = false;
    std::optional<Tier> tier;                   // --tier; none: standard
    std::vector<std::filesystem::path> reports; // --report FILE (repeatable; format by extension)
    std::filesystem::path baseline;             // --baseline FILE: regressions against a stored profile
};

// Thrown for command-line mistakes (exit code 2), as opposed to avatar::Error for failed jobs (exit code 1).
struct UsageError {
    std::string message;
};

// Parses argv (without the program name). The script comes from --text, --script FILE or, when neither is
// given, the embedded demo script. Throws UsageError, or avatar::Error when the script file is unreadable.
CliOptions parse(const std::vector<std::string>& args);

std::string usage();

} // namespace avatar::cli
