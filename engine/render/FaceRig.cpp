#include "FaceRig.h"
#include "Smoothstep.h"

#include "core/Error.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <utility>

namespace avatar {
namespace {

// How much of the lower jaw's drop each jaw point follows (0-16 along the jaw line, 8 is the chin).
constexpr std::array<double, 17> kJawFollow = {0.0, 0.0, 0.02, 0.06, 0.2,  0.45, 0.7, 0.9, 1.0,
                                               0.9, 0.7, 0.45, 0.2,  0.06, 0.02, 0.0, 0.0};

// How far below each jaw point (3-13) its fixed neck anchor lies, in IOD: beyond the chin's largest drop
// (0.78 x 0.32 = 0.25 IOD for the widest shape) with room to spare, so no triangle can fold.
constexpr double kNeckAnchor = 0.5;

// The smallest share of its rest area a triangle on an inner mouth corner may keep in any pose; the corner
// moves towards the opening's middle rather than fold the mesh there.
constexpr double kMinCornerArea = 0.1;

// A sealed pucker (F's rounding): its jaw and lower lip drop kSealDrop IOD further, plus kSealLoud of however
// much further than F's own opening (kPuckerOpen) the shape is opened (docs/QUALITY.md fourteenth pass).
constexpr double kSealDrop = 0.04;
constexpr double kSealLoud = 0.2;
constexpr double kPuckerOpen = 0.08;
// The open middle's half-width as a share of its height (62 to 66): a little narrower than tall is round to
// the eye once the lips' rolled-in rim is drawn inside it; never more than kSealReach of the way from the
// middle to an inner corner.
constexpr double kSealHalfWidth = 0.65;
constexpr double kSealReach = 0.65;
constexpr double kSealTallest = 1.6;
// The open middle's height at most (IOD): a pucker's opening stays small however loud the sound.
constexpr double kSealMaxOpen = 0.2;
// Where the side pairs meet, from the upper point (0) to the lower (1).
constexpr double kSealHeight = 0.35;

bool isInnerLip(int i) {
    return i >= FaceRig::kInnerLipFirst && i <= FaceRig::kInnerLipLast;
}

// Twice the signed area of triangle (a, b, c); its sign is the triangle's orientation.
double orient(const PointF& a, const PointF& b, const PointF& c) {
    return (b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y);
}

// Whether segments pq and rs cross at a point inside both (touching at an end does not count).
bool crosses(const PointF& p, const PointF& q, const PointF& r, const PointF& s) {
    return orient(p, q, r) * orient(p, q, s) < 0.0 && orient(r, s, p) * orient(r, s, q) < 0.0;
}

// Makes the edge a-b part of the triangulation `tris` of `pts` by flipping the edges that cross it (Sloan's
// method for constrained triangulations): each crossing edge whose two triangles form a convex quad is
// flipped; a flipped edge that still crosses a-b goes back in the queue. Gives up (the edge stays missing)
// after a bounded number of tries, e.g. when a vertex lies exactly on a-b.
void enforceEdge(std::vector<FaceRig::Triangle>& tris, const std::vector<PointF>& pts, int a, int b) {
    auto at = [&](int i) { return pts[static_cast<std::size_t>(i)]; };
    auto has = [](const FaceRig::Triangle& t, int v) { return t[0] == v || t[1] == v || t[2] == v; };
    std::vector<std::pair<int, int>> queue;
    for (const FaceRig::Triangle& t : tris)
        for (int k = 0; k < 3; ++k) {
            const int c = t[static_cast<std::size_t>(k)], d = t[static_cast<std::size_t>((k + 1) % 3)];
            if (c < d && c != a && c != b && d != a && d != b && crosses(at(a), at(b), at(c), at(d)))
                queue.emplace_back(c, d);
        }
    for (int tries = 0; !queue.empty() && tries < 200; ++tries) {
        const auto [c, d] = queue.front();
        queue.erase(queue.begin());
        int t1 = -1, t2 = -1;
        for (int i = 0; i < static_cast<int>(tris.size()); ++i)
            if (has(tris[static_cast<std::size_t>(i)], c) && has(tris[static_cast<std::size_t>(i)], d))
                (t1 < 0 ? t1 : t2) = i;
        if (t1 < 0 || t2 < 0)
            continue; // not an inner edge (cannot happen for one crossing a-b between two mesh points)
        auto third = [&](int t) {
            const FaceRig::Triangle& tri = tris[static_cast<std::size_t>(t)];
            return tri[0] != c && tri[0] != d ? tri[0] : (tri[1] != c && tri[1] != d ? tri[1] : tri[2]);
        };
        const int p = third(t1), q = third(t2);
        if (!crosses(at(p), at(q), at(c), at(d))) {
            queue.emplace_back(c, d); // not convex: another flip first
            continue;
        }
        // The new triangles keep the orientation the mesh's triangles have (Subdiv2D's).
        const FaceRig::Triangle& old = tris[static_cast<std::size_t>(t1)];
        const bool positive = orient(at(old[0]), at(old[1]), at(old[2])) > 0.0;
        auto oriented = [&](int i, int j, int k) {
            return (orient(at(i), at(j), at(k)) > 0.0) == positive ? FaceRig::Triangle{i, j, k}
                                                                   : FaceRig::Triangle{i, k, j};
        };
        tris[static_cast<std::size_t>(t1)] = oriented(p, q, c);
        tris[static_cast<std::size_t>(t2)] = oriented(p, q, d);
        if (p != a && p != b && q != a && q != b && crosses(at(a), at(b), at(p), at(q)))
            queue.emplace_back(std::min(p, q), std::max(p, q));
    }
}

} // namespace

FaceRig::FaceRig(const FaceLandmarks& face, const Rect& frame) : m_face(face) {
    m_iod = face.interOcular();
    if (!(m_iod > 4.0))
        throw Error(ErrorCode::NoFace, "The face is too small to animate (eyes less than 4 pixels apart).");
    const PointF r = face.rightEyeCenter();
    const PointF l = face.leftEyeCenter();
    m_u = {(l.x - r.x) / m_iod, (l.y - r.y) / m_iod};
    m_v = {-m_u.y, m_u.x};
    m_restOpening = face.mouthOpening();

    // Region: the landmarks' box, widened for the cheeks and lengthened below the chin so that the jaw can
    // drop and the neck stretch smoothly back to the fixed border.
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    for (const auto& p : face.points) {
        x0 = std::min(x0, p.x);
        y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x);
        y1 = std::max(y1, p.y);
    }
    // Wide and tall enough to hold the hair and the head's outline, so that they move with the head (the
    // skull vertices below) instead of standing still while the face sways inside them; above the brows this
    // is also room for the forehead to stretch when they rise.
    const double padX = 0.55 * m_iod;
    const double padTop = 1.25 * m_iod;
    const double padBottom = 0.9 * m_iod;
    Rect region{static_cast<int>(std::floor(x0 - padX)), static_cast<int>(std::floor(y0 - padTop)), 0, 0};
    region.width = static_cast<int>(std::ceil(x1 + padX)) - region.x;
    region.height = static_cast<int>(std::ceil(y1 + padBottom)) - region.y;
    m_region = region.intersected(frame);
    if (m_region.width < 8 || m_region.height < 8)
        throw Error(ErrorCode::NoFace, "The face lies outside the video frame.");

