#include "ImageIO.h"

#include "AtomicFile.h"

#include "Error.h"
#include "ImageHeader.h"
#include "JpegDecoder.h"
#include "PngDecoder.h"

#include <fstream>
#include <iterator>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <string>
#include <vector>

namespace avatar {
namespace {

Image fromBgr(const cv::Mat& bgr) {
    Image out(bgr.cols, bgr.rows);
    cv::Mat view(out.height(), out.width(), CV_8UC3, out.data(), out.stride());
    cv::cvtColor(bgr, view, cv::COLOR_BGR2RGB);
    return out;
}

cv::Mat decodeBgr(std::span<const std::uint8_t> bytes) {
    if (bytes.empty())
        return {};
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<std::uint8_t*>(bytes.data()));
    try {
        // IMREAD_COLOR drops alpha and expands grey; EXIF orientation (TIFF, WebP) is applied, as photo
        // viewers do.
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
    const auto refuse = [&](const std::string& problem) {
        return Error(ErrorCode::Unreadable, "The image '" + what + "' cannot be read: " + problem + ".");
    };
    const auto notAnImage = [&] {
        return Error(ErrorCode::Unreadable,
                     "'" + what + "' is not a readable image (PNG, JPEG, BMP, WebP or TIFF expected).");
    };
    // Decoders report damage in their own way: libpng and libjpeg print to stderr (which would break the
    // one-message promise), libjpeg silently fills a truncated picture with grey. So JPEG and PNG are decoded
    // here, with every message of libjpeg and libpng caught; OpenCV decodes the other formats.
    // A decompression bomb (a few kilobytes that inflate to gigabytes) is refused from its header, before a
    // decoder allocates for it.
    const std::optional<ImageHeader> header = ImageHeader::read(bytes);
    if (header) {
        if (!header->unsupported.empty())
            throw refuse(header->unsupported);
        if (header->width > std::uint64_t(kMaxSide) || header->height > std::uint64_t(kMaxSide))
            throw refuse("it is larger than " + std::to_string(kMaxSide) + " pixels on a side");
        if (header->pixels() > kMaxPixels)
            throw refuse("it has " + std::to_string(header->width) + "x" + std::to_string(header->height) +
                         " pixels, more than the " + std::to_string(kMaxPixels / 1000000) +
                         " million (8192x8192) an image may have");
        if (header->workingBytes > kMaxWorkingBytes)
            throw refuse("decoding it would take " + std::to_string(header->workingBytes >> 20) +
                         " MiB beyond the picture (its TIFF strips or tiles are too large), more than the " +
                         std::to_string(kMaxWorkingBytes >> 20) +
                         " MiB allowed; save it with smaller strips, "
                         "or as PNG or JPEG");
    }
    if (JpegDecoder::isJpeg(bytes)) {
        std::string problem;
        Image image = JpegDecoder::decode(bytes, problem);
        if (image.isNull())
            throw refuse(problem);
        return image;
    }
    if (PngDecoder::isPng(bytes)) {
        std::string problem;
        Image image = PngDecoder::decode(bytes, problem);
        if (image.isNull())
            throw refuse(problem);
        return image;
    }
    // OpenCV's other readers (PNM, PFM, Radiance HDR, Sun raster, JPEG 2000, …) allocate for whatever size
    // their header states, up to a billion pixels: only what the header check above has measured reaches it.
    if (!header)
        throw notAnImage();
    const cv::Mat bgr = decodeBgr(bytes);
    if (bgr.empty() || bgr.cols < 1 || bgr.rows < 1)
        throw notAnImage();
    if (bgr.cols > kMaxSide || bgr.rows > kMaxSide ||
        std::uint64_t(bgr.cols) * std::uint64_t(bgr.rows) > kMaxPixels) // read otherwise than the header says
        throw Error(ErrorCode::Unreadable, "The image '" + what +
                                               "' is larger than 16384 pixels on a side or " +
                                               "8192x8192 pixels in all.");
    return fromBgr(bgr);
}

void ImageIO::save(const Image& image, const std::filesystem::path& path) {
    const cv::Mat rgb(image.height(), image.width(), CV_8UC3, const_cast<std::uint8_t*>(image.data()),
                      image.stride());
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    bool ok = false;
    std::vector<uchar> bytes;
    try {
        // Encoded in memory, so that the file itself is written by AtomicFile (imwrite opens by name).
        ok = cv::imencode(path.extension().string(), bgr, bytes);
    } catch (const cv::Exception&) {
        ok = false;
    }
    if (!ok)
        throw Error(ErrorCode::Io, "Cannot write the image '" + path.string() + "'.");
    AtomicFile::write(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                      AtomicFile::Access::Shared, "the image");
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
