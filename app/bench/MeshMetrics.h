#pragma once

#include "lipsync/MouthParams.h"
#include "render/FaceRig.h"

#include <array>

namespace avatar::bench {

// How much the face mesh stretches skin for the mouth shapes X, A-H, from FaceRig::deform() alone (no
// pixels): relative triangle-area changes by region, the motion of the neck below the chin and of the eyes
// and brows. Each figure is the worst over the nine shapes, against the portrait's own pose.
struct MeshFigures {
    struct Worst {
        double change = 0.0; // |area / rest area - 1|
        char shape = '-';    // the shape where it happens
        FaceRig::Triangle vertices{-1, -1, -1};
    };
    // Triangle classes. A vertex is "lips or jaw" when it is landmark 0-16 (jaw) or 48-67 (lips).
    Worst lipsJaw;  // all three vertices lips or jaw: the lips themselves and the chin between lip and jaw
    Worst outside;  // at least one vertex elsewhere (brows, nose, eyes, the fixed ring): cheeks, the skin
                    // between nose and lip, the neck between the jaw line and the ring
    Worst noLipJaw; // no lips or jaw vertex at all: the upper face and the ring around it
    int lipsJawTriangles = 0;
    int outsideTriangles = 0;
    int noLipJawTriangles = 0;
    int skippedTriangles = 0; // rest area under kMinRestArea: a relative change means nothing there
    // Triangles (any class, tiny ones too) that fold over in at least one shape: their signed area changes
    // sign against the rest pose's (beyond kFlipTolerance of it, so a triangle a closed mouth flattens to
    // nothing does not count). A fold shows as pixels drawn twice, mirrored.
    int flippedTriangles = 0;
    Worst flipped; // the deepest fold: change is -(signed area / rest signed area), > 0 when folded

    // The neck band: pixels between kNeckBandTopIod and kNeckBandBottomIod below the chin (landmark 8) along
    // the face's own vertical axis, and across the width of jaw points 5-11. Displacement between shape X
    // (closed) and the widest-open shape, interpolated over the rest mesh; pixels outside the mesh do not
    // move.
    double neckBandShiftMeanPx = 0.0;
    double neckBandShiftMaxPx = 0.0;
    long long neckBandPixels = 0;
    char widestShape = '-';
    // The largest displacement of any brow or eye landmark (17-26, 36-47) over the shapes.
    double eyesBrowsMaxShiftPx = 0.0;
};

// The shape of a pose's opening: the inner-lip polygon (60-67) in the face's own axes.
struct OpeningShape {
    double heightOverWidth = 0.0;
    double widestAt = 0.0;     // where its widest row lies, as a share of its height from the top
    double widthOfMouth = 0.0; // its width over the closed mouth's (shape X's outer corners)
};

class MeshMetrics {
public:
    static constexpr double kMinRestArea = 1.0;    // square pixels
    static constexpr double kFlipTolerance = 1e-3; // of the rest area
    static constexpr double kNeckBandTopIod = 0.1;
    static constexpr double kNeckBandBottomIod = 0.6;

    static MeshFigures measure(const FaceRig& rig);
    // The opening of `pose` on `rig` (a pucker, F, should be about as tall as wide, widest half-way down).
    static OpeningShape opening(const FaceRig& rig, const MouthParams& pose);
    static bool isLipOrJaw(int vertex) { return vertex <= 16 || (vertex >= 48 && vertex <= 67); }
};

} // namespace avatar::bench
