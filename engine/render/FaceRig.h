#pragma once

#include "core/Image.h"
#include "face/FaceLandmarks.h"
#include "lipsync/MouthParams.h"

#include <array>
#include <vector>

namespace avatar {

// A triangle mesh over the face: the 68 landmarks plus a ring of fixed points on the border of the face
// region. deform() moves the lower-face vertices for a mouth pose (jaw drop, lips parting, widening,
// rounding, lower-lip tuck) in the face's own frame (x along the eyes, y down the face), so tilted heads work
// too. The ring never moves, so the warp is continuous and fades to nothing at the region's edge, and nothing
// outside the region changes.
class FaceRig {
public:
    using Triangle = std::array<int, 3>;
    static constexpr int kInnerLipFirst = 60;
    static constexpr int kInnerLipLast = 67;

    // `face` in output-frame coordinates; `frame` bounds the region.
    FaceRig(const FaceLandmarks& face, const Rect& frame);

    const Rect& region() const { return m_region; }
    double interOcular() const { return m_iod; }
    const std::vector<PointF>& restVertices() const { return m_rest; }
    // Triangles that are warped: everything but the inside of the inner lips.
    const std::vector<Triangle>& triangles() const { return m_triangles; }
    // The inner-lip opening as measured on the portrait, in IOD units.
    double restOpening() const { return m_restOpening; }
    // The face's own axes: unit vectors along the eyes (towards the image's right) and down the face.
    PointF alongEyes() const { return m_u; }
    PointF downFace() const { return m_v; }

    std::vector<PointF> deform(const MouthParams& pose) const;

private:
    void triangulate();

    FaceLandmarks m_face;
    Rect m_region;
    double m_iod = 1.0;
    double m_restOpening = 0.0;
    PointF m_u; // unit vector along the eyes, towards the image's right
    PointF m_v; // unit vector down the face
    std::vector<PointF> m_rest;
    std::vector<Triangle> m_triangles;
};

} // namespace avatar
