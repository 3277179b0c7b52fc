#include "media/SegmentEncoder.h"

#include "core/Error.h"
#include "media/FfmpegPtr.h"
#include "media/YuvConverter.h"

extern "C" {
#include <libavutil/opt.h>
}

#include <algorithm>
#include <array>
#include <string_view>

namespace avatar {
namespace {

constexpr std::array<std::string_view, 10> kX264Presets = {"ultrafast", "superfast", "veryfast", "faster",
                                                           "fast",      "medium",    "slow",     "slower",
                                                           "veryslow",  "placebo"};

[[noreturn]] void codecFailure(const char* what, int err) {
    throw Error(ErrorCode::Codec, std::string(what) + " (" + ffmpeg::errorText(err) + ").");
}

} // namespace

struct SegmentEncoder::Impl {
    explicit Impl(const EncoderSettings& settings);
    void receive(const AVFrame* frame);

    EncoderSettings m_settings;
    ffmpeg::CodecContextPtr m_codec;
    ffmpeg::FramePtr m_picture;
    ffmpeg::PacketPtr m_packet;
    YuvConverter m_converter;
    std::vector<std::uint8_t> m_headers;
    EncodedSegment m_segment;
    std::int64_t m_frames = 0;
};

SegmentEncoder::Impl::Impl(const EncoderSettings& s) : m_settings(s), m_converter(s.width, s.height) {
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        throw Error(ErrorCode::Codec, "FFmpeg was built without the libx264 H.264 encoder; install an FFmpeg "
                                      "with libx264 (Debian: libavcodec59).");
    m_codec.reset(avcodec_alloc_context3(codec));
    m_packet.reset(av_packet_alloc());
    m_picture.reset(av_frame_alloc());
    if (!m_codec || !m_packet || !m_picture)
        codecFailure("Cannot allocate the H.264 encoder", AVERROR(ENOMEM));
    AVCodecContext* c = m_codec.get();
    c->width = s.width;
    c->height = s.height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = AVRational{1, s.fps};
    c->framerate = AVRational{s.fps, 1};
    c->sample_aspect_ratio = AVRational{1, 1};
    c->gop_size = 2 * s.fps; // as Mp4Encoder: a key frame every 2 s within a long segment
    c->thread_count = s.threads;
    c->colorspace = AVCOL_SPC_SMPTE170M;
    c->color_range = AVCOL_RANGE_MPEG;
    c->color_primaries = AVCOL_PRI_SMPTE170M;
    c->color_trc = AVCOL_TRC_SMPTE170M;
    // MP4 keeps SPS/PPS out of band (avcC): the joiner needs them apart from the packets.
    c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(c->priv_data, "preset", s.preset.c_str(), 0);
    av_opt_set_double(c->priv_data, "crf", s.crf, 0);
    // Closed GOPs are x264's default; stitchable makes the headers depend on the settings only.
    av_opt_set(c->priv_data, "x264-params", "stitchable=1:open-gop=0", 0);
    int err = avcodec_open2(c, codec, nullptr);
    if (err < 0)
        codecFailure("Cannot start the H.264 encoder", err);
    if (c->extradata && c->extradata_size > 0)
        m_headers.assign(c->extradata, c->extradata + c->extradata_size);

    m_picture->format = c->pix_fmt;
    m_picture->width = c->width;
    m_picture->height = c->height;
    m_picture->colorspace = c->colorspace;
    m_picture->color_range = c->color_range;
    m_picture->color_primaries = c->color_primaries;
    m_picture->color_trc = c->color_trc;
    err = av_frame_get_buffer(m_picture.get(), 0);
    if (err < 0)
        codecFailure("Cannot allocate a video frame", err);

    m_segment.width = s.width;
    m_segment.height = s.height;
    m_segment.fps = s.fps;
    m_segment.reorderDepth = c->has_b_frames;
    m_segment.headers = m_headers;
}

void SegmentEncoder::Impl::receive(const AVFrame* frame) {
    int err = avcodec_send_frame(m_codec.get(), frame);
    if (err < 0)
        codecFailure("H.264 encoding failed", err);
    for (;;) {
        err = avcodec_receive_packet(m_codec.get(), m_packet.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
            return;
        if (err < 0)
            codecFailure("H.264 encoding failed", err);
        const AVPacket* p = m_packet.get();
        EncodedSegment::Packet out;
        out.pts = p->pts;
        out.key = (p->flags & AV_PKT_FLAG_KEY) != 0;
        out.offset = static_cast<std::uint32_t>(m_segment.data.size());
        out.size = static_cast<std::uint32_t>(p->size);
        m_segment.data.insert(m_segment.data.end(), p->data, p->data + p->size);
        m_segment.packets.push_back(out);
        av_packet_unref(m_packet.get());
    }
}

SegmentEncoder::SegmentEncoder(const EncoderSettings& s) {
    ffmpeg::quietLogs();
    if (s.width <= 0 || s.height <= 0 || s.width % 2 || s.height % 2 || s.width > 8192 || s.height > 8192)
        throw Error(ErrorCode::InvalidInput, "The video size " + std::to_string(s.width) + "x" +
                                                 std::to_string(s.height) +
                                                 " is invalid: width and height must be even, 2..8192.");
    if (s.fps < 1 || s.fps > 120)
        throw Error(ErrorCode::InvalidInput,
                    "The frame rate " + std::to_string(s.fps) + " is invalid: it must be 1..120 fps.");
    if (std::find(kX264Presets.begin(), kX264Presets.end(), s.preset) == kX264Presets.end())
        throw Error(ErrorCode::InvalidInput, "The encoder preset '" + s.preset + "' is unknown.");
    if (s.crf < 0 || s.crf > 51)
        throw Error(ErrorCode::InvalidInput,
                    "The quality (CRF) " + std::to_string(s.crf) + " is invalid: it must be 0..51.");
    m_impl = std::make_unique<Impl>(s);
}

SegmentEncoder::~SegmentEncoder() = default;

const std::vector<std::uint8_t>& SegmentEncoder::headers() const {
    return m_impl->m_headers;
}

int SegmentEncoder::reorderDepth() const {
    return m_impl->m_segment.reorderDepth;
}

std::int64_t SegmentEncoder::framesWritten() const {
    return m_impl->m_frames;
}

void SegmentEncoder::writeFrame(const Image& rgb, const Rect& dirty) {
    Impl& d = *m_impl;
    if (rgb.width() != d.m_settings.width || rgb.height() != d.m_settings.height)
        throw Error(ErrorCode::InvalidInput, "A " + std::to_string(rgb.width()) + "x" +
                                                 std::to_string(rgb.height()) + " frame cannot go into a " +
                                                 std::to_string(d.m_settings.width) + "x" +
                                                 std::to_string(d.m_settings.height) + " video.");
    int err = av_frame_make_writable(d.m_picture.get());
    if (err < 0)
        codecFailure("Cannot reuse the video frame", err);
    Rect area = rgb.rect();
    if (d.m_frames > 0) {
        const int x0 = dirty.x & ~1;
        const int y0 = dirty.y & ~1;
        const int x1 = (dirty.right() + 1) & ~1;
        const int y1 = (dirty.bottom() + 1) & ~1;
        area = Rect{x0, y0, x1 - x0, y1 - y0}.intersected(rgb.rect());
    }
    if (!area.isEmpty())
        d.m_converter.convert(rgb, area, d.m_picture.get());
    d.m_picture->pts = d.m_frames++;
    d.receive(d.m_picture.get());
}

EncodedSegment SegmentEncoder::finish() {
    Impl& d = *m_impl;
    if (d.m_frames == 0)
        throw Error(ErrorCode::Internal, "A video segment was finished without frames.");
    d.receive(nullptr);
    if (d.m_segment.frames() != d.m_frames || d.m_segment.packets.front().key == false)
        throw Error(ErrorCode::Codec, "The H.264 encoder returned " + std::to_string(d.m_segment.frames()) +
                                          " packets for " + std::to_string(d.m_frames) + " frames.");
    return std::move(d.m_segment);
}

} // namespace avatar
