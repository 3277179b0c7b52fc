#include "media/MediaReader.h"

#include "core/Error.h"
#include "media/CodecSetup.h"
#include "media/FfmpegPtr.h"
#include "media/MediaOpen.h"
#include "media/Mp4Boxes.h"
#include "media/RgbConverter.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

namespace avatar {

namespace {

using media::quoted; // the one 'path' for messages (CodecSetup)

// Probing is heuristic: repeated text passes for raw AMR audio, for instance, and half of its "frames" even
// decode. A file counts as readable when its main stream (video, else audio) yields decoded frames from its
// first packets and at most a quarter of those packets are rejected by the decoder.
void requireDecodable(const std::filesystem::path& path) {
    constexpr int kPacketsToTry = 64;
    ffmpeg::InputFormatPtr format = media::openInput(path);
    int index = media::bestStream(format.get(), AVMEDIA_TYPE_VIDEO);
    if (index < 0)
        index = media::bestStream(format.get(), AVMEDIA_TYPE_AUDIO);
    if (index < 0)
        throw Error(ErrorCode::Unreadable,
                    "Cannot read " + quoted(path) + ": it contains no audio or video.");
    ffmpeg::CodecContextPtr decoder = media::openDecoder(path, format->streams[index]);
    ffmpeg::PacketPtr packet(av_packet_alloc());
    ffmpeg::FramePtr frame(av_frame_alloc());
    if (!packet || !frame)
        throw Error(ErrorCode::Codec, "Out of memory while reading " + quoted(path) + ".");

    int packets = 0;
    int failures = 0;
    int frames = 0;
    const auto receive = [&] {
        for (;;) {
            const int err = avcodec_receive_frame(decoder.get(), frame.get());
            if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
                return;
            if (err < 0) {
                ++failures;
                return;
            }
            ++frames;
            av_frame_unref(frame.get());
        }
    };
    while (packets < kPacketsToTry && av_read_frame(format.get(), packet.get()) >= 0) {
        if (packet->stream_index == index) {
            ++packets;
            if (avcodec_send_packet(decoder.get(), packet.get()) < 0)
                ++failures;
        }
        av_packet_unref(packet.get());
        receive();
    }
    // Decoders with a delay (B-frames, frame threads) hand out their frames when told the input has ended.
    avcodec_send_packet(decoder.get(), nullptr);
    receive();
    if (frames == 0 || failures * 4 > packets)
        throw Error(ErrorCode::Unreadable, "Cannot read " + quoted(path) + ": FFmpeg takes it for " +
                                               format->iformat->long_name + " but cannot decode it.");
}

double seconds(std::int64_t ticks, AVRational timeBase) {
    return double(ticks) * av_q2d(timeBase);
}

} // namespace

namespace media {

ffmpeg::InputFormatPtr openInput(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::exists(path, error))
        throw Error(ErrorCode::NotFound, "The file " + quoted(path) + " does not exist.");
    AVFormatContext* raw = nullptr;
    int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (err < 0)
        throw Error(ErrorCode::Unreadable, "Cannot read " + quoted(path) +
                                               ": it is not a media file FFmpeg understands (" +
                                               ffmpeg::errorText(err) + ").");
    ffmpeg::InputFormatPtr format(raw);
    err = avformat_find_stream_info(raw, nullptr);
    if (err < 0)
        throw Error(ErrorCode::Unreadable, "Cannot read " + quoted(path) +
                                               ": its streams cannot be parsed (" + ffmpeg::errorText(err) +
                                               ").");
    const bool hasMedia = std::any_of(raw->streams, raw->streams + raw->nb_streams, [](const AVStream* s) {
        return s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO || s->codecpar->codec_type == AVMEDIA_TYPE_AUDIO;
    });
    if (!hasMedia)
        throw Error(ErrorCode::Unreadable,
                    "Cannot read " + quoted(path) + ": it contains no audio or video.");
    return format;
}

// -1 when the file has no such stream. Cover art is stored as a one-picture video stream; it is not video.
int bestStream(AVFormatContext* format, AVMediaType type) {
    const int index = av_find_best_stream(format, type, -1, -1, nullptr, 0);
    if (index < 0)
        return -1;
    if (format->streams[index]->disposition & AV_DISPOSITION_ATTACHED_PIC)
        return -1;
    return index;
}

ffmpeg::CodecContextPtr openDecoder(const std::filesystem::path& path, const AVStream* stream) {
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec)
        throw Error(ErrorCode::Unreadable, "Cannot decode " + quoted(path) + ": FFmpeg has no decoder for " +
                                               avcodec_get_name(stream->codecpar->codec_id) + ".");
    ffmpeg::CodecContextPtr context(avcodec_alloc_context3(codec));
    if (!context)
        throw Error(ErrorCode::Codec, "Cannot allocate a decoder for " + quoted(path) + ".");
    int err = avcodec_parameters_to_context(context.get(), stream->codecpar);
    if (err >= 0) {
        context->pkt_timebase = stream->time_base;
        context->thread_count = 0; // automatic: decoding is only ever done for checks and remuxing
        err = avcodec_open2(context.get(), codec, nullptr);
    }
    if (err < 0)
        throw Error(ErrorCode::Unreadable,
                    "Cannot decode " + quoted(path) + " (" + ffmpeg::errorText(err) + ").");
    return context;
}

} // namespace media

