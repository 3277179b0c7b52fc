#include "PngDecoder.h"

#include <png.h>

#include <csetjmp>
#include <cstring>
#include <vector>

namespace avatar {
namespace {

// Whether every chunk's stated length fits in the file. libpng allocates (and zeroes) an ancillary chunk's
// stated length before reading it: a 300-byte file with a tEXt chunk claiming 2 GB took 2 GB of memory to be
// refused as truncated (fuzz_image). Walking the chunk headers first costs nothing.
bool chunksFit(std::span<const std::uint8_t> bytes) {
    for (std::size_t pos = 8; pos + 8 <= bytes.size();) {
        const std::uint64_t length = std::uint64_t(bytes[pos]) << 24 | std::uint64_t(bytes[pos + 1]) << 16 |
                                     std::uint64_t(bytes[pos + 2]) << 8 | bytes[pos + 3];
        if (length + 12 > bytes.size() - pos)
            return false;
        if (std::memcmp(bytes.data() + pos + 4, "IEND", 4) == 0)
            break; // what follows is not read (some tools append data)
        pos += 12 + std::size_t(length);
    }
    return true;
}

// What libpng told us. Filled by the callbacks below; read after libpng has returned or jumped back.
struct Reader {
    std::span<const std::uint8_t> bytes;
    std::size_t pos = 0;
    bool ranOut = false; // libpng asked for bytes past the end
    std::string message; // its first error or warning
};

Reader& readerOf(png_structp png) {
    return *static_cast<Reader*>(png_get_error_ptr(png));
}

void onRead(png_structp png, png_bytep out, png_size_t length) {
    Reader& r = readerOf(png);
    if (r.bytes.size() - r.pos < length) {
        r.ranOut = true;
        png_error(png, "truncated");
    }
    std::memcpy(out, r.bytes.data() + r.pos, length);
    r.pos += length;
}

void onError(png_structp png, png_const_charp message) {
    Reader& r = readerOf(png);
    if (r.message.empty())
        r.message = message;
    png_longjmp(png, 1);
}

// A warning is damage too (a bad CRC in an ancillary chunk, an invalid tIME, zTXt that does not inflate...):
// the picture is refused, as JpegDecoder refuses libjpeg's corrupt-data warnings.
void onWarning(png_structp png, png_const_charp message) {
    Reader& r = readerOf(png);
    if (r.message.empty())
        r.message = message;
}

// The two phases run under setjmp, so they hold no C++ objects of their own: a longjmp out of libpng skips
// destructors. Whatever needs one lives in decode().
bool readHeader(png_structp png, png_infop info, png_uint_32* width, png_uint_32* height) {
    if (setjmp(png_jmpbuf(png)))
        return false;
    png_read_info(png, info);
    int depth = 0;
    int colourType = 0;
    png_get_IHDR(png, info, width, height, &depth, &colourType, nullptr, nullptr, nullptr);
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    png_set_packing(png);
    if (colourType == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if ((colourType & PNG_COLOR_MASK_COLOR) == 0) {
        png_set_expand_gray_1_2_4_to_8(png);
        png_set_gray_to_rgb(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    return true;
}

bool readRows(png_structp png, png_infop info, png_bytepp rows) {
    if (setjmp(png_jmpbuf(png)))
        return false;
    png_read_image(png, rows);
    // The chunks after the image data are checked too: extra compressed data, a split IDAT, a damaged zTXt.
    png_read_end(png, info);
    return true;
}

} // namespace

bool PngDecoder::isPng(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= 8 && png_sig_cmp(bytes.data(), 0, 8) == 0;
}

Image PngDecoder::decode(std::span<const std::uint8_t> bytes, std::string& problem) {
    if (!chunksFit(bytes)) {
        problem = "it is truncated";
        return {};
    }
    Reader reader;
    reader.bytes = bytes;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, onError, onWarning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info) {
        png_destroy_read_struct(&png, nullptr, nullptr);
        problem = "there is not enough memory to decode it";
        return {};
    }
    png_set_read_fn(png, nullptr, onRead);
    // The colour profile is never used (no colour management), so libpng need not judge it: many cameras'
    // and editors' files carry a profile libpng would warn about.
    static constexpr png_byte kIccp[] = {'i', 'C', 'C', 'P', 0};
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, kIccp, 1);

    png_uint_32 width = 0;
    png_uint_32 height = 0;
    Image image;
    bool ok = readHeader(png, info, &width, &height);
    if (ok && (png_get_rowbytes(png, info) != std::size_t(width) * 3 || png_get_bit_depth(png, info) != 8)) {
        reader.message = "unexpected pixel layout after conversion";
        ok = false;
    }
    if (ok) {
        image = Image(static_cast<int>(width), static_cast<int>(height));
        std::vector<png_bytep> rows(height);
        for (png_uint_32 y = 0; y < height; ++y)
            rows[y] = image.row(static_cast<int>(y));
        ok = readRows(png, info, rows.data());
    }
    png_destroy_read_struct(&png, &info, nullptr);
    if (!ok || !reader.message.empty()) {
        if (reader.ranOut)
            problem = "it is truncated";
        else if (reader.message.find("critical chunk") != std::string::npos)
            problem = "it uses a PNG extension that is not supported (" + reader.message + ")";
        else
            problem = "it is damaged (" + reader.message + ")";
        return {};
    }
    return image;
}

} // namespace avatar
