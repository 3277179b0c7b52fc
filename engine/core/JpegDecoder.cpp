#include "JpegDecoder.h"

#include <csetjmp>
#include <cstdio> // jpeglib.h needs FILE and size_t declared first
#include <cstring>
#include <vector>

#include <jpeglib.h>

#include <jerror.h>

namespace avatar {
namespace {

constexpr unsigned kMaxSide = 16384; // the engine's limit for every format

enum class Outcome { Ok, Damaged, Truncated, Unsupported };

// Where libjpeg's callbacks leave their verdict before jumping back. It must stay trivially destructible
// and standard-layout: libjpeg hands back a pointer to `manager`, which is turned back into the trap.
struct ErrorTrap {
    jpeg_error_mgr manager;
    std::jmp_buf jump;
    Outcome outcome;
};

ErrorTrap& trapOf(j_common_ptr info) {
    return *reinterpret_cast<ErrorTrap*>(info->err);
}

// A fatal libjpeg error: libjpeg's own handler would print it and exit the process.
[[noreturn]] void onError(j_common_ptr info) {
    ErrorTrap& trap = trapOf(info);
    const int code = trap.manager.msg_code;
    const bool unsupported = code == JERR_BAD_PRECISION || code == JERR_NOT_COMPILED ||
                             code == JERR_ARITH_NOTIMPL || code == JERR_CONVERSION_NOTIMPL;
    trap.outcome = unsupported ? Outcome::Unsupported : Outcome::Damaged;
    std::longjmp(trap.jump, 1);
}

// Level -1 is a warning about the data itself ("Corrupt JPEG data: ...", "Premature end of JPEG file"):
// libjpeg would carry on and hand back a picture with grey or smeared parts, so the decode stops here.
// Levels 0 and up are trace messages, never shown.
void onMessage(j_common_ptr info, int level) {
    if (level >= 0)
        return;
    ErrorTrap& trap = trapOf(info);
    if (trap.manager.msg_code == JWRN_JFIF_MAJOR)
        return; // a newer JFIF revision number says nothing about the pixels
    trap.outcome = trap.manager.msg_code == JWRN_JPEG_EOF ? Outcome::Truncated : Outcome::Damaged;
    std::longjmp(trap.jump, 1);
}

void printNothing(j_common_ptr) {}

// libjpeg's decompressor, owned. A zeroed struct is safe to destroy, so destruction needs no flag for
// "created" (jpeg_destroy_decompress skips what was never allocated).
struct Decompressor {
    jpeg_decompress_struct m_info{};
    ErrorTrap m_trap{};