    m_rest.assign(face.points.begin(), face.points.end());
    // Keep every landmark strictly inside the region (the ring is the hull).
    for (auto& p : m_rest) {
        p.x = std::clamp(p.x, m_region.x + 1.0, m_region.right() - 1.0);
        p.y = std::clamp(p.y, m_region.y + 1.0, m_region.bottom() - 1.0);
    }
    // The inner lips as the mesh needs them: a detector may put an inner upper-lip point below its lower
    // partner on a closed mouth, or an inner corner just outside the outer lips' edge; the triangles there
    // would then be folded in the photograph's own pose and mirror its pixels in every other one.
    keepLipsInOrder(m_rest);
    // Fixed ring: 5 points on each edge (corners shared).
    const double rx0 = m_region.x, ry0 = m_region.y, rx1 = m_region.right(), ry1 = m_region.bottom();
    constexpr int kSteps = 4;
    for (int i = 0; i < kSteps; ++i) {
        const double t = double(i) / kSteps;
        m_rest.push_back({rx0 + t * (rx1 - rx0), ry0});
        m_rest.push_back({rx1, ry0 + t * (ry1 - ry0)});
        m_rest.push_back({rx1 - t * (rx1 - rx0), ry1});
        m_rest.push_back({rx0, ry1 - t * (ry1 - ry0)});
    }
    // Neck anchors: fixed points a little below the jaw line. Without them the jaw's drop spreads over the
    // whole 0.9 IOD down to the region's border and drags the neck and collar with every syllable; with them
    // the skin just under the jaw gives way (as it does when the chin moves over the neck) and the neck stays
    // put.
    for (int i = 3; i <= 13; ++i) {
        PointF p{m_rest[i].x + kNeckAnchor * m_iod * m_v.x, m_rest[i].y + kNeckAnchor * m_iod * m_v.y};
        p.x = std::clamp(p.x, m_region.x + 1.0, m_region.right() - 1.0);
        p.y = std::clamp(p.y, m_region.y + 1.0, m_region.bottom() - 1.0);
        m_rest.push_back(p);
    }
    m_ringEnd = static_cast<int>(m_rest.size());
    addUpperFace();
    addSkull();
    for (int k = 0; k < 3; ++k) {
        const PointF& nose = m_rest[static_cast<std::size_t>(32 + k)];
        const PointF& lip = m_rest[static_cast<std::size_t>(50 + k)];
        m_rest.push_back({(nose.x + lip.x) * 0.5, (nose.y + lip.y) * 0.5});
        m_philtrum[static_cast<std::size_t>(k)] = static_cast<int>(m_rest.size()) - 1;
    }
    triangulate();
}

