#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace avatar {

// An image's dimensions as its header states them, read without decoding anything: the pixel budget
// (ImageIO::kMaxPixels) refuses a decompression bomb or an absurd size before a decoder allocates for it.
struct ImageHeader {
    std::uint64_t width = 0;
    std::uint64_t height = 0;
    // What a decoder holds beyond the decoded picture while it works, as the header states it (TIFF: one
    // strip or tile, stored and as RGBA); 0 where that is a few rows.
    std::uint64_t workingBytes = 0;
    // Why the file is refused even within the pixel budget (a TIFF variant a portrait never needs, or a
    // header libtiff would read differently); empty when it may be decoded.
    std::string unsupported;

    std::uint64_t pixels() const { return width * height; }
    // PNG, JPEG, BMP, WebP (lossy, lossless, extended) and TIFF; nothing for other formats or a header too
    // damaged to say (the decoders then refuse the file themselves).
    static std::optional<ImageHeader> read(std::span<const std::uint8_t> bytes);
};

} // namespace avatar
