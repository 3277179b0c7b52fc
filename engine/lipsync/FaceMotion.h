#pragma once

#include "Expression.h"
#include "MouthParams.h"
#include "tts/Speech.h"

#include <cstdint>
#include <vector>

namespace avatar {

// The upper face of a speaker (issue #12): brow raises on stressed words and on the last word of a question,
// small gaze shifts with fast saccades that come back to the camera, and the resting expression. Writes
// `brow`, `gazeX`, `gazeY` and `smile` per frame; everything is in inter-ocular units.
//
// Brows: speakers raise their brows with prominent (pitch-accented) words and at the end of questions
// (Cavé et al., ICSLP 1996; Krahmer and Swerts, Journal of Memory and Language 57, 2007; Borràs-Comes et
// al., Journal of Nonverbal Behavior 38, 2014). Flite's words carry no stress marks, so the prominent words
// are the clearly loudest ones (RMS at least 1.2 x the sentence's median word), at most one raise per 2.5 s.
// A raise rises in 150 ms, holds over the word and falls in 250 ms; 0.035 IOD on a stressed word (about
// 2 mm) and 0.05 IOD on a question's last word.
//
// Gaze: a presenter looks at the camera and glances away briefly now and then, looking back at the end of a
// thought (Kendon, Acta Psychologica 26, 1967: speakers look away at the start of utterances and back at
// their ends). Fixations last 0.6-2.6 s (at least the 200 ms a fixation takes); a glance away is 0.015-0.04
// IOD along the eyes (about 4-12 degrees of eye rotation for an eyeball of 12 mm radius and an IOD of 63 mm)
// and half that vertically, and is followed by a return to the camera. A saccade lasts 21 ms + 2.2 ms per
// degree (the main sequence: Bahill, Clark and Stark, Mathematical Biosciences 24, 1975), 30-50 ms here:
// one or two frames, then the eye holds still. Every sentence starts and ends looking at the camera.
class FaceMotion {
public:
    struct Options {
        bool question = false; // the sentence ends with '?'
        Expression expression = Expression::Neutral;
    };
    struct BrowRaise {
        double start = 0.0;   // the rise begins
        double holdEnd = 0.0; // the fall begins
        double amplitude = 0.0;
    };
    struct Fixation {
        double start = 0.0; // the saccade towards it begins
        double x = 0.0;
        double y = 0.0;
        double saccade = 0.0; // seconds
    };

    FaceMotion(const Speech& speech, std::uint64_t seed, const Options& options);

    const std::vector<BrowRaise>& browRaises() const { return m_raises; }
    const std::vector<Fixation>& fixations() const { return m_fixations; }
    // Writes brow, gazeX, gazeY and smile at time t into `pose`.
    void poseAt(double t, MouthParams& pose) const;
    // Sets them in each pose (one per frame at `fps`, sampled at frame centres).
    void apply(std::vector<MouthParams>& poses, double fps) const;

    static constexpr double kRise = 0.15;
    static constexpr double kFall = 0.25;
    static constexpr double kStressRaise = 0.035;
    static constexpr double kQuestionRaise = 0.05;

private:
    Options m_options;
    double m_duration = 0.0;
    std::vector<BrowRaise> m_raises;
    std::vector<Fixation> m_fixations; // sorted; the first is the camera at 0 s
};

} // namespace avatar
