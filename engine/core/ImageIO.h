#pragma once

#include "Image.h"

#include <cstdint>
#include <filesystem>
#include <span>

namespace avatar {

// Reads and writes still images (PNG, JPEG, BMP, WebP, TIFF: what OpenCV's imgcodecs reads) as RGB.
struct ImageIO {
    // The pixel budget: an image whose header states more pixels than this (8192 x 8192, 192 MiB of RGB) is
    // refused before any decoding, as is one wider or taller than kMaxSide.
    static constexpr std::uint64_t kMaxPixels = 8192ull * 8192ull;
    static constexpr int kMaxSide = 16384;
    // What a decoder may hold beyond the picture (ImageHeader::workingBytes), 8 bytes a pixel of the budget:
    // any 8-bit TIFF layout up to the full budget, a 16-bit one in strips of up to 44 million pixels (53 for
    // RGB without alpha). So a decode takes at most about 14 bytes a pixel of the budget (the picture as BGR
    // and as RGB, plus this).
    static constexpr std::uint64_t kMaxWorkingBytes = kMaxPixels * 8;
    // Throws Error(NotFound) when the file is missing, Error(Unreadable) when it is not an image.
    static Image load(const std::filesystem::path& path);
    // Throws Error(Unreadable) when the bytes are not an image or are over the pixel budget (from the header,
    // before decoding). `what` names the source in the message.
    static Image decode(std::span<const std::uint8_t> bytes, const std::string& what);
    // PNG, JPEG or BMP by extension, written through AtomicFile (a failed write leaves nothing, an existing
    // file stays whole). Throws Error(Io).
    static void save(const Image& image, const std::filesystem::path& path);
    // Area-averaging resize (downscale) or bicubic (upscale).
    static Image resized(const Image& image, int width, int height);
};

} // namespace avatar
