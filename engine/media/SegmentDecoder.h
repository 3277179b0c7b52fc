#pragma once

#include "core/Image.h"
#include "media/EncodedSegment.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace avatar {

// Decodes an EncodedSegment held in memory back to RGB pictures (libavcodec's H.264 decoder), for what is
// made from a finished segment's frames: the crossfade between two scenes starts from the last frame of one
// and ends on the first of the next, and a composed scene decodes only the groups of pictures it composes
// again (a batch row's changed sentence), never the ones its cache already holds.
class SegmentDecoder {
public:
    // Opens the decoder on the segment's headers; the segment must outlive the decoder. Throws Error(Codec).
    explicit SegmentDecoder(const EncodedSegment& segment);
    ~SegmentDecoder();
    SegmentDecoder(const SegmentDecoder&) = delete;
    SegmentDecoder& operator=(const SegmentDecoder&) = delete;

    // Decodes packets [first, first + count), a closed group of pictures (it starts at an IDR frame and
    // nothing after it refers back past it), and hands its pictures to `take` in presentation order. Groups
    // may be decoded in any order and any may be skipped. Throws Error(Codec) when the group does not
    // decode to `count` pictures, Error(InvalidInput) for packets outside the segment.
    void decodeGroup(std::size_t first, std::size_t count, const std::function<void(const Image&)>& take);

    // The frame at `index` (0 = the first, in presentation order; -1 = the last). Throws Error(Codec) when
    // the segment does not decode, Error(InvalidInput) for an index past its end.
    static Image frame(const EncodedSegment& segment, std::int64_t index);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
