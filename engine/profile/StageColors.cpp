#include "StageColors.h"

#include <array>
#include <cstdint>
#include <utility>

namespace avatar::report {

namespace {

constexpr std::array<std::pair<std::string_view, const char*>, 7> kKnown{{{"queue", "#9e9e9e"},
                                                                          {"tts", "#4e79a7"},
                                                                          {"face", "#f28e2b"},
                                                                          {"animate", "#59a14f"},
                                                                          {"render", "#e15759"},
                                                                          {"encode", "#b07aa1"},
                                                                          {"wait", "#d0d0d0"}}};
constexpr std::array<const char*, 6> kOthers{"#76b7b2", "#edc948", "#ff9da7",
                                             "#9c755f", "#bab0ac", "#8cd17d"};

int hexDigit(char c) {
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

} // namespace

const char* stageColorHex(std::string_view stage) {
    for (const auto& [name, hex] : kKnown)
        if (name == stage)
            return hex;
    std::uint32_t hash = 2166136261u; // FNV-1a: stable across runs, unlike std::hash
    for (const char c : stage)
        hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    return kOthers[hash % kOthers.size()];
}

Rgb stageColor(std::string_view stage) {
    const char* hex = stageColorHex(stage);
    auto channel = [&](int i) { return (hexDigit(hex[1 + 2 * i]) * 16 + hexDigit(hex[2 + 2 * i])) / 255.0; };
    return Rgb{channel(0), channel(1), channel(2)};
}

} // namespace avatar::report
