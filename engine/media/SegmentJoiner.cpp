#include "media/SegmentJoiner.h"

#include "core/AtomicFile.h"
#include "core/Error.h"
#include "media/AacTrackEncoder.h"
#include "media/CodecSetup.h"
#include "media/FfmpegPtr.h"

#include <cstring>

namespace avatar {
using media::quoted;

struct SegmentJoiner::Impl {
    Impl(const std::filesystem::path& output, const EncoderSettings& settings, AudioTrack audio,
         std::optional<AacTrackEncoder::Parts> audioParts);
    void writeHeader(const EncodedSegment& first);
    void append(const EncodedSegment& segment);
    void finish();
    [[noreturn]] void ioFailure(int err) const {
        throw Error(ErrorCode::Io, "Cannot write " + quoted(m_output) + ": " + ffmpeg::errorText(err) + ".");
    }

    std::filesystem::path m_output;
    EncoderSettings m_settings;
    // Declared before the muxer so that the file is closed (muxer destroyed) before it is deleted.
    AtomicFile m_file;
    ffmpeg::OutputFormatPtr m_format;
    AVStream* m_video = nullptr;
    std::unique_ptr<AacTrackEncoder> m_audio;
    ffmpeg::PacketPtr m_packet;
    std::vector<std::uint8_t> m_headers; // of the first segment: every other must have the same
    int m_reorderDepth = 0;
    bool m_headerWritten = false;
    bool m_finished = false;
    std::int64_t m_frames = 0;
};

SegmentJoiner::Impl::Impl(const std::filesystem::path& output, const EncoderSettings& settings,
                          AudioTrack audio, std::optional<AacTrackEncoder::Parts> audioParts)
    : m_output(output), m_settings(settings), m_file(output) {
    m_format = media::openMp4(m_file.openedPath(), output);
    m_packet.reset(av_packet_alloc());
    m_video = avformat_new_stream(m_format.get(), nullptr);
    if (!m_packet || !m_video)
        throw Error(ErrorCode::Codec, "Cannot set up the video stream of " + quoted(output) + ".");
    AVCodecParameters* par = m_video->codecpar;
    par->codec_type = AVMEDIA_TYPE_VIDEO;
    par->codec_id = AV_CODEC_ID_H264;
    par->width = settings.width;
    par->height = settings.height;
    par->format = AV_PIX_FMT_YUV420P;
    par->sample_aspect_ratio = AVRational{1, 1};
    // The tags SegmentEncoder (like Mp4Encoder) gives its pictures: BT.601, limited range.
    media::tagBt601(par);
    m_video->time_base = media::timeBase(settings.fps);
    m_video->avg_frame_rate = AVRational{settings.fps.num(), settings.fps.den()};
    // The sound is encoded on a thread of its own and may reach the muxer well before or after the video of
    // the same time. Without a limit on how far the streams may drift apart the muxer holds packets until
    // every stream has caught up, so the file is laid out by decoding time alone, the same whatever the
    // timing (at worst the video is held in memory until the sound arrives; it is the size of the output).
    m_format->max_interleave_delta = 0;
    if (!audio.samples.empty())
        m_audio = std::make_unique<AacTrackEncoder>(m_format.get(), std::move(audio), settings.audioBitrate,
                                                    quoted(output), std::move(audioParts));
}

void SegmentJoiner::Impl::writeHeader(const EncodedSegment& first) {
    m_headers = first.headers;
    m_reorderDepth = first.reorderDepth;
    AVCodecParameters* par = m_video->codecpar;
    par->extradata = static_cast<std::uint8_t*>(av_mallocz(m_headers.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    if (!par->extradata)
        throw Error(ErrorCode::OutOfMemory, "Out of memory while writing " + quoted(m_output) + ".");
    std::memcpy(par->extradata, m_headers.data(), m_headers.size());
    par->extradata_size = static_cast<int>(m_headers.size());
    par->video_delay = m_reorderDepth;
    if (m_headers.size() >= 4 && m_headers[0] == 1) { // avcC: profile and level, for players that show them
        par->profile = m_headers[1];
        par->level = m_headers[3];
    }
    AVDictionary* options = nullptr;
    av_dict_set(&options, "movflags", "+faststart", 0);
    const int err = avformat_write_header(m_format.get(), &options);
    av_dict_free(&options);
    if (err < 0)
        ioFailure(err);
    m_headerWritten = true;
}

void SegmentJoiner::Impl::append(const EncodedSegment& s) {
    if (m_finished)
        throw Error(ErrorCode::Internal,
                    "A segment was added after the video " + quoted(m_output) + " was finished.");
    if (s.width != m_settings.width || s.height != m_settings.height || s.fps != m_settings.fps)
        throw Error(ErrorCode::Internal, "A " + std::to_string(s.width) + "x" + std::to_string(s.height) +
                                             " segment at " + s.fps.label() + " fps cannot join the video " +
                                             quoted(m_output) + ".");
    if (s.packets.empty() || !s.packets.front().key)
        throw Error(ErrorCode::Internal, "A video segment does not start with a key frame.");
    if (!m_headerWritten)
        writeHeader(s);
    else if (s.headers != m_headers || s.reorderDepth != m_reorderDepth)
        throw Error(ErrorCode::Internal, "A video segment was encoded with other settings than the rest of " +
                                             quoted(m_output) + ".");
    // The sound up to this segment's end first: the muxer holds video packets until the sound catches up.
    if (m_audio)
        m_audio->writeUntil(m_settings.fps.sampleAt(m_frames + s.frames(), AacTrackEncoder::kSampleRate));
    const AVRational frameBase = media::timeBase(m_settings.fps);
    for (std::size_t k = 0; k < s.packets.size(); ++k) {
        const EncodedSegment::Packet& p = s.packets[k];
        // One frame per packet at a constant rate: the k-th packet in decoding order is decoded at k minus
        // the B-frame delay. The same delay in every segment makes decoding times run on without a seam.
        const std::int64_t pts = m_frames + p.pts;
        const std::int64_t dts = m_frames + static_cast<std::int64_t>(k) - m_reorderDepth;
        if (dts > pts)
            throw Error(ErrorCode::Internal, "A video segment reorders frames more than its headers allow.");
        AVPacket* packet = m_packet.get();
        int err = av_new_packet(packet, static_cast<int>(p.size));
        if (err < 0)
            throw Error(ErrorCode::OutOfMemory, "Out of memory while writing " + quoted(m_output) + ".");
        std::memcpy(packet->data, s.data.data() + p.offset, p.size);
        packet->pts = pts;
        packet->dts = dts;
        packet->duration = 1;
        packet->flags = p.key ? AV_PKT_FLAG_KEY : 0;
        packet->stream_index = m_video->index;
        av_packet_rescale_ts(packet, frameBase, m_video->time_base);
        err = av_interleaved_write_frame(m_format.get(), packet); // takes the packet's data
        if (err < 0)
            ioFailure(err);
    }
    m_frames += s.frames();
    if (m_audio)
        m_audio->writeReady();
}

void SegmentJoiner::Impl::finish() {
    if (m_finished)
        return;
    if (!m_headerWritten || m_frames == 0)
        throw Error(ErrorCode::Internal, "The video " + quoted(m_output) + " was finished without frames.");
    if (m_audio)
        m_audio->finish();
    int err = av_write_trailer(m_format.get());
    if (err >= 0)
        err = avio_closep(&m_format->pb);
    if (err < 0)
        ioFailure(err);
    m_format.reset();
    m_file.commit();
    m_finished = true;
}

SegmentJoiner::SegmentJoiner(const std::filesystem::path& output, const EncoderSettings& settings,
                             AudioTrack audio, std::optional<AacTrackEncoder::Parts> audioParts) {
    ffmpeg::quietLogs();
    if (!settings.fps.supported() || settings.width <= 0 || settings.height <= 0)
        throw Error(ErrorCode::InvalidInput, "The video settings of " + quoted(output) + " are invalid.");
    std::error_code ec;
    if (std::filesystem::is_directory(output, ec))
        throw Error(ErrorCode::Io, "Cannot write " + quoted(output) +
                                       ": it is a folder; choose a file name such as out.mp4.");
    m_impl = std::make_unique<Impl>(output, settings, std::move(audio), std::move(audioParts));
}

// Impl's members close the muxer and then delete the temporary file unless finish() renamed it.
SegmentJoiner::~SegmentJoiner() = default;

void SegmentJoiner::append(const EncodedSegment& segment) {
    m_impl->append(segment);
}

std::int64_t SegmentJoiner::framesWritten() const {
    return m_impl->m_frames;
}

void SegmentJoiner::finish() {
    m_impl->finish();
}

const AacTrackEncoder* SegmentJoiner::audio() const {
    return m_impl->m_finished ? m_impl->m_audio.get() : nullptr;
}

} // namespace avatar
