#pragma once

#include "MouthParams.h"
#include "Viseme.h"
#include "tts/Speech.h"

#include <cstddef>
#include <vector>

namespace avatar {

// The root-mean-square level of the speech between `start` and `end` (seconds, clamped to the samples): the
// loudness that head nods and brow raises pick stressed words by.
double rmsOf(const Speech& speech, double start, double end);

// Scales the jaw opening of each frame by how loud the voice is around it. The viseme track says which shape
// the mouth makes; the loudness says how far: a stressed vowel is spoken with a wider jaw than the same vowel
// in a weak syllable, and the jaw barely moves through quiet consonant clusters. Shapes that close the lips
// (M, B, P and rests) open 0 and stay closed whatever the gain.
class LoudnessShaping {
public:
    struct Options {
        double hop = 0.010;     // seconds between loudness measurements
        double window = 0.030;  // seconds of audio in each measurement
        double floorDb = -28.0; // this far below the loud level (and quieter) gets the least opening
        double minGain = 0.25;  // opening factor at and below floorDb
        double maxGain = 1.15;  // opening factor at the loud level
        double attack = 0.025;  // seconds for the envelope to rise (jaws open fast)
        double release = 0.060; // seconds for it to fall (and close slower)
        double lead = 0.020;    // the jaw moves this much before the sound (visual speech leads audio)
        // Loud voicing needs air: an open shape (not a closure) opens up to this much more (IOD) at the loud
        // level, which keeps close vowels such as "ee" and "oo" from looking mouthed when they are loud.
        double voicedBoost = 0.10;
        // The loud level (RMS, full scale = 1) that gets maxGain; 0 = the speech's own (its 90th percentile
        // of voiced hops). The pipeline passes the voice's level, measured once on a fixed phrase, so that a
        // sentence opens the jaw as far alone as in any script (each sentence is a reusable segment).
        double reference = 0.0;
    };

    explicit LoudnessShaping(const Speech& speech) : LoudnessShaping(speech, Options{}) {}
    LoudnessShaping(const Speech& speech, const Options& options);

    // The 90th percentile RMS of the voiced 30 ms windows of `speech`: its loud level (0 when silent).
    static double loudLevel(const Speech& speech);

    // The opening factor at time t (seconds), minGain..maxGain.
    double gainAt(double t) const;
    // Loudness 0..1 at time t: 0 at floorDb and below, 1 at the loud level.
    double levelAt(double t) const;
    // Scales `open` of each frame's pose (sampled at the frame's middle) by the gain there, and adds the
    // voiced boost to shapes that are open. Where a closure cue of `track` (A: M, B, P) is active the gain is
    // at most 1 and there is no boost, so a short closure between loud vowels still seals the lips; by how
    // much, `sealing` says.
    void apply(std::vector<MouthParams>& poses, double fps, const VisemeTrack& track) const;
    // Per frame, how far the closures of `track` seal it, 0..1: 1 where a closure covers the frame's whole
    // interval, falling to 0 as the frame's centre nears the closure's edge (half a frame from it: a
    // boundary found a few ms off moves the frame a little instead of flipping it), and 1 on the frame
    // holding each closure's middle, so that every closure seals at least one frame.
    static std::vector<double> sealing(const VisemeTrack& track, double fps, std::size_t frames);

private:
    Options m_options;
    double sample(double t) const; // the envelope's level at t, 0..1
    std::vector<double> m_level;   // per hop, 0..1
};

} // namespace avatar