namespace {

// The SPS and PPS of an avcC record, each behind a 4-byte start code. Empty when the record is cut short.
std::vector<std::uint8_t> annexBHeaders(const std::uint8_t* avcc, int size) {
    std::vector<std::uint8_t> out;
    int pos = 5;
    for (int set = 0; set < 2; ++set) { // SPS, then PPS
        if (pos >= size)
            return {};
        const int count = set == 0 ? (avcc[pos] & 0x1f) : avcc[pos];
        ++pos;
        for (int i = 0; i < count; ++i) {
            if (pos + 2 > size)
                return {};
            const int length = (avcc[pos] << 8) | avcc[pos + 1];
            pos += 2;
            if (pos + length > size)
                return {};
            out.insert(out.end(), {0, 0, 0, 1});
            out.insert(out.end(), avcc + pos, avcc + pos + length);
            pos += length;
        }
    }
    return out;
}

// Replaces each NAL unit's 4-byte big-endian length by a 4-byte start code; false when a length runs past
// the packet.
bool toStartCodes(std::uint8_t* data, std::uint32_t size) {
    std::uint32_t pos = 0;
    while (pos + 4 <= size) {
        const std::uint32_t length =
            (std::uint32_t(data[pos]) << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3];
        if (length > size - pos - 4)
            return false;
        data[pos] = data[pos + 1] = data[pos + 2] = 0;
        data[pos + 3] = 1;
        pos += 4 + length;
    }
    return pos == size;
}

} // namespace

struct MediaReader::Impl {
    bool receiveVideoFrame();

    std::filesystem::path m_path;
    ffmpeg::InputFormatPtr m_format;
    int m_videoIndex = -1;
    ffmpeg::CodecContextPtr m_video;
    ffmpeg::PacketPtr m_packet;
    ffmpeg::FramePtr m_frame;
    std::unique_ptr<RgbConverter> m_rgb;
    bool m_drained = false; // the demuxer hit the end and the decoder was told so
    std::optional<MediaInfo> m_info;
};

bool MediaReader::Impl::receiveVideoFrame() {
    for (;;) {
        int err = avcodec_receive_frame(m_video.get(), m_frame.get());
        if (err == 0)
            return true;
        if (err == AVERROR_EOF)
            return false;
        if (err != AVERROR(EAGAIN))
            throw Error(ErrorCode::Unreadable, "Cannot decode the video in " + quoted(m_path) + " (" +
                                                   ffmpeg::errorText(err) + ").");
        if (m_drained)
            return false;
        // The decoder wants input: feed it the next video packet, or the end-of-stream signal.
        for (;;) {
            err = av_read_frame(m_format.get(), m_packet.get());
            if (err < 0) {
                avcodec_send_packet(m_video.get(), nullptr);
                m_drained = true;
                break;
            }
            const bool isVideo = m_packet->stream_index == m_videoIndex;
            if (isVideo)
                err = avcodec_send_packet(m_video.get(), m_packet.get());
            av_packet_unref(m_packet.get());
            // A damaged packet is skipped as players do; the frames around it still decode.
            if (isVideo && err < 0 && err != AVERROR_INVALIDDATA)
                throw Error(ErrorCode::Unreadable, "Cannot decode the video in " + quoted(m_path) + " (" +
                                                       ffmpeg::errorText(err) + ").");
            if (isVideo)
                break;
        }
    }
}

