#include "SegmentRenderer.h"

#include "EngineServices.h"
#include "captions/CaptionBurner.h"
#include "media/SegmentEncoder.h"
#include "media/SegmentJoiner.h"
#include "profile/ProfileMacros.h"
#include "profile/ProfileZone.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>
#include <set>

namespace avatar {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::span<const std::uint8_t> bytesOf(const void* data, std::size_t size) {
    return {static_cast<const std::uint8_t*>(data), size};
}

} // namespace

cache::CacheKey SegmentRenderer::segmentKey(const Job& job, const NarrationPart& part,
                                            const cache::Sha256::Digest& headers) {
    const RenderSpec& spec = job.spec;
    cache::CacheKey::Builder key("segment");
    key.version(RenderCache::kSegmentVersion)
        .digest("scene", job.scene)
        .digest("headers", headers)
        .integer("width", spec.width)
        .integer("height", spec.height)
        .frameRate("fps", spec.fps) // 29.97 never reuses a 30 fps segment
        .text("preset", job.encoder.preset)
        .integer("crf", job.encoder.crf)
        .integer("frames", part.frames);
    // The poses as drawn, bit for bit: whatever the animation depends on, equal poses draw equal pixels.
    cache::Sha256 poses;
    for (long long f = part.firstFrame; f < part.firstFrame + part.frames; ++f) {
        const MouthParams& p = job.frames.poses[static_cast<std::size_t>(f)];
        const double values[] = {p.open,  p.width,    p.round, p.tuck,  p.tongue, p.blink, p.headX,
                                 p.headY, p.headRoll, p.brow,  p.gazeX, p.gazeY,  p.smile};
        poses.update(bytesOf(values, sizeof values));
    }
    key.digest("poses", poses.finish());
    if (job.burnedCues && job.frames.burner) {
        // The cues on screen during the segment, timed from its start (rounded to a microsecond, far below a
        // frame), and the caption band.
        const double t0 = spec.fps.seconds(part.firstFrame);
        const double t1 = spec.fps.seconds(part.firstFrame + part.frames);
        const Rect band = job.frames.burner->area();
        key.integer("band.x", band.x)
            .integer("band.y", band.y)
            .integer("band.w", band.width)
            .integer("band.h", band.height);
        // Only a styled caption adds its style, so that segments cached before styles existed still match.
        if (spec.captionStyle != CaptionStyle{})
            key.text("caption.style", spec.captionStyle.key());
        for (const CaptionCue& cue : *job.burnedCues) {
            if (cue.end <= t0 || cue.start >= t1)
                continue;
            key.real("cue.start", cue.start - t0, 6).real("cue.end", cue.end - t0, 6);
            for (const std::string& line : cue.lines)
                key.text("line", line);
            for (const CaptionWord& w : cue.words)
                key.text("word", w.text).real("word.start", w.start - t0, 6).real("word.end", w.end - t0, 6);
        }
    } else {
        key.integer("captions", 0);
    }
    // Titles and a logo drawn over the frames (RunHooks::overlay); segments without stay keyed as before.
    if (job.frames.overlay)
        key.text("overlay", job.frames.overlay->key);
    return key.build();
}

