#include "media/SegmentEncoder.h"

#include "core/Error.h"
#include "media/CodecSetup.h"
#include "media/FfmpegPtr.h"
#include "media/YuvConverter.h"

extern "C" {
#include <libavutil/opt.h>
}

namespace avatar {

using media::codecFailure;

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
    const AVCodec* codec = media::findX264();
    m_codec.reset(avcodec_alloc_context3(codec));
    m_packet.reset(av_packet_alloc());
    m_picture.reset(av_frame_alloc());
    if (!m_codec || !m_packet || !m_picture)
        codecFailure("Cannot allocate the H.264 encoder", AVERROR(ENOMEM));
    AVCodecContext* c = m_codec.get();
    media::configureX264(c, s); // as Mp4Encoder: a key frame every 2 s within a long segment
    // MP4 keeps SPS/PPS out of band (avcC): the joiner needs them apart from the packets.
    c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    // Closed GOPs are x264's default; stitchable makes the headers depend on the settings only.
    av_opt_set(c->priv_data, "x264-params", "stitchable=1:open-gop=0", 0);
    int err = avcodec_open2(c, codec, nullptr);
    if (err < 0)
        codecFailure("Cannot start the H.264 encoder", err);
    if (c->extradata && c->extradata_size > 0)
        m_headers.assign(c->extradata, c->extradata + c->extradata_size);

    err = media::allocPicture(m_picture.get(), c);
    if (err < 0)
        codecFailure("Cannot allocate a video frame", err);

    m_segment.width = s.width;
    m_segment.height = s.height;
    m_segment.fps = s.fps;
    m_segment.reorderDepth = c->has_b_frames;
    m_segment.headers = m_headers;
}

void SegmentEncoder::Impl::receive(const AVFrame* frame) {
    const int err = media::encodeFrame(m_codec.get(), m_packet.get(), frame, [this](AVPacket* p) {
        EncodedSegment::Packet out;
        out.pts = p->pts;
        out.key = (p->flags & AV_PKT_FLAG_KEY) != 0;
        out.offset = static_cast<std::uint32_t>(m_segment.data.size());
        out.size = static_cast<std::uint32_t>(p->size);
        m_segment.data.insert(m_segment.data.end(), p->data, p->data + p->size);
        m_segment.packets.push_back(out);
        av_packet_unref(p);
    });
    if (err < 0)
        codecFailure("H.264 encoding failed", err);
}

SegmentEncoder::SegmentEncoder(const EncoderSettings& s) {
    ffmpeg::quietLogs();
    media::validateVideoSettings(s, false);
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
    d.m_converter.convertChanged(rgb, dirty, d.m_frames == 0, d.m_picture.get());
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
