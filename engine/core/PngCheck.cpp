#include "PngCheck.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>
#include <zlib.h>

namespace avatar {
namespace {

constexpr std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
constexpr std::uint32_t kMaxSide = 16384; // the engine's limit for every format
// libpng's own limits (Debian's pnglibconf.h): a chunk or an inflated text or profile larger than
// PNG_USER_CHUNK_MALLOC_MAX, or as many text chunks as PNG_USER_CHUNK_CACHE_MAX - 1, earns a printed
// warning or error.
constexpr std::uint64_t kMaxChunk = 8000000;
constexpr int kMaxCachedChunks = 998;
// How much of an ICC profile is kept for checking: the header and a tag table of up to 5000 tags.
constexpr std::size_t kProfileHead = 65536;

const std::string kTruncated = "it is truncated";

std::string damaged(const std::string& why) {
    return "it is damaged (" + why + ")";
}

std::uint32_t bigEndian32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

std::uint32_t bigEndian16(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 8) | p[1];
}

struct Header {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    int depth = 0;
    int colourType = 0;
    int interlace = 0;

    bool hasPalette() const { return colourType == 3; }
    bool isGrey() const { return colourType == 0 || colourType == 4; }
    int channels() const {
        static constexpr int kChannels[7] = {1, 0, 3, 1, 2, 0, 4};
        return kChannels[colourType];
    }
    // Bit depth of one sample as sBIT sees it: palette entries are always 8 bits.
    int sampleDepth() const { return hasPalette() ? 8 : depth; }
};

// The bit depths that the PNG specification allows for each colour type.
bool validDepth(int colourType, int depth) {
    switch (colourType) {
    case 0:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
        return depth == 8 || depth == 16;
    default:
        return false;
    }
}

// zlib's inflate stream, owned. Output goes through a small fixed buffer, so checking a huge image costs no
// more memory than a small one.
class Inflater {
public:
    Inflater() : m_ready(inflateInit(&m_stream) == Z_OK) {}
    ~Inflater() {
        if (m_ready)
            inflateEnd(&m_stream);
    }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    // Inflates `size` more input bytes, handing each piece of output to `sink` (which returns false to stop).
    // False when the data is corrupt, the sink refuses, or input follows the end of the stream.
    template <class Sink> bool feed(const std::uint8_t* input, std::size_t size, Sink&& sink) {
        if (!m_ready)
            return false;
        if (m_ended)
            return size == 0;
        m_stream.next_in = const_cast<Bytef*>(input);
        m_stream.avail_in = static_cast<uInt>(size);
        for (;;) {
            m_stream.next_out = m_buffer.data();
            m_stream.avail_out = static_cast<uInt>(m_buffer.size());
            const int rc = inflate(&m_stream, Z_NO_FLUSH);
            const std::size_t produced = m_buffer.size() - m_stream.avail_out;
            if (produced > 0 && !sink(m_buffer.data(), produced))
                return false;
            if (rc == Z_STREAM_END) {
                m_ended = true;
                return m_stream.avail_in == 0; // libpng warns about data after the stream's end
            }
            if (rc == Z_BUF_ERROR && m_stream.avail_in == 0)
                return true; // all input taken: the stream goes on in the next chunk
            if (rc != Z_OK)
                return false;
            if (m_stream.avail_in == 0 && m_stream.avail_out != 0)
                return true;
        }
    }
    bool ended() const { return m_ended; }

private:
    z_stream m_stream{};
    bool m_ready;
    bool m_ended = false;
    std::array<std::uint8_t, 16384> m_buffer{};
};

// Inflates one chunk's compressed field (zTXt, iTXt, iCCP) to its end, keeping its first `keep` bytes.
// Returns the inflated size, or nothing when the data is corrupt or larger than libpng accepts.
std::optional<std::uint64_t> inflateField(const std::uint8_t* data, std::size_t size, std::uint8_t* keep,
                                          std::size_t keepSize) {
    Inflater inflater;
    std::uint64_t total = 0;
    const bool ok = inflater.feed(data, size, [&](const std::uint8_t* out, std::size_t n) {
        if (total < keepSize)
            std::memcpy(keep + total, out, std::min<std::uint64_t>(n, keepSize - total));
        total += n;
        return total <= kMaxChunk;
    });
    if (!ok || !inflater.ended())
        return std::nullopt;
    return total;
}

// Walks the inflated image data row by row, the way libpng will: for each Adam7 pass (or the one pass of a
// plain image) that has pixels, `rows` rows of one filter-type byte and `rowBytes` bytes.
class PixelData {
public:
    explicit PixelData(const Header& header) {
        struct Adam7 {
            std::uint32_t x, y, dx, dy;
        };
        static constexpr Adam7 kAdam7[7] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                            {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
        static constexpr Adam7 kPlain[1] = {{0, 0, 1, 1}};
        const std::span<const Adam7> passes =
            header.interlace ? std::span<const Adam7>(kAdam7) : std::span<const Adam7>(kPlain);
        const std::uint64_t bitsPerPixel = std::uint64_t(header.channels()) * header.depth;
        for (const Adam7& p : passes) {
            const std::uint64_t width = header.width > p.x ? (header.width - p.x + p.dx - 1) / p.dx : 0;
            const std::uint64_t height = header.height > p.y ? (header.height - p.y + p.dy - 1) / p.dy : 0;
            if (width > 0 && height > 0)
                m_passes[m_count++] = {height, (width * bitsPerPixel + 7) / 8};
        }
        m_rowsLeft = m_passes[0].rows;
    }

    // Takes the next inflated bytes; false when they break the layout (an unknown filter type, or more
    // data than IHDR implies).
    bool take(const std::uint8_t* data, std::size_t size) {
        while (size > 0) {
            if (m_bytesLeft == 0) {
                if (m_pass == m_count)
                    return fail("its image data is longer than its header says");
                if (*data > 4)
                    return fail("a row has an unknown filter type");
                ++data;
                --size;
                m_bytesLeft = m_passes[m_pass].rowBytes;
                if (--m_rowsLeft == 0 && ++m_pass < m_count)
                    m_rowsLeft = m_passes[m_pass].rows;
                continue;
            }
            const std::uint64_t n = std::min<std::uint64_t>(size, m_bytesLeft);
            data += n;
            size -= static_cast<std::size_t>(n);
            m_bytesLeft -= n;
        }
        return true;
    }

    bool complete() const { return m_pass == m_count && m_bytesLeft == 0; }
    // Why take() refused, or null.
    const char* failure() const { return m_failure; }

private:
    struct Pass {
        std::uint64_t rows = 0;
        std::uint64_t rowBytes = 0;
    };

    bool fail(const char* why) {
        m_failure = why;
        return false;
    }

    std::array<Pass, 7> m_passes{};
    int m_count = 0;
    int m_pass = 0; // of the current row (advanced when a pass's last row starts)
    std::uint64_t m_rowsLeft = 0;
    std::uint64_t m_bytesLeft = 0; // of the current row; 0: the next byte is a filter type
    const char* m_failure = nullptr;
};

// Length of a Latin-1 keyword ending in a NUL within `size` bytes (1 to 79 characters), or 0.
std::size_t keywordLength(const std::uint8_t* data, std::size_t size) {
    const std::uint8_t* end = std::find(data, data + std::min<std::size_t>(size, 80), std::uint8_t(0));
    const std::size_t length = static_cast<std::size_t>(end - data);
    return (length >= 1 && length <= 79 && length < size) ? length : 0;
}

// A compressed (zTXt) or international (iTXt) text chunk: libpng checks its keyword and inflates it, and
// warns when either fails. (Plain tEXt it takes as it comes.)
bool textValid(std::string_view type, const std::uint8_t* data, std::size_t size) {
    const std::size_t key = keywordLength(data, size);
    if (key == 0)
        return false;
    std::size_t pos = key + 1;
    if (type == "zTXt")
        return pos < size && data[pos] == 0 && inflateField(data + pos + 1, size - pos - 1, nullptr, 0);
    // iTXt: compression flag and method, language tag, translated keyword, text.
    if (pos + 2 > size || data[pos] > 1 || data[pos + 1] != 0)
        return false;
    const bool compressed = data[pos] == 1;
    pos += 2;
    for (int field = 0; field < 2; ++field) {
        const std::uint8_t* end = std::find(data + pos, data + size, std::uint8_t(0));
        if (end == data + size)
            return false;
        pos = static_cast<std::size_t>(end - data) + 1;
    }
    return !compressed || inflateField(data + pos, size - pos, nullptr, 0);
}

// An embedded ICC profile, checked as libpng checks it (png_icc_check_length, _header, _tag_table): libpng
// prints a warning for each thing it dislikes. (It also warns about a few faulty sRGB profiles common in the
// wild; such pictures are sound and not refused, so that warning may still appear.)
bool profileValid(const Header& header, const std::uint8_t* data, std::size_t size) {
    // libpng first reads up to 81 bytes of keyword and then wants 11 more (an empty zlib stream).
    const std::size_t key = keywordLength(data, size);
    if (size < 92 || key == 0 || key + 2 > size || data[key + 1] != 0)
        return false;
    std::vector<std::uint8_t> head(kProfileHead);
    const auto inflated = inflateField(data + key + 2, size - key - 2, head.data(), head.size());
    if (!inflated || *inflated < 132 || bigEndian32(head.data()) != *inflated)
        return false;
    const std::uint32_t length = bigEndian32(head.data());
    const std::uint64_t tags = bigEndian32(&head[128]);
    const auto field = [&](std::size_t at) {
        return std::string_view(reinterpret_cast<const char*>(&head[at]), 4);
    };
    // The PCS illuminant must be D50 (0.9642, 1.0, 0.8249 as s15Fixed16).
    static constexpr std::uint8_t kD50[12] = {0x00, 0x00, 0xf6, 0xd6, 0x00, 0x01,
                                              0x00, 0x00, 0x00, 0x00, 0xd3, 0x2d};
    const std::string_view deviceClass = field(12), space = field(16), pcs = field(20);
    if ((head[8] > 3 && length % 4 != 0) || 132 + 12 * tags > length || bigEndian32(&head[64]) > 3 ||
        field(36) != "acsp" || !std::equal(kD50, kD50 + 12, &head[68]) ||
        space != (header.isGrey() ? "GRAY" : "RGB ") || (pcs != "XYZ " && pcs != "Lab ") ||
        (deviceClass != "scnr" && deviceClass != "mntr" && deviceClass != "prtr" && deviceClass != "spac"))
        return false;
    if (132 + 12 * tags > head.size())
        return true; // an enormous tag table: its entries are not checked
    for (std::size_t i = 0; i < tags; ++i) {
        const std::uint32_t start = bigEndian32(&head[132 + 12 * i + 4]);
        const std::uint32_t size = bigEndian32(&head[132 + 12 * i + 8]);
        if (start > length || size > length - start || start % 4 != 0)
            return false;
    }
    return true;
}

// cHRM: white point and primaries as (x, y) * 100000. libpng refuses points outside the chromaticity
// diagram's unit triangle and primaries that span no triangle.
bool chromaticitiesValid(const std::uint8_t* d) {
    std::int64_t v[8];
    for (int i = 0; i < 8; ++i) {
        v[i] = bigEndian32(d + 4 * i);
        if (v[i] > 0x7fffffff)
            return false;
    }
    for (int i = 0; i < 8; i += 2)
        if (v[i] > 100000 || v[i + 1] == 0 || v[i + 1] > 100000 - v[i])
            return false;
    const std::int64_t area = (v[4] - v[2]) * (v[7] - v[3]) - (v[6] - v[2]) * (v[5] - v[3]);
    return area != 0;
}

// The ancillary chunks libpng reads: their fixed sizes and value ranges. What libpng would only warn about
// is refused here, so that nothing is printed. Returns false when the chunk is invalid.
bool ancillaryValid(std::string_view type, const Header& h, int paletteEntries, const std::uint8_t* d,
                    std::size_t n) {
    if (type == "gAMA")
        return n == 4 && bigEndian32(d) >= 16 && bigEndian32(d) <= 625000000;
    if (type == "sRGB")
        return n == 1 && d[0] <= 3;
    if (type == "cHRM")
        return n == 32 && chromaticitiesValid(d);
    if (type == "pHYs" || type == "oFFs")
        return n == 9;
    if (type == "tIME")
        return n == 7 && d[2] >= 1 && d[2] <= 12 && d[3] >= 1 && d[3] <= 31 && d[4] <= 23 && d[5] <= 59 &&
               d[6] <= 60;
    if (type == "sBIT") {
        const std::size_t samples = h.hasPalette() ? 3 : static_cast<std::size_t>(h.channels());
        if (n != samples)
            return false;
        return std::all_of(d, d + n, [&](std::uint8_t bits) { return bits >= 1 && bits <= h.sampleDepth(); });
    }
    // A grey level or RGB colour given as 16-bit samples must fit the image's bit depth.
    const auto samplesFit = [&](std::size_t samples) {
        for (std::size_t i = 0; i < samples; ++i)
            if (h.depth < 16 && bigEndian16(d + 2 * i) >= (1u << h.depth))
                return false;
        return true;
    };
    if (type == "tRNS") {
        if (h.colourType == 0)
            return n == 2 && samplesFit(1);
        if (h.colourType == 2)
            return n == 6 && samplesFit(3);
        return h.hasPalette() && n >= 1 && n <= static_cast<std::size_t>(paletteEntries);
    }
    if (type == "bKGD") {
        if (h.hasPalette())
            return n == 1 && d[0] < paletteEntries;
        const std::size_t samples = h.isGrey() ? 1 : 3;
        return n == 2 * samples && samplesFit(samples);
    }
    if (type == "hIST")
        return paletteEntries > 0 && n == 2 * static_cast<std::size_t>(paletteEntries);
    if (type == "eXIf")
        return n >= 2 && ((d[0] == 'M' && d[1] == 'M') || (d[0] == 'I' && d[1] == 'I'));
    if (type == "sPLT") {
        const std::size_t key = keywordLength(d, n);
        if (key == 0 || key + 2 > n || (d[key + 1] != 8 && d[key + 1] != 16))
            return false;
        return (n - key - 2) % (d[key + 1] == 8 ? 6 : 10) == 0;
    }
    if (type == "zTXt" || type == "iTXt")
        return textValid(type, d, n);
    if (type == "iCCP")
        return profileValid(h, d, n);
    return true; // tEXt, pCAL, sCAL and chunks libpng does not know: not checked, or skipped, by libpng
}

// Where an ancillary chunk may stand, and whether it may repeat (libpng warns "out of place", "duplicate").
struct Placement {
    std::string_view type;
    bool beforePalette; // must precede PLTE
    bool afterPalette;  // in a palette image, must follow PLTE
    bool beforeData;    // must precede the first IDAT
    bool once;
};

constexpr Placement kPlacements[] = {
    {"cHRM", true, false, true, true},   {"gAMA", true, false, true, true},
    {"iCCP", true, false, true, true},   {"sBIT", true, false, true, true},
    {"sRGB", true, false, true, true},   {"bKGD", false, true, true, true},
    {"hIST", false, true, true, true},   {"tRNS", false, true, true, true},
    {"pHYs", false, false, true, true},  {"oFFs", false, false, true, true},
    {"pCAL", false, false, true, true},  {"sCAL", false, false, true, true},
    {"sPLT", false, false, true, false}, {"tIME", false, false, false, true},
    {"eXIf", false, false, false, true},
};

bool isLetter(std::uint8_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

} // namespace

bool PngCheck::isPng(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= 8 && std::equal(kSignature, kSignature + 8, bytes.begin());
}

std::string PngCheck::problem(std::span<const std::uint8_t> b) {
    if (!isPng(b))
        return "it is not a PNG";
    Header header;
    bool sawHeader = false, sawPalette = false, sawData = false, dataEnded = false;
    int paletteEntries = 0, cachedChunks = 0;
    std::vector<std::string_view> seen;
    std::optional<PixelData> pixels;
    std::optional<Inflater> inflater;
    std::size_t pos = 8;
    for (;;) {
        if (b.size() - pos < 12)
            return kTruncated;
        const std::uint32_t length = bigEndian32(&b[pos]);
        if (length > 0x7fffffffu)
            return damaged("a chunk's length is invalid");
        if (length > b.size() - pos - 12)
            return kTruncated;
        const std::uint8_t* typeBytes = &b[pos + 4];
        const std::uint8_t* data = typeBytes + 4;
        if (!std::all_of(typeBytes, typeBytes + 4, isLetter))
            return damaged("a chunk's name is invalid");
        if (length > kMaxChunk && !std::equal(typeBytes, typeBytes + 4, "IDAT"))
            return damaged("a chunk is too large");
        if (crc32(crc32(0L, Z_NULL, 0), typeBytes, length + 4) != bigEndian32(data + length))
            return damaged("a chunk's checksum is wrong");
        const std::string_view type(reinterpret_cast<const char*>(typeBytes), 4);
        pos += 12 + length;

        if (!sawHeader) {
            if (type != "IHDR" || length != 13)
                return damaged("it does not start with a header");
            header.width = bigEndian32(data);
            header.height = bigEndian32(data + 4);
            header.depth = data[8];
            header.colourType = data[9];
            header.interlace = data[12];
            if (header.width == 0 || header.height == 0 || header.width > 0x7fffffffu ||
                header.height > 0x7fffffffu || !validDepth(header.colourType, header.depth) ||
                data[10] != 0 || data[11] != 0 || header.interlace > 1)
                return damaged("its header is invalid");
            if (header.width > kMaxSide || header.height > kMaxSide)
                return "it is larger than 16384 pixels on a side";
            sawHeader = true;
            continue;
        }
        if (type == "IDAT") {
            if (dataEnded)
                return damaged("its image data is split");
            if (header.hasPalette() && !sawPalette)
                return damaged("its palette is missing");
            if (!sawData) {
                sawData = true;
                pixels.emplace(header);
                inflater.emplace();
            }
            if (!inflater->feed(data, length,
                                [&](const std::uint8_t* out, std::size_t n) { return pixels->take(out, n); }))
                return damaged(pixels->failure() ? pixels->failure()
                                                 : "its compressed image data is corrupt");
            continue;
        }
        if (sawData)
            dataEnded = true;
        if (type == "IEND") {
            if (length != 0)
                return damaged("its end chunk is invalid");
            if (!sawData)
                return damaged("it has no image data");
            if (!inflater->ended() || !pixels->complete())
                return damaged("its image data is shorter than its header says");
            return {};
        }
        if (type == "IHDR")
            return damaged("it has two headers");
        if (type == "PLTE") {
            if (sawPalette || sawData || header.isGrey() || length == 0 || length % 3 != 0 ||
                length / 3 > 256)
                return damaged("its palette is invalid");
            sawPalette = true;
            // libpng keeps no more entries than the bit depth can index, silently.
            paletteEntries = static_cast<int>(length / 3);
            if (header.hasPalette())
                paletteEntries = std::min(paletteEntries, 1 << header.depth);
            continue;
        }
        if (!(typeBytes[0] & 0x20))
            return "it uses a PNG extension that is not supported (chunk " + std::string(type) + ")";
        const auto placement = std::find_if(std::begin(kPlacements), std::end(kPlacements),
                                            [&](const Placement& p) { return p.type == type; });
        if (placement != std::end(kPlacements)) {
            if ((placement->beforePalette && sawPalette) || (placement->beforeData && sawData) ||
                (placement->afterPalette && (header.hasPalette() || type == "hIST") && !sawPalette))
                return damaged("a chunk is out of place");
            if (placement->once) {
                if (std::find(seen.begin(), seen.end(), type) != seen.end())
                    return damaged("a chunk is repeated");
                seen.push_back(type);
            }
        }
        if ((type == "tEXt" || type == "zTXt" || type == "iTXt" || type == "sPLT") &&
            ++cachedChunks > kMaxCachedChunks)
            return damaged("it has too many text chunks");
        if (!ancillaryValid(type, header, paletteEntries, data, length))
            return damaged("its " + std::string(type) + " chunk is invalid");
    }
}

} // namespace avatar
