#pragma once

#include "tts/Speech.h"

#include <vector>

namespace avatar {

// One sentence of a script with the pauses (<break/>) that follow it, on its own timeline: the unit of the
// video segments that incremental re-rendering reuses (issue #6).
struct NarrationPart {
    Speech speech;            // as synthesised, starting at 0, pauses appended; not padded
    long long firstFrame = 0; // where the part starts in the video: always on a frame boundary
    long long frames = 0;     // whole frames covering `speech` (the last one partly silent)
    bool question = false;    // the sentence ends with '?': the brows rise on its last word
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
};

} // namespace avatar
