#pragma once

#include "core/CancelToken.h"
#include "tts/Speech.h"

#include <vector>

namespace avatar {

// Phones guessed from the sound alone, for recordings without a transcript in any language: the acoustic
// fallback of issue #13. No words are recognised. Every 10 ms the spectrum is split into bands; the level
// against the recording's own noise floor says speech or pause; the share of energy in the first-formant band
// (350-1000 Hz) says how open the vowel is and the share above it whether it is spread (front) or rounded
// (back); a quiet stretch dominated by the lowest band is a nasal or voiced closure (M, B), a stretch
// dominated by energy above 4 kHz a fricative, and a short silence inside speech ended by a burst a plosive
// (P, T or K by where the burst's energy lies). The result is an ARPAbet timeline that the viseme rules
// turn into shapes like a synthesiser's.
class AcousticPhones {
public:
    struct Options {
        double hop = 0.010;        // seconds between analysis frames
        double window = 0.025;     // seconds of sound per frame
        double minPhone = 0.030;   // shorter runs join a neighbour
        double minSpeechDb = 12.0; // speech is at least this far above the noise floor (or 40 % of the range)
    };

    AcousticPhones() = default;
    explicit AcousticPhones(const Options& options) : m_options(options) {}

    // The timeline of `samples` (mono, full scale 1, `rate` Hz): phones tiling [0, samples/rate].
    std::vector<Phone> analyze(const std::vector<float>& samples, int rate, const CancelToken& cancel) const;

private:
    Options m_options;
};

} // namespace avatar
