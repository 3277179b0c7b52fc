#pragma once

#include "MouthParams.h"
#include "tts/Speech.h"

#include <cstdint>
#include <vector>

namespace avatar {

// Subtle head motion so that a presenter never looks frozen: a slow sway (two incommensurate sines with
// random phases), a small nod on stressed words (the loudest third), and slow breathing in pauses longer
// than half a second. Everything is in inter-ocular units (a few pixels at 720p) and changes smoothly from
// frame to frame. Reproducible from a seed.
class HeadMotion {
public:
    struct Amplitude {
        double swayX = 0.012;  // along the eyes
        double swayY = 0.006;  // down the face
        double roll = 0.008;   // radians (about half a degree)
        double nod = 0.025;    // down the face, on stressed words
        double breath = 0.006; // down the face, in pauses
    };

    HeadMotion(const Speech& speech, std::uint64_t seed) : HeadMotion(speech, seed, Amplitude{}) {}
    HeadMotion(const Speech& speech, std::uint64_t seed, const Amplitude& amplitude);

    // Writes headX/headY/headRoll at time t into `pose`.
    void poseAt(double t, MouthParams& pose) const;
    // Sets the head motion of each pose (one per frame at `fps`, sampled at frame centres).
    void apply(std::vector<MouthParams>& poses, double fps) const;

    // Fades the head motion of `poses` (one per frame at `fps`) to rest over `ramp` seconds at both ends,
    // smoothly (zero slope at rest). The pipeline animates each sentence on its own so that its video segment
    // can be reused after edits elsewhere; ending every sentence at rest makes neighbours join without a
    // jump, and reads as the small settle a speaker makes between sentences.
    static void easeToRest(std::vector<MouthParams>& poses, double fps, double ramp = 0.6);

    const std::vector<double>& nodTimes() const { return m_nods; }

private:
    Amplitude m_amp;
    double m_phase[3] = {0.0, 0.0, 0.0};
    std::vector<double> m_nods;                      // start times of nods
    std::vector<std::pair<double, double>> m_pauses; // [start, end) of pauses > 0.5 s
};

} // namespace avatar
