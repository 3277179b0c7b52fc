#include "media/AacTrackEncoder.h"

#include "core/Error.h"
#include "media/CodecSetup.h"
#include "media/FfmpegPtr.h"

extern "C" {
#include <libavcodec/version.h>
}

#include <algorithm>
#include <cmath>
#include <condition_variable>
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
    // An AAC encoder with the stream's settings, opened.
    ffmpeg::CodecContextPtr openEncoder() const;
    // The encoding thread's body: every frame, then the flush, unless stopped first.
    void run(const std::stop_token& stop) noexcept;
    // Its body with Parts: part by part, each cached or encoded on its own.
    void runParts(const std::stop_token& stop) noexcept;
    // One part's samples, resampled and encoded by a fresh encoder: `length` samples at kSampleRate (cut or
    // padded with silence), packets timed from the part's start.
    EncodedAudio encodePart(std::size_t begin, std::size_t end, std::int64_t length,
                            const std::stop_token& stop);
    // Hands the first `packets` of `part`, shifted by `offset`, to the muxer's queue.
    void emit(const EncodedAudio& part, std::size_t packets, std::int64_t offset);
    bool encodeNextFrame();
    void encode(const AVFrame* frame);
    // Writes `packets` to the muxer in order (calling thread only).
    void write(std::vector<ffmpeg::PacketPtr>& packets);
    // Takes the packets encoded so far; rethrows the encoding thread's error.
    std::vector<ffmpeg::PacketPtr> takeReady();
    [[noreturn]] void failure(const char* what, int err) const;

    AVFormatContext* m_muxer;
    AudioTrack m_audio;
    int m_bitrate = 0;
    std::string m_what;
    std::optional<Parts> m_parts;
    std::vector<bool> m_partsReused;
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
    std::int64_t m_readyUntil = 0;  // where the last packet handed over ends, in 1/kSampleRate s
    bool m_done = false;            // the encoding thread has ended
    std::condition_variable m_more; // a packet was handed over, or the thread ended
    // Hands `packet` over (any thread) and wakes a writeUntil() waiting for it.
    void handOver(ffmpeg::PacketPtr packet);
    // The thread's end: its error, if any.
    void end(std::exception_ptr error);
    // Last: started once everything above exists, and stopped and joined first on destruction.
    std::jthread m_thread;
};

void AacTrackEncoder::Impl::failure(const char* what, int err) const {
    media::codecFailure(what, err, m_what);
}

AacTrackEncoder::Impl::Impl(AVFormatContext* muxer, AudioTrack audio, int bitrate, std::string what)
    : m_muxer(muxer), m_audio(std::move(audio)), m_bitrate(bitrate), m_what(std::move(what)) {
    m_codec = openEncoder();
    m_packet.reset(av_packet_alloc());
    m_sound.reset(av_frame_alloc());
    if (!m_packet || !m_sound)
        failure("Cannot allocate the AAC encoder", AVERROR(ENOMEM));
    AVCodecContext* c = m_codec.get();
    if (c->frame_size > 0)
        m_frameSize = c->frame_size;

    m_stream = avformat_new_stream(muxer, nullptr);
    if (!m_stream)
        failure("Cannot add the audio stream", AVERROR(ENOMEM));
    m_stream->time_base = c->time_base;
    m_codecBase = c->time_base;
    m_streamIndex = m_stream->index;
    const int err = avcodec_parameters_from_context(m_stream->codecpar, c);
    if (err < 0)
        failure("Cannot describe the audio stream", err);

    media::allocSoundFrame(m_sound.get(), c, m_frameSize, m_what);
    m_queue.open(c, m_audio.sampleRate, m_frameSize, m_what);
}

ffmpeg::CodecContextPtr AacTrackEncoder::Impl::openEncoder() const {
    const AVCodec* codec = media::findAac();
    ffmpeg::CodecContextPtr context(avcodec_alloc_context3(codec));
    if (!context)
        failure("Cannot allocate the AAC encoder", AVERROR(ENOMEM));
    AVCodecContext* c = context.get();
    media::configureAac(c, kSampleRate, m_bitrate, m_muxer);
    const int err = media::openAac(c, codec);
    if (err < 0)
        failure("Cannot start the AAC encoder", err);
    return context;
}

void AacTrackEncoder::Impl::encode(const AVFrame* frame) {
    const int err = media::encodeFrame(m_codec.get(), m_packet.get(), frame, [this](AVPacket* packet) {
        ffmpeg::PacketPtr ready(av_packet_alloc());
        if (!ready)
            failure("Cannot allocate an audio packet", AVERROR(ENOMEM));
        av_packet_move_ref(ready.get(), packet);
        handOver(std::move(ready));
    });
    if (err < 0)
        failure("AAC encoding failed", err);
}

bool AacTrackEncoder::Impl::encodeNextFrame() {
    const int count = m_queue.readFrame(m_audio.samples, m_sound.get(), m_frameSize, m_what);
    if (count == 0)
        return false;
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
    end(error);
}

