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
