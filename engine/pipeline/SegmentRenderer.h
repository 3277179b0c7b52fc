#pragma once

#include "FrameRing.h"
#include "Narration.h"
#include "RenderCache.h"
#include "RenderSpec.h"
#include "cache/Sha256.h"
#include "captions/Caption.h"
#include "core/CancelToken.h"
#include "media/Mp4Encoder.h"

#include <filesystem>
#include <functional>

namespace avatar {

struct EngineServices;

// The frame stage of a job that has a cache (issue #6): one closed-GOP H.264 segment per narration part
// (a sentence and its pauses), looked up in the cache under everything that determines its pixels, drawn
// and encoded only when missing, and joined into the output MP4 by remuxing (SegmentJoiner), with the whole
// sound track encoded once. After an edit to one sentence only that sentence's segment is drawn again.
class SegmentRenderer {
public:
    struct Job {
        const RenderSpec& spec;
        const Narration& narration;
        FrameRing::Source frames;
        const std::vector<CaptionCue>* burnedCues; // null: no burned captions
        Rect dirty;                                // what changes between frames (see Mp4Encoder)
        EncoderSettings encoder;
        cache::Sha256::Digest scene; // what determines the still frame: RenderCache::sceneKey
        std::uint32_t jobTag = 0;
    };
    // Called on the job's thread after each frame (rendered ones with the image, reused ones with null).
    using FrameCallback = std::function<void(const Image* frame, long long index)>;

    SegmentRenderer(EngineServices& services, const RenderCache& cache)
        : m_services(services), m_cache(cache) {}

    // Writes the video to `output` (temporary file, renamed at the end) with `sound`, the narration's padded
    // track (moved here rather than copied). Adds to result.seconds (render, encode) and result.cache
    // (segments).
    void run(const Job& job, AudioTrack sound, const std::filesystem::path& output, const CancelToken& cancel,
             const FrameCallback& onFrame, RenderResult& result) const;

    // The key of one part's segment: the scene, the exact poses of its frames, its frame count, the size,
    // frame rate, preset and CRF, the burned captions on screen during it (in the segment's own time), the
    // encoder's sequence headers, and the renderer's version. Not its position in the video: parts start on
    // frame boundaries and their poses depend on themselves only, so a segment is reused wherever it lands.
    static cache::CacheKey segmentKey(const Job& job, const NarrationPart& part,
                                      const cache::Sha256::Digest& headers);

private:
    EngineServices& m_services;
    const RenderCache& m_cache;
};

} // namespace avatar
