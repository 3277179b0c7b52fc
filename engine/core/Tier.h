#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace avatar {

// The optimisation tiers (DESIGN.md): one table of settings that the memory manager, the batcher, the scaler
// and the profiler read when a job starts and whenever the user switches tier while it runs.
enum class Tier { Standard, Advanced, Ultra, Quantum };

// How much the profiler records: basic = per-stage totals, moderate = + histograms, detailed = + zones of
// every frame, ultraDetailed = + counters sampled each frame.
enum class ProfilingLevel { Basic, Moderate, Detailed, UltraDetailed };

struct TierSettings {
    Tier tier = Tier::Standard;
    double memoryFraction = 0.70; // the most of the device's (or machine's) memory the pools may hold
    double batchMultiplier = 1.0; // max batch size = base x this
    double scalerThresholdMultiplier = 1.0; // scale-up targets x this: lower scales up earlier
    int modelCacheSize = 5;                 // models kept loaded
    ProfilingLevel profiling = ProfilingLevel::Basic;
};

// The table from DESIGN.md.
TierSettings tierSettings(Tier tier);
// "standard", "advanced", "ultra", "quantum".
const char* tierName(Tier tier);
// Parses the names above (case-insensitive); nullopt for anything else.
std::optional<Tier> parseTier(std::string_view name);
const char* profilingLevelName(ProfilingLevel level);
// The x264 preset a tier renders with when the job names none: the measured speed/quality trade-off of
// docs/PERFORMANCE.md ("Tiers and the encoder").
const char* tierEncoderPreset(Tier tier);

// x264's presets, fastest first: the one list the pipeline and the encoder check against, the composer offers
// and the profiler's advice walks.
inline constexpr std::array<std::string_view, 10> kX264Presets = {
    "ultrafast", "superfast", "veryfast", "faster",   "fast",
    "medium",    "slow",      "slower",   "veryslow", "placebo"};
bool isX264Preset(std::string_view name);
// "ultrafast, superfast, ..., slower or veryslow" (placebo left out: never worth its time here) for messages.
std::string x264PresetChoices();
// The one rule for a job's encoder preset: the preset it names, or else its tier's.
std::string effectiveEncoderPreset(std::string_view named, Tier tier);

} // namespace avatar
