// The living face's part of FaceRig (issue #12): the upper-face vertices, brows, lids, blinks, gaze and the
// expression's offsets. Kept apart from the mouth and jaw in FaceRig.cpp.
#include "FaceRig.h"

#include <algorithm>
#include <cmath>

namespace avatar {
namespace {

// Figures in IOD units (an IOD is about 63 mm on an adult).
constexpr double kCreaseShare = 0.25;    // crease: a quarter of the way from the lid margin to the brow
constexpr double kUnderBrowShare = 0.6;  // under the brow: 60 % of the way
constexpr double kForehead = 0.3;        // forehead vertices this far above the brow
constexpr double kLashGap = 0.015;       // a closed lid's lash line: the crease stops this far above it
constexpr double kSmileUp = 0.035;       // friendly: mouth corners up (about 2 mm)
constexpr double kSmileOut = 0.02;       // ... and out
constexpr double kSeriousDown = 0.015;   // serious: corners down
constexpr double kCheekLift = 0.025;     // friendly: cheeks up
constexpr double kLowerLidLift = 0.012;  // friendly: lower lids up (the eyes smile too)
constexpr double kSeriousBrow = 0.015;   // serious: brows down ...
constexpr double kSeriousBrowIn = 0.012; // ... and their inner ends drawn in
constexpr double kGazeX = 0.1;           // the iris's reach: a share of the eye's width ...
constexpr double kGazeY = 0.12;          // ... and of its height
constexpr double kTowardsCorner = 0.5;   // interior vertices this far from the centre towards the corners
constexpr double kNearLid = 0.5;         // interior vertices this far from the centre towards the lids

double dot(const PointF& a, const PointF& b) {
    return a.x * b.x + a.y * b.y;
}

PointF lerp(const PointF& a, const PointF& b, double t) {
    return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
}

} // namespace

void FaceRig::move(std::vector<PointF>& out, int i, double along, double down) const {
    out[i].x += along * m_u.x + down * m_v.x;
    out[i].y += along * m_u.y + down * m_v.y;
}

void FaceRig::addUpperFace() {
    auto add = [this](PointF p) {
        p.x = std::clamp(p.x, m_region.x + 1.0, m_region.right() - 1.0);
        p.y = std::clamp(p.y, m_region.y + 1.0, m_region.bottom() - 1.0);
        m_rest.push_back(p);
        return static_cast<int>(m_rest.size()) - 1;
    };
    auto offset = [this](const PointF& p, double along, double down) {
        return PointF{p.x + along * m_u.x + down * m_v.x, p.y + along * m_u.y + down * m_v.y};
    };
    const auto& P = m_rest; // the landmarks, already kept inside the region
    for (int e = 0; e < 2; ++e) {
        EyeVertices& eye = m_eyes[static_cast<std::size_t>(e)];
        const int first = 36 + 6 * e;
        PointF centre{0.0, 0.0};
        for (int i = first; i < first + 6; ++i)
            centre = {centre.x + P[i].x / 6.0, centre.y + P[i].y / 6.0};
        const double cu = dot(centre, m_u);
        eye.interior[0] = add(centre);
        eye.interior[1] = add(offset(centre, kTowardsCorner * (dot(P[first], m_u) - cu), 0.0));
        eye.interior[2] = add(offset(centre, kTowardsCorner * (dot(P[first + 3], m_u) - cu), 0.0));
        // Near the lid landmarks (37, 38, 40, 41 and their mirror), so that the iris moves almost rigidly and
        // only a thin strip at the lid margin stretches.
        for (int j = 0; j < 4; ++j)
            eye.interior[3 + j] = add(lerp(centre, P[first + (j < 2 ? 1 + j : 2 + j)], kNearLid));
        const int browFirst = 17 + 5 * e;
        for (int j = 0; j < 2; ++j) {
            const PointF& lid = P[first + 1 + j];
            // The brow landmark nearest along the eyes is the one above this part of the lid.
            int above = browFirst;
            for (int k = browFirst; k < browFirst + 5; ++k)
                if (std::abs(dot(P[k], m_u) - dot(lid, m_u)) < std::abs(dot(P[above], m_u) - dot(lid, m_u)))
                    above = k;
            const double h = std::max(dot(lid, m_v) - dot(P[above], m_v), 0.15 * m_iod);
            eye.crease[j] = add(offset(lid, 0.0, -kCreaseShare * h));
            eye.underBrow[j] = add(offset(lid, 0.0, -kUnderBrowShare * h));
        }
        for (int j = 0; j < 3; ++j)
            eye.forehead[j] = add(offset(P[browFirst + 2 * j], 0.0, -kForehead * m_iod));
    }
    m_cheeks[0] = add(lerp(P[2], P[31], 0.5));
    m_cheeks[1] = add(lerp(P[14], P[35], 0.5));
}

void FaceRig::deformExpression(const MouthParams& pose, std::vector<PointF>& out) const {
    const double s = m_iod;
    // Pursed lips relax a smile: the expression's corner, cheek and lower-lid lifts give way to the rounding
    // (to 30 % at a rounding of 1), so a puckered friendly face is not a narrow smile under smiling cheeks.
    // Moving the photo's own cheeks down and in as well (0.012 and 0.008 IOD at F) could not be seen at 4x
    // and cost the lip-sync rows (docs/QUALITY.md eleventh pass), so it is left out.
    const double round = std::clamp(pose.round, 0.0, 1.0);
    if (pose.smile == 0.0)
        return;
    const double friendly = std::max(pose.smile, 0.0);
    const double serious = std::min(pose.smile, 0.0);
    // Puckered lips cannot smile: the offset gives way to rounding, so the corners follow the speech.
    const double pucker = 1.0 - 0.7 * round;
    const double up = (kSmileUp * friendly + kSeriousDown * serious) * s * pucker; // negative: down
    const double outwards = kSmileOut * friendly * s * pucker;
    // Image-left half of the mouth (48...) goes out towards -u, the right half (54...) towards +u.
    for (const auto& [i, w] : {std::pair{48, 1.0}, std::pair{60, 0.9}, std::pair{49, 0.35},
                               std::pair{59, 0.35}, std::pair{61, 0.3}, std::pair{67, 0.3}})
        move(out, i, -outwards * w, -up * w);
    for (const auto& [i, w] : {std::pair{54, 1.0}, std::pair{64, 0.9}, std::pair{53, 0.35},
                               std::pair{55, 0.35}, std::pair{63, 0.3}, std::pair{65, 0.3}})
        move(out, i, outwards * w, -up * w);
    if (friendly > 0.0) { // the cheeks' lift gives way to the rounding as the corners' does
        const double lift = kCheekLift * friendly * s * pucker;
        move(out, m_cheeks[0], -0.3 * lift, -lift);
        move(out, m_cheeks[1], 0.3 * lift, -lift);
        for (int i : {2, 3, 13, 14})
            move(out, i, 0.0, -0.3 * lift);
    }
}

void FaceRig::deformEyes(const MouthParams& pose, std::vector<PointF>& out) const {
    const double s = m_iod;
    const double friendly = std::max(pose.smile, 0.0);
    const double serious = std::min(pose.smile, 0.0);
    const double lift = (pose.brow + kSeriousBrow * serious) * s; // pixels up; negative lowers
    const double drawIn = -kSeriousBrowIn * serious * s;
    const double k = std::clamp(pose.blink, 0.0, 1.0);
    for (int e = 0; e < 2; ++e) {
        const EyeVertices& eye = m_eyes[static_cast<std::size_t>(e)];
        const int first = 36 + 6 * e;
        const int browFirst = 17 + 5 * e;
        const double toNose = e == 0 ? 1.0 : -1.0; // along u, towards the other eye
        // Brows rise as one (the outer ends a little less) and the skin around follows: the forehead gives
        // less, the skin under the brow and the lid crease less still, the lid margin only a trace.
        if (lift != 0.0 || drawIn != 0.0) {
            for (int j = 0; j < 5; ++j) {
                const double inner = e == 0 ? j / 4.0 : (4 - j) / 4.0;
                move(out, browFirst + j, toNose * drawIn * inner, -lift * (0.85 + 0.15 * inner));
            }
            for (int j = 0; j < 3; ++j)
                move(out, eye.forehead[j], toNose * drawIn * 0.3 * (e == 0 ? j / 2.0 : (2 - j) / 2.0),
                     -0.45 * lift);
            for (int j = 0; j < 2; ++j) {
                move(out, eye.underBrow[j], 0.0, -0.7 * lift);
                move(out, eye.crease[j], 0.0, -0.3 * lift);
                move(out, first + 1 + j, 0.0, -0.1 * std::max(lift, 0.0));
            }
        }
        const int upper[2] = {first + 1, first + 2};
        const int lower[2] = {first + 5, first + 4};
        if (friendly > 0.0) // the eyes' smile relaxes with the cheeks as the lips purse
            for (int i : lower)
                move(out, i, 0.0,
                     -kLowerLidLift * friendly * s * (1.0 - 0.7 * std::clamp(pose.round, 0.0, 1.0)));

        // Blink: the upper lid comes down to meet the lower lid (which rises a fifth of the way), fully at
        // k = 1. The crease above it comes down too, to just above the lash line, so the closed eye is
        // covered by the lid skin between brow and crease, stretched, and the strip between crease and lid
        // margin (lashes, the top of the eye) is squeezed into a thin dark line; the eye's own triangles
        // collapse. The skin under the brow follows a fifth of the crease's travel.
        PointF meet[2] = {out[upper[0]], out[upper[1]]};
        if (k > 0.0) {
            for (int j = 0; j < 2; ++j) {
                const PointF u = out[upper[j]], l = out[lower[j]];
                meet[j] = lerp(u, l, 0.8);
                out[upper[j]] = lerp(u, meet[j], k);
                out[lower[j]] = lerp(l, meet[j], k);
                const PointF target{meet[j].x - kLashGap * s * m_v.x, meet[j].y - kLashGap * s * m_v.y};
                const PointF crease = out[eye.crease[j]];
                out[eye.crease[j]] = lerp(crease, target, k);
                out[eye.underBrow[j]].x += 0.2 * k * (target.x - crease.x);
                out[eye.underBrow[j]].y += 0.2 * k * (target.y - crease.y);
            }
        }

        // Gaze: the eye's interior vertices carry the iris; the contour stays, so the white stretches on one
        // side and gathers on the other. Clamped to 10 % of the eye's width and 12 % of its height, so the
        // iris never leaves the eye and the interior never crosses the contour.
        const PointF c0 = out[first], c1 = out[first + 3];
        const double width = std::abs(dot(m_rest[first + 3], m_u) - dot(m_rest[first], m_u));
        const double height = 0.5 * (dot(m_rest[lower[0]], m_v) - dot(m_rest[upper[0]], m_v) +
                                     dot(m_rest[lower[1]], m_v) - dot(m_rest[upper[1]], m_v));
        const double gx = std::clamp(pose.gazeX * s, -kGazeX * width, kGazeX * width);
        const double gy =
            std::clamp(pose.gazeY * s, -kGazeY * std::max(height, 0.0), kGazeY * std::max(height, 0.0));
        for (int n = 0; n < 7; ++n) {
            const int q = eye.interior[n];
            // The centre carries the whole offset; points towards the corners or lids less of the part that
            // would push them into the contour.
            if (gx != 0.0 || gy != 0.0)
                move(out, q,
                     gx * (n == 0  ? 1.0
                           : n < 3 ? 0.5
                                   : 0.8),
                     gy * (n == 0  ? 1.0
                           : n < 3 ? 0.3
                                   : 0.5));
            if (k > 0.0) {
                // Closing: the interior goes to the closed lid line (corner, the two meeting points, corner).
                const PointF line[4] = {c0, meet[0], meet[1], c1};
                const double qu = dot(m_rest[static_cast<std::size_t>(q)], m_u); // where it sits, gaze aside
                PointF z = line[0];
                for (int a = 0; a < 3; ++a) {
                    const double ua = dot(line[a], m_u), ub = dot(line[a + 1], m_u);
                    const double lo = std::min(ua, ub), hi = std::max(ua, ub);
                    if (qu >= lo && qu <= hi && hi > lo) {
                        z = lerp(line[a], line[a + 1], (qu - ua) / (ub - ua));
                        break;
                    }
                    if (a == 2)
                        z = std::abs(qu - dot(line[0], m_u)) < std::abs(qu - ub) ? line[0] : line[3];
                }
                out[q] = lerp(out[q], z, k);
            }
        }
    }
}

} // namespace avatar
