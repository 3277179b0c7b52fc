#pragma once

#include "core/FrameRate.h"
#include "core/Image.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace avatar {

struct EncoderSettings {
    int width = 1280;                // even
    int height = 720;                // even
    FrameRate fps = 25;              // the stream's time base is its inverse (1001/30000 at 29.97)
    std::string preset = "veryfast"; // x264 preset
    int crf = 20;
    int audioBitrate = 128000;
    int threads = 0; // x264 threads; 0 = automatic
};

// Mono 16-bit PCM at any sample rate; the encoder resamples to 48 kHz AAC.
struct AudioTrack {
    int sampleRate = 0;
    std::vector<std::int16_t> samples;
    double duration() const { return sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0; }
};

// Writes H.264 (libx264, yuv420p) + AAC 48 kHz into an MP4 with faststart. The file is written next to the
// output under a temporary name and renamed over `output` by finish(); if the encoder is destroyed without
// finish() (error, cancellation) the temporary file is removed, so no partial file ever sits at `output`.
// Audio is muxed progressively alongside the video frames so that the file is properly interleaved.
class Mp4Encoder {
public:
    // Throws Error(InvalidInput) for settings out of range (odd size, a frame rate outside FrameRate's range,
    // unknown preset), Error(Io) when the output folder is missing or unwritable, Error(Codec) when FFmpeg
    // lacks libx264 or AAC. An empty audio track gives a file without an audio stream.
    Mp4Encoder(const std::filesystem::path& output, const EncoderSettings& settings, AudioTrack audio);
    ~Mp4Encoder();
    Mp4Encoder(const Mp4Encoder&) = delete;
    Mp4Encoder& operator=(const Mp4Encoder&) = delete;

    // Frames have the encoder's size. `dirty` tells which part changed since the previous frame: only that
    // part is converted to YUV (the first frame is always converted whole). Pass image.rect() when unsure.
    void writeFrame(const Image& rgb, const Rect& dirty);
    void writeFrame(const Image& rgb) { writeFrame(rgb, rgb.rect()); }

    // Number of video frames whose duration matches the audio (rounded, at least 1).
    static std::int64_t framesForDuration(double seconds, FrameRate fps) { return fps.framesFor(seconds); }

    std::int64_t framesWritten() const;
    // Flushes both encoders, writes the trailer (faststart moves the index to the front) and renames the
    // temporary file onto the output path.
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
