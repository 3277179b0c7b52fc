#pragma once

#include "core/FrameRate.h"
#include "tts/Speech.h"

#include <cstddef>
#include <vector>

namespace avatar {

// One sentence of a script with the pauses (<break/>) that follow it, on its own timeline: the unit of the
// video segments that incremental re-rendering reuses (issue #6). Its sound is not held twice: the samples
// live in Narration::speech only (a long video's track is its largest part), and partSpeech() copies one
// part's back when it is animated.
struct NarrationPart {
    Speech speech;               // its timeline (rate, phones, words) starting at 0; `samples` stays empty
    long long firstFrame = 0;    // where the part starts in the video: always on a frame boundary
    long long frames = 0;        // whole frames covering its sound (the last one partly silent)
    bool question = false;       // the sentence ends with '?': the brows rise on its last word
    std::size_t firstSample = 0; // where its sound starts in Narration::speech
    std::size_t sampleCount = 0; // its sound as synthesised, pauses appended, not padded
};

// A job's speech, made of parts that each start exactly on a frame boundary: every part's audio is padded
// with silence to whole frames (less than one frame, 40 ms at 25 fps). That keeps a sentence's frames and
// poses a function of that sentence alone, wherever it lands in the video, so its encoded segment can be
// reused after an edit elsewhere in the script.
struct Narration {
    Speech speech; // the parts back to back, padded: what is heard, and what captions are timed against
    std::vector<NarrationPart> parts;
    // The voice's loud level (LoudnessShaping::loudLevel of a fixed phrase in the job's voice, speed and
    // pitch): every part's jaw is scaled against it, not against the script around it. 0 = each part's own.
    double loudnessReference = 0.0;

    long long frames() const { return parts.empty() ? 0 : parts.back().firstFrame + parts.back().frames; }
    // Adds `part` (a sentence and its pauses, starting at 0) at the end: its samples go into `speech`, padded
    // with silence to where its last frame at `fps` ends, counted from the start of the video so that
    // rounding never accumulates (at 29.97 the parts' ends are exact fractions of frames in samples, computed
    // from the frame index, never summed). A part without samples adds nothing.
    void append(Speech part, bool question, FrameRate fps);
    // A part's whole speech (its timeline and a copy of its samples), as it was synthesised.
    Speech partSpeech(const NarrationPart& part) const;
};

} // namespace avatar
