#pragma once

#include "FaceRig.h"
#include "core/Image.h"
#include "lipsync/MouthParams.h"

#include <vector>

namespace avatar {

// The light of lips pushed forward (a pucker: "oo", "w"), drawn as a relighting of the warped photograph's
// own pixels rather than as paint (issue #12, docs/QUALITY.md eleventh pass). Geometry alone did not read as
// a pucker: a narrower mouth read as a narrower smile. What the eye takes for lips pushed out is their
// shading:
// - the everted upper lip's upper vermilion (and the white roll just above its edge) turns up towards the
//   light and catches it;
// - the lower lip's upper front catches a little light too, and, standing out, it casts a soft shadow on the
//   chin right under its edge;
// - the corners, where the lips gather, are slightly darker, deeper creases.
// Every mask is soft, built from the deformed lip landmarks in the face's own axes, and scaled by the pose's
// rounding (weight()), so a blend between shapes brightens and darkens continuously. Brightening adds a share
// of each pixel's own luma and darkening multiplies it, so the photo's texture and grain stay (scaled, never
// replaced).
class LipShading {
public:
    explicit LipShading(const FaceRig& rig) : m_rig(rig) {}

    // How much of the pucker's shading `pose` gets: 0 up to a rounding of 0.2, 1 from 0.9 (F), smooth between
    // (E, at 0.35, gets about a tenth).
    static double weight(const MouthParams& pose);

    // The per-pixel gain for `pose`, at (x, y) of the frame, given the deformed vertices (FaceRig::deform's
    // output): above 1 brightens, below 1 darkens. 1 away from the lips and for unrounded poses. For tests
    // and tools; apply() computes the same masks row by row.
    struct Gain {
        double lift = 0.0;  // added share of the pixel's luma (highlights)
        double shade = 1.0; // factor on the pixel (shadows, creases)
    };
    Gain gainAt(const std::vector<PointF>& vertices, const MouthParams& pose, double x, double y) const;

    // Relights `frame` around the lips for `pose` (only inside rig.region(); nothing for unrounded poses).
    void apply(const std::vector<PointF>& vertices, const MouthParams& pose, Image& frame) const;

private:
    struct Lips; // the lips' curves in the face's axes for one pose
    Lips lipsFor(const std::vector<PointF>& vertices, const MouthParams& pose) const;
    static Gain gain(const Lips& lips, double a, double b);

    const FaceRig& m_rig;
};

} // namespace avatar
