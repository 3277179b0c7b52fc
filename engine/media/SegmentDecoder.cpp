#include "media/SegmentDecoder.h"

#include "core/Error.h"
#include "media/FfmpegPtr.h"
#include "media/RgbConverter.h"

extern "C" {
#include <libavutil/mem.h>
}

#include <cstring>

namespace avatar {

Image SegmentDecoder::frame(const EncodedSegment& segment, std::int64_t index) {
    ffmpeg::quietLogs();
    const std::int64_t wanted = index < 0 ? segment.frames() + index : index;
    if (wanted < 0 || wanted >= segment.frames())
        throw Error(ErrorCode::InvalidInput, "A video segment of " + std::to_string(segment.frames()) +
                                                 " frames has no frame " + std::to_string(index) + ".");
    const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
    if (!codec)
        throw Error(ErrorCode::Codec, "FFmpeg has no H.264 decoder.");
    ffmpeg::CodecContextPtr context(avcodec_alloc_context3(codec));
    ffmpeg::PacketPtr packet(av_packet_alloc());
    ffmpeg::FramePtr decoded(av_frame_alloc());
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

    RgbConverter rgb("a video segment");
    Image result;
    std::int64_t shown = 0; // frames out of the decoder, in presentation order
    const auto receive = [&] {
        while (avcodec_receive_frame(context.get(), decoded.get()) == 0) {
            if (shown++ == wanted)
                rgb.convert(decoded.get(), result);
            av_frame_unref(decoded.get());
        }
    };
    for (const EncodedSegment::Packet& p : segment.packets) {
        if (shown > wanted)
            break;
        if (av_new_packet(packet.get(), static_cast<int>(p.size)) < 0)
            throw Error(ErrorCode::Codec, "Out of memory while decoding a video segment.");
        std::memcpy(packet->data, segment.data.data() + p.offset, p.size);
        packet->pts = p.pts;
        const int err = avcodec_send_packet(context.get(), packet.get());
        av_packet_unref(packet.get());
        if (err < 0 && err != AVERROR_INVALIDDATA)
            throw Error(ErrorCode::Codec,
                        "A video segment does not decode (" + ffmpeg::errorText(err) + ").");
        receive();
    }
    avcodec_send_packet(context.get(), nullptr);
    receive();
    if (result.isNull())
        throw Error(ErrorCode::Codec, "A video segment decoded to fewer frames than it holds.");
    return result;
}

} // namespace avatar
