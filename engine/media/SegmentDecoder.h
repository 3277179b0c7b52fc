#pragma once

#include "core/Image.h"
#include "media/EncodedSegment.h"

#include <cstdint>

namespace avatar {

// Decodes an EncodedSegment held in memory back to RGB pictures (libavcodec's H.264 decoder), for what is
// made from a finished segment's frames: the crossfade between two scenes starts from the last frame of one
// and ends on the first of the next.
class SegmentDecoder {
public:
    // The frame at `index` (0 = the first, in presentation order; -1 = the last). Throws Error(Codec) when
    // the segment does not decode, Error(InvalidInput) for an index past its end.
    static Image frame(const EncodedSegment& segment, std::int64_t index);
};

} // namespace avatar
