#pragma once

#include "media/AacTrackEncoder.h"
#include "media/EncodedSegment.h"
#include "media/Mp4Encoder.h"

#include <filesystem>
#include <memory>
#include <optional>

namespace avatar {

// Joins EncodedSegments into one MP4 by remuxing their packets, without re-encoding: timestamps continue
// from one segment to the next (presentation times offset by the frames before, decoding times derived from
// the packet order with one constant B-frame delay), so the joined stream plays as if encoded in one go.
// The sound is encoded from the AudioTrack (AAC, as Mp4Encoder does, whole or in parts) on a thread started
// by the constructor, so that it overlaps with producing the segments, and interleaved with them by the
// muxer. Like Mp4Encoder, the file is written under a temporary name beside `output` (opened by the
// constructor, so an unwritable folder fails before any work) and renamed by finish(); otherwise the
// destructor removes it. faststart: the index precedes the media data.
class SegmentJoiner {
public:
    // `settings` gives the size, frame rate and audio bitrate every segment must match. Throws Error(Io)
    // when the output cannot be created, Error(Codec) when FFmpeg lacks MP4 or AAC support.
    // `audioParts`: the sound cut at the segments' sentences, each part encoded alone or taken from the
    // cache (AacTrackEncoder::Parts).
    SegmentJoiner(const std::filesystem::path& output, const EncoderSettings& settings, AudioTrack audio,
                  std::optional<AacTrackEncoder::Parts> audioParts = std::nullopt);
    ~SegmentJoiner();
    SegmentJoiner(const SegmentJoiner&) = delete;
    SegmentJoiner& operator=(const SegmentJoiner&) = delete;

    // Appends a segment after the previous ones. Throws Error(Internal) when it does not match them (size,
    // frame rate, sequence headers or B-frame delay): such segments cannot share one stream.
    void append(const EncodedSegment& segment);
    std::int64_t framesWritten() const;
    // Writes the rest of the audio, the trailer and the index, and renames the file onto the output.
    void finish();
    // The sound's encoder once finished (its parts' encodings, for the cache); null when there is no sound.
    const AacTrackEncoder* audio() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