    Decompressor() = default;
    Decompressor(const Decompressor&) = delete;
    Decompressor& operator=(const Decompressor&) = delete;
    ~Decompressor() { jpeg_destroy_decompress(&m_info); }
};

// The two functions below call libjpeg, whose errors longjmp back to their setjmp. Nothing with a destructor
// lives in them (only pointers and plain values), so the jump skips no cleanup; everything that needs
// cleaning up belongs to the caller's frame, which the jump never crosses.

Outcome readHeader(Decompressor* d, const std::uint8_t* bytes, std::size_t size) {
    jpeg_decompress_struct* info = &d->m_info;
    info->err = jpeg_std_error(&d->m_trap.manager);
    d->m_trap.manager.error_exit = onError;
    d->m_trap.manager.emit_message = onMessage;
    d->m_trap.manager.output_message = printNothing;
    if (setjmp(d->m_trap.jump) != 0)
        return d->m_trap.outcome;
    jpeg_create_decompress(info);
    jpeg_mem_src(info, bytes, static_cast<unsigned long>(size));
    jpeg_save_markers(info, JPEG_APP0 + 1, 0xFFFF); // APP1 holds EXIF, with the orientation
    jpeg_read_header(info, TRUE);
    return Outcome::Ok;
}

void cmykToRgb(const std::uint8_t* cmyk, std::uint8_t* rgb, unsigned width, bool inverted) {
    for (unsigned x = 0; x < width; ++x, cmyk += 4, rgb += 3) {
        // Adobe stores ink inverted (255 = no ink), so a channel's light is simply c * k.
        const unsigned k = inverted ? cmyk[3] : 255u - cmyk[3];
        for (int i = 0; i < 3; ++i) {
            const unsigned c = inverted ? cmyk[i] : 255u - cmyk[i];
            rgb[i] = static_cast<std::uint8_t>((c * k + 127) / 255);
        }
    }
}

// Decodes into `rgb` (width * height * 3 bytes); `cmykRow` (width * 4 bytes) is set for CMYK output.
Outcome readPixels(Decompressor* d, std::uint8_t* rgb, std::uint8_t* cmykRow) {
    jpeg_decompress_struct* info = &d->m_info;
    if (setjmp(d->m_trap.jump) != 0)
        return d->m_trap.outcome;
    jpeg_start_decompress(info);
    if (info->output_width != info->image_width || info->output_height != info->image_height ||
        info->output_components != (cmykRow != nullptr ? 4 : 3))
        return Outcome::Unsupported;
    const bool inverted = info->saw_Adobe_marker;
    while (info->output_scanline < info->output_height) {
        std::uint8_t* out = rgb + std::size_t(info->output_scanline) * info->output_width * 3;
        JSAMPROW row = cmykRow != nullptr ? cmykRow : out;
        if (jpeg_read_scanlines(info, &row, 1) != 1)
            return Outcome::Damaged;
        if (cmykRow != nullptr)
            cmykToRgb(cmykRow, out, info->output_width, inverted);
    }
    jpeg_finish_decompress(info); // reads on to the end marker: damage after the last row still counts
    return Outcome::Ok;
}

// The EXIF Orientation tag (0x0112) of IFD0 in a TIFF block, 1 (upright) when absent or unreadable:
// broken metadata is no reason to refuse a picture.
int orientationFromTiff(const std::uint8_t* t, std::size_t size) {
    if (size < 8 || !((t[0] == 'I' && t[1] == 'I') || (t[0] == 'M' && t[1] == 'M')))
        return 1;
    const bool little = t[0] == 'I';
    const auto u16 = [&](std::size_t at) {
        return little ? unsigned(t[at]) | unsigned(t[at + 1]) << 8
                      : unsigned(t[at]) << 8 | unsigned(t[at + 1]);
    };
    const auto u32 = [&](std::size_t at) {
        return little ? u16(at) | std::uint32_t(u16(at + 2)) << 16
                      : std::uint32_t(u16(at)) << 16 | u16(at + 2);
    };
    if (u16(2) != 42)
        return 1;
    const std::uint32_t ifd = u32(4);
    if (ifd > size - 2)
        return 1;
    const unsigned entries = u16(ifd);
    for (unsigned i = 0; i < entries; ++i) {
        const std::size_t entry = std::size_t(ifd) + 2 + 12 * std::size_t(i);
        if (entry + 12 > size)
            break;
        if (u16(entry) != 0x0112)
            continue;
        const unsigned value = u16(entry + 8); // a SHORT sits at the start of the value field
        return (u16(entry + 2) == 3 && u32(entry + 4) >= 1 && value >= 1 && value <= 8) ? int(value) : 1;
    }
    return 1;
}

int exifOrientation(const jpeg_decompress_struct& info) {
    static constexpr std::uint8_t kExif[6] = {'E', 'x', 'i', 'f', 0, 0};
    for (jpeg_saved_marker_ptr m = info.marker_list; m != nullptr; m = m->next)
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 && std::memcmp(m->data, kExif, 6) == 0)
            return orientationFromTiff(m->data + 6, m->data_length - 6);
    return 1;
}

// Turns a picture upright as EXIF orientation `o` (1..8) says: for each output pixel, the stored pixel that
// belongs there.
Image oriented(const Image& src, int o) {
    const int w = src.width(), h = src.height();
    const bool swaps = o >= 5;
    Image out(swaps ? h : w, swaps ? w : h);
    for (int y = 0; y < out.height(); ++y) {
        std::uint8_t* dst = out.row(y);
        for (int x = 0; x < out.width(); ++x, dst += 3) {
            int sx = x, sy = y;
            switch (o) {
            case 2: // mirrored left to right
                sx = w - 1 - x;
                break;
            case 3: // upside down
                sx = w - 1 - x;
                sy = h - 1 - y;
                break;
            case 4: // mirrored top to bottom
                sy = h - 1 - y;
                break;
            case 5: // transposed
                sx = y;
                sy = x;
                break;
            case 6: // stored turned left: turn 90 degrees clockwise
                sx = y;
                sy = h - 1 - x;
                break;
            case 7: // transversed
                sx = w - 1 - y;
                sy = h - 1 - x;
                break;
            case 8: // stored turned right: turn 90 degrees anticlockwise
                sx = w - 1 - y;
                sy = x;
                break;
            default:
                break;
            }
            std::memcpy(dst, src.row(sy) + 3 * sx, 3);
        }
    }
    return out;
}

} // namespace

bool JpegDecoder::isJpeg(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
}

Image JpegDecoder::decode(std::span<const std::uint8_t> bytes, std::string& problem) {
    const auto describe = [&](Outcome outcome) {
        problem = outcome == Outcome::Truncated     ? "it is truncated"
                  : outcome == Outcome::Unsupported ? "it uses a JPEG variant that is not supported"
                                                    : "it is damaged";
        return Image();
    };
    Decompressor d;
    if (const Outcome o = readHeader(&d, bytes.data(), bytes.size()); o != Outcome::Ok)
        return describe(o);
    jpeg_decompress_struct& info = d.m_info;
    if (info.image_width > kMaxSide || info.image_height > kMaxSide) {
        problem = "it is larger than 16384 pixels on a side";
        return {};
    }
    // libjpeg converts grey and YCbCr to RGB itself, but not CMYK or YCCK: those come out as CMYK.
    const bool cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
    info.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    const int orientation = exifOrientation(info); // from the APP1 markers saved while reading the header

    Image stored(static_cast<int>(info.image_width), static_cast<int>(info.image_height));
    std::vector<std::uint8_t> cmykRow(cmyk ? std::size_t(info.image_width) * 4 : 0);
    if (const Outcome o = readPixels(&d, stored.data(), cmyk ? cmykRow.data() : nullptr); o != Outcome::Ok)
        return describe(o);
    problem.clear();
    if (orientation == 1)
        return stored;
    return oriented(stored, orientation);
}

} // namespace avatar
