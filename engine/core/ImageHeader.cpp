#include "ImageHeader.h"

#include <cstring>

namespace avatar {
namespace {

using Bytes = std::span<const std::uint8_t>;

std::uint32_t be16(Bytes b, std::size_t at) {
    return std::uint32_t(b[at]) << 8 | b[at + 1];
}
std::uint32_t be32(Bytes b, std::size_t at) {
    return be16(b, at) << 16 | be16(b, at + 2);
}
std::uint32_t le16(Bytes b, std::size_t at) {
    return std::uint32_t(b[at + 1]) << 8 | b[at];
}
std::uint32_t le24(Bytes b, std::size_t at) {
    return std::uint32_t(b[at + 2]) << 16 | le16(b, at);
}
std::uint32_t le32(Bytes b, std::size_t at) {
    return le16(b, at + 2) << 16 | le16(b, at);
}
bool startsWith(Bytes b, std::size_t at, const char* text) {
    const std::size_t n = std::strlen(text);
    return b.size() >= at + n && std::memcmp(b.data() + at, text, n) == 0;
}

std::optional<ImageHeader> png(Bytes b) {
    if (b.size() < 24 || !startsWith(b, 12, "IHDR"))
        return std::nullopt;
    return ImageHeader{be32(b, 16), be32(b, 20)};
}

// The first start-of-frame marker's size (SOF0..SOF15 but DHT, JPG and DAC, which share the range).
std::optional<ImageHeader> jpeg(Bytes b) {
    std::size_t at = 2;
    while (at + 4 <= b.size()) {
        if (b[at] != 0xFF)
            return std::nullopt;
        const std::uint8_t marker = b[at + 1];
        if (marker == 0xFF) { // fill byte
            ++at;
            continue;
        }
        const std::size_t length = be16(b, at + 2);
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            if (at + 9 > b.size())
                return std::nullopt;
            return ImageHeader{be16(b, at + 7), be16(b, at + 5)};
        }
        if (length < 2)
            return std::nullopt;
        at += 2 + length;
    }
    return std::nullopt;
}

std::optional<ImageHeader> bmp(Bytes b) {
    if (b.size() < 26)
        return std::nullopt;
    const std::uint32_t info = le32(b, 14);
    if (info == 12) // OS/2 1.x: 16-bit sizes
        return ImageHeader{le16(b, 18), le16(b, 20)};
    const auto width = static_cast<std::int32_t>(le32(b, 18));
    const auto height = static_cast<std::int32_t>(le32(b, 22)); // negative: rows top-down
    const auto magnitude = [](std::int32_t v) { return v < 0 ? -std::int64_t(v) : std::int64_t(v); };
    return ImageHeader{std::uint64_t(magnitude(width)), std::uint64_t(magnitude(height))};
}

std::optional<ImageHeader> webp(Bytes b) {
    if (startsWith(b, 12, "VP8 ") && b.size() >= 30)
        return ImageHeader{le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF};
    if (startsWith(b, 12, "VP8L") && b.size() >= 25) {
        const std::uint32_t bits = le32(b, 21);
        return ImageHeader{(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
    }
    if (startsWith(b, 12, "VP8X") && b.size() >= 30)
        return ImageHeader{le24(b, 24) + std::uint64_t(1), le24(b, 27) + std::uint64_t(1)};
    return std::nullopt;
}

// The first image file directory's ImageWidth (256) and ImageLength (257).
std::optional<ImageHeader> tiff(Bytes b) {
    const bool little = b[0] == 'I';
    const auto u16 = [&](std::size_t at) { return little ? le16(b, at) : be16(b, at); };
    const auto u32 = [&](std::size_t at) { return little ? le32(b, at) : be32(b, at); };
    if (b.size() < 8)
        return std::nullopt;
    const std::size_t ifd = u32(4);
    if (ifd > b.size() || b.size() - ifd < 2)
        return std::nullopt;
    const std::size_t entries = u16(ifd);
    std::uint64_t width = 0, height = 0;
    for (std::size_t i = 0; i < entries; ++i) {
        const std::size_t at = ifd + 2 + 12 * i;
        if (at + 12 > b.size())
            return std::nullopt;
        const std::uint32_t tag = u16(at);
        const std::uint32_t type = u16(at + 2);
        const std::uint64_t value = type == 3 ? u16(at + 8) : type == 4 ? u32(at + 8) : 0;
        if (tag == 256)
            width = value;
        else if (tag == 257)
            height = value;
    }
    if (width == 0 || height == 0)
        return std::nullopt;
    return ImageHeader{width, height};
}

} // namespace

std::optional<ImageHeader> ImageHeader::read(std::span<const std::uint8_t> bytes) {
    if (startsWith(bytes, 0, "\x89PNG\r\n\x1a\n"))
        return png(bytes);
    if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
        return jpeg(bytes);
    if (startsWith(bytes, 0, "BM"))
        return bmp(bytes);
    if (startsWith(bytes, 0, "RIFF") && startsWith(bytes, 8, "WEBP"))
        return webp(bytes);
    if (startsWith(bytes, 0, "II*") || startsWith(bytes, 0, "MM"))
        return bytes.size() >= 4 && (bytes[0] == 'I' ? bytes[3] == 0 : bytes[2] == 0 && bytes[3] == 42)
                   ? tiff(bytes)
                   : std::nullopt;
    return std::nullopt;
}

} // namespace avatar