void AacTrackEncoder::Impl::handOver(ffmpeg::PacketPtr packet) {
    {
        const std::lock_guard lock(m_mutex);
        m_readyUntil = std::max(m_readyUntil, packet->pts + packet->duration);
        m_ready.push_back(std::move(packet));
    }
    m_more.notify_all();
}

void AacTrackEncoder::Impl::end(std::exception_ptr error) {
    {
        const std::lock_guard lock(m_mutex);
        m_error = error;
        m_done = true;
    }
    m_more.notify_all();
}

EncodedAudio AacTrackEncoder::Impl::encodePart(std::size_t begin, std::size_t end, std::int64_t length,
                                               const std::stop_token& stop) {
    ffmpeg::CodecContextPtr codec = openEncoder();
    AVCodecContext* c = codec.get();
    const int frameSize = c->frame_size > 0 ? c->frame_size : kFrameSize;
    // The part alone, resampled by a resampler of its own: what is before and after it is silence to it.
    const std::vector<std::int16_t> samples(m_audio.samples.begin() + static_cast<std::ptrdiff_t>(begin),
                                            m_audio.samples.begin() + static_cast<std::ptrdiff_t>(end));
    media::AudioResampleQueue queue;
    queue.open(c, m_audio.sampleRate, frameSize, m_what);
    std::vector<float> pcm;
    pcm.reserve(static_cast<std::size_t>(length) + 64);
    while (!queue.flushed) {
        queue.resampleMore(samples, m_what);
        const int ready = av_audio_fifo_size(queue.fifo.get());
        const std::size_t at = pcm.size();
        pcm.resize(at + static_cast<std::size_t>(ready));
        void* out[1] = {pcm.data() + at};
        if (ready > 0 && av_audio_fifo_read(queue.fifo.get(), out, ready) < ready)
            failure("Cannot read buffered audio", AVERROR(EIO));
    }
    pcm.resize(static_cast<std::size_t>(length), 0.0f);

    EncodedAudio part;
    ffmpeg::PacketPtr packet(av_packet_alloc());
    ffmpeg::FramePtr sound(av_frame_alloc());
    if (!packet || !sound)
        failure("Cannot allocate an audio frame", AVERROR(ENOMEM));
    media::allocSoundFrame(sound.get(), c, frameSize, m_what);
    auto collect = [&](AVPacket* p) {
        part.packets.push_back(
            {p->pts, p->dts, p->duration, p->flags, part.data.size(), static_cast<std::uint64_t>(p->size)});
        part.data.insert(part.data.end(), p->data, p->data + p->size);
        av_packet_unref(p);
    };
    for (std::size_t at = 0; at < pcm.size() && !stop.stop_requested(); at += std::size_t(frameSize)) {
        const int count = static_cast<int>(std::min<std::size_t>(pcm.size() - at, std::size_t(frameSize)));
        int err = av_frame_make_writable(sound.get());
        if (err < 0)
            failure("Cannot reuse the audio frame", err);
        sound->nb_samples = count;
        std::memcpy(sound->data[0], pcm.data() + at, sizeof(float) * std::size_t(count));
        sound->pts = static_cast<std::int64_t>(at);
        err = media::encodeFrame(c, packet.get(), sound.get(), collect);
        if (err < 0)
            failure("AAC encoding failed", err);
    }
    const int err = media::encodeFrame(c, packet.get(), nullptr, collect);
    if (err < 0)
        failure("AAC encoding failed", err);
    return part;
}

void AacTrackEncoder::Impl::emit(const EncodedAudio& part, std::size_t packets, std::int64_t offset) {
    for (std::size_t i = 0; i < packets; ++i) {
        const EncodedAudio::Packet& p = part.packets[i];
        ffmpeg::PacketPtr packet(av_packet_alloc());
        if (!packet || av_new_packet(packet.get(), static_cast<int>(p.size)) < 0)
            failure("Cannot allocate an audio packet", AVERROR(ENOMEM));
        std::memcpy(packet->data, part.data.data() + p.offset, p.size);
        packet->pts = p.pts + offset;
        packet->dts = p.dts + offset;
        packet->duration = p.duration;
        packet->flags = static_cast<int>(p.flags);
        handOver(std::move(packet));
    }
}

namespace {

// A cached part that can stand for `length` samples: every packet inside its bytes, at least the packets
// needed, on the frame grid from -frameSize.
bool usablePart(const EncodedAudio& part, std::size_t needed) {
    if (part.packets.size() < needed)
        return false;
    for (std::size_t i = 0; i < part.packets.size(); ++i) {
        const EncodedAudio::Packet& p = part.packets[i];
        if (p.offset > part.data.size() || p.size == 0 || p.size > part.data.size() - p.offset ||
            p.size > INT32_MAX / 2 ||
            p.pts != std::int64_t(i) * AacTrackEncoder::kFrameSize - AacTrackEncoder::kFrameSize)
            return false;
    }
    return true;
}

} // namespace

