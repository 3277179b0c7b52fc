#pragma once

#include "core/CancelToken.h"
#include "tts/Speech.h"

#include <vector>

namespace avatar {

// Forced alignment of a recording with its transcript (issue #13): the transcript is spoken by one of our
// synthesisers (whose phone and word timings are exact, and whose letter-to-sound rules cover words missing
// from its dictionary), both sounds become cepstral features, and dynamic time warping finds the cheapest
// monotonic mapping between them; the synthesiser's phones and words are carried across that mapping.
class TranscriptAligner {
public:
    static constexpr double kHop = 0.01; // seconds per feature frame
    // Longer recordings would need a chunked alignment: the warping band's memory grows with the square.
    static constexpr double kMaxSeconds = 600.0;

    // `reference`: the transcript synthesised (samples, phones, words). Returns `reference`'s phones and
    // words timed on `samples` (mono, `rate` Hz), tiling [0, samples / rate]. Throws Error(InvalidInput)
    // for a recording over kMaxSeconds or a transcript that lasts over four times longer or shorter spoken
    // than the recording, Error(Cancelled).
    Speech align(const std::vector<float>& samples, int rate, const Speech& reference,
                 const CancelToken& cancel) const;

    // Features per 10 ms frame: 12 mel cepstra, log energy and their slopes, each normalised to zero mean
    // and unit variance over the utterance (which removes most of the microphone's and the speaker's
    // colour). Row-major, kDims per frame.
    static constexpr int kDims = 26;
    static std::vector<float> features(const std::vector<float>& samples, int rate);
    // The warping path as, per reference frame, the recording frame it maps to (mean of the path's cells).
    static std::vector<double> warp(const std::vector<float>& recording, const std::vector<float>& reference,
                                    const CancelToken& cancel);
};

} // namespace avatar
