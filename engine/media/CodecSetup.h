#pragma once

// The FFmpeg steps Mp4Encoder, SegmentEncoder, SegmentJoiner and AacTrackEncoder share, so that their H.264
// streams are set up (and tagged) alike and their AAC tracks are encoded the same way. Internal to
// engine/media: it includes FFmpeg's headers.

#include "media/FfmpegPtr.h"
#include "media/Mp4Encoder.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace avatar::media {

// 'path', for messages.
std::string quoted(const std::filesystem::path& path);

// Error(Codec): "<what> while writing <target> (<FFmpeg's text>)."; without a target "<what> (<text>).".
[[noreturn]] void codecFailure(const char* what, int err, const std::string& target = {});

// Error(InvalidInput) for a size, frame rate, x264 preset or CRF libx264 cannot take. `listPresets` adds the
// known presets to the message about an unknown one.
void validateVideoSettings(const EncoderSettings& s, bool listPresets);

// One tick a frame: den/num seconds (1/25, 1001/30000), the video streams' time base.
inline AVRational timeBase(FrameRate rate) {
    return AVRational{rate.den(), rate.num()};
}

// libx264, or Error(Codec) saying that this FFmpeg lacks it.
const AVCodec* findX264();
// Size, rate, GOP (a key frame every 2 s), threads, BT.601 tags, preset and CRF; the caller adds its flags.
void configureX264(AVCodecContext* c, const EncoderSettings& s);
// swscale's RGB->YUV conversion is BT.601 limited range; tagging the stream the same way makes players (and
// MediaReader) convert back to the colours that were rendered.
void tagBt601(AVCodecParameters* par);
// Gives `picture` the encoder's format, size and colour tags and allocates its buffer; an AVERROR code.
int allocPicture(AVFrame* picture, const AVCodecContext* c);

// Sends `frame` (nullptr: flush) to the encoder and hands each packet it returns to take(AVPacket*), which
// owns the packet's data from then on. Returns 0, or the encoder's AVERROR code.
template <typename Take>
int encodeFrame(AVCodecContext* codec, AVPacket* packet, const AVFrame* frame, Take&& take) {
    int err = avcodec_send_frame(codec, frame);
    if (err < 0)
        return err;
    for (;;) {
        err = avcodec_receive_packet(codec, packet);
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF)
            return 0;
        if (err < 0)
            return err;
        take(packet);
    }
}

// FFmpeg's native AAC encoder, or Error(Codec) saying that this FFmpeg lacks it.
const AVCodec* findAac();
// Mono float planar at `sampleRate`, `bitrate` bit/s; a global header when the muxer wants one.
void configureAac(AVCodecContext* c, int sampleRate, int bitrate, const AVFormatContext* muxer);
// A new MP4 muxer writing to `file` (the temporary file of `output`, which names it in errors). Opening the
// file at once makes an unwritable destination fail before any rendering work. Throws Error(Codec) when
// FFmpeg cannot write MP4, Error(Io) when the folder is not writable.
ffmpeg::OutputFormatPtr openMp4(const std::filesystem::path& file, const std::filesystem::path& output);

// Opens a configured AAC encoder with the options every sound track here uses: the "fast" coder, which
// searches quantisers greedily instead of in two loops (about 3x faster on speech at these bit rates, with no
// audible difference). Returns FFmpeg's error code.
int openAac(AVCodecContext* c, const AVCodec* codec);
// An AAC frame of `frameSize` samples for the opened encoder `c` (Error(Codec) on failure).
void allocSoundFrame(AVFrame* sound, const AVCodecContext* c, int frameSize, const std::string& target);

// The speech (mono 16-bit at its own rate) resampled to the AAC encoder's input in chunks, gathered in a FIFO
// from which whole encoder frames are read.
struct AudioResampleQueue {
    // Input samples handed to the resampler per call: small enough that audio stays close to the video frame
    // it accompanies, large enough that the per-call overhead is negligible.
    static constexpr int kChunk = 4096;

    void open(AVCodecContext* c, int inputRate, int frameSize, const std::string& target);
    // Resamples the next chunk of `samples` into the FIFO, or drains the resampler once they are used up.
    void resampleMore(const std::vector<std::int16_t>& samples, const std::string& target);
    // Fills `sound` (a frame of `frameSize` samples) with the next audio and returns how many samples it got:
    // `frameSize`, fewer for the last frame (the native AAC encoder marks that packet's real duration, so a
    // track is exactly as long as its speech), 0 once everything was read.
    int readFrame(const std::vector<std::int16_t>& samples, AVFrame* sound, int frameSize,
                  const std::string& target);

    ffmpeg::SwrContextPtr resampler;
    ffmpeg::AudioFifoPtr fifo;
    std::vector<float> resampled; // the resampler's output buffer, reused
    std::size_t consumed = 0;     // input samples handed to the resampler
    bool flushed = false;
};

} // namespace avatar::media
