#include "ImageIO.h"

#include "Error.h"

#include <fstream>
#include <iterator>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>
#include <zlib.h>

namespace avatar {
namespace {

Image fromBgr(const cv::Mat& bgr) {
    Image out(bgr.cols, bgr.rows);
    cv::Mat view(out.height(), out.width(), CV_8UC3, out.data(), out.stride());
    cv::cvtColor(bgr, view, cv::COLOR_BGR2RGB);
    return out;
}

std::uint32_t bigEndian32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

// Decoders report damage in their own way: libpng prints to stderr (which would break the one-line error
// promise), libjpeg silently fills a truncated picture with grey. So the container is checked first:
// PNG chunk by chunk with their CRCs up to IEND, JPEG for its end-of-image marker. Returns what is wrong, or
// an empty string.
std::string damage(std::span<const std::uint8_t> b) {
    static constexpr std::uint8_t kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (b.size() >= 8 && std::equal(kPng, kPng + 8, b.begin())) {
        std::size_t pos = 8;
        while (pos + 12 <= b.size()) {
            const std::uint32_t length = bigEndian32(&b[pos]);
            if (length > b.size() - pos - 12)
                return "it is truncated";
            const std::uint8_t* type = &b[pos + 4];
            const std::uint32_t stored = bigEndian32(&b[pos + 8 + length]);
            if (crc32(crc32(0L, Z_NULL, 0), type, length + 4) != stored)
                return "it is damaged (a chunk's checksum is wrong)";
            if (std::equal(type, type + 4, "IEND"))
                return {};
            pos += 12 + length;
        }
        return "it is truncated";
    }
    if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        // The EOI marker ends the picture; some cameras append data after it, so look near the end.
        const std::size_t from = b.size() > 65536 ? b.size() - 65536 : 0;
        for (std::size_t i = b.size() - 1; i > from; --i)
            if (b[i - 1] == 0xFF && b[i] == 0xD9)
                return {};
        return "it is truncated";
    }
    return {};
}

cv::Mat decodeBgr(std::span<const std::uint8_t> bytes) {
    if (bytes.empty())
        return {};
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<std::uint8_t*>(bytes.data()));
    try {
        // IMREAD_COLOR drops alpha and expands grey; EXIF orientation is applied, as photo viewers do.
        return cv::imdecode(raw, cv::IMREAD_COLOR);
    } catch (const cv::Exception&) {
        return {};
    }
}

} // namespace

Image ImageIO::load(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw Error(ErrorCode::NotFound, "The image '" + path.string() + "' does not exist.");
    if (std::filesystem::is_directory(path, ec))
        throw Error(ErrorCode::Unreadable, "'" + path.string() + "' is a folder, not an image.");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Unreadable, "The image '" + path.string() + "' cannot be opened for reading.");
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    return decode(bytes, path.string());
}

Image ImageIO::decode(std::span<const std::uint8_t> bytes, const std::string& what) {
    if (const std::string problem = damage(bytes); !problem.empty())
        throw Error(ErrorCode::Unreadable, "The image '" + what + "' cannot be read: " + problem + ".");
    const cv::Mat bgr = decodeBgr(bytes);
    if (bgr.empty() || bgr.cols < 1 || bgr.rows < 1)
        throw Error(ErrorCode::Unreadable,
                    "'" + what + "' is not a readable image (PNG, JPEG, BMP, WebP or TIFF expected).");
    if (bgr.cols > 16384 || bgr.rows > 16384)
        throw Error(ErrorCode::Unreadable, "The image '" + what + "' is larger than 16384 pixels on a side.");
    return fromBgr(bgr);
}

void ImageIO::save(const Image& image, const std::filesystem::path& path) {
    const cv::Mat rgb(image.height(), image.width(), CV_8UC3, const_cast<std::uint8_t*>(image.data()),
                      image.stride());
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    bool ok = false;
    try {
        ok = cv::imwrite(path.string(), bgr);
    } catch (const cv::Exception&) {
        ok = false;
    }
    if (!ok)
        throw Error(ErrorCode::Io, "Cannot write the image '" + path.string() + "'.");
}

Image ImageIO::resized(const Image& image, int width, int height) {
    Image out(width, height);
    const cv::Mat src(image.height(), image.width(), CV_8UC3, const_cast<std::uint8_t*>(image.data()),
                      image.stride());
    cv::Mat dst(height, width, CV_8UC3, out.data(), out.stride());
    const bool down = width < image.width() || height < image.height();
    cv::resize(src, dst, dst.size(), 0, 0, down ? cv::INTER_AREA : cv::INTER_CUBIC);
    return out;
}

} // namespace avatar
