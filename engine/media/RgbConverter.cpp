#include "media/RgbConverter.h"

#include "core/Error.h"
#include "media/FfmpegPtr.h"

#include <cstring>

namespace avatar {

struct RgbConverter::Impl {
    struct ScalerKey {
        int width = 0;
        int height = 0;
        int format = AV_PIX_FMT_NONE;
        int colorspace = AVCOL_SPC_UNSPECIFIED;
        int range = AVCOL_RANGE_UNSPECIFIED;
        bool operator==(const ScalerKey&) const = default;
    };

    std::string m_source;
    ffmpeg::SwsContextPtr m_scaler;
    ScalerKey m_scalerKey;
    ffmpeg::FramePtr m_rgbFrame; // swscale's padded output, copied into the caller's Image
};

RgbConverter::RgbConverter(std::string source) : m_impl(std::make_unique<Impl>()) {
    m_impl->m_source = std::move(source);
}

RgbConverter::~RgbConverter() = default;

void RgbConverter::convert(const AVFrame* frame, Image& rgb) {
    Impl& d = *m_impl;
    const Impl::ScalerKey key{frame->width, frame->height, frame->format, frame->colorspace,
                              frame->color_range};
    if (!d.m_scaler || !(key == d.m_scalerKey)) {
        d.m_scaler.reset(sws_getContext(key.width, key.height, static_cast<AVPixelFormat>(key.format),
                                        key.width, key.height, AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr,
                                        nullptr, nullptr));
        if (!d.m_scaler)
            throw Error(ErrorCode::Unreadable, "Cannot convert the video in " + d.m_source + " to RGB.");
        // Honour the stream's colour tags; untagged video is assumed to be BT.601 like the encoder writes.
        int matrix = SWS_CS_ITU601;
        if (frame->colorspace == AVCOL_SPC_BT709)
            matrix = SWS_CS_ITU709;
        else if (frame->colorspace == AVCOL_SPC_BT2020_NCL || frame->colorspace == AVCOL_SPC_BT2020_CL)
            matrix = SWS_CS_BT2020;
        const int* coefficients = sws_getCoefficients(matrix);
        const int fullRange = frame->color_range == AVCOL_RANGE_JPEG ? 1 : 0;
        sws_setColorspaceDetails(d.m_scaler.get(), coefficients, fullRange, coefficients, 1, 0, 1 << 16,
                                 1 << 16);
        d.m_scalerKey = key;
    }
    // swscale writes whole SIMD blocks, possibly past the last pixel of a row, and so past the end of the
    // Image's unpadded buffer: convert into a padded FFmpeg frame, then copy the rows.
    if (!d.m_rgbFrame || d.m_rgbFrame->width != frame->width || d.m_rgbFrame->height != frame->height) {
        d.m_rgbFrame.reset(av_frame_alloc());
        if (!d.m_rgbFrame)
            throw Error(ErrorCode::Codec, "Out of memory while reading " + d.m_source + ".");
        d.m_rgbFrame->format = AV_PIX_FMT_RGB24;
        d.m_rgbFrame->width = frame->width;
        d.m_rgbFrame->height = frame->height;
        const int err = av_frame_get_buffer(d.m_rgbFrame.get(), 0);
        if (err < 0)
            throw Error(ErrorCode::Codec, "Out of memory while reading " + d.m_source + ".");
    }
    sws_scale(d.m_scaler.get(), frame->data, frame->linesize, 0, frame->height, d.m_rgbFrame->data,
              d.m_rgbFrame->linesize);
    if (rgb.width() != frame->width || rgb.height() != frame->height)
        rgb = Image(frame->width, frame->height);
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(rgb.row(y),
                    d.m_rgbFrame->data[0] + static_cast<std::ptrdiff_t>(y) * d.m_rgbFrame->linesize[0],
                    static_cast<std::size_t>(rgb.stride()));
}

} // namespace avatar
