#include "CaptionStyle.h"

#include "core/Error.h"

#include <charconv>
#include <cstdio>

namespace avatar {

void CaptionStyle::validate() const {
    if (font.empty())
        throw Error(ErrorCode::InvalidInput, "The caption font needs a name, for example \"DejaVu Sans\".");
    for (const char c : font)
        if (c == ',' || static_cast<unsigned char>(c) < 0x20)
            throw Error(ErrorCode::InvalidInput,
                        "The caption font '" + font +
                            "' is not a font name: no commas or control characters.");
    if (size < kMinSize || size > kMaxSize)
        throw Error(ErrorCode::InvalidInput, "The caption size " + std::to_string(size) +
                                                 " % is not supported: use " + std::to_string(kMinSize) +
                                                 " to " + std::to_string(kMaxSize) + " %.");
}

std::string CaptionStyle::key() const {
    return font + "|" + std::to_string(size) + "|" + captionPositionName(position) + "|" +
           colourName(colour) + "|" + colourName(highlight) + "|" + colourName(outline);
}

const char* captionPositionName(CaptionPosition position) {
    switch (position) {
    case CaptionPosition::Bottom:
        return "bottom";
    case CaptionPosition::Middle:
        return "middle";
    case CaptionPosition::Top:
        return "top";
    }
    return "bottom";
}

std::optional<CaptionPosition> parseCaptionPosition(std::string_view name) {
    for (const CaptionPosition p : {CaptionPosition::Bottom, CaptionPosition::Middle, CaptionPosition::Top})
        if (name == captionPositionName(p))
            return p;
    return std::nullopt;
}

std::optional<std::uint32_t> parseColour(std::string_view text) {
    if (!text.empty() && text.front() == '#')
        text.remove_prefix(1);
    if (text.size() != 6)
        return std::nullopt;
    std::uint32_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (ec != std::errc() || ptr != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::string colourName(std::uint32_t rgb) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "#%06X", static_cast<unsigned>(rgb & 0xFFFFFF));
    return buffer;
}

} // namespace avatar
