#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace avatar {

// Where burned captions sit: in the bottom title-safe area (the default), the middle or the top.
enum class CaptionPosition { Bottom, Middle, Top };

// How burned captions look (issue #18): the CLI's --caption-* options, the studio's caption style, the job
// database and the project file all carry this. The defaults draw what captions looked like before styles.
struct CaptionStyle {
    static constexpr int kMinSize = 50; // percent of the automatic size (height/18, narrowed for 9:16)
    static constexpr int kMaxSize = 200;

    std::string font = "DejaVu Sans"; // a fontconfig family; a missing one falls back to DejaVu Sans
    int size = 100;                   // percent of the automatic size
    CaptionPosition position = CaptionPosition::Bottom;
    std::uint32_t colour = 0xFFFFFF;    // the text, 0xRRGGBB
    std::uint32_t highlight = 0xFFD700; // the word being spoken (gold)
    std::uint32_t outline = 0x000000;   // outline and (half transparent) shadow

    bool operator==(const CaptionStyle&) const = default;

    // Throws Error(InvalidInput) naming the bad value: an empty font or one with a comma or control
    // character (it would break the ASS style line), a size outside kMinSize..kMaxSize.
    void validate() const;
    // One line with every field, for cache keys: equal strings draw equal captions.
    std::string key() const;
};

// "bottom", "middle", "top": the CLI's, the job database's and the project file's spelling.
const char* captionPositionName(CaptionPosition position);
std::optional<CaptionPosition> parseCaptionPosition(std::string_view name);
// "#RRGGBB" (the '#' optional, hex digits of either case) → 0xRRGGBB.
std::optional<std::uint32_t> parseColour(std::string_view text);
std::string colourName(std::uint32_t rgb); // "#RRGGBB", upper case

} // namespace avatar
