#include "media/Mp4Encoder.h"

#include "core/AtomicFile.h"
#include "core/Error.h"
#include "media/CodecSetup.h"
#include "media/FfmpegPtr.h"
#include "media/YuvConverter.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

#include <algorithm>
#include <cmath>
#include <utility>

namespace avatar {

namespace {

constexpr int kAudioRate = 48000;

using media::quoted;

void validate(const std::filesystem::path& output, const EncoderSettings& s, const AudioTrack& audio) {
    media::validateVideoSettings(s, true);
    if (s.audioBitrate < 8000 || s.audioBitrate > 512000)
        throw Error(ErrorCode::InvalidInput, "The audio bitrate " + std::to_string(s.audioBitrate) +
                                                 " is invalid: it must be 8000..512000 bit/s.");
    if (s.threads < 0)
        throw Error(ErrorCode::InvalidInput, "The encoder thread count must be 0 (automatic) or more.");
    if (!audio.samples.empty() && (audio.sampleRate < 1000 || audio.sampleRate > 384000))
        throw Error(ErrorCode::InvalidInput,
                    "The audio sample rate " + std::to_string(audio.sampleRate) + " Hz is not supported.");

    const std::filesystem::path folder = output.has_parent_path() ? output.parent_path() : ".";
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error))
        throw Error(ErrorCode::Io,
                    "Cannot write " + quoted(output) + ": the folder " + quoted(folder) + " does not exist.");
    if (std::filesystem::is_directory(output, error))
        throw Error(ErrorCode::Io, "Cannot write " + quoted(output) +
                                       ": it is a folder; choose a file name such as out.mp4.");
}

} // namespace

struct Mp4Encoder::Impl {
    Impl(const std::filesystem::path& output, const EncoderSettings& settings, AudioTrack audio);

    void openVideo();
    void openAudio();
    void writeFrame(const Image& rgb, const Rect& dirty);
    void finish();

    void encodeAudioUntil(std::int64_t sampleTarget);
    void encode(AVCodecContext* codec, AVStream* stream, const AVFrame* frame);
    [[noreturn]] void codecFailure(const char* what, int err) const;

    std::filesystem::path m_output;
    EncoderSettings m_settings;
    AudioTrack m_audio;

    // Declared before the muxer so that the file is closed (muxer destroyed) before it is deleted.
    AtomicFile m_file;
    ffmpeg::OutputFormatPtr m_format;
    ffmpeg::CodecContextPtr m_videoCodec;
    ffmpeg::CodecContextPtr m_audioCodec;
    AVStream* m_videoStream = nullptr;
    AVStream* m_audioStream = nullptr;
    ffmpeg::PacketPtr m_packet;

    // The YUV picture persists across frames: only dirty parts are rewritten, the rest is still valid.
    ffmpeg::FramePtr m_picture;
    YuvConverter m_converter;
    std::int64_t m_frames = 0;

    media::AudioResampleQueue m_queue; // 48 kHz float samples waiting for a whole AAC frame
    ffmpeg::FramePtr m_sound;
    std::int64_t m_audioSent = 0; // 48 kHz samples given to the AAC encoder: the next frame's pts
    int m_audioFrameSize = 1024;

    bool m_finished = false;
};

Mp4Encoder::Impl::Impl(const std::filesystem::path& output, const EncoderSettings& settings, AudioTrack audio)
    : m_output(output), m_settings(settings), m_audio(std::move(audio)), m_file(output),
      m_converter(settings.width, settings.height) {
    // Opening the file now makes an unwritable destination fail before any rendering work is done.
    m_format = media::openMp4(m_file.openedPath(), output);

    m_packet.reset(av_packet_alloc());
    if (!m_packet)
        codecFailure("Cannot allocate a packet", AVERROR(ENOMEM));
    openVideo();
    if (!m_audio.samples.empty())
        openAudio();

    AVDictionary* options = nullptr;
    // faststart rewrites the file at the end so that the index ('moov') precedes the media data: players and
    // browsers can start before the download completes.
    av_dict_set(&options, "movflags", "+faststart", 0);
    const int err = avformat_write_header(m_format.get(), &options);
    av_dict_free(&options);
    if (err < 0)
        throw Error(ErrorCode::Io, "Cannot write " + quoted(output) + ": " + ffmpeg::errorText(err) + ".");
}

void Mp4Encoder::Impl::codecFailure(const char* what, int err) const {
    media::codecFailure(what, err, quoted(m_output));
}