void SegmentRenderer::run(const Job& job, AudioTrack audio, const std::filesystem::path& output,
                          const CancelToken& cancel, const FrameCallback& onFrame,
                          RenderResult& result) const {
    Profiler& profiler = m_services.profiler;
    const std::vector<NarrationPart>& parts = job.narration.parts;

    // First the sound, cut at the parts (AacTrackEncoder::Parts): each part's AAC is taken from the cache
    // when its samples did not change, and the others are encoded by the joiner on a thread of its own, which
    // overlaps with the cache lookups, the drawing and the remuxing below instead of adding to them.
    // Everything before the first frame can be drawn: the sound's parts and the segments looked up, the
    // joiner and the frame ring set up (a re-render's fixed cost, shown in reports).
    const ProfileTick setupStart = Profiler::now();
    std::optional<AacTrackEncoder::Parts> audioParts;
    if (!audio.samples.empty() && !parts.empty()) {
        std::vector<std::size_t> starts;
        for (const NarrationPart& part : parts) {
            // Parts start on frame boundaries, where narrate() padded the speech to.
            const auto start =
                static_cast<std::size_t>(job.spec.fps.sampleAt(part.firstFrame, audio.sampleRate));
            if (start >= audio.samples.size() || (!starts.empty() && start <= starts.back()))
                break; // cannot happen for a narration; then the sound is encoded whole
            starts.push_back(start);
        }
        if (starts.size() == parts.size())
            audioParts = m_cache.audioParts(audio, std::move(starts), job.encoder.audioBitrate);
    }
    SegmentJoiner joiner(output, job.encoder, std::move(audio), std::move(audioParts));

    // The sequence headers every segment made with these settings carries: part of each key, so that
    // segments from another x264 build or other settings are never joined with new ones.
    const cache::Sha256::Digest headers = m_services.encoderHeaders.digest(job.encoder);

    // Which segments the cache already has. Their bytes are fetched again when their turn comes rather
    // than held: a long video's segments need not all sit in memory at once.
    std::vector<cache::CacheKey> keys;
    std::vector<bool> reuse(parts.size(), false);
    std::vector<long long> toRender;
    // A part equal to an earlier one of this job (a long pause cut into parts of silence, a repeated
    // sentence) is drawn once: the earlier one is in the cache when its turn comes (or is drawn again, below,
    // should the cache have dropped it).
    std::set<cache::Sha256::Digest> drawn;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        keys.push_back(segmentKey(job, parts[i], headers));
        const std::optional<EncodedSegment> hit = m_cache.segment(keys.back());
        reuse[i] = (hit && hit->frames() == parts[i].frames) || !drawn.insert(keys.back().digest()).second;
        if (!reuse[i])
            for (long long f = parts[i].firstFrame; f < parts[i].firstFrame + parts[i].frames; ++f)
                toRender.push_back(f);
    }

    std::optional<FrameRing> ring;
    if (!toRender.empty())
        ring.emplace(m_services, job.frames, std::move(toRender), job.spec.threads, job.jobTag);
    profiler.recordZone("segments.setup", setupStart, Profiler::now(), ProfilingLevel::Moderate);

    // Draws and encodes one part from `frames`, stores it in the cache and returns it.
    auto encodePart = [&](const NarrationPart& part, FrameRing& frames, const cache::CacheKey& key) {
        std::optional<SegmentEncoder> opened;
        {
            AVATAR_ZONE_LEVEL(profiler, "encode.open", ProfilingLevel::Moderate);
            opened.emplace(job.encoder);
        }
        SegmentEncoder& encoder = *opened;
        for (long long f = part.firstFrame; f < part.firstFrame + part.frames; ++f) {
            const Image& frame = frames.next();
            cancel.throwIfCancelled();
            const auto t = Clock::now();
            {
                AVATAR_ZONE_LEVEL(profiler, "encode.frame", ProfilingLevel::Moderate);
                encoder.writeFrame(frame, job.dirty);
            }
            result.seconds.encode += secondsSince(t);
            if (onFrame)
                onFrame(&frame, f);
        }
        const auto t = Clock::now();
        const ProfileTick drainStart = Profiler::now();
        EncodedSegment segment = encoder.finish(); // x264's last frames (look-ahead, frame threads)
        profiler.recordZone("encode.drain", drainStart, Profiler::now(), ProfilingLevel::Moderate);
        result.seconds.encode += secondsSince(t);
        m_cache.put(key, segment);
        ++result.cache.segmentsRendered;
        result.cache.framesRendered += part.frames;
        return segment;
    };

    for (std::size_t i = 0; i < parts.size(); ++i) {
        cancel.throwIfCancelled();
        const NarrationPart& part = parts[i];
        std::optional<EncodedSegment> segment;
        if (reuse[i]) {
            segment = m_cache.segment(keys[i]);
            if (segment && segment->frames() == part.frames) {
                ++result.cache.segmentsReused;
            } else {
                // Gone since the lookup (evicted by another process): draw it now, on a ring of its own.
                std::vector<long long> frames;
                for (long long f = part.firstFrame; f < part.firstFrame + part.frames; ++f)
                    frames.push_back(f);
                FrameRing own(m_services, job.frames, std::move(frames), job.spec.threads, job.jobTag);
                segment = encodePart(part, own, keys[i]);
                result.seconds.render += own.renderSeconds();
            }
        } else {
            segment = encodePart(part, *ring, keys[i]);
        }
        const auto t = Clock::now();
        {
            AVATAR_ZONE_LEVEL(profiler, "encode.join", ProfilingLevel::Moderate);
            joiner.append(*segment);
        }
        result.seconds.encode += secondsSince(t);
        if (reuse[i] && onFrame)
            onFrame(nullptr, part.firstFrame + part.frames - 1);
    }
    if (ring)
        result.seconds.render += ring->renderSeconds();
    const auto t = Clock::now();
    {
        AVATAR_ZONE(profiler, "encode");
        joiner.finish();
    }
    result.seconds.encode += secondsSince(t);
    if (const AacTrackEncoder* sound = joiner.audio())
        for (const bool reused : sound->partsReused())
            ++(reused ? result.cache.audioPartsReused : result.cache.audioPartsEncoded);
}

} // namespace avatar
