#pragma once

#include "core/Image.h"
#include "face/FaceLandmarks.h"
#include "lipsync/MouthParams.h"

#include <array>
#include <utility>
#include <vector>

namespace avatar {

// A triangle mesh over the face: the 68 landmarks, a ring of fixed points on the border of the face region,
// and a few upper-face vertices (eye interiors, lid creases, under the brows, the forehead, the cheeks).
// deform() moves the lower-face vertices for a mouth pose (jaw drop, lips parting, widening, rounding,
// lower-lip tuck) in the face's own frame (x along the eyes, y down the face), so tilted heads work too. The
// ring never moves, so the warp is continuous and fades to nothing at the region's edge, and nothing outside
// the region changes.
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

    // How far a pose's lips are sealed at the sides of a pucker (0 up to a rounding of 0.4, 1 from 0.9, F;
    // smooth): the side inner-lip pairs (61-67, 63-65) meet, fully by half of it, so only a small round
    // middle stays open (docs/QUALITY.md, thirteenth and fourteenth passes). MouthInterior draws that middle.
    static double puckerSeal(const MouthParams& pose);

    // The head's rigid motion for a pose (HeadMotion's sway, nods and roll): a turn about the nose tip and a
    // shift, applied to every landmark after the mouth has moved. The teeth and the inside of the mouth are
    // fixed to the skull, so they move with it.
    struct HeadPose {
        PointF pivot;
        double cos = 1.0;
        double sin = 0.0;
        PointF shift;
        PointF apply(const PointF& p) const {
            const double dx = p.x - pivot.x, dy = p.y - pivot.y;
            return {pivot.x + cos * dx - sin * dy + shift.x, pivot.y + sin * dx + cos * dy + shift.y};
        }
        PointF turn(const PointF& d) const { return {cos * d.x - sin * d.y, sin * d.x + cos * d.y}; }
    };
    HeadPose headPose(const MouthParams& pose) const;

    // The inner-lip outline through the 8 inner-lip points of `vertices` (a closed Catmull-Rom curve, so wide
    // openings are round rather than angular): the first kOutlineUpperSamples points run from corner 60 over
    // the upper lip to corner 64, the rest back along the lower lip.
    static constexpr int kOutlineSteps = 5; // samples per segment
    static constexpr std::size_t kOutlineUpperSamples = 4 * kOutlineSteps + 1;
    static std::vector<PointF> innerLipOutline(const std::vector<PointF>& vertices);

    // The fixed ring's vertices are [ringFirst(), ringEnd()); the 68 landmarks come before it and the
    // upper-face vertices (eyes, lid creases, under the brows, forehead, cheeks) after it.
    int ringFirst() const { return FaceLandmarks::kCount; }
    int ringEnd() const { return m_ringEnd; }
    // The skin vertices between the nose (32-34) and the upper lip (50-52), which follow the lip half-way.
    const std::array<int, 3>& philtrum() const { return m_philtrum; }
    // Vertices added for the living face (issue #12), per eye (0: landmarks 36-41, 1: 42-47).
    struct EyeVertices {
        // The eye's centre, towards each corner, and near the four lid landmarks: they carry the iris.
        int interior[7] = {0, 0, 0, 0, 0, 0, 0};
        int crease[2] = {0, 0};      // above the two upper-lid landmarks: the lid skin that covers the eye
        int underBrow[2] = {0, 0};   // between the crease and the brow
        int forehead[3] = {0, 0, 0}; // above the brow's ends and middle
    };
    const EyeVertices& eye(int e) const { return m_eyes[static_cast<std::size_t>(e)]; }

private:
    void triangulate();
    void roundLips(std::vector<PointF>& out, double round) const;
    // A pucker's sides: the middle pair (62, 66) goes across to the corners' midpoint, then each side pair of
    // inner-lip points goes towards a meeting point a third of the way down the pair (kSealHeight), a fixed
    // share of the middle opening's height from the middle (that height capped, kSealMaxOpen), by `weight`
    // (puckerSeal(), fully by half of it); raised towards the inner corner's height where a triangle on the
    // pair would fold or flatten to under a tenth of its rest area.
    void sealSides(std::vector<PointF>& out, double weight) const;
    // Keeps the inner lips from folding the mesh: upper inner-lip points not below their lower partners,
    // the inner corners inside the outer lips.
    void keepLipsInOrder(std::vector<PointF>& out) const;
    void addUpperFace();
    void addSkull();
    // Brows, lids, blinks, gaze and the expression's eye part, on landmarks and the added vertices.
    void deformEyes(const MouthParams& pose, std::vector<PointF>& out) const;
    // The expression's mouth and cheek part: an offset on top of the mouth shapes.
    void deformExpression(const MouthParams& pose, std::vector<PointF>& out) const;
    void move(std::vector<PointF>& out, int i, double along, double down) const;

    FaceLandmarks m_face;
    Rect m_region;
    double m_iod = 1.0;
    double m_restOpening = 0.0;
    PointF m_u; // unit vector along the eyes, towards the image's right
    PointF m_v; // unit vector down the face
    std::vector<PointF> m_rest;
    std::vector<Triangle> m_triangles;
    int m_ringEnd = 0;
    std::array<EyeVertices, 2> m_eyes{};
    std::array<int, 2> m_cheeks{}; // on the cheek between the nostril and the jaw line: lifted by a smile
    // Halfway between the nose (32, 33, 34) and the upper lip (50, 51, 52): they follow the lip half-way, so
    // a pucker's pull on the skin under the nose spreads over two rows of triangles instead of one.
    std::array<int, 3> m_philtrum{};
    // The mesh triangles on the inner corners 60 and 64, with twice their signed rest area.
    std::array<std::vector<std::pair<Triangle, double>>, 2> m_cornerTriangles;
    // The mesh triangles on the side inner-lip pairs (61, 67 and 63, 65), with twice their signed rest area.
    std::array<std::vector<std::pair<Triangle, double>>, 2> m_sideTriangles;
};

} // namespace avatar
