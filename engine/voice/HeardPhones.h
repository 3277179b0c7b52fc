#pragma once

#include "tts/Speech.h"

#include <vector>

namespace avatar {

// Without a transcript, two readings of a recording are made (issue #13): the words PocketSphinx hears,
// aligned like a transcript, and the phone loop's phones. The words give plausible sequences (the constraint
// of a dictionary), the loop hears what is there when the words are wrong. These merge the two (and, for
// rounded vowels, a third reading: the acoustic analysis), each where avatar-bench --suite align measured it
// right more often (docs/PERFORMANCE.md).
class HeardPhones {
public:
    // `aligned` with each of its pauses over `longPause` seconds replaced by what `heard` (tiling the same
    // time) has in it: the alignment skips a misheard word and gives its time to a pause, which left the
    // mouth at rest through whole phrases of espeak's voice; where the loop also hears a pause, it stays one.
    // With `measured` (AcousticPhones of the recording), what it hears as a pause (under the recording's own
    // speech level) stays a pause too: the loop hears phones in the hiss and the breaths between the words
    // it fills in (white noise 61.0 -> 61.4 % of frames on avatar-bench --suite align, docs/PERFORMANCE.md).
    static std::vector<Phone> pausesFilled(const std::vector<Phone>& aligned, const std::vector<Phone>& heard,
                                           const std::vector<Phone>& measured = {}, double longPause = 0.15);

    // `aligned` with every lip closure the loop heard (m, b, p) where the words have a sound that is not one:
    // in noise and reverberation the words heard miss most closures ("Bob bought" heard as "got"), and
    // where the two disagree on a frame that the loop closes and the words open slightly (mouth B or C), the
    // loop was right twice as often. Closures heard inside the words' long pauses stay out (breaths and
    // clicks); inside a short one (`shortPause` seconds or less) they go in: the alignment
    // gives a closure's silence to a pause as often as to its plosive. With `level` (speechBandLevel of the
    // recording), a closure goes in only where the speech band's level dips at least kClosureDipDb under
    // both sides (a closed mouth silences or muffles the voice; a closure heard over a steady vowel is the
    // loop's mistake). The phones the closure overlaps are shortened, or dropped where it covers them.
    // Not in Recording's merge since 2026-12-07: on avatar-bench's second, ordinary paragraph it cost 2.8
    // points of frames for the 0.9 it gained on the first, dense in m, b and p (docs/PERFORMANCE.md, "an
    // ordinary paragraph"); kept, with its tests, for a closure rule that tells a text's closures apart.
    static std::vector<Phone> closuresAdded(const std::vector<Phone>& aligned,
                                            const std::vector<Phone>& heard,
                                            const std::vector<double>& level = {}, double shortPause = 0.15);

    // The level of the speech band (300-3000 Hz, where white noise and a room's tail are weak against the
    // voice) in dB, one value per 10 ms: 25 ms Hann windows, window i starting at i * 10 ms.
    static std::vector<double> speechBandLevel(const std::vector<float>& samples, int rate);

    // How far (dB) the speech band's level must fall, somewhere within 30 ms of a closure the loop heard,
    // under the loudest level on each side within 100 ms, for closuresAdded to believe the closure
    // (chosen on half of avatar-bench's recordings: docs/PERFORMANCE.md).
    static constexpr double kClosureDipDb = 4.0;

    // `words` (the merged track above) with each rounded sound (uw, uh, w) that both the phone loop
    // (`heard`) and the acoustic analysis (`measured`, AcousticPhones: uw, a low second formant) hear at the
    // same time, put in over the time both hear it, where the words have neither a pause nor a rounded
    // sound there. Two readings that agree outvote the words: in white noise and a reverberant room the
    // words miss rounded vowels (the truth's F frames found B or A).
    static std::vector<Phone> roundingAdded(const std::vector<Phone>& words, const std::vector<Phone>& heard,
                                            const std::vector<Phone>& measured);
};

} // namespace avatar
