#pragma once

#include "Viseme.h"

namespace avatar {

// The continuous face pose the renderer draws for one frame: mostly the mouth, plus eyelids, brows, gaze,
// head and expression, which are animated frame by frame alongside it. Lengths are in units of the
// inter-ocular distance (IOD) so that one table serves every portrait size.
struct MouthParams {
    double open = 0.0;   // inner-lip gap at the centre of the mouth
    double width = 0.0;  // change of mouth width (negative: narrower)
    double round = 0.0;  // 0..1 pucker: corners in, lips pushed into an O
    double tuck = 0.0;   // 0..1 lower lip drawn up under the upper teeth (F, V)
    double tongue = 0.0; // 0..1 tongue tip raised behind the upper teeth (L, TH)
    double blink = 0.0;  // 0 eyes as in the portrait .. 1 eyelids closed (set by BlinkTrack, not by shapes)
    // Head motion (set by HeadMotion): a shift along the eyes and down the face, and a roll in radians.
    double headX = 0.0;
    double headY = 0.0;
    double headRoll = 0.0;
    // The living face (set by FaceMotion; issue #12): brow raise in IOD (negative lowers), the irises' offset
    // inside the eyes in IOD (along the eyes, down the face), and the resting expression: +1 a friendly
    // smile, -1 a serious face, 0 the portrait's own. The smile is an offset on top of the mouth shapes, so
    // the corners keep following the speech.
    double brow = 0.0;
    double gazeX = 0.0;
    double gazeY = 0.0;
    double smile = 0.0;

    static MouthParams forShape(Viseme v);
    static MouthParams lerp(const MouthParams& a, const MouthParams& b, double t);
};

} // namespace avatar
