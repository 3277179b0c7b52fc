#include "media/YuvConverter.h"

#include "core/Error.h"

#include <cstring>

namespace avatar {

namespace {

// Sizes kept at once. A job uses the full frame plus one face rect, so a handful covers every realistic case
// while bounding memory if a caller passes ever-changing rects.
constexpr std::size_t kMaxScalers = 8;
// Row alignment and tail padding of the staged RGB copy; covers swscale's SIMD over-reads (up to 32 bytes
// measured with FFmpeg 5.1).
constexpr int kRowAlign = 64;

[[noreturn]] void fail(const char* what, int err) {
    throw Error(ErrorCode::Codec, std::string(what) + " (" + ffmpeg::errorText(err) + ").");
}

} // namespace

YuvConverter::YuvConverter(int frameWidth, int frameHeight)
    : m_frameWidth(frameWidth), m_frameHeight(frameHeight) {}

YuvConverter::Scaler& YuvConverter::scalerFor(int width, int height) {
    for (Scaler& s : m_scalers) {
        if (s.width == width && s.height == height)
            return s;
    }
    if (m_scalers.size() >= kMaxScalers)
        m_scalers.erase(m_scalers.begin());
    Scaler s;
    s.width = width;
    s.height = height;
    s.context.reset(sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUV420P,
                                   SWS_BILINEAR, nullptr, nullptr, nullptr));
    if (!s.context)
        fail("Cannot set up RGB to YUV conversion", AVERROR(EINVAL));
    // Explicit rather than relying on the default, because the encoder tags its stream BT.601 limited range.
    const int* bt601 = sws_getCoefficients(SWS_CS_ITU601);
    sws_setColorspaceDetails(s.context.get(), bt601, 0, bt601, 0, 0, 1 << 16, 1 << 16);

    s.rgbStride = (width * 3 + kRowAlign - 1) / kRowAlign * kRowAlign;
    s.rgb.resize(static_cast<std::size_t>(s.rgbStride) * height + kRowAlign);
    if (width != m_frameWidth || height != m_frameHeight) {
        s.yuv.reset(av_frame_alloc());
        if (!s.yuv)
            fail("Cannot allocate a video frame", AVERROR(ENOMEM));
        s.yuv->format = AV_PIX_FMT_YUV420P;
        s.yuv->width = width;
        s.yuv->height = height;
        const int err = av_frame_get_buffer(s.yuv.get(), 0);
        if (err < 0)
            fail("Cannot allocate a video frame", err);
    }
    m_scalers.push_back(std::move(s));
    return m_scalers.back();
}

void YuvConverter::convertChanged(const Image& rgb, const Rect& dirty, bool firstFrame, AVFrame* picture) {
    Rect area = rgb.rect();
    if (!firstFrame) {
        const int x0 = dirty.x & ~1;
        const int y0 = dirty.y & ~1;
        const int x1 = (dirty.right() + 1) & ~1;
        const int y1 = (dirty.bottom() + 1) & ~1;
        area = Rect{x0, y0, x1 - x0, y1 - y0}.intersected(rgb.rect());
    }
    if (!area.isEmpty())
        convert(rgb, area, picture);
}

void YuvConverter::convert(const Image& rgb, const Rect& area, AVFrame* picture) {
    Scaler& s = scalerFor(area.width, area.height);
    // swscale's SIMD readers load bytes past a row's last pixel, which on the Image's last row runs off the
    // end of its unpadded buffer: convert from a padded copy. Copying is cheap next to H.264 encoding.
    const auto rowBytes = static_cast<std::size_t>(area.width) * 3;
    for (int y = 0; y < area.height; ++y)
        std::memcpy(s.rgb.data() + static_cast<std::size_t>(y) * s.rgbStride,
                    rgb.row(area.y + y) + area.x * 3, rowBytes);
    const std::uint8_t* const src[1] = {s.rgb.data()};
    const int srcStride[1] = {s.rgbStride};
    if (!s.yuv) {
        // The whole frame: whatever swscale writes past the right edge lands in the planes' row padding.
        sws_scale(s.context.get(), src, srcStride, 0, area.height, picture->data, picture->linesize);
        return;
    }
    // swscale also writes whole SIMD blocks (16 luma samples) past the right edge of its output, which would
    // overwrite unchanged pixels beside the area: convert into a picture of the area's size, then copy
    // exactly the area. Even coordinates line the chroma samples up with whole 2x2 luma blocks.
    AVFrame* t = s.yuv.get();
    sws_scale(s.context.get(), src, srcStride, 0, area.height, t->data, t->linesize);
    for (int plane = 0; plane < 3; ++plane) {
        const int shift = plane == 0 ? 0 : 1;
        const int x = area.x >> shift;
        const int y = area.y >> shift;
        const auto bytes = static_cast<std::size_t>(area.width >> shift);
        for (int row = 0; row < area.height >> shift; ++row)
            std::memcpy(picture->data[plane] +
                            static_cast<std::ptrdiff_t>(y + row) * picture->linesize[plane] + x,
                        t->data[plane] + static_cast<std::ptrdiff_t>(row) * t->linesize[plane], bytes);
    }
}

} // namespace avatar
