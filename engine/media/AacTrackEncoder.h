#pragma once

#include "media/Mp4Encoder.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct AVFormatContext;

namespace avatar {

// An encoded AAC track held in memory (as RenderCache stores it): its packets in decoding order, times in
// 1/kSampleRate s, and their bytes.
struct EncodedAudio {
    struct Packet {
        std::int64_t pts = 0;
        std::int64_t dts = 0;
        std::int64_t duration = 0;
        std::int64_t flags = 0;
        std::uint64_t offset = 0; // into data
        std::uint64_t size = 0;
    };
    std::vector<Packet> packets;
    std::vector<std::uint8_t> data;
};

// Encodes one whole AudioTrack (mono 16-bit PCM at any rate) as 48 kHz AAC for a stream of an open muxer.
// The same encoding as Mp4Encoder's audio; used by SegmentJoiner, which copies the video and encodes only the
// sound. The encoding runs on a thread of its own, started by the constructor, into packets held in memory:
// it is the one fixed cost of a re-render whose segments all come from the cache, so it overlaps with
// fetching, drawing and remuxing the video instead of following it. Only the calling thread touches the
// muxer: writeReady() and finish() hand it the packets done so far, and its interleaving (by decoding time)
// puts them in place whatever their arrival order.
class AacTrackEncoder {
public:
    static constexpr int kSampleRate = 48000;

    // Adds the audio stream to `muxer` (before its header is written) and starts encoding. `what` names the
    // file in errors. Throws Error(Codec) when FFmpeg lacks its AAC encoder.
    // With `cached` (what encoded() returned for the same samples, rate and bit rate), nothing is encoded:
    // its packets are written instead. The encoder is still opened, for the stream's parameters.
    AacTrackEncoder(AVFormatContext* muxer, AudioTrack audio, int bitrate, std::string what,
                    std::optional<EncodedAudio> cached = std::nullopt);
    // Stops the encoding thread (when finish() was not reached: cancellation, an error) and joins it.
    ~AacTrackEncoder();
    AacTrackEncoder(const AacTrackEncoder&) = delete;
    AacTrackEncoder& operator=(const AacTrackEncoder&) = delete;

    // Writes the packets encoded so far to the muxer, without waiting; the header must have been written.
    // Throws what the encoding thread failed with.
    void writeReady();
    // Waits for the encoding to end and writes the rest; the track then holds every sample.
    void finish();
    // The whole track, for the cache, once finish() returned.
    const EncodedAudio& encoded() const;
    // What determines the encoder's output besides the samples and bit rate: FFmpeg's version and the
    // options used. Part of the cache key of an EncodedAudio.
    static std::string version();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