void FaceRig::addSkull() {
    // Points on the hair and the head's outline, which move with the head as one (they come after the ring,
    // like the landmarks they belong with) while the fixed ring at the region's border absorbs the motion in
    // the background around the head: an arc over the crown, 1.0 IOD above the brows in the middle, and the
    // temples beside the upper jaw line.
    const PointF browMid{(m_rest[19].x + m_rest[24].x) * 0.5, (m_rest[19].y + m_rest[24].y) * 0.5};
    const PointF faceMid{(m_rest[0].x + m_rest[16].x) * 0.5, (m_rest[0].y + m_rest[16].y) * 0.5};
    const double halfWidth = 0.5 * std::hypot(m_rest[16].x - m_rest[0].x, m_rest[16].y - m_rest[0].y);
    const double browLevel = (browMid.x - faceMid.x) * m_v.x + (browMid.y - faceMid.y) * m_v.y;
    auto add = [this](PointF p) {
        p.x = std::clamp(p.x, m_region.x + 1.0, m_region.right() - 1.0);
        p.y = std::clamp(p.y, m_region.y + 1.0, m_region.bottom() - 1.0);
        m_rest.push_back(p);
    };
    for (const double x : {-1.0, -0.6, 0.0, 0.6, 1.0}) {
        const double along = x * (halfWidth + 0.15 * m_iod);
        const double up = 1.0 * m_iod * std::sqrt(std::max(0.0, 1.0 - 0.55 * x * x)) - browLevel;
        add({faceMid.x + along * m_u.x - up * m_v.x, faceMid.y + along * m_u.y - up * m_v.y});
    }
    for (const auto& [jaw, side] : {std::pair{0, -1.0}, std::pair{16, 1.0}})
        add({m_rest[jaw].x + side * 0.25 * m_iod * m_u.x - 0.3 * m_iod * m_v.x,
             m_rest[jaw].y + side * 0.25 * m_iod * m_u.y - 0.3 * m_iod * m_v.y});
}