MediaReader::MediaReader(const std::filesystem::path& path) : m_impl(std::make_unique<Impl>()) {
    ffmpeg::quietLogs();
    m_impl->m_path = path;
    m_impl->m_rgb = std::make_unique<RgbConverter>(quoted(path));
    requireDecodable(path);
    m_impl->m_format = media::openInput(path);
    m_impl->m_videoIndex = media::bestStream(m_impl->m_format.get(), AVMEDIA_TYPE_VIDEO);
    if (m_impl->m_videoIndex >= 0)
        m_impl->m_video = media::openDecoder(path, m_impl->m_format->streams[m_impl->m_videoIndex]);
    m_impl->m_packet.reset(av_packet_alloc());
    m_impl->m_frame.reset(av_frame_alloc());
    if (!m_impl->m_packet || !m_impl->m_frame)
        throw Error(ErrorCode::Codec, "Out of memory while opening " + quoted(path) + ".");
}

MediaReader::~MediaReader() = default;

MediaInfo MediaReader::info() const {
    // Probed on first use with its own demuxer, so that counting frames does not move readVideoFrame().
    if (!m_impl->m_info)
        m_impl->m_info = probe(m_impl->m_path);
    return *m_impl->m_info;
}

bool MediaReader::readVideoFrame(Image& rgb, double* ptsSeconds) {
    if (!m_impl->m_video || !m_impl->receiveVideoFrame())
        return false;
    const AVFrame* frame = m_impl->m_frame.get();
    m_impl->m_rgb->convert(frame, rgb);
    if (ptsSeconds) {
        const AVStream* stream = m_impl->m_format->streams[m_impl->m_videoIndex];
        const std::int64_t pts = frame->best_effort_timestamp;
        const std::int64_t start = stream->start_time == AV_NOPTS_VALUE ? 0 : stream->start_time;
        *ptsSeconds = pts == AV_NOPTS_VALUE ? 0.0 : seconds(pts - start, stream->time_base);
    }
    av_frame_unref(m_impl->m_frame.get());
    return true;
}

void MediaReader::rewind() {
    Impl& d = *m_impl;
    if (!d.m_video)
        return;
    const AVStream* stream = d.m_format->streams[d.m_videoIndex];
    const std::int64_t start = stream->start_time == AV_NOPTS_VALUE ? 0 : stream->start_time;
    const int err = av_seek_frame(d.m_format.get(), d.m_videoIndex, start, AVSEEK_FLAG_BACKWARD);
    if (err < 0)
        throw Error(ErrorCode::Unreadable, "Cannot play " + quoted(d.m_path) + " again from its start (" +
                                               ffmpeg::errorText(err) + ").");
    avcodec_flush_buffers(d.m_video.get());
    d.m_drained = false;
}

