#include "MeshMetrics.h"

#include "lipsync/MouthParams.h"
#include "lipsync/Viseme.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace avatar::bench {
namespace {

constexpr const char* kShapes = "XABCDEFGH";

double signedArea(const std::vector<PointF>& v, const FaceRig::Triangle& t) {
    const PointF& a = v[static_cast<std::size_t>(t[0])];
    const PointF& b = v[static_cast<std::size_t>(t[1])];
    const PointF& c = v[static_cast<std::size_t>(t[2])];
    return 0.5 * ((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y));
}

double area(const std::vector<PointF>& v, const FaceRig::Triangle& t) {
    return std::abs(signedArea(v, t));
}

void keepWorst(MeshFigures::Worst& worst, double change, char shape, const FaceRig::Triangle& t) {
    if (change > worst.change)
        worst = {change, shape, t};
}

// Barycentric weights of p in triangle (a, b, c); false when p lies outside (or the triangle is flat).
bool barycentric(const PointF& p, const PointF& a, const PointF& b, const PointF& c,
                 std::array<double, 3>& w) {
    const double d = (b.y - c.y) * (a.x - c.x) + (c.x - b.x) * (a.y - c.y);
    if (std::abs(d) < 1e-12)
        return false;
    w[0] = ((b.y - c.y) * (p.x - c.x) + (c.x - b.x) * (p.y - c.y)) / d;
    w[1] = ((c.y - a.y) * (p.x - c.x) + (a.x - c.x) * (p.y - c.y)) / d;
    w[2] = 1.0 - w[0] - w[1];
    constexpr double kEps = -1e-9;
    return w[0] >= kEps && w[1] >= kEps && w[2] >= kEps;
}

} // namespace

OpeningShape MeshMetrics::opening(const FaceRig& rig, const MouthParams& pose) {
    const PointF u = rig.alongEyes(), v = rig.downFace();
    const auto posed = rig.deform(pose);
    const auto closed = rig.deform(MouthParams::forShape(Viseme::X));
    std::vector<PointF> poly;
    for (int i = FaceRig::kInnerLipFirst; i <= FaceRig::kInnerLipLast; ++i) {
        const PointF& p = posed[static_cast<std::size_t>(i)];
        poly.push_back({p.x * u.x + p.y * u.y, p.x * v.x + p.y * v.y});
    }
    // A sealed side (a pucker's side pairs met, FaceRig::puckerSeal) is closed lips, not opening: its corner
    // counts as the meeting point, so the polygon's zero-width stretch from the corner is left out. An
    // unsealed mouth (main's F) measures as before.
    const double touching = 1e-3 * rig.interOcular();
    for (const auto& [corner, upper, lower] : {std::array{0, 1, 7}, std::array{4, 3, 5}}) {
        const PointF a = poly[static_cast<std::size_t>(upper)], b = poly[static_cast<std::size_t>(lower)];
        if (std::hypot(a.x - b.x, a.y - b.y) < touching)
            poly[static_cast<std::size_t>(corner)] = {0.5 * (a.x + b.x), 0.5 * (a.y + b.y)};
    }
    double top = 1e18, bottom = -1e18, left = 1e18, right = -1e18;
    for (const PointF& p : poly) {
        top = std::min(top, p.y);
        bottom = std::max(bottom, p.y);
        left = std::min(left, p.x);
        right = std::max(right, p.x);
    }
    // The polygon's width on rows across its height; the widest row's place as a share of the height.
    OpeningShape o;
    double widest = -1.0;
    constexpr int kRows = 40;
    for (int r = 1; r < kRows; ++r) {
        const double y = top + (bottom - top) * r / kRows;
        double lo = 1e18, hi = -1e18;
        for (std::size_t k = 0; k < poly.size(); ++k) {
            const PointF& a = poly[k];
            const PointF& b = poly[(k + 1) % poly.size()];
            if ((a.y - y) * (b.y - y) > 0.0 || a.y == b.y)
                continue;
            const double x = a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y);
            lo = std::min(lo, x);
            hi = std::max(hi, x);
        }
        if (hi - lo > widest) {
            widest = hi - lo;
            o.widestAt = double(r) / kRows;
        }
    }
    const double width = std::max(1e-9, right - left);
    const double mouth = std::abs((closed[54].x - closed[48].x) * u.x + (closed[54].y - closed[48].y) * u.y);
    o.heightOverWidth = (bottom - top) / width;
    o.widthOfMouth = width / std::max(1e-9, mouth);
    return o;
}