std::vector<PointF> FaceRig::deform(const MouthParams& pose) const {
    std::vector<PointF> out = m_rest;
    const double s = m_iod;
    const double delta = (pose.open - m_restOpening) * s; // how far the inner lips part (negative: close)
    const double tuck = pose.tuck * 0.05 * s;
    const double cornerIn = pose.round * 0.09 * s - pose.width * 0.5 * s; // per side, towards the centre
    const double protrude = pose.round * 0.03 * s;
    // A puckered opening is round, not a slit: its sides part almost as far as its middle.
    const double roundSides = pose.round * 0.045 * s;
    // A sealed pucker's jaw and lower lip drop further: its sides are closed, and the landmark detectors read
    // an opening by the mean of three gaps, two of which the seal takes away (docs/QUALITY.md thirteenth
    // pass: main's F read 0.14-0.17 IOD open on the lip-sync test's loud frames); a loud F (LoudnessShaping
    // opens it past its 0.08) opens the middle further still.
    const double seal = puckerSeal(pose);
    const double sealDrop = seal * (kSealDrop + kSealLoud * std::max(0.0, pose.open - kPuckerOpen)) * s;

    auto move = [&](int i, double along, double down) {
        out[i].x += along * m_u.x + down * m_v.x;
        out[i].y += along * m_u.y + down * m_v.y;
    };
    // Horizontal sign: +1 for points on the image's left half of the mouth (they move right to go inwards).
    const double mouthCentreU = (m_face.points[48].x + m_face.points[54].x) * 0.5 * m_u.x +
                                (m_face.points[48].y + m_face.points[54].y) * 0.5 * m_u.y;
    auto inward = [&](int i) {
        const double pu = m_face.points[i].x * m_u.x + m_face.points[i].y * m_u.y;
        return pu < mouthCentreU ? 1.0 : -1.0;
    };
    // How far from the mouth's centre an outer-lip point lies, as a share of the half-width (0 in the middle,
    // 1 at the corners): the lips narrow or widen about their centre, each point by its share of the corners'
    // move, so the skin above and below them is drawn together evenly instead of the middle of the lip
    // taking half of the corners' pull over a much shorter span (which squeezed the skin under the nose).
    const double halfWidth =
        std::max(1.0, 0.5 * std::abs((m_face.points[54].x - m_face.points[48].x) * m_u.x +
                                     (m_face.points[54].y - m_face.points[48].y) * m_u.y));
    auto share = [&](int i) {
        const double pu = m_face.points[i].x * m_u.x + m_face.points[i].y * m_u.y;
        return std::min(1.0, std::abs(pu - mouthCentreU) / halfWidth);
    };

    // Jaw and chin follow the lower lip.
    for (int i = 0; i <= 16; ++i)
        move(i, 0.0, (0.78 * delta + sealDrop) * kJawFollow[i]);
    // Corners: drop a quarter of the opening, go in for rounding, out for a wide mouth. Closing below the
    // photo's own opening does not lift them: lips close by meeting between the corners (they rose a quarter
    // of the closing too, above the upper lip beside them on a smile, and folded the lip there).
    const double cornerDrop = 0.25 * std::max(0.0, delta);
    for (int i : {48, 60})
        move(i, cornerIn * (i == 60 ? 1.25 : 1.0), cornerDrop);
    for (int i : {54, 64})
        move(i, -cornerIn * (i == 64 ? 1.25 : 1.0), cornerDrop);
    // How far each pair of inner-lip points (61-67, 62-66, 63-65) parts. Opening wider than the photo adds
    // the same to every pair (the sides a little less); closing shrinks each pair's own gap in proportion, so
    // a photo whose lips are apart by different amounts along the mouth (a smile is open wider towards its
    // corners) seals completely at open = 0 instead of leaving slivers of teeth at the sides.
    auto parting = [&](int upper, int lower) {
        const double w = upper == 62 ? 1.0 : 0.9;
        if (delta >= 0.0 || m_restOpening <= 0.0)
            return delta * w;
        const PointF a = m_rest[static_cast<std::size_t>(upper)], b = m_rest[static_cast<std::size_t>(lower)];
        const double gap = std::max(0.0, (b.x - a.x) * m_v.x + (b.y - a.y) * m_v.y);
        return -gap * std::clamp(1.0 - pose.open / m_restOpening, 0.0, 1.0);
    };
    const double part[3] = {parting(61, 67), parting(62, 66), parting(63, 65)};
    // Upper lip: rises a little with the opening, pushed up when puckered.
    for (int i : {61, 62, 63})
        move(i, inward(i) * cornerIn * 0.8 * (i == 62 ? 0.0 : 1.0),
             -0.22 * part[i - 61] - roundSides * (i == 62 ? 0.9 : 1.0));
    for (int i : {49, 50, 51, 52, 53}) {
        const double w = (i == 49 || i == 53) ? 0.55 : (i == 51 ? 1.0 : 0.9);
        move(i, inward(i) * cornerIn * share(i), -0.2 * delta * w - protrude * w);
    }
    // Lower lip: goes down with the jaw; tucked up under the teeth for F and V.
    for (int i : {65, 66, 67})
        move(i, inward(i) * cornerIn * 0.8 * (i == 66 ? 0.0 : 1.0),
             0.78 * part[67 - i] - tuck + roundSides * (i == 66 ? 0.9 : 1.0) + sealDrop);
    for (int i : {55, 56, 57, 58, 59}) {
        const double w = (i == 55 || i == 59) ? 0.6 : (i == 57 ? 1.0 : 0.9);
        move(i, inward(i) * cornerIn * share(i), (0.78 * delta + sealDrop) * w + protrude * w - 0.6 * tuck);
    }
    // Rounded shapes (OO, W): a pucker is an ellipse, not the triangle or heart that moving each lip point on
    // its own gives. The inner lips are drawn towards the ellipse through their corners and centres, the
    // outer lips (less) towards a rounded outline of the same kind.
    if (pose.round > 0.0)
        roundLips(out, std::clamp(pose.round, 0.0, 1.0));
    // ---- The living face (issue #12): expression offsets on top of the mouth, then eyes and brows. ----
    deformExpression(pose, out);
    // (After the expression, which moves both points of a pair alike: its raised corners are what a low seal
    // could fold against.)
    if (seal > 0.0)
        sealSides(out, seal);
    // No pose may fold the lips over themselves: a tucked lower lip (F, V) stops where it meets the upper
    // one, and the inner corners stay inside the outer lips while the corners rise to close a smile.
    keepLipsInOrder(out);
    for (int k = 0; k < 3; ++k) {
        const std::size_t lip = static_cast<std::size_t>(50 + k),
                          skin = static_cast<std::size_t>(m_philtrum[static_cast<std::size_t>(k)]);
        out[skin] = {m_rest[skin].x + 0.5 * (out[lip].x - m_rest[lip].x),
                     m_rest[skin].y + 0.5 * (out[lip].y - m_rest[lip].y)};
    }
    deformEyes(pose, out);
    // Head motion: the whole face (every landmark and the upper-face vertices) turns about the nose tip and
    // shifts as one; the fixed ring and the neck anchors absorb it, so the motion fades out smoothly towards
    // the region's border.
    if (pose.headX != 0.0 || pose.headY != 0.0 || pose.headRoll != 0.0) {
        const HeadPose head = headPose(pose);
        for (int i = 0; i < static_cast<int>(out.size()); ++i) {
            if (i == ringFirst())
                i = m_ringEnd; // the ring and the neck anchors stay
            if (i >= static_cast<int>(out.size()))
                break;
            out[static_cast<std::size_t>(i)] = head.apply(out[static_cast<std::size_t>(i)]);
        }
    }
    return out;
}

