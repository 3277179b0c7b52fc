#pragma once

// RAII owners for the FFmpeg objects used by the media subsystem. FFmpeg's C API frees objects through
// functions that take a pointer-to-pointer; each deleter adapts one of them to std::unique_ptr so that every
// early return or exception releases what was allocated. Only the media .cpp files include this header, which
// keeps FFmpeg's headers out of the rest of the engine.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

namespace avatar::ffmpeg {

struct CodecContextDeleter {
    void operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
};
struct FrameDeleter {
    void operator()(AVFrame* p) const { av_frame_free(&p); }
};
struct PacketDeleter {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsContextDeleter {
    void operator()(SwsContext* p) const { sws_freeContext(p); }
};
struct SwrContextDeleter {
    void operator()(SwrContext* p) const { swr_free(&p); }
};
struct AudioFifoDeleter {
    void operator()(AVAudioFifo* p) const { av_audio_fifo_free(p); }
};
// Demuxers opened with avformat_open_input() must be closed with avformat_close_input().
struct InputFormatDeleter {
    void operator()(AVFormatContext* p) const { avformat_close_input(&p); }
};
// Muxers own an AVIOContext that they did not open themselves, so it is closed before the context is freed.
struct OutputFormatDeleter {
    void operator()(AVFormatContext* p) const {
        if (p->oformat && !(p->oformat->flags & AVFMT_NOFILE))
            avio_closep(&p->pb);
        avformat_free_context(p);
    }
};

using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsContextPtr = std::unique_ptr<SwsContext, SwsContextDeleter>;
using SwrContextPtr = std::unique_ptr<SwrContext, SwrContextDeleter>;
using AudioFifoPtr = std::unique_ptr<AVAudioFifo, AudioFifoDeleter>;
using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;

// FFmpeg's text for an AVERROR code, for error messages.
inline std::string errorText(int err) {
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(err, buffer, sizeof buffer);
    return buffer;
}

// FFmpeg logs encoder statistics and demuxer chatter to stderr by default, which would bury the CLI's one
// clear error line. Failures reach users as avatar::Error instead (with FFmpeg's error text), so FFmpeg
// itself stays silent; AVATAR_FFMPEG_LOG=error|info|verbose|debug brings its log back when diagnosing.
inline void quietLogs() {
    static std::once_flag once;
    std::call_once(once, [] {
        int level = AV_LOG_QUIET;
        if (const char* env = std::getenv("AVATAR_FFMPEG_LOG")) {
            if (!std::strcmp(env, "error"))
                level = AV_LOG_ERROR;
            else if (!std::strcmp(env, "info"))
                level = AV_LOG_INFO;
            else if (!std::strcmp(env, "verbose"))
                level = AV_LOG_VERBOSE;
            else if (!std::strcmp(env, "debug"))
                level = AV_LOG_DEBUG;
        }
        av_log_set_level(level);
    });
}

} // namespace avatar::ffmpeg