MeshFigures MeshMetrics::measure(const FaceRig& rig) {
    MeshFigures f;
    const std::vector<PointF>& rest = rig.restVertices();
    const auto& triangles = rig.triangles();
    std::vector<std::vector<PointF>> posed;
    double widestOpen = -1.0;
    std::size_t widest = 0;
    for (int s = 0; kShapes[s]; ++s) {
        const MouthParams pose = MouthParams::forShape(visemeFromChar(kShapes[s]));
        posed.push_back(rig.deform(pose));
        if (pose.open > widestOpen) {
            widestOpen = pose.open;
            widest = static_cast<std::size_t>(s);
        }
    }
    f.widestShape = kShapes[widest];

    for (const FaceRig::Triangle& t : triangles) {
        const double restSigned = signedArea(rest, t);
        if (restSigned != 0.0) {
            bool folded = false;
            for (std::size_t s = 0; s < posed.size(); ++s) {
                const double ratio = signedArea(posed[s], t) / restSigned;
                if (ratio < -MeshMetrics::kFlipTolerance) {
                    folded = true;
                    keepWorst(f.flipped, -ratio, kShapes[s], t);
                }
            }
            f.flippedTriangles += folded ? 1 : 0;
        }
        const double restArea = std::abs(restSigned);
        const int lipJaw = int(isLipOrJaw(t[0])) + int(isLipOrJaw(t[1])) + int(isLipOrJaw(t[2]));
        if (restArea < kMinRestArea) {
            ++f.skippedTriangles;
            continue;
        }
        (lipJaw == 3 ? f.lipsJawTriangles : f.outsideTriangles)++;
        if (lipJaw == 0)
            ++f.noLipJawTriangles;
        for (std::size_t s = 0; s < posed.size(); ++s) {
            const double change = std::abs(area(posed[s], t) / restArea - 1.0);
            if (lipJaw == 3) {
                keepWorst(f.lipsJaw, change, kShapes[s], t);
            } else {
                keepWorst(f.outside, change, kShapes[s], t);
                if (lipJaw == 0)
                    keepWorst(f.noLipJaw, change, kShapes[s], t);
            }
        }
    }

    for (const auto& p : posed)
        for (int i = 17; i <= 47; ++i) {
            if (i >= 27 && i <= 35)
                continue; // the nose
            f.eyesBrowsMaxShiftPx =
                std::max(f.eyesBrowsMaxShiftPx,
                         std::hypot(p[static_cast<std::size_t>(i)].x - rest[static_cast<std::size_t>(i)].x,
                                    p[static_cast<std::size_t>(i)].y - rest[static_cast<std::size_t>(i)].y));
        }

    // The neck band, in the face's own axes (u along the eyes, v down the face), on the rest mesh.
    const PointF u = rig.alongEyes(), v = rig.downFace();
    auto along = [&](const PointF& p) { return p.x * u.x + p.y * u.y; };
    auto down = [&](const PointF& p) { return p.x * v.x + p.y * v.y; };
    const double iod = rig.interOcular();
    const double chinV = down(rest[8]);
    const double u0 = std::min(along(rest[5]), along(rest[11]));
    const double u1 = std::max(along(rest[5]), along(rest[11]));
    const double v0 = chinV + kNeckBandTopIod * iod, v1 = chinV + kNeckBandBottomIod * iod;
    const std::vector<PointF>& closed = posed[0]; // X
    const std::vector<PointF>& open = posed[widest];
    const Rect r = rig.region();
    double sum = 0.0;
    // Scan the region's bounding box around the band; most pixels fail the band test at once.
    for (int y = r.y; y < r.bottom(); ++y)
        for (int x = r.x; x < r.right(); ++x) {
            const PointF p{x + 0.5, y + 0.5};
            const double pu = along(p), pv = down(p);
            if (pu < u0 || pu > u1 || pv < v0 || pv > v1)
                continue;
            ++f.neckBandPixels;
            double shift = 0.0;
            std::array<double, 3> w{};
            for (const FaceRig::Triangle& t : triangles) {
                const auto a = static_cast<std::size_t>(t[0]), b = static_cast<std::size_t>(t[1]),
                           c = static_cast<std::size_t>(t[2]);
                if (!barycentric(p, rest[a], rest[b], rest[c], w))
                    continue;
                const double dx = w[0] * (open[a].x - closed[a].x) + w[1] * (open[b].x - closed[b].x) +
                                  w[2] * (open[c].x - closed[c].x);
                const double dy = w[0] * (open[a].y - closed[a].y) + w[1] * (open[b].y - closed[b].y) +
                                  w[2] * (open[c].y - closed[c].y);
                shift = std::hypot(dx, dy);
                break;
            }
            sum += shift;
            f.neckBandShiftMaxPx = std::max(f.neckBandShiftMaxPx, shift);
        }
    f.neckBandShiftMeanPx = f.neckBandPixels ? sum / double(f.neckBandPixels) : 0.0;
    return f;
}

} // namespace avatar::bench
