#pragma once

#include "core/Tier.h"
#include "pipeline/RenderSpec.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace avatar::cache {
class Cache;
}

namespace avatar::cli {

enum class Command { Render, Project, Voices, Frame, Shapes, Cues, Help, Version };

struct CliOptions {
    Command command = Command::Render;
    RenderSpec spec;
    // frame: VIDEO --at SECONDS -o PNG
    std::string video;
    // PROJECT.avatarproj [-o OUT.mp4]: the project sets what the render flags set otherwise
    std::filesystem::path project;
    double at = 0.0;
    bool json = false;
    bool quiet = false;
    std::optional<Tier> tier;                   // --tier; none: standard
    std::vector<std::filesystem::path> reports; // --report FILE (repeatable; format by extension)
    std::filesystem::path baseline;             // --baseline FILE: regressions against a stored profile
    std::filesystem::path cacheDir;             // --cache-dir DIR; empty: defaultCacheDir()
    bool noCache = false;                       // --no-cache
};

// The render cache's sizes (issue #6): memory (L1) and the SQLite file cache.db in the cache folder (L2).
constexpr std::size_t kCacheMemoryBytes = std::size_t{256} << 20;
constexpr std::size_t kCacheDiskBytes = std::size_t{2} << 30;

// $XDG_CACHE_HOME/avatar-studio, else ~/.cache/avatar-studio; empty when neither variable is set.
std::filesystem::path defaultCacheDir();
// The two-level cache in `dir` (created if missing). Never fails: when the folder cannot be made, the
// cache lives in memory only, and that is said once on stderr, as is any later cache trouble.
// Its retries of a busy database are counted in `resilience` when given (the engine's counters). With
// `shared`, a third level on a folder shared by the nodes of a render farm (issue #16); a shared folder that
// is missing or failing is one warning, and the local levels go on.
std::unique_ptr<cache::Cache> openCache(const std::filesystem::path& dir,
                                        ResilienceCounters* resilience = nullptr,
                                        const std::filesystem::path& shared = {});

// Thrown for command-line mistakes (exit code 2), as opposed to avatar::Error for failed jobs (exit code 1).
struct UsageError {
    std::string message;
};

// Parses argv (without the program name). The script comes from --text, --script FILE or, when neither is
// given, the embedded demo script. Throws UsageError, or avatar::Error when the script file is unreadable.
CliOptions parse(const std::vector<std::string>& args);

std::string usage();

} // namespace avatar::cli
