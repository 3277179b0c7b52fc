#pragma once

#include "core/Image.h"
#include "media/EncodedSegment.h"
#include "media/Mp4Encoder.h"

#include <memory>

namespace avatar {

// Encodes a run of frames into an EncodedSegment in memory with libx264: the same picture settings as
// Mp4Encoder (BT.601 limited range, yuv420p, preset, CRF), plus x264's "stitchable" mode, which keeps the
// sequence headers independent of the content, so that segments encoded apart share one SPS/PPS and can be
// joined into one stream. Every segment starts with an IDR frame and its groups of pictures are closed (no
// frame refers across an IDR), so a segment decodes on its own.
class SegmentEncoder {
public:
    // Throws Error(InvalidInput) for settings out of range, Error(Codec) when FFmpeg lacks libx264.
    explicit SegmentEncoder(const EncoderSettings& settings);
    ~SegmentEncoder();
    SegmentEncoder(const SegmentEncoder&) = delete;
    SegmentEncoder& operator=(const SegmentEncoder&) = delete;

    // The sequence headers (avcC) and B-frame delay every segment made with these settings will have: known
    // as soon as the encoder is open, before any frame.
    const std::vector<std::uint8_t>& headers() const;
    int reorderDepth() const;

    // As Mp4Encoder::writeFrame: only `dirty` is converted to YUV after the first frame.
    void writeFrame(const Image& rgb, const Rect& dirty);
    std::int64_t framesWritten() const;
    // Flushes the encoder; at least one frame must have been written.
    EncodedSegment finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
