#pragma once

#include "MouthParams.h"

#include <cstdint>
#include <vector>

namespace avatar {

// Natural blinking of a speaker, from published measurements:
//  - rate: 26 blinks a minute in conversation (Bentivoglio et al., "Analysis of blink rate patterns in normal
//    subjects", Movement Disorders 12(6), 1997: 17/min at rest, 26 talking, 4.5 reading; Doughty, Optometry
//    and Vision Science 78(10), 2001, gives 10.5-32.5/min as the conversational range). Intervals are
//    uniform in 0.8-3.5 s, a mean of 2.15 s: a little under the 2.3 s of 26 a minute, because every
//    sentence blinks on its own and loses a blink's length at its end (measured over sentences of 1.5-6 s:
//    tst_face_motion);
//  - duration: 150-300 ms from the lid leaving to its return (Stern, Walrath and Goldstein, "The endogenous
//    eyeblink", Psychophysiology 21(1), 1984: about 100 ms to close, the reopening slower, rarely over
//    400 ms), i.e. 4-7 frames at 25 fps;
//  - shape: closing in the first 30 %, shut for 12 %, reopening in the remaining 58 %; lids close 40-47 %
//    faster than they open (Sforza et al., Ophthalmic and Physiological Optics 28(4), 2008).
// apply() makes the frame nearest each blink's shut phase fully closed, so that every blink is seen to
// close at any frame rate. Random but reproducible: the same seed gives the same blinks. The pipeline seeds
// it per sentence (from the sentence's phones), so an edit elsewhere never moves this sentence's blinks.
class BlinkTrack {
public:
    struct Blink {
        double start = 0.0; // seconds
        double duration = 0.0;
    };
    struct Timing {
        double minInterval = 0.8;
        double maxInterval = 3.5;
        double minDuration = 0.15;
        double maxDuration = 0.30;
        double firstAfter = 0.1;  // no blink in the first moments of a sentence
        double closeShare = 0.30; // of the duration, closing
        double shutShare = 0.12;  // of the duration, held shut
    };

    BlinkTrack(double seconds, std::uint64_t seed) : BlinkTrack(seconds, seed, Timing{}) {}
    BlinkTrack(double seconds, std::uint64_t seed, const Timing& timing);

    const std::vector<Blink>& blinks() const { return m_blinks; }
    // Eyelid closure at time t: 0 open .. 1 closed.
    double closureAt(double t) const;
    // Sets `blink` in each pose (one per frame at `fps`, sampled at frame centres).
    void apply(std::vector<MouthParams>& poses, double fps) const;

private:
    std::vector<Blink> m_blinks;
    double m_close = 0.30;
    double m_shut = 0.12;
};

} // namespace avatar
