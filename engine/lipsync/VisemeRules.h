#pragma once

#include "Viseme.h"
#include "tts/Speech.h"

#include <vector>

namespace avatar {

// Turns the synthesiser's phone timeline into mouth-shape cues. First rule set (after Rhubarb's):
// per-phone shape sets with the member closest to the previous shape, vowel anticipation for flexible
// consonants, diphthongs split 60/40, a tongue closure before T/D/K/G, pauses that hold, relax or rest by
// length, long B/C holds broken up, minimum shape durations, in-betweens when closing or rounding, merged
// repeats. The cues tile [0, end of last phone].
class VisemeRules {
public:
    struct Timing {
        double minShape = 0.07; // shorter shapes flicker
        double minWide = 0.08;  // wide open (D) stretches need this to register
        // A lip closure (A) lasts at least a frame at 25 fps: MouthAnimator seals it by its middle whatever
        // its length, so it needs no more, and growing it further shut the lips over the loud vowel beside
        // it.
        double minSeal = 0.04;
        double maxExtend = 0.06;   // how far a short shape may grow to the left
        double holdPause = 0.12;   // pauses shorter than this keep the shape
        double restPause = 0.35;   // pauses longer than this rest (X); in between the shape relaxes
        double anticipation = 0.2; // how far ahead a vowel pulls flexible consonants to its shape
        double longVowel = 0.2;    // AH at least this long opens to D; AY/AW start on D
        // A tongue closure (T, D, K, G) starts before its plosive: half the previous phone, clamped. A lip
        // closure (P, B) starts with its plosive, whose timed span begins with the silence of the sealed
        // lips.
        double closureMin = 0.04;
        double closureMax = 0.12;
        double inBetweenMin = 0.04; // in-between shapes when closing or rounding, 40-80 ms
        double inBetweenMax = 0.08;
        double maxHold = 0.75; // longer B or C holds over 3+ syllables alternate B and C
    };

    VisemeRules() = default;
    explicit VisemeRules(const Timing& timing) : m_timing(timing) {}

    VisemeTrack fromPhones(const std::vector<Phone>& phones) const;

    const Timing& timing() const { return m_timing; }

private:
    Timing m_timing;
};

} // namespace avatar
