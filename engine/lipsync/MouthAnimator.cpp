#include "MouthAnimator.h"

#include <algorithm>

namespace avatar {
namespace {

double smoothstep(double x) {
    x = std::clamp(x, 0.0, 1.0);
    return x * x * (3.0 - 2.0 * x);
}

} // namespace

MouthParams MouthAnimator::poseAt(const VisemeTrack& track, double t) const {
    MouthParams pose = MouthParams::forShape(Viseme::X);
    // Where cue i's transition starts: `lead` before the cue, but never before the middle of a closure it
    // follows, so the lips meet on every M, B and P however short (the release parts them, not the
    // anticipation of the next vowel), and never before the previous cue's own start.
    auto startOf = [&](std::size_t i, double previousStart) {
        double start = track[i].start - m_timing.lead;
        if (i > 0 && track[i - 1].shape == Viseme::A)
            start = std::max(start, 0.5 * (track[i - 1].start + track[i - 1].end));
        return std::max(start, previousStart);
    };
    // Walk the cues in order, carrying the pose reached at each cue's (lead-shifted) start, so that a cue
    // interrupted before its transition ended hands the next one the pose the mouth really had.
    double start = track.empty() ? 0.0 : track.front().start - m_timing.lead;
    for (std::size_t i = 0; i < track.size(); ++i) {
        const VisemeCue& cue = track[i];
        MouthParams target = MouthParams::forShape(cue.shape);
        if (cue.tongue)
            target.tongue = 1.0;
        const double nextStart = i + 1 < track.size() ? startOf(i + 1, start) : 1e300;
        const double span = cue.shape == Viseme::A     ? m_timing.sealTime
                            : target.open >= pose.open ? m_timing.openTime
                                                       : m_timing.closeTime;
        const double end = std::min(nextStart, t);
        if (t < start)
            break;
        pose = MouthParams::lerp(pose, target, smoothstep((end - start) / span));
        if (t < nextStart)
            break;
        start = nextStart;
    }
    return pose;
}

std::vector<MouthParams> MouthAnimator::sample(const VisemeTrack& track, double fps, long long frames) const {
    std::vector<MouthParams> out;
    out.reserve(static_cast<std::size_t>(std::max(0LL, frames)));
    for (long long f = 0; f < frames; ++f)
        out.push_back(poseAt(track, (static_cast<double>(f) + 0.5) / fps));
    return out;
}

} // namespace avatar
