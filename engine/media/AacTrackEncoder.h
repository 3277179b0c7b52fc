#pragma once

#include "media/Mp4Encoder.h"

#include <cstdint>
#include <functional>
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
// it overlaps with fetching, drawing and remuxing the video instead of following it. Only the calling thread
// touches the muxer: writeReady() and finish() hand it the packets done so far, and its interleaving (by
// decoding time) puts them in place whatever their arrival order.
//
// With Parts (incremental re-rendering, issue #6), the track is cut where the narration's parts begin (a
// sentence and the pause after it) and each part is encoded by an encoder of its own from its own samples
// alone, so that an unchanged sentence's encoding is reused wherever the next render puts it. AAC codes
// 1024-sample frames, each overlapping the next, so packets can only be exchanged on that grid: a part is
// laid at the grid point nearest to its first video frame (at most 512 samples, 10.7 ms, away, never adding
// up along the video), its frames before the next part's point are kept, and the rest (the pause's end) is
// dropped. Parts meet inside the pause that ends every sentence, where both encoders saw silence, so the
// decoder's overlap of their frames is seamless. The last part is cut or padded to end where the track ends.
class AacTrackEncoder {
public:
    static constexpr int kSampleRate = 48000;
    static constexpr int kFrameSize = 1024; // samples per AAC-LC frame

    // Both functions are called on the encoding thread, part by part, so that a long video's encodings are
    // never all held at once.
    struct Parts {
        std::vector<std::size_t> starts; // each part's first sample: 0 first, then increasing
        // Part i's encoding from an earlier render (`encoded`'s argument then), or none.
        std::function<std::optional<EncodedAudio>(std::size_t)> cached;
        // Part i was encoded anew: its own encoding, in its own time (its first packet at -kFrameSize).
        std::function<void(std::size_t, const EncodedAudio&)> encoded;
    };

    // Adds the audio stream to `muxer` (before its header is written) and starts encoding. `what` names the
    // file in errors. Throws Error(Codec) when FFmpeg lacks its AAC encoder, Error(InvalidInput) for parts
    // that do not cut the track.
    AacTrackEncoder(AVFormatContext* muxer, AudioTrack audio, int bitrate, std::string what,
                    std::optional<Parts> parts = std::nullopt);
    // Stops the encoding thread (when finish() was not reached: cancellation, an error) and joins it.
    ~AacTrackEncoder();
    AacTrackEncoder(const AacTrackEncoder&) = delete;
    AacTrackEncoder& operator=(const AacTrackEncoder&) = delete;

    // Writes the packets encoded so far to the muxer, without waiting; the header must have been written.
    // Throws what the encoding thread failed with.
    void writeReady();
    // Writes packets as they come until the track reaches `time` (in 1/kSampleRate s) or the encoding
    // ended: the video written beside it then never waits in the muxer's interleaving queue for long (a
    // long video's reused segments are remuxed far faster than its sound is encoded).
    void writeUntil(std::int64_t time);
    // Waits for the encoding to end and writes the rest; the track then holds every sample.
    void finish();
    // Which parts came from Parts::cached (the others were encoded, or their cached form was unusable).
    const std::vector<bool>& partsReused() const;
    // Where a part that starts at `sample` (of a track at `rate` Hz) lands in the encoded track, in
    // 1/kSampleRate s: the AAC frame boundary nearest to it.
    static std::int64_t partOffset(std::size_t sample, int rate);
    // What determines the encoder's output besides the samples and bit rate: FFmpeg's version and the
    // options used, and how parts are cut. Part of the cache key of an EncodedAudio.
    static std::string version();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
