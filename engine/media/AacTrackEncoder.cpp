#include "media/AacTrackEncoder.h"

#include "core/Error.h"
#include "media/FfmpegPtr.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

#include <algorithm>
#include <utility>
#include <vector>

namespace avatar {
namespace {

// Input samples handed to the resampler per call (as in Mp4Encoder).
constexpr int kResampleChunk = 4096;

} // namespace

struct AacTrackEncoder::Impl {
    Impl(AVFormatContext* muxer, AudioTrack audio, int bitrate, std::string what);
    void resampleMore();
    void encode(const AVFrame* frame);
    [[noreturn]] void failure(const char* what, int err) const;

    AVFormatContext* m_muxer;
    AudioTrack m_audio;
    std::string m_what;
    ffmpeg::CodecContextPtr m_codec;
    AVStream* m_stream = nullptr;
    ffmpeg::PacketPtr m_packet;
    ffmpeg::SwrContextPtr m_resampler;
    ffmpeg::AudioFifoPtr m_fifo;
    ffmpeg::FramePtr m_sound;
    std::vector<float> m_resampled;
    std::size_t m_consumed = 0;
    bool m_flushed = false;
    std::int64_t m_sent = 0;
    int m_frameSize = 1024;
};

void AacTrackEncoder::Impl::failure(const char* what, int err) const {
    throw Error(ErrorCode::Codec,
                std::string(what) + " while writing " + m_what + " (" + ffmpeg::errorText(err) + ").");
}

AacTrackEncoder::Impl::Impl(AVFormatContext* muxer, AudioTrack audio, int bitrate, std::string what)
    : m_muxer(muxer), m_audio(std::move(audio)), m_what(std::move(what)) {
    const AVCodec* codec = avcodec_find_encoder_by_name("aac");
    if (!codec)
        throw Error(ErrorCode::Codec, "FFmpeg was built without its AAC encoder; install a complete FFmpeg.");
    m_codec.reset(avcodec_alloc_context3(codec));
    m_packet.reset(av_packet_alloc());
    m_sound.reset(av_frame_alloc());
    if (!m_codec || !m_packet || !m_sound)
        failure("Cannot allocate the AAC encoder", AVERROR(ENOMEM));
    AVCodecContext* c = m_codec.get();
    c->sample_fmt = AV_SAMPLE_FMT_FLTP;
    c->sample_rate = kSampleRate;
    av_channel_layout_default(&c->ch_layout, 1);
    c->bit_rate = bitrate;
    c->time_base = AVRational{1, kSampleRate};
    if (muxer->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int err = avcodec_open2(c, codec, nullptr);
    if (err < 0)
        failure("Cannot start the AAC encoder", err);
    if (c->frame_size > 0)
        m_frameSize = c->frame_size;

    m_stream = avformat_new_stream(muxer, nullptr);
    if (!m_stream)
        failure("Cannot add the audio stream", AVERROR(ENOMEM));
    m_stream->time_base = c->time_base;
    err = avcodec_parameters_from_context(m_stream->codecpar, c);
    if (err < 0)
        failure("Cannot describe the audio stream", err);

    m_sound->format = c->sample_fmt;
    m_sound->sample_rate = c->sample_rate;
    m_sound->nb_samples = m_frameSize;
    err = av_channel_layout_copy(&m_sound->ch_layout, &c->ch_layout);
    if (err >= 0)
        err = av_frame_get_buffer(m_sound.get(), 0);
    if (err < 0)
        failure("Cannot allocate an audio frame", err);

    AVChannelLayout mono = {};
    av_channel_layout_default(&mono, 1);
    SwrContext* resampler = nullptr;
    err = swr_alloc_set_opts2(&resampler, &c->ch_layout, AV_SAMPLE_FMT_FLTP, kSampleRate, &mono,
                              AV_SAMPLE_FMT_S16, m_audio.sampleRate, 0, nullptr);
    m_resampler.reset(resampler);
    if (err >= 0)
        err = swr_init(m_resampler.get());
    if (err < 0)
        failure("Cannot set up audio resampling", err);
    const int chunkOut = swr_get_out_samples(m_resampler.get(), kResampleChunk) + 64;
    m_resampled.resize(static_cast<std::size_t>(chunkOut));
    m_fifo.reset(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 1, m_frameSize + chunkOut));
    if (!m_fifo)
        failure("Cannot allocate the audio buffer", AVERROR(ENOMEM));
}

void AacTrackEncoder::Impl::resampleMore() {
    std::uint8_t* out[1] = {reinterpret_cast<std::uint8_t*>(m_resampled.data())};
    const int capacity = static_cast<int>(m_resampled.size());
    int produced = 0;
    const std::size_t remaining = m_audio.samples.size() - m_consumed;
    if (remaining == 0) {
        produced = swr_convert(m_resampler.get(), out, capacity, nullptr, 0); // drain the delay line
        m_flushed = true;
    } else {
        const int count = static_cast<int>(std::min<std::size_t>(remaining, kResampleChunk));
        const std::uint8_t* in[1] = {
            reinterpret_cast<const std::uint8_t*>(m_audio.samples.data() + m_consumed)};
        produced = swr_convert(m_resampler.get(), out, capacity, in, count);
        m_consumed += static_cast<std::size_t>(count);
    }
    if (produced < 0)
        failure("Audio resampling failed", produced);
    void* data[1] = {m_resampled.data()};
    if (produced > 0 && av_audio_fifo_write(m_fifo.get(), data, produced) < produced)
        failure("Cannot buffer audio", AVERROR(ENOMEM));
}

void AacTrackEncoder::Impl::encode(const AVFrame* frame) {
    int err = avcodec_send_frame(m_codec.get(), frame);
    if (err < 0)
        failure("AAC encoding failed", err);
    for (;;) {
        err = avcodec_receive_packet(m_codec.get(), m_packet.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
            return;
        if (err < 0)
            failure("AAC encoding failed", err);
        av_packet_rescale_ts(m_packet.get(), m_codec->time_base, m_stream->time_base);
        m_packet->stream_index = m_stream->index;
        err = av_interleaved_write_frame(m_muxer, m_packet.get());
        if (err < 0)
            throw Error(ErrorCode::Io, "Cannot write " + m_what + ": " + ffmpeg::errorText(err) + ".");
    }
}

AacTrackEncoder::AacTrackEncoder(AVFormatContext* muxer, AudioTrack audio, int bitrate, std::string what)
    : m_impl(std::make_unique<Impl>(muxer, std::move(audio), bitrate, std::move(what))) {}

AacTrackEncoder::~AacTrackEncoder() = default;

void AacTrackEncoder::encodeUntil(std::int64_t sampleTarget) {
    Impl& d = *m_impl;
    while (d.m_sent < sampleTarget) {
        while (av_audio_fifo_size(d.m_fifo.get()) < d.m_frameSize && !d.m_flushed)
            d.resampleMore();
        const int count = std::min(av_audio_fifo_size(d.m_fifo.get()), d.m_frameSize);
        if (count == 0)
            return;
        d.m_sound->nb_samples = d.m_frameSize;
        int err = av_frame_make_writable(d.m_sound.get());
        if (err < 0)
            d.failure("Cannot reuse the audio frame", err);
        // Only the last frame is short; its packet carries the real duration, so the track is exactly as
        // long as the speech.
        d.m_sound->nb_samples = count;
        if (av_audio_fifo_read(d.m_fifo.get(), reinterpret_cast<void**>(d.m_sound->data), count) < count)
            d.failure("Cannot read buffered audio", AVERROR(EIO));
        d.m_sound->pts = d.m_sent;
        d.m_sent += count;
        d.encode(d.m_sound.get());
        if (count < d.m_frameSize)
            return;
    }
}

void AacTrackEncoder::finish() {
    encodeUntil(INT64_MAX);
    m_impl->encode(nullptr);
}

} // namespace avatar
