#pragma once

#include "media/Mp4Encoder.h"

#include <cstdint>
#include <memory>
#include <string>

struct AVFormatContext;

namespace avatar {

// Encodes one whole AudioTrack (mono 16-bit PCM at any rate) as 48 kHz AAC into a stream of an open muxer, a
// piece at a time, so that the muxer can interleave it with video. The same encoding as Mp4Encoder's audio;
// used by SegmentJoiner, which copies the video and encodes only the sound.
class AacTrackEncoder {
public:
    static constexpr int kSampleRate = 48000;

    // Adds the audio stream to `muxer` (before its header is written). `what` names the file in errors.
    // Throws Error(Codec) when FFmpeg lacks its AAC encoder.
    AacTrackEncoder(AVFormatContext* muxer, AudioTrack audio, int bitrate, std::string what);
    ~AacTrackEncoder();
    AacTrackEncoder(const AacTrackEncoder&) = delete;
    AacTrackEncoder& operator=(const AacTrackEncoder&) = delete;

    // Encodes and writes the audio up to `sampleTarget` (48 kHz samples from the start).
    void encodeUntil(std::int64_t sampleTarget);
    // Encodes the rest and flushes the encoder.
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