std::vector<float> MediaReader::readAudioMono(int* sampleRate) {
    if (sampleRate)
        *sampleRate = 0;
    // A demuxer of its own, so that reading the audio does not disturb the video position.
    ffmpeg::InputFormatPtr format = media::openInput(m_impl->m_path);
    const int index = media::bestStream(format.get(), AVMEDIA_TYPE_AUDIO);
    if (index < 0)
        return {};
    ffmpeg::CodecContextPtr decoder = media::openDecoder(m_impl->m_path, format->streams[index]);
    ffmpeg::PacketPtr packet(av_packet_alloc());
    ffmpeg::FramePtr frame(av_frame_alloc());
    if (!packet || !frame)
        throw Error(ErrorCode::Codec, "Out of memory while reading " + quoted(m_impl->m_path) + ".");

    std::vector<float> mono;
    std::vector<float> planes; // the current frame as planar float, channel after channel
    ffmpeg::SwrContextPtr converter;
    int converterFormat = AV_SAMPLE_FMT_NONE;
    int converterChannels = 0;

    // Decoded frames come in whatever sample format the codec uses; swresample turns them into planar float
    // (same rate, same channels) and the channels are averaged here so that a mono mix keeps its level.
    // The frame is not const because FFmpeg 5.1 declares swr_alloc_set_opts2's layouts non-const.
    const auto appendFrame = [&](AVFrame* f) {
        const int channels = f->ch_layout.nb_channels;
        if (channels <= 0 || f->nb_samples <= 0)
            return;
        if (!converter || converterFormat != f->format || converterChannels != channels) {
            SwrContext* raw = nullptr;
            int err =
                swr_alloc_set_opts2(&raw, &f->ch_layout, AV_SAMPLE_FMT_FLTP, f->sample_rate, &f->ch_layout,
                                    static_cast<AVSampleFormat>(f->format), f->sample_rate, 0, nullptr);
            converter.reset(raw);
            if (err >= 0)
                err = swr_init(converter.get());
            if (err < 0)
                throw Error(ErrorCode::Unreadable, "Cannot convert the audio in " + quoted(m_impl->m_path) +
                                                       " (" + ffmpeg::errorText(err) + ").");
            converterFormat = f->format;
            converterChannels = channels;
        }
        const int capacity = swr_get_out_samples(converter.get(), f->nb_samples);
        planes.resize(static_cast<std::size_t>(capacity) * channels);
        std::vector<std::uint8_t*> out(static_cast<std::size_t>(channels));
        for (int c = 0; c < channels; ++c)
            out[c] = reinterpret_cast<std::uint8_t*>(planes.data() + std::size_t(c) * capacity);
        const int produced = swr_convert(converter.get(), out.data(), capacity,
                                         const_cast<const std::uint8_t**>(f->extended_data), f->nb_samples);
        if (produced < 0)
            throw Error(ErrorCode::Unreadable, "Cannot convert the audio in " + quoted(m_impl->m_path) + ".");
        const std::size_t base = mono.size();
        mono.resize(base + static_cast<std::size_t>(produced));
        for (int c = 0; c < channels; ++c) {
            const float* plane = planes.data() + std::size_t(c) * capacity;
            for (int i = 0; i < produced; ++i)
                mono[base + i] += plane[i] / float(channels);
        }
    };
    const auto drainDecoder = [&]() {
        for (;;) {
            const int err = avcodec_receive_frame(decoder.get(), frame.get());
            if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
                return;
            if (err < 0)
                throw Error(ErrorCode::Unreadable, "Cannot decode the audio in " + quoted(m_impl->m_path) +
                                                       " (" + ffmpeg::errorText(err) + ").");
            appendFrame(frame.get());
            av_frame_unref(frame.get());
        }
    };

    while (av_read_frame(format.get(), packet.get()) >= 0) {
        int err = 0;
        if (packet->stream_index == index)
            err = avcodec_send_packet(decoder.get(), packet.get());
        av_packet_unref(packet.get());
        if (err < 0 && err != AVERROR_INVALIDDATA)
            throw Error(ErrorCode::Unreadable, "Cannot decode the audio in " + quoted(m_impl->m_path) + " (" +
                                                   ffmpeg::errorText(err) + ").");
        drainDecoder();
    }
    avcodec_send_packet(decoder.get(), nullptr);
    drainDecoder();
    if (sampleRate)
        *sampleRate = decoder->sample_rate;
    return mono;
}

EncodedSegment MediaReader::readEncodedVideo() {
    // A demuxer of its own, like readAudioMono(), so that readVideoFrame()'s position stays where it was.
    ffmpeg::InputFormatPtr format = media::openInput(m_impl->m_path);
    const int index = media::bestStream(format.get(), AVMEDIA_TYPE_VIDEO);
    const AVStream* stream = index >= 0 ? format->streams[index] : nullptr;
    if (!stream || stream->codecpar->codec_id != AV_CODEC_ID_H264)
        throw Error(ErrorCode::Unreadable,
                    "Cannot join " + quoted(m_impl->m_path) + ": it has no H.264 video.");
    EncodedSegment segment;
    segment.width = stream->codecpar->width;
    segment.height = stream->codecpar->height;
    segment.fps = FrameRate(stream->avg_frame_rate.num, stream->avg_frame_rate.den);
    if (!segment.fps.supported())
        throw Error(ErrorCode::Unreadable, "Cannot join " + quoted(m_impl->m_path) + ": its frame rate (" +
                                               segment.fps.toString() + ") is not one the engine writes.");
    const AVRational frameBase = media::timeBase(segment.fps);
    segment.reorderDepth = stream->codecpar->video_delay;
    const AVCodecParameters* par = stream->codecpar;
    // MP4 stores H.264 as avcC headers and length-prefixed NAL units; the engine's segments (SegmentEncoder)
    // are in Annex B form, with start codes. With 4-byte lengths the packets are rewritten in place.
    const bool lengthPrefixed = par->extradata_size >= 7 && par->extradata[0] == 1;
    if (lengthPrefixed) {
        if ((par->extradata[4] & 3) != 3)
            throw Error(ErrorCode::Unreadable,
                        "Cannot join " + quoted(m_impl->m_path) + ": its H.264 uses short NAL lengths.");
        segment.headers = annexBHeaders(par->extradata, par->extradata_size);
    } else {
        segment.headers.assign(par->extradata, par->extradata + par->extradata_size);
    }
    const std::int64_t start = stream->start_time == AV_NOPTS_VALUE ? 0 : stream->start_time;
    ffmpeg::PacketPtr packet(av_packet_alloc());
    if (!packet)
        throw Error(ErrorCode::Codec, "Out of memory while reading " + quoted(m_impl->m_path) + ".");
    while (av_read_frame(format.get(), packet.get()) >= 0) {
        if (packet->stream_index == index && packet->size > 0) {
            EncodedSegment::Packet p;
            p.pts = av_rescale_q(packet->pts - start, stream->time_base, frameBase);
            p.key = (packet->flags & AV_PKT_FLAG_KEY) != 0;
            p.offset = static_cast<std::uint32_t>(segment.data.size());
            p.size = static_cast<std::uint32_t>(packet->size);
            segment.data.insert(segment.data.end(), packet->data, packet->data + packet->size);
            if (lengthPrefixed && !toStartCodes(segment.data.data() + p.offset, p.size))
                throw Error(ErrorCode::Unreadable,
                            "Cannot join " + quoted(m_impl->m_path) + ": a video packet is damaged.");
            segment.packets.push_back(p);
        }
        av_packet_unref(packet.get());
    }
    if (segment.packets.empty() || !segment.packets.front().key)
        throw Error(ErrorCode::Unreadable,
                    "Cannot join " + quoted(m_impl->m_path) + ": its video does not start with a key frame.");
    return segment;
}

