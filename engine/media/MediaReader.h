#pragma once

#include "core/FrameRate.h"
#include "core/Image.h"
#include "media/EncodedSegment.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace avatar {

struct MediaInfo {
    int videoStreams = 0;
    int audioStreams = 0;
    std::string videoCodec;  // FFmpeg codec name, e.g. "h264"
    std::string audioCodec;  // e.g. "aac"
    std::string pixelFormat; // e.g. "yuv420p"
    int width = 0;
    int height = 0;
    double fps = 0.0;            // frameRate as a number
    FrameRate frameRate = 0;     // exact, as the stream states it (30000/1001); 0 when it states none
    std::int64_t frameCount = 0; // counted by demuxing every video packet
    double videoDuration = 0.0;  // seconds
    double audioDuration = 0.0;  // seconds
    int audioSampleRate = 0;
    int audioChannels = 0;
    bool faststart = false; // the 'moov' box precedes 'mdat'
};

// Reads MP4 (or any FFmpeg-readable) files back: used by tests, benchmarks and later by segment remuxing.
class MediaReader {
public:
    // Throws Error(NotFound) / Error(Unreadable).
    explicit MediaReader(const std::filesystem::path& path);
    ~MediaReader();
    MediaReader(const MediaReader&) = delete;
    MediaReader& operator=(const MediaReader&) = delete;

    MediaInfo info() const;
    // Decodes the next video frame into RGB; false at the end of the stream.
    bool readVideoFrame(Image& rgb, double* ptsSeconds = nullptr);
    // Back to the first video frame (a looping background plays a clip again without reopening it). Throws
    // Error(Unreadable) when the file cannot seek.
    void rewind();
    // Decodes the whole audio stream, mixed to mono float at its own sample rate.
    std::vector<float> readAudioMono(int* sampleRate);
    // The H.264 video stream's packets, without decoding, in Annex B form like SegmentEncoder's (an MP4's
    // length-prefixed units get start codes, its avcC headers become SPS and PPS behind start codes), so that
    // finished videos of the same settings can be joined by remuxing (SegmentJoiner). Throws
    // Error(Unreadable) when the file has no H.264 stream at a frame rate FrameRate supports (30000/1001
    // too).
    EncodedSegment readEncodedVideo();

    static MediaInfo probe(const std::filesystem::path& path);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