void FaceRig::roundLips(std::vector<PointF>& out, double round) const {
    auto localOf = [&](const PointF& p, const PointF& c) {
        const double dx = p.x - c.x, dy = p.y - c.y;
        return PointF{dx * m_u.x + dy * m_u.y, dx * m_v.x + dy * m_v.y};
    };
    auto place = [&](int i, const PointF& c, double a, double b, double weight) {
        const PointF target{c.x + a * m_u.x + b * m_v.x, c.y + a * m_u.y + b * m_v.y};
        out[i] = {out[i].x + (target.x - out[i].x) * weight, out[i].y + (target.y - out[i].y) * weight};
    };
    // Inner lips: corners 60 and 64, centres 62 and 66; the others at 45 degrees. (An O centred on the
    // opening's middle, the corners pressed in to its sides, was tried: round and small, but on a smiling
    // portrait its own bright teeth then filled the small hole and the pressed corners showed dark seams, and
    // the lip-sync rows fell by 0.01-0.03; docs/QUALITY.md, eighth pass.)
    const PointF c{(out[60].x + out[64].x + out[62].x + out[66].x) * 0.25,
                   (out[60].y + out[64].y + out[62].y + out[66].y) * 0.25};
    const double w = std::abs(localOf(out[64], c).x - localOf(out[60], c).x) * 0.5;
    const double top = -localOf(out[62], c).y, bottom = localOf(out[66], c).y;
    constexpr double kDiag = 0.7071;
    const double weight = 0.85 * round;
    place(61, c, -kDiag * w, -kDiag * top, weight);
    place(63, c, kDiag * w, -kDiag * top, weight);
    place(65, c, kDiag * w, kDiag * bottom, weight);
    place(67, c, -kDiag * w, kDiag * bottom, weight);
    // Outer lips: each point's height follows the ellipse through the corners 48 and 54 and the centres
    // 51, 57.
    const PointF co{(out[48].x + out[54].x) * 0.5, (out[48].y + out[54].y) * 0.5};
    const double wo = std::max(1.0, std::abs(localOf(out[54], co).x - localOf(out[48], co).x) * 0.5);
    const double up = -localOf(out[51], co).y, down = localOf(out[57], co).y;
    for (int i : {49, 50, 52, 53, 55, 56, 58, 59}) {
        const PointF l = localOf(out[i], co);
        const double x = std::clamp(l.x / wo, -0.98, 0.98);
        const double h = (i < 54 ? -up : down) * std::sqrt(1.0 - x * x);
        place(i, co, l.x, h, 0.6 * round);
    }
}