void Mp4Encoder::Impl::openVideo() {
    const AVCodec* codec = media::findX264();
    m_videoCodec.reset(avcodec_alloc_context3(codec));
    if (!m_videoCodec)
        codecFailure("Cannot allocate the H.264 encoder", AVERROR(ENOMEM));
    AVCodecContext* c = m_videoCodec.get();
    media::configureX264(c, m_settings);
    if (m_format->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;

    int err = avcodec_open2(c, codec, nullptr);
    if (err < 0)
        codecFailure("Cannot start the H.264 encoder", err);

    m_videoStream = avformat_new_stream(m_format.get(), nullptr);
    if (!m_videoStream)
        codecFailure("Cannot add the video stream", AVERROR(ENOMEM));
    m_videoStream->time_base = c->time_base;
    m_videoStream->avg_frame_rate = c->framerate;
    err = avcodec_parameters_from_context(m_videoStream->codecpar, c);
    if (err < 0)
        codecFailure("Cannot describe the video stream", err);

    m_picture.reset(av_frame_alloc());
    if (!m_picture)
        codecFailure("Cannot allocate a video frame", AVERROR(ENOMEM));
    err = media::allocPicture(m_picture.get(), c);
    if (err < 0)
        codecFailure("Cannot allocate a video frame", err);
}

void Mp4Encoder::Impl::openAudio() {
    const AVCodec* codec = media::findAac();
    m_audioCodec.reset(avcodec_alloc_context3(codec));
    if (!m_audioCodec)
        codecFailure("Cannot allocate the AAC encoder", AVERROR(ENOMEM));
    AVCodecContext* c = m_audioCodec.get();
    media::configureAac(c, kAudioRate, m_settings.audioBitrate, m_format.get());
    int err = media::openAac(c, codec);
    if (err < 0)
        codecFailure("Cannot start the AAC encoder", err);
    if (c->frame_size > 0)
        m_audioFrameSize = c->frame_size;

    m_audioStream = avformat_new_stream(m_format.get(), nullptr);
    if (!m_audioStream)
        codecFailure("Cannot add the audio stream", AVERROR(ENOMEM));
    m_audioStream->time_base = c->time_base;
    err = avcodec_parameters_from_context(m_audioStream->codecpar, c);
    if (err < 0)
        codecFailure("Cannot describe the audio stream", err);

    m_sound.reset(av_frame_alloc());
    if (!m_sound)
        codecFailure("Cannot allocate an audio frame", AVERROR(ENOMEM));
    media::allocSoundFrame(m_sound.get(), c, m_audioFrameSize, quoted(m_output));
    m_queue.open(c, m_audio.sampleRate, m_audioFrameSize, quoted(m_output));
}

void Mp4Encoder::Impl::writeFrame(const Image& rgb, const Rect& dirty) {
    if (m_finished)
        throw Error(ErrorCode::Internal,
                    "A frame was written after the video " + quoted(m_output) + " was finished.");
    if (rgb.width() != m_settings.width || rgb.height() != m_settings.height)
        throw Error(ErrorCode::InvalidInput, "A " + std::to_string(rgb.width()) + "x" +
                                                 std::to_string(rgb.height()) + " frame cannot go into a " +
                                                 std::to_string(m_settings.width) + "x" +
                                                 std::to_string(m_settings.height) + " video.");

    // Normally a no-op: the encoder copies the picture and drops its reference. If it still held one, this
    // copies the buffer, which keeps the unchanged parts intact.
    int err = av_frame_make_writable(m_picture.get());
    if (err < 0)
        codecFailure("Cannot reuse the video frame", err);

    m_converter.convertChanged(rgb, dirty, m_frames == 0, m_picture.get());

    m_picture->pts = m_frames;
    encode(m_videoCodec.get(), m_videoStream, m_picture.get());
    ++m_frames;
    // Audio up to the start of the next frame, so that the muxer interleaves the two streams as it goes.
    encodeAudioUntil(m_settings.fps.sampleAt(m_frames, kAudioRate));
}

void Mp4Encoder::Impl::encodeAudioUntil(std::int64_t sampleTarget) {
    if (!m_audioCodec)
        return;
    while (m_audioSent < sampleTarget) {
        const int count =
            m_queue.readFrame(m_audio.samples, m_sound.get(), m_audioFrameSize, quoted(m_output));
        if (count == 0)
            return; // all audio is encoded
        // The encoder's packets carry this pts minus its priming delay; the muxer turns that into an edit
        // list.
        m_sound->pts = m_audioSent;
        m_audioSent += count;
        encode(m_audioCodec.get(), m_audioStream, m_sound.get());
        if (count < m_audioFrameSize)
            return;
    }
}

void Mp4Encoder::Impl::encode(AVCodecContext* codec, AVStream* stream, const AVFrame* frame) {
    const int err = media::encodeFrame(codec, m_packet.get(), frame, [&](AVPacket* packet) {
        av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
        packet->stream_index = stream->index;
        // Takes ownership of the packet's data and leaves it blank for the next round.
        const int written = av_interleaved_write_frame(m_format.get(), packet);
        if (written < 0)
            throw Error(ErrorCode::Io,
                        "Cannot write " + quoted(m_output) + ": " + ffmpeg::errorText(written) + ".");
    });
    if (err < 0)
        codecFailure(codec == m_videoCodec.get() ? "H.264 encoding failed" : "AAC encoding failed", err);
}

void Mp4Encoder::Impl::finish() {
    if (m_finished)
        return;
    if (m_frames == 0)
        throw Error(ErrorCode::Internal, "The video " + quoted(m_output) + " was finished without frames.");
    encodeAudioUntil(INT64_MAX);
    encode(m_videoCodec.get(), m_videoStream, nullptr);
    if (m_audioCodec)
        encode(m_audioCodec.get(), m_audioStream, nullptr);
    int err = av_write_trailer(m_format.get());
    if (err >= 0)
        err = avio_closep(&m_format->pb);
    if (err < 0)
        throw Error(ErrorCode::Io, "Cannot write " + quoted(m_output) + ": " + ffmpeg::errorText(err) + ".");
    m_format.reset();
    m_file.commit();
    m_finished = true;
}

Mp4Encoder::Mp4Encoder(const std::filesystem::path& output, const EncoderSettings& settings,
                       AudioTrack audio) {
    ffmpeg::quietLogs();
    validate(output, settings, audio);
    m_impl = std::make_unique<Impl>(output, settings, std::move(audio));
}

// Impl's members close the muxer and then delete the temporary file unless finish() renamed it.
Mp4Encoder::~Mp4Encoder() = default;

void Mp4Encoder::writeFrame(const Image& rgb, const Rect& dirty) {
    m_impl->writeFrame(rgb, dirty);
}

std::int64_t Mp4Encoder::framesWritten() const {
    return m_impl->m_frames;
}

void Mp4Encoder::finish() {
    m_impl->finish();
}

} // namespace avatar