MediaInfo MediaReader::probe(const std::filesystem::path& path) {
    ffmpeg::quietLogs();
    requireDecodable(path);
    ffmpeg::InputFormatPtr format = media::openInput(path);
    MediaInfo info;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        const AVStream* s = format->streams[i];
        if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && !(s->disposition & AV_DISPOSITION_ATTACHED_PIC))
            ++info.videoStreams;
        else if (s->codecpar->codec_type == AVMEDIA_TYPE_AUDIO)
            ++info.audioStreams;
    }
    const int videoIndex = media::bestStream(format.get(), AVMEDIA_TYPE_VIDEO);
    const int audioIndex = media::bestStream(format.get(), AVMEDIA_TYPE_AUDIO);
    if (videoIndex >= 0) {
        const AVStream* s = format->streams[videoIndex];
        info.videoCodec = avcodec_get_name(s->codecpar->codec_id);
        if (const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(s->codecpar->format)))
            info.pixelFormat = name;
        info.width = s->codecpar->width;
        info.height = s->codecpar->height;
        const AVRational rate =
            s->avg_frame_rate.num > 0 && s->avg_frame_rate.den > 0 ? s->avg_frame_rate : s->r_frame_rate;
        info.fps = rate.den > 0 ? av_q2d(rate) : 0.0;
        info.frameRate = FrameRate(rate.num, rate.den);
    }
    if (audioIndex >= 0) {
        const AVStream* s = format->streams[audioIndex];
        info.audioCodec = avcodec_get_name(s->codecpar->codec_id);
        info.audioSampleRate = s->codecpar->sample_rate;
        info.audioChannels = s->codecpar->ch_layout.nb_channels;
    }

    // Every video packet is one frame; counting them is exact where header fields may be missing or rounded.
    // The packets' time span is also the fallback duration for streams whose header has none.
    struct Span {
        std::int64_t first = std::numeric_limits<std::int64_t>::max();
        std::int64_t end = std::numeric_limits<std::int64_t>::min();
        void add(const AVPacket* p) {
            if (p->pts == AV_NOPTS_VALUE)
                return;
            first = std::min(first, p->pts);
            end = std::max(end, p->pts + std::max<std::int64_t>(0, p->duration));
        }
        double seconds(AVRational timeBase) const {
            return end > first ? double(end - first) * av_q2d(timeBase) : 0;
        }
    };
    Span videoSpan;
    Span audioSpan;
    ffmpeg::PacketPtr packet(av_packet_alloc());
    if (!packet)
        throw Error(ErrorCode::Codec, "Out of memory while reading " + quoted(path) + ".");
    while (av_read_frame(format.get(), packet.get()) >= 0) {
        if (packet->stream_index == videoIndex) {
            ++info.frameCount;
            videoSpan.add(packet.get());
        } else if (packet->stream_index == audioIndex) {
            audioSpan.add(packet.get());
        }
        av_packet_unref(packet.get());
    }

    const auto duration = [&](int index, const Span& span) {
        if (index < 0)
            return 0.0;
        const AVStream* s = format->streams[index];
        return s->duration != AV_NOPTS_VALUE && s->duration > 0 ? seconds(s->duration, s->time_base)
                                                                : span.seconds(s->time_base);
    };
    info.videoDuration = duration(videoIndex, videoSpan);
    info.audioDuration = duration(audioIndex, audioSpan);
    info.faststart = mp4MoovBeforeMdat(path);
    return info;
}

} // namespace avatar