double FaceRig::puckerSeal(const MouthParams& pose) {
    return smoothstep(0.4, 0.9, pose.round);
}

void FaceRig::sealSides(std::vector<PointF>& out, double weight) const {
    auto local = [&](const PointF& p) {
        return PointF{p.x * m_u.x + p.y * m_u.y, p.x * m_v.x + p.y * m_v.y};
    };
    auto world = [&](const PointF& l) {
        return PointF{l.x * m_u.x + l.y * m_v.x, l.x * m_u.y + l.y * m_v.y};
    };
    auto at = [&](int i) -> PointF& { return out[static_cast<std::size_t>(i)]; };
    const double k = std::min(1.0, 2.0 * weight);
    // The opening is centred between the mouth's corners, and the middle pair (62, 66) goes there across:
    // the detectors put the middle landmarks towards their mean face's, on sample3's face 0 0.13 IOD off
    // her teeth's and nose's midline into one half, while the corners sit where the photo's lips end; an
    // opening on the middle landmarks sat off in one half, with a long seal across the other
    // (docs/QUALITY.md sixteenth pass).
    // (Three quarters of the way was tried: it left the opening 0.08 of the half-width off on sample3's face
    // 0 and moved sample3-left's rim onto her lower lip's crease.)
    const double middle = 0.5 * (local(at(48)).x + local(at(54)).x);
    for (int i : {62, 66}) {
        const PointF l = local(at(i));
        at(i) = world({l.x + (middle - l.x) * k, l.y});
    }
    const PointF top = local(at(62)), bottom = local(at(66));
    const double height = std::max(0.0, bottom.y - top.y);
    double narrowest = 1e18; // the opening's width between the two meeting points, once known
    for (const auto& pair : {std::array{61, 67, 60, 0}, std::array{63, 65, 64, 1}}) {
        const int upper = pair[0], lower = pair[1], corner = pair[2], side = pair[3];
        const PointF a = local(at(upper)), b = local(at(lower)), c = local(at(corner));
        const double toCorner = std::abs(c.x - middle);
        const double half =
            std::min(kSealHalfWidth * std::min(height, kSealMaxOpen * m_iod), kSealReach * toCorner);
        const double x = middle + (c.x > middle ? half : -half);
        narrowest = std::min(narrowest, 2.0 * half);
        // (Nearer the upper lip than the lower: the upper lip is the thinner, and stretched down to the
        // middle of a dropped jaw's gap a thin one showed the skin above it, hard-edged, on sample6's face.)
        const double mid = a.y + kSealHeight * (b.y - a.y);
        const auto& around = m_sideTriangles[static_cast<std::size_t>(side)];
        // From the pair's mid-height towards the corner's height, the first meeting point that folds nothing.
        constexpr int kSteps = 8;
        for (int step = 0; step <= kSteps; ++step) {
            const double y = mid + (c.y - mid) * double(step) / kSteps;
            const PointF pu = world({a.x + (x - a.x) * k, a.y + (y - a.y) * k});
            const PointF pl = world({b.x + (x - b.x) * k, b.y + (y - b.y) * k});
            bool ok = true;
            for (const auto& [t, restArea] : around) {
                auto pick = [&](int i) -> const PointF& {
                    return i == upper ? pu : (i == lower ? pl : at(i));
                };
                if (orient(pick(t[0]), pick(t[1]), pick(t[2])) / restArea < kMinCornerArea) {
                    ok = false;
                    break;
                }
            }
            if (ok || step == kSteps) {
                at(upper) = pu;
                at(lower) = pl;
                break;
            }
        }
    }
    // A narrow mouth caps the width (kSealReach): an opening much taller than wide reads as a slot or a bead,
    // so its two lips' middles come together to at most kSealTallest times the width.
    const double excess = height - std::min(kSealTallest * narrowest, kSealMaxOpen * m_iod);
    if (excess > 0.0) {
        const PointF down = world({0.0, 0.5 * excess * k});
        at(62) = {at(62).x + down.x, at(62).y + down.y};
        at(66) = {at(66).x - down.x, at(66).y - down.y};
    }
}

