#pragma once

#include "MouthParams.h"
#include "Viseme.h"

#include <vector>

namespace avatar {

// Samples a viseme track into one MouthParams per video frame. Each cue eases from the pose reached so far to
// its own pose with a smoothstep; the mouth opens quickly and closes more slowly, and every transition starts
// a little before the cue so that the shape is reached when its sound begins (visual speech leads audio).
class MouthAnimator {
public:
    struct Timing {
        double openTime = 0.10;  // seconds to reach a more open pose (2.5 frames at 25 fps: no popping)
        double closeTime = 0.14; // seconds to reach a more closed pose
        double lead = 0.04;      // transitions start this much before their cue (a frame at 25 fps)
        // the quickest the lips seal on M, B and P: a closure is sealed by the middle of its cue, and the
        // shape after it starts no earlier than that middle, so even a 40 ms "b" between two open vowels is
        // seen closed
        double sealTime = 0.06;
    };

    MouthAnimator() = default;
    explicit MouthAnimator(const Timing& timing) : m_timing(timing) {}

    // Pose at time t (seconds).
    MouthParams poseAt(const VisemeTrack& track, double t) const;
    // Pose at the middle of each of `frames` frames at `fps`.
    std::vector<MouthParams> sample(const VisemeTrack& track, double fps, long long frames) const;

private:
    Timing m_timing;
};

} // namespace avatar
