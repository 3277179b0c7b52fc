#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace avatar {

// Checks PNG bytes deeply enough that libpng (inside OpenCV) never meets damage itself: libpng reports
// damage by printing "libpng error: ..." to stderr, which would break the engine's one-message promise.
// Checked: chunk structure, lengths and CRCs up to IEND; IHDR's values; chunk order; the fixed-size
// ancillary chunks libpng validates; and the image data, inflated to its end and measured against IHDR.
struct PngCheck {
    static bool isPng(std::span<const std::uint8_t> bytes);
    // What is wrong ("it is truncated", "it is damaged", ...), or an empty string when the bytes are a
    // sound PNG.
    static std::string problem(std::span<const std::uint8_t> bytes);
};

} // namespace avatar