void FaceRig::keepLipsInOrder(std::vector<PointF>& out) const {
    auto local = [&](const PointF& p) {
        return PointF{p.x * m_u.x + p.y * m_u.y, p.x * m_v.x + p.y * m_v.y};
    };
    auto world = [&](const PointF& l) {
        return PointF{l.x * m_u.x + l.y * m_v.x, l.x * m_u.y + l.y * m_v.y};
    };
    auto at = [&](int i) -> PointF& { return out[static_cast<std::size_t>(i)]; };
    // An inner upper-lip point below its lower partner (a tuck higher than the opening, or a detector's
    // crossed points): both go to where they meet, so the lips close there instead of overlapping.
    for (const auto& [upper, lower] : {std::pair{61, 67}, std::pair{62, 66}, std::pair{63, 65}}) {
        const PointF a = local(at(upper)), b = local(at(lower));
        if (b.y < a.y) {
            const double y = 0.5 * (a.y + b.y);
            at(upper) = world({a.x, y});
            at(lower) = world({b.x, y});
        }
    }
    // Each inner corner lies inside the outer lips, at least kMargin below the upper lip's edge beside it
    // (outer corner to its neighbour 49 or 53) and above the lower one's (to 59 or 55), and inside the outer
    // corner: where it is not, it moves towards the opening's middle until it is.
    const double margin = 0.01 * m_iod;
    const PointF centre = local({(at(62).x + at(66).x) * 0.5, (at(62).y + at(66).y) * 0.5});
    for (const auto& [inner, corner, upper, lower] :
         {std::array{60, 48, 49, 59}, std::array{64, 54, 53, 55}}) {
        const PointF k = local(at(corner)), up = local(at(upper)), down = local(at(lower));
        auto lineAt = [](const PointF& p, const PointF& q, double x) {
            return std::abs(q.x - p.x) < 1e-9 ? 0.5 * (p.y + q.y)
                                              : p.y + (q.y - p.y) * (x - p.x) / (q.x - p.x);
        };
        const double side = k.x > centre.x ? 1.0 : -1.0;
        // ...and no mesh triangle on it (known once the mesh is built) folds or flattens to under a tenth of
        // its rest area: when a smile closes its corners rise while the inner lips beside them come down.
        const auto& around = m_cornerTriangles[inner == 60 ? 0 : 1];
        auto inside = [&](const PointF& p) {
            if (side * (k.x - p.x) < margin || p.y < lineAt(k, up, p.x) + margin ||
                p.y > lineAt(k, down, p.x) - margin)
                return false;
            const PointF w = world(p);
            for (const auto& [t, restArea] : around) {
                const PointF& a = t[0] == inner ? w : at(t[0]);
                const PointF& b = t[1] == inner ? w : at(t[1]);
                const PointF& c = t[2] == inner ? w : at(t[2]);
                if (orient(a, b, c) / restArea < kMinCornerArea)
                    return false;
            }
            return true;
        };
        const PointF start = local(at(inner));
        if (inside(start))
            continue;
        constexpr int kSteps = 32;
        for (int step = 1; step <= kSteps; ++step) {
            const double t = double(step) / kSteps;
            const PointF p{start.x + (centre.x - start.x) * t, start.y + (centre.y - start.y) * t};
            if (inside(p)) {
                at(inner) = world(p);
                break;
            }
        }
    }
}

FaceRig::HeadPose FaceRig::headPose(const MouthParams& pose) const {
    HeadPose head;
    head.pivot = m_rest[30];
    head.cos = std::cos(pose.headRoll);
    head.sin = std::sin(pose.headRoll);
    head.shift = {(pose.headX * m_u.x + pose.headY * m_v.x) * m_iod,
                  (pose.headX * m_u.y + pose.headY * m_v.y) * m_iod};
    return head;
}

std::vector<PointF> FaceRig::innerLipOutline(const std::vector<PointF>& v) {
    constexpr int kCount = kInnerLipLast - kInnerLipFirst + 1;
    auto lip = [&](int k) {
        return v[static_cast<std::size_t>(kInnerLipFirst + ((k % kCount) + kCount) % kCount)];
    };
    std::vector<PointF> curve;
    curve.reserve(kCount * kOutlineSteps);
    for (int k = 0; k < kCount; ++k) {
        const PointF p0 = lip(k - 1), p1 = lip(k), p2 = lip(k + 1), p3 = lip(k + 2);
        for (int j = 0; j < kOutlineSteps; ++j) {
            const double t = double(j) / kOutlineSteps, t2 = t * t, t3 = t2 * t;
            auto cr = [&](double a, double b, double c, double d) {
                return 0.5 * (2 * b + (c - a) * t + (2 * a - 5 * b + 4 * c - d) * t2 +
                              (3 * b - a - 3 * c + d) * t3);
            };
            curve.push_back({cr(p0.x, p1.x, p2.x, p3.x), cr(p0.y, p1.y, p2.y, p3.y)});
        }
    }
    return curve;
}

