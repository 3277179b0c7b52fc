#pragma once

#include "Image.h"

#include <cstdint>
#include <span>
#include <string>

namespace avatar {

// Decodes JPEG with libjpeg-turbo directly rather than through OpenCV: OpenCV lets libjpeg print "Corrupt
// JPEG data" to stderr and fills a truncated picture with grey. Here every libjpeg message is caught, and
// any warning about the data means the picture is refused. Greyscale, RGB and (Adobe) CMYK/YCCK come out
// as RGB, turned upright by the EXIF orientation tag, as photo viewers show phone pictures.
struct JpegDecoder {
    // True when the bytes start with a JPEG start-of-image marker.
    static bool isJpeg(std::span<const std::uint8_t> bytes);
    // The picture, or a null image with `problem` saying what is wrong ("it is truncated", "it is damaged").
    static Image decode(std::span<const std::uint8_t> bytes, std::string& problem);
};

} // namespace avatar
