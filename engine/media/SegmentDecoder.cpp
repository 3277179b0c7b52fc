#include "media/SegmentDecoder.h"

#include "core/Error.h"
#include "media/FfmpegPtr.h"
#include "media/RgbConverter.h"

extern "C" {
#include <libavutil/mem.h>
}

#include <cstring>

namespace avatar {

struct SegmentDecoder::Impl {
    const EncodedSegment& segment;
    ffmpeg::CodecContextPtr context;
    ffmpeg::PacketPtr packet{av_packet_alloc()};
    ffmpeg::FramePtr decoded{av_frame_alloc()};
    RgbConverter rgb{"a video segment"};
    Image picture;

    explicit Impl(const EncodedSegment& s) : segment(s) {
        ffmpeg::quietLogs();
        const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
        if (!codec)
            throw Error(ErrorCode::Codec, "FFmpeg has no H.264 decoder.");
        context.reset(avcodec_alloc_context3(codec));
        if (!context || !packet || !decoded)
            throw Error(ErrorCode::Codec, "Out of memory while decoding a video segment.");
        // The SPS and PPS go in as extradata, like a demuxer hands them over; the packets carry start codes.
        if (!segment.headers.empty()) {
            context->extradata =
                static_cast<std::uint8_t*>(av_mallocz(segment.headers.size() + AV_INPUT_BUFFER_PADDING_SIZE));
            if (!context->extradata)
                throw Error(ErrorCode::Codec, "Out of memory while decoding a video segment.");
            std::memcpy(context->extradata, segment.headers.data(), segment.headers.size());
            context->extradata_size = static_cast<int>(segment.headers.size());
        }
        if (avcodec_open2(context.get(), codec, nullptr) < 0)
            throw Error(ErrorCode::Codec, "Cannot start the H.264 decoder.");
    }

    // Sends packet `p` (nullptr: the end of the input, so the decoder hands out the frames it delays).
    void send(const EncodedSegment::Packet* p) {
        int err = 0;
        if (p) {
            if (av_new_packet(packet.get(), static_cast<int>(p->size)) < 0)
                throw Error(ErrorCode::Codec, "Out of memory while decoding a video segment.");
            std::memcpy(packet->data, segment.data.data() + p->offset, p->size);
            packet->pts = p->pts;
            err = avcodec_send_packet(context.get(), packet.get());
            av_packet_unref(packet.get());
        } else {
            err = avcodec_send_packet(context.get(), nullptr);
        }
        if (err < 0 && err != AVERROR_INVALIDDATA && err != AVERROR_EOF)
            throw Error(ErrorCode::Codec,
                        "A video segment does not decode (" + ffmpeg::errorText(err) + ").");
    }

    // Every picture the decoder has ready, to `take` (converted to RGB only when `take` wants it).
    template <class Take> void receive(Take&& take) {
        while (avcodec_receive_frame(context.get(), decoded.get()) == 0) {
            take(decoded.get());
            av_frame_unref(decoded.get());
        }
    }
};

SegmentDecoder::SegmentDecoder(const EncodedSegment& segment) : m_impl(std::make_unique<Impl>(segment)) {}

SegmentDecoder::~SegmentDecoder() = default;

void SegmentDecoder::decodeGroup(std::size_t first, std::size_t count,
                                 const std::function<void(const Image&)>& take) {
    Impl& d = *m_impl;
    if (first > d.segment.packets.size() || count > d.segment.packets.size() - first)
        throw Error(ErrorCode::InvalidInput, "A video segment of " +
                                                 std::to_string(d.segment.packets.size()) +
                                                 " frames has no packets " + std::to_string(first) + " to " +
                                                 std::to_string(first + count) + ".");
    std::size_t shown = 0;
    const auto hand = [&](const AVFrame* frame) {
        d.rgb.convert(frame, d.picture);
        ++shown;
        take(d.picture);
    };
    for (std::size_t i = first; i < first + count; ++i) {
        d.send(&d.segment.packets[i]);
        d.receive(hand);
    }
    // The group is closed: drain the frames the decoder delays (B-frames), then reset it for the next group.
    d.send(nullptr);
    d.receive(hand);
    avcodec_flush_buffers(d.context.get());
    if (shown != count)
        throw Error(ErrorCode::Codec, "A group of " + std::to_string(count) + " pictures decoded to " +
                                          std::to_string(shown) + ".");
}

Image SegmentDecoder::frame(const EncodedSegment& segment, std::int64_t index) {
    const std::int64_t wanted = index < 0 ? segment.frames() + index : index;
    if (wanted < 0 || wanted >= segment.frames())
        throw Error(ErrorCode::InvalidInput, "A video segment of " + std::to_string(segment.frames()) +
                                                 " frames has no frame " + std::to_string(index) + ".");
    SegmentDecoder decoder(segment);
    Impl& d = *decoder.m_impl;
    Image result;
    std::int64_t shown = 0; // frames out of the decoder, in presentation order
    const auto keep = [&](const AVFrame* frame) {
        if (shown++ == wanted)
            d.rgb.convert(frame, result);
    };
    for (const EncodedSegment::Packet& p : segment.packets) {
        if (shown > wanted)
            break;
        d.send(&p);
        d.receive(keep);
    }
    d.send(nullptr);
    d.receive(keep);
    if (result.isNull())
        throw Error(ErrorCode::Codec, "A video segment decoded to fewer frames than it holds.");
    return result;
}

} // namespace avatar