void FaceRig::triangulate() {
    // Triangulate a wide-open pose: there, no triangle bridges the two lips, so the same topology stays valid
    // for every pose (closed mouths only flatten the triangles inside the inner lips, which are not warped).
    MouthParams open;
    open.open = std::max(0.4, m_restOpening + 0.3);
    const std::vector<PointF> pts = deform(open);

    cv::Subdiv2D subdiv(cv::Rect(m_region.x - 2, m_region.y - 2, m_region.width + 4, m_region.height + 4));
    std::vector<int> idOf; // Subdiv2D vertex id -> our index
    for (std::size_t i = 0; i < pts.size(); ++i) {
        cv::Point2f p(static_cast<float>(pts[i].x), static_cast<float>(pts[i].y));
        p.x = std::clamp(p.x, float(m_region.x - 1), float(m_region.right() + 1));
        p.y = std::clamp(p.y, float(m_region.y - 1), float(m_region.bottom() + 1));
        const int id = subdiv.insert(p);
        if (id >= static_cast<int>(idOf.size()))
            idOf.resize(id + 1, -1);
        if (idOf[id] < 0)
            idOf[id] = static_cast<int>(i); // a duplicate point keeps the first index
    }
    std::vector<cv::Vec6f> list;
    subdiv.getTriangleList(list);
    std::vector<Triangle> all;
    for (const cv::Vec6f& t : list) {
        Triangle tri{};
        bool ok = true;
        for (int k = 0; k < 3 && ok; ++k) {
            const cv::Point2f p(t[2 * k], t[2 * k + 1]);
            int vertex = 0, edge = 0;
            const int loc = subdiv.locate(p, edge, vertex);
            ok = loc == cv::Subdiv2D::PTLOC_VERTEX && vertex < static_cast<int>(idOf.size()) &&
                 idOf[vertex] >= 0;
            if (ok)
                tri[k] = idOf[vertex];
        }
        if (!ok)
            continue; // a triangle touching Subdiv2D's virtual outer vertices
        all.push_back(tri);
    }
    // The lips' outer edge is a line of the mesh: no triangle reaches across it from the skin to the inner
    // lips. Delaunay alone joins an inner-lip point to the nose or the skin under it wherever the upper lip
    // is thin beside a long outer-lip segment (face-api's landmarks on the default portrait do this), and
    // such a triangle, half lip and half skin, is stretched or squeezed by every move of the inner lips.
    for (int i = 48; i <= 59; ++i)
        enforceEdge(all, pts, i, i == 59 ? 48 : i + 1);
    // So is the inner-lip outline: no triangle reaches across a corner of the opening from the upper lip to
    // the lower one, which would fold over as the lips close.
    for (int i = 60; i <= 67; ++i)
        enforceEdge(all, pts, i, i == 67 ? 60 : i + 1);
    m_triangles.clear();
    for (const Triangle& tri : all) {
        if (isInnerLip(tri[0]) && isInnerLip(tri[1]) && isInnerLip(tri[2]))
            continue; // the mouth opening: painted, not warped
        m_triangles.push_back(tri);
        for (int k = 0; k < 2; ++k) {
            const int corner = k == 0 ? 60 : 64;
            const double restArea =
                orient(m_rest[static_cast<std::size_t>(tri[0])], m_rest[static_cast<std::size_t>(tri[1])],
                       m_rest[static_cast<std::size_t>(tri[2])]);
            if ((tri[0] == corner || tri[1] == corner || tri[2] == corner) && restArea != 0.0)
                m_cornerTriangles[static_cast<std::size_t>(k)].push_back({tri, restArea});
            auto has = [&](int v) { return tri[0] == v || tri[1] == v || tri[2] == v; };
            if ((k == 0 ? has(61) || has(67) : has(63) || has(65)) && restArea != 0.0)
                m_sideTriangles[static_cast<std::size_t>(k)].push_back({tri, restArea});
        }
    }
    if (m_triangles.empty())
        throw Error(ErrorCode::Internal, "Could not build the face mesh.");
}

} // namespace avatar