void AacTrackEncoder::Impl::runParts(const std::stop_token& stop) noexcept {
    std::exception_ptr error;
    try {
        Parts& parts = *m_parts;
        const std::size_t n = parts.starts.size();
        const int rate = m_audio.sampleRate;
        // The whole track's length at kSampleRate, as one encoder would make it.
        const auto total = static_cast<std::int64_t>(
            std::llround(double(m_audio.samples.size()) * kSampleRate / double(rate)));
        for (std::size_t i = 0; i < n && !stop.stop_requested(); ++i) {
            const bool last = i + 1 == n;
            const std::int64_t offset = partOffset(parts.starts[i], rate);
            const std::int64_t next = last ? total : partOffset(parts.starts[i + 1], rate);
            const std::size_t end = last ? m_audio.samples.size() : parts.starts[i + 1];
            // Every part but the last is encoded with one frame of silence more than it can ever keep (its
            // next part's point is at most 512 samples later than its own end), so the frames kept never
            // include the encoder's last, shortened one. The last part ends exactly with the track.
            const auto own = static_cast<std::int64_t>(
                std::llround(double(end - parts.starts[i]) * kSampleRate / double(rate)));
            const std::int64_t length =
                last ? std::max<std::int64_t>(next - offset, 0) : own + 2 * kFrameSize;
            // Kept: the frames that start before the next part's first frame (which overlaps this part's
            // end).
            const std::size_t keep =
                last ? 0 : static_cast<std::size_t>(std::max<std::int64_t>(next - offset, 0) / kFrameSize);
            std::optional<EncodedAudio> cached = parts.cached ? parts.cached(i) : std::nullopt;
            const bool reuse = cached && usablePart(*cached, keep);
            EncodedAudio part = reuse ? std::move(*cached) : encodePart(parts.starts[i], end, length, stop);
            if (stop.stop_requested())
                return; // the part may be cut short; nobody waits for it any more
            if (!last && part.packets.size() < keep)
                throw Error(ErrorCode::Internal,
                            "The AAC encoder gave too few frames for a part of " + m_what + ".");
            m_partsReused[i] = reuse;
            emit(part, last ? part.packets.size() : keep, offset);
            if (!reuse && parts.encoded)
                parts.encoded(i, part);
        }
    } catch (...) {
        error = std::current_exception();
    }
    end(error);
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
                                 std::optional<Parts> parts)
    : m_impl(std::make_unique<Impl>(muxer, std::move(audio), bitrate, std::move(what))) {
    Impl* d = m_impl.get();
    if (!parts) {
        d->m_thread = std::jthread([d](std::stop_token stop) { d->run(stop); });
        return;
    }
    const std::vector<std::size_t>& starts = parts->starts;
    bool valid = !starts.empty() && starts.front() == 0;
    for (std::size_t i = 1; valid && i < starts.size(); ++i)
        valid = starts[i] > starts[i - 1] && starts[i] < d->m_audio.samples.size();
    if (!valid)
        throw Error(ErrorCode::InvalidInput, "The sound of " + d->m_what + " was cut into invalid parts.");
    d->m_partsReused.assign(starts.size(), false);
    d->m_parts = std::move(parts);
    d->m_thread = std::jthread([d](std::stop_token stop) { d->runParts(stop); });
}

// The jthread member asks the encoding thread to stop and joins it before the encoder it uses is freed.
AacTrackEncoder::~AacTrackEncoder() = default;

void AacTrackEncoder::writeReady() {
    std::vector<ffmpeg::PacketPtr> packets = m_impl->takeReady();
    m_impl->write(packets);
}

void AacTrackEncoder::writeUntil(std::int64_t time) {
    Impl* d = m_impl.get();
    for (;;) {
        writeReady(); // rethrows the encoding thread's error
        std::unique_lock lock(d->m_mutex);
        if (d->m_readyUntil >= time || d->m_done)
            return;
        d->m_more.wait(lock, [d] { return !d->m_ready.empty() || d->m_done; });
    }
}

void AacTrackEncoder::finish() {
    // Usually long done: it ran while the video was fetched, drawn and remuxed.
    if (m_impl->m_thread.joinable())
        m_impl->m_thread.join();
    writeReady();
}

const std::vector<bool>& AacTrackEncoder::partsReused() const {
    return m_impl->m_partsReused;
}

std::int64_t AacTrackEncoder::partOffset(std::size_t sample, int rate) {
    const double at = double(sample) * kSampleRate / double(rate);
    return std::llround(at / kFrameSize) * kFrameSize;
}

std::string AacTrackEncoder::version() {
    return std::string("aac/2 48k mono aac_coder=fast parts-on-1024-grid ") + LIBAVCODEC_IDENT;
}

} // namespace avatar
