#include "media/AacTrackEncoder.h"

#include "core/Error.h"
#include "media/CodecSetup.h"
#include "media/FfmpegPtr.h"

extern "C" {
#include <libavcodec/version.h>
}

#include <algorithm>
#include <cstring>
#include <exception>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

namespace avatar {
struct AacTrackEncoder::Impl {
    Impl(AVFormatContext* muxer, AudioTrack audio, int bitrate, std::string what);
    // The encoding thread's body: every frame, then the flush, unless stopped first.
    void run(const std::stop_token& stop) noexcept;
    bool encodeNextFrame();
    void encode(const AVFrame* frame);
    // Writes `packets` to the muxer in order (calling thread only).
    void write(std::vector<ffmpeg::PacketPtr>& packets);
    // Takes the packets encoded so far; rethrows the encoding thread's error.
    std::vector<ffmpeg::PacketPtr> takeReady();
    [[noreturn]] void failure(const char* what, int err) const;

    AVFormatContext* m_muxer;
    AudioTrack m_audio;
    std::string m_what;
    ffmpeg::CodecContextPtr m_codec;
    AVRational m_codecBase{1, kSampleRate};
    AVStream* m_stream = nullptr;
    int m_streamIndex = 0;
    // Encoding state, the encoding thread's alone once it runs.
    ffmpeg::PacketPtr m_packet;
    media::AudioResampleQueue m_queue;
    ffmpeg::FramePtr m_sound;
    std::int64_t m_sent = 0;
    int m_frameSize = 1024;
    // Handed from the encoding thread to the calling one.
    std::mutex m_mutex;
    std::vector<ffmpeg::PacketPtr> m_ready;
    std::exception_ptr m_error;
    // Every packet, copied as it is encoded (or the cached track): what encoded() returns.
    EncodedAudio m_encoded;
    // Last: started once everything above exists, and stopped and joined first on destruction.
    std::jthread m_thread;
};

void AacTrackEncoder::Impl::failure(const char* what, int err) const {
    media::codecFailure(what, err, m_what);
}

AacTrackEncoder::Impl::Impl(AVFormatContext* muxer, AudioTrack audio, int bitrate, std::string what)
    : m_muxer(muxer), m_audio(std::move(audio)), m_what(std::move(what)) {
    const AVCodec* codec = media::findAac();
    m_codec.reset(avcodec_alloc_context3(codec));
    m_packet.reset(av_packet_alloc());
    m_sound.reset(av_frame_alloc());
    if (!m_codec || !m_packet || !m_sound)
        failure("Cannot allocate the AAC encoder", AVERROR(ENOMEM));
    AVCodecContext* c = m_codec.get();
    media::configureAac(c, kSampleRate, bitrate, muxer);
    // The "fast" coder searches quantisers greedily instead of in two loops: about 3x faster on speech at
    // this bit rate with no audible difference, and the audio track is re-encoded on every render (even when
    // every video segment comes from the cache).
    AVDictionary* options = nullptr;
    av_dict_set(&options, "aac_coder", "fast", 0);
    int err = avcodec_open2(c, codec, &options);
    av_dict_free(&options);
    if (err < 0)
        failure("Cannot start the AAC encoder", err);
    if (c->frame_size > 0)
        m_frameSize = c->frame_size;

    m_stream = avformat_new_stream(muxer, nullptr);
    if (!m_stream)
        failure("Cannot add the audio stream", AVERROR(ENOMEM));
    m_stream->time_base = c->time_base;
    m_codecBase = c->time_base;
    m_streamIndex = m_stream->index;
    err = avcodec_parameters_from_context(m_stream->codecpar, c);
    if (err < 0)
        failure("Cannot describe the audio stream", err);

    media::allocSoundFrame(m_sound.get(), c, m_frameSize, m_what);
    m_queue.open(c, m_audio.sampleRate, m_frameSize, m_what);
}

void AacTrackEncoder::Impl::encode(const AVFrame* frame) {
    const int err = media::encodeFrame(m_codec.get(), m_packet.get(), frame, [this](AVPacket* packet) {
        ffmpeg::PacketPtr ready(av_packet_alloc());
        if (!ready)
            failure("Cannot allocate an audio packet", AVERROR(ENOMEM));
        av_packet_move_ref(ready.get(), packet);
        EncodedAudio::Packet copy{ready->pts,
                                  ready->dts,
                                  ready->duration,
                                  ready->flags,
                                  m_encoded.data.size(),
                                  static_cast<std::uint64_t>(ready->size)};
        m_encoded.data.insert(m_encoded.data.end(), ready->data, ready->data + ready->size);
        m_encoded.packets.push_back(copy);
        const std::lock_guard lock(m_mutex);
        m_ready.push_back(std::move(ready));
    });
    if (err < 0)
        failure("AAC encoding failed", err);
}

bool AacTrackEncoder::Impl::encodeNextFrame() {
    while (av_audio_fifo_size(m_queue.fifo.get()) < m_frameSize && !m_queue.flushed)
        m_queue.resampleMore(m_audio.samples, m_what);
    const int count = std::min(av_audio_fifo_size(m_queue.fifo.get()), m_frameSize);
    if (count == 0)
        return false;
    m_sound->nb_samples = m_frameSize;
    int err = av_frame_make_writable(m_sound.get());
    if (err < 0)
        failure("Cannot reuse the audio frame", err);
    // Only the last frame is short; its packet carries the real duration, so the track is exactly as long
    // as the speech.
    m_sound->nb_samples = count;
    if (av_audio_fifo_read(m_queue.fifo.get(), reinterpret_cast<void**>(m_sound->data), count) < count)
        failure("Cannot read buffered audio", AVERROR(EIO));
    m_sound->pts = m_sent;
    m_sent += count;
    encode(m_sound.get());
    return count == m_frameSize;
}

void AacTrackEncoder::Impl::run(const std::stop_token& stop) noexcept {
    std::exception_ptr error;
    try {
        bool more = true;
        while (more && !stop.stop_requested())
            more = encodeNextFrame();
        if (!more)
            encode(nullptr); // drain the encoder's delay
    } catch (...) {
        error = std::current_exception();
    }
    const std::lock_guard lock(m_mutex);
    m_error = error;
}

std::vector<ffmpeg::PacketPtr> AacTrackEncoder::Impl::takeReady() {
    std::vector<ffmpeg::PacketPtr> packets;
    const std::lock_guard lock(m_mutex);
    if (m_error)
        std::rethrow_exception(m_error);
    packets.swap(m_ready);
    return packets;
}

void AacTrackEncoder::Impl::write(std::vector<ffmpeg::PacketPtr>& packets) {
    for (ffmpeg::PacketPtr& packet : packets) {
        // The stream's time base is final only once the header is written, so rescaled here, not when
        // encoded.
        av_packet_rescale_ts(packet.get(), m_codecBase, m_stream->time_base);
        packet->stream_index = m_streamIndex;
        const int err = av_interleaved_write_frame(m_muxer, packet.get());
        if (err < 0)
            throw Error(ErrorCode::Io, "Cannot write " + m_what + ": " + ffmpeg::errorText(err) + ".");
    }
}

AacTrackEncoder::AacTrackEncoder(AVFormatContext* muxer, AudioTrack audio, int bitrate, std::string what,
                                 std::optional<EncodedAudio> cached)
    : m_impl(std::make_unique<Impl>(muxer, std::move(audio), bitrate, std::move(what))) {
    Impl* d = m_impl.get();
    if (!cached) {
        d->m_thread = std::jthread([d](std::stop_token stop) { d->run(stop); });
        return;
    }
    d->m_encoded = std::move(*cached);
    for (const EncodedAudio::Packet& p : d->m_encoded.packets) {
        if (p.offset > d->m_encoded.data.size() || p.size > d->m_encoded.data.size() - p.offset ||
            p.size > INT32_MAX / 2)
            throw Error(ErrorCode::Internal, "A cached audio track is damaged.");
        ffmpeg::PacketPtr packet(av_packet_alloc());
        if (!packet || av_new_packet(packet.get(), static_cast<int>(p.size)) < 0)
            d->failure("Cannot allocate an audio packet", AVERROR(ENOMEM));
        std::memcpy(packet->data, d->m_encoded.data.data() + p.offset, p.size);
        packet->pts = p.pts;
        packet->dts = p.dts;
        packet->duration = p.duration;
        packet->flags = static_cast<int>(p.flags);
        d->m_ready.push_back(std::move(packet));
    }
}

// The jthread member asks the encoding thread to stop and joins it before the encoder it uses is freed.
AacTrackEncoder::~AacTrackEncoder() = default;

void AacTrackEncoder::writeReady() {
    std::vector<ffmpeg::PacketPtr> packets = m_impl->takeReady();
    m_impl->write(packets);
}

void AacTrackEncoder::finish() {
    // Usually long done: it ran while the video was fetched, drawn and remuxed.
    if (m_impl->m_thread.joinable())
        m_impl->m_thread.join();
    writeReady();
}

const EncodedAudio& AacTrackEncoder::encoded() const {
    return m_impl->m_encoded;
}

std::string AacTrackEncoder::version() {
    return std::string("aac/1 48k mono aac_coder=fast ") + LIBAVCODEC_IDENT;
}

} // namespace avatar
