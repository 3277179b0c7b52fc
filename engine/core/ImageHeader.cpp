#include "ImageHeader.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <string>

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
ImageHeader sized(std::uint64_t width, std::uint64_t height) {
    ImageHeader header;
    header.width = width;
    header.height = height;
    return header;
}
bool startsWith(Bytes b, std::size_t at, const char* text) {
    const std::size_t n = std::strlen(text);
    return b.size() >= at + n && std::memcmp(b.data() + at, text, n) == 0;
}

std::optional<ImageHeader> png(Bytes b) {
    if (b.size() < 24 || !startsWith(b, 12, "IHDR"))
        return std::nullopt;
    return sized(be32(b, 16), be32(b, 20));
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
            return sized(be16(b, at + 7), be16(b, at + 5));
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
        return sized(le16(b, 18), le16(b, 20));
    const auto width = static_cast<std::int32_t>(le32(b, 18));
    const auto height = static_cast<std::int32_t>(le32(b, 22)); // negative: rows top-down
    const auto magnitude = [](std::int32_t v) { return v < 0 ? -std::int64_t(v) : std::int64_t(v); };
    return sized(std::uint64_t(magnitude(width)), std::uint64_t(magnitude(height)));
}

std::optional<ImageHeader> webp(Bytes b) {
    if (startsWith(b, 12, "VP8 ") && b.size() >= 30)
        return sized(le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
    if (startsWith(b, 12, "VP8L") && b.size() >= 25) {
        const std::uint32_t bits = le32(b, 21);
        return sized((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
    }
    if (startsWith(b, 12, "VP8X") && b.size() >= 30)
        return sized(le24(b, 24) + std::uint64_t(1), le24(b, 27) + std::uint64_t(1));
    return std::nullopt;
}

// The first image file directory (the page OpenCV decodes): its size, and what libtiff and OpenCV allocate
// beyond the picture while decoding it. Both decode one strip or tile at a time, holding it twice: as stored
// (samples x bits) and as 8-bit RGBA (TIFFReadRGBAStrip/Tile). A strip is the whole image by default, and
// a tile may be far larger than the image, so a small image can still ask for gigabytes (issue #15: an
// in-budget TIFF reached 2.1 GB under ASan). Formats a portrait never needs are refused by name.
std::optional<ImageHeader> tiff(Bytes b) {
    const bool little = b[0] == 'I';
    const auto u16 = [&](std::size_t at) { return little ? le16(b, at) : be16(b, at); };
    const auto u32 = [&](std::size_t at) { return little ? le32(b, at) : be32(b, at); };
    if (b.size() < 8)
        return std::nullopt;
    const std::size_t ifd = u32(4);
    if (ifd > b.size() || b.size() - ifd < 2)
        return std::nullopt;
    // The largest of an entry's values (several for BitsPerSample and SampleFormat, one per sample), read
    // as libtiff reads them: any unsigned integer type; nothing for a type or place it would not read.
    const auto largest = [&](std::size_t at) -> std::optional<std::uint64_t> {
        const std::uint32_t type = u16(at + 2);
        const std::uint64_t count = u32(at + 4);
        const std::size_t size = type == 1 ? 1 : type == 3 ? 2 : type == 4 ? 4 : 0;
        if (size == 0 || count == 0 || count > 65535)
            return std::nullopt;
        std::size_t from = at + 8;
        if (count * size > 4) {
            from = u32(at + 8);
            if (from > b.size() || (b.size() - from) / size < count)
                return std::nullopt;
        }
        std::uint64_t most = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t v = from + i * size;
            most = std::max<std::uint64_t>(most, size == 1 ? b[v] : size == 2 ? u16(v) : u32(v));
        }
        return most;
    };
    constexpr std::uint32_t kWidth = 256, kLength = 257, kBits = 258, kCompression = 259, kPhotometric = 262,
                            kSamples = 277, kRowsPerStrip = 278, kTileWidth = 322, kTileLength = 323,
                            kSampleFormat = 339;
    std::map<std::uint32_t, std::uint64_t> tags;
    ImageHeader header;
    const std::size_t entries = u16(ifd);
    for (std::size_t i = 0; i < entries; ++i) {
        const std::size_t at = ifd + 2 + 12 * i;
        if (at + 12 > b.size())
            return std::nullopt;
        const std::uint32_t tag = u16(at);
        if (tag != kWidth && tag != kLength && tag != kBits && tag != kCompression && tag != kPhotometric &&
            tag != kSamples && tag != kRowsPerStrip && tag != kTileWidth && tag != kTileLength &&
            tag != kSampleFormat)
            continue;
        const std::optional<std::uint64_t> value = largest(at);
        if (!value || !tags.emplace(tag, *value).second) {
            // Read differently by libtiff (which may take another type, or the first of two entries), so
            // nothing measured here would hold.
            header.unsupported =
                "its TIFF header has a damaged or repeated entry (tag " + std::to_string(tag) + ")";
            return header;
        }
    }
    const auto tag = [&](std::uint32_t t, std::uint64_t otherwise) {
        const auto it = tags.find(t);
        return it == tags.end() ? otherwise : it->second;
    };
    header.width = tag(kWidth, 0);
    header.height = tag(kLength, 0);
    if (header.width == 0 || header.height == 0)
        return std::nullopt;
    const std::uint64_t bits = tag(kBits, 1);
    const std::uint64_t samples = tag(kSamples, 1);
    const std::uint64_t compression = tag(kCompression, 1);
    if (tag(kSampleFormat, 1) > 2)
        header.unsupported =
            "it has floating-point samples (a high-dynamic-range TIFF); a portrait needs 8 or 16 "
            "bits of whole numbers a sample";
    else if (bits > 16)
        header.unsupported = "it has " + std::to_string(bits) + "-bit samples; a TIFF may have 1 to 16";
    else if (samples > 4)
        header.unsupported = "it has " + std::to_string(samples) + " samples a pixel; a TIFF may have 1 to 4";
    else if (compression != 1 && compression != 5 && compression != 7 && compression != 8 &&
             compression != 32773 && compression != 32946)
        // Fax (bi-level), old-style JPEG, LogLuv and PixarLog (high dynamic range, decoded through float
        // buffers) and the rarer codecs: none is a photo of a presenter.
        header.unsupported = "its TIFF compression (" + std::to_string(compression) +
                             ") is not one of none, LZW, Deflate, JPEG or PackBits";
    // One strip (rows of the full width; all of them by default) or one tile, as stored and as RGBA.
    const bool tiled = tags.count(kTileWidth) || tags.count(kTileLength);
    const std::uint64_t chunkWidth = tiled ? tag(kTileWidth, 0) : header.width;
    const std::uint64_t chunkRows =
        tiled ? tag(kTileLength, 0) : std::min(tag(kRowsPerStrip, header.height), header.height);
    const std::uint64_t chunkPixels =
        std::min<std::uint64_t>(chunkWidth, 1u << 24) * std::min<std::uint64_t>(chunkRows, 1u << 24);
    header.workingBytes = chunkPixels * ((std::max<std::uint64_t>(samples, 1) * bits + 7) / 8 + 4);
    return header;
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
