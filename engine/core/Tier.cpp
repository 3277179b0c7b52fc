#include "Tier.h"

#include <algorithm>
#include <cctype>

namespace avatar {

TierSettings tierSettings(Tier tier) {
    switch (tier) {
    case Tier::Standard:
        return {Tier::Standard, 0.70, 1.0, 1.0, 5, ProfilingLevel::Basic};
    case Tier::Advanced:
        return {Tier::Advanced, 0.80, 1.25, 0.9, 10, ProfilingLevel::Moderate};
    case Tier::Ultra:
        return {Tier::Ultra, 0.90, 1.5, 0.8, 20, ProfilingLevel::Detailed};
    case Tier::Quantum:
        return {Tier::Quantum, 0.95, 2.0, 0.7, 50, ProfilingLevel::UltraDetailed};
    }
    return {};
}

const char* tierName(Tier tier) {
    switch (tier) {
    case Tier::Standard:
        return "standard";
    case Tier::Advanced:
        return "advanced";
    case Tier::Ultra:
        return "ultra";
    case Tier::Quantum:
        return "quantum";
    }
    return "standard";
}

std::optional<Tier> parseTier(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (Tier t : {Tier::Standard, Tier::Advanced, Tier::Ultra, Tier::Quantum})
        if (lower == tierName(t))
            return t;
    return std::nullopt;
}

const char* tierEncoderPreset(Tier tier) {
    switch (tier) {
    case Tier::Standard:
        return "veryfast";
    case Tier::Advanced:
        return "superfast";
    case Tier::Ultra:
        return "superfast";
    case Tier::Quantum:
        return "ultrafast";
    }
    return "veryfast";
}

bool isX264Preset(std::string_view name) {
    return std::find(kX264Presets.begin(), kX264Presets.end(), name) != kX264Presets.end();
}

std::string x264PresetChoices() {
    std::string out;
    const std::size_t advised = kX264Presets.size() - 1; // placebo is accepted, never suggested
    for (std::size_t i = 0; i < advised; ++i) {
        if (i > 0)
            out += i + 1 == advised ? " or " : ", ";
        out += kX264Presets[i];
    }
    return out;
}

std::string effectiveEncoderPreset(std::string_view named, Tier tier) {
    return named.empty() ? std::string(tierEncoderPreset(tier)) : std::string(named);
}

const char* profilingLevelName(ProfilingLevel level) {
    switch (level) {
    case ProfilingLevel::Basic:
        return "basic";
    case ProfilingLevel::Moderate:
        return "moderate";
    case ProfilingLevel::Detailed:
        return "detailed";
    case ProfilingLevel::UltraDetailed:
        return "ultra-detailed";
    }
    return "basic";
}

} // namespace avatar
