#pragma once

#include "Image.h"

#include <cstdint>
#include <span>
#include <string>

namespace avatar {

// Decodes PNG with libpng directly, with our own error and warning handlers: left to itself (inside OpenCV)
// libpng prints "libpng error: ..." and "libpng warning: ..." to stderr, which would break the engine's
// one-message promise. Here libpng itself finds the damage (CRCs, chunk order, the header's values, the image
// data inflated to its end) and every error or warning refuses the picture. Alpha is dropped, grey and
// palette images are expanded, 16-bit samples are cut to 8 (as OpenCV's IMREAD_COLOR does); no colour
// management.
struct PngDecoder {
    // True when the bytes start with the PNG signature.
    static bool isPng(std::span<const std::uint8_t> bytes);
    // The picture, or a null image with `problem` saying what is wrong ("it is truncated", "it is damaged
    // (...)"). The caller bounds the size from the header first (ImageHeader).
    static Image decode(std::span<const std::uint8_t> bytes, std::string& problem);
};

} // namespace avatar
