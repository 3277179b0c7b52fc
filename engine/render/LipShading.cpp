#include "LipShading.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace avatar {
namespace {

// Strengths at full weight (F), as shares of the pixel's luma. Chosen by looking at the F tiles at 2-4x on
// four portraits (docs/QUALITY.md eleventh pass): stronger, the upper lip read as a painted pale stripe and
// the corners' creases as drawn whiskers; weaker, as nothing.
constexpr double kRollLift = 0.09;    // the skin just above the upper lip's edge, turned up towards the light
constexpr double kUpperLift = 0.06;   // the upper vermilion's upper part
constexpr double kLowerLift = 0.07;   // the lower lip's upper front
constexpr double kChinShade = 0.2;    // the lower lip's shadow on the chin, at its darkest
constexpr double kCornerShade = 0.12; // the creases at the corners

constexpr double kShadeTint[3] = {0.85, 1.05, 1.15}; // shade per channel (red, green, blue)

// No mask changes faster than over this many IODs (about 4 px on a 1280x720 presenter framing): a sharper one
// added a gradient that read as a drawn line and raised the skin's local contrast by up to 60 %.
constexpr double kSoftest = 0.04;

constexpr int kSamples = 33; // the lips' curves sampled along the mouth

double smooth(double e0, double e1, double x) {
    const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

// A soft bump: 1 at 0, falling to 0 at |x| = 1, flat at both ends (cheaper than a Gaussian, no tails).
double bump(double x) {
    const double q = 1.0 - x * x;
    return q > 0.0 ? q * q : 0.0;
}

} // namespace

// One pose's lips in the face's axes (a along the eyes from the corners' midpoint, b down the face), in
// pixels: the four lip edges sampled across the mouth, and the corners.
struct LipShading::Lips {
    double weight = 0.0;
    double iod = 1.0;
    PointF centre, u, v;
    double half = 1.0; // half the corners' distance
    std::array<double, kSamples> outerUpper{}, innerUpper{}, innerLower{}, outerLower{};
    PointF corner[2]; // (a, b) of 48 and 54
};

double LipShading::weight(const MouthParams& pose) {
    return smooth(0.2, 0.9, pose.round);
}

LipShading::Lips LipShading::lipsFor(const std::vector<PointF>& p, const MouthParams& pose) const {
    Lips l;
    l.weight = weight(pose);
    l.iod = m_rig.interOcular();
    const FaceRig::HeadPose head = m_rig.headPose(pose);
    l.u = head.turn(m_rig.alongEyes());
    l.v = head.turn(m_rig.downFace());
    l.centre = {0.5 * (p[48].x + p[54].x), 0.5 * (p[48].y + p[54].y)};
    auto local = [&](int i) {
        const double dx = p[static_cast<std::size_t>(i)].x - l.centre.x;
        const double dy = p[static_cast<std::size_t>(i)].y - l.centre.y;
        return PointF{dx * l.u.x + dy * l.u.y, dx * l.v.x + dy * l.v.y};
    };
    l.corner[0] = local(48);
    l.corner[1] = local(54);
    l.half = std::max(1.0, 0.5 * std::abs(l.corner[1].x - l.corner[0].x));
    // Each edge as a polyline from corner to corner, sorted along the mouth, read at kSamples points.
    auto sample = [&](std::initializer_list<int> ids, std::array<double, kSamples>& out) {
        std::vector<PointF> pts;
        for (int i : ids)
            pts.push_back(local(i));
        std::sort(pts.begin(), pts.end(), [](const PointF& a, const PointF& b) { return a.x < b.x; });
        for (int k = 0; k < kSamples; ++k) {
            const double a = -l.half + 2.0 * l.half * k / (kSamples - 1);
            std::size_t j = 1;
            while (j + 1 < pts.size() && pts[j].x < a)
                ++j;
            const PointF& q0 = pts[j - 1];
            const PointF& q1 = pts[j];
            const double t = q1.x > q0.x ? std::clamp((a - q0.x) / (q1.x - q0.x), 0.0, 1.0) : 0.5;
            out[static_cast<std::size_t>(k)] = q0.y + (q1.y - q0.y) * t;
        }
    };
    sample({48, 49, 50, 51, 52, 53, 54}, l.outerUpper);
    sample({48, 60, 61, 62, 63, 64, 54}, l.innerUpper);
    sample({48, 60, 67, 66, 65, 64, 54}, l.innerLower);
    sample({48, 59, 58, 57, 56, 55, 54}, l.outerLower);
    return l;
}

LipShading::Gain LipShading::gain(const Lips& l, double a, double b) {
    Gain g;
    const double s = l.iod;
    const double across = std::abs(a) / l.half; // 0 in the middle, 1 at the corners
    if (across < 1.0) {
        const double pos = (a + l.half) / (2.0 * l.half) * (kSamples - 1);
        const int k = std::min(static_cast<int>(pos), kSamples - 2);
        const double t = pos - k;
        auto at = [&](const std::array<double, kSamples>& c) {
            return c[static_cast<std::size_t>(k)] * (1.0 - t) + c[static_cast<std::size_t>(k + 1)] * t;
        };
        const double ou = at(l.outerUpper), iu = at(l.innerUpper);
        const double il = at(l.innerLower), ol = at(l.outerLower);
        // Upper lip: the skin above its edge turns up towards the light (a broad soft band, strongest just
        // above the edge) and so does the vermilion's upper part (a narrower one below it); both fade out
        // over the outer third of the mouth, where the lip turns into the corner.
        const double upperThick = std::max(iu - ou, 0.02 * s);
        const double upperMid = smooth(1.0, 0.4, across);
        if (upperMid > 0.0) {
            const double above = ou - b; // > 0 above the edge
            g.lift += kRollLift * upperMid * bump((above - 0.012 * s) / (0.05 * s));
            g.lift += kUpperLift * upperMid *
                      bump((b - (ou + 0.15 * upperThick)) / std::max(0.35 * upperThick, kSoftest * s));
        }
        // Lower lip: its upper front (a third of the way down from the opening) catches some light ...
        const double lowerThick = std::max(ol - il, 0.02 * s);
        const double lowerMid = smooth(0.95, 0.35, across);
        if (lowerMid > 0.0) {
            g.lift += kLowerLift * lowerMid *
                      bump((b - (il + 0.35 * lowerThick)) / std::max(0.4 * lowerThick, kSoftest * s));
            // ... and it shades the chin under its edge: darkest a little below the edge, soft both ways
            // (a shadow, not a line along the lip).
            const double y = b - ol - 0.025 * s;
            const double shadow = bump(y / (y < 0.0 ? 0.05 * s : 0.1 * s));
            g.shade *= 1.0 - kChinShade * lowerMid * shadow;
        }
    }
    // The corners: a short crease running out and a little down from each corner.
    for (int c = 0; c < 2; ++c) {
        const double out = (c == 0 ? -1.0 : 1.0) * (a - l.corner[c].x); // outwards from the corner
        const double down = b - l.corner[c].y - 0.2 * std::max(out, 0.0);
        const double crease = bump((out - 0.01 * s) / (0.045 * s)) * bump(down / (kSoftest * s));
        g.shade *= 1.0 - kCornerShade * crease;
    }
    g.lift *= l.weight;
    g.shade = 1.0 - (1.0 - g.shade) * l.weight;
    return g;
}

LipShading::Gain LipShading::gainAt(const std::vector<PointF>& vertices, const MouthParams& pose, double x,
                                    double y) const {
    const Lips l = lipsFor(vertices, pose);
    if (l.weight <= 0.0)
        return {};
    const double dx = x - l.centre.x, dy = y - l.centre.y;
    return gain(l, dx * l.u.x + dy * l.u.y, dx * l.v.x + dy * l.v.y);
}

void LipShading::apply(const std::vector<PointF>& vertices, const MouthParams& pose, Image& frame) const {
    if (weight(pose) <= 0.0)
        return;
    const Lips l = lipsFor(vertices, pose);
    const double s = l.iod;
    // The masks' reach in the face's axes: the mouth and its corners' creases, from a little above the upper
    // lip to the lower lip's shadow.
    double top = 0.0, bottom = 0.0;
    for (int k = 0; k < kSamples; ++k) {
        top = std::min(top, l.outerUpper[static_cast<std::size_t>(k)]);
        bottom = std::max(bottom, l.outerLower[static_cast<std::size_t>(k)]);
    }
    const double a0 = -l.half - 0.06 * s, a1 = l.half + 0.06 * s;
    const double b0 = top - 0.07 * s, b1 = bottom + 0.13 * s;
    double xMin = 1e18, xMax = -1e18, yMin = 1e18, yMax = -1e18;
    for (const double a : {a0, a1})
        for (const double b : {b0, b1}) {
            const double x = l.centre.x + a * l.u.x + b * l.v.x, y = l.centre.y + a * l.u.y + b * l.v.y;
            xMin = std::min(xMin, x);
            xMax = std::max(xMax, x);
            yMin = std::min(yMin, y);
            yMax = std::max(yMax, y);
        }
    const Rect& reg = m_rig.region();
    const int x0 = std::max(reg.x, static_cast<int>(std::floor(xMin)));
    const int x1 = std::min(reg.right() - 1, static_cast<int>(std::ceil(xMax)));
    const int y0 = std::max(reg.y, static_cast<int>(std::floor(yMin)));
    const int y1 = std::min(reg.bottom() - 1, static_cast<int>(std::ceil(yMax)));
    for (int y = y0; y <= y1; ++y) {
        std::uint8_t* px = frame.row(y) + x0 * 3;
        for (int x = x0; x <= x1; ++x, px += 3) {
            const double dx = x + 0.5 - l.centre.x, dy = y + 0.5 - l.centre.y;
            const double a = dx * l.u.x + dy * l.u.y, b = dx * l.v.x + dy * l.v.y;
            if (a < a0 || a > a1 || b < b0 || b > b1)
                continue;
            const Gain g = gain(l, a, b);
            if (g.lift <= 0.0 && g.shade >= 1.0)
                continue;
            // Lift: the pixel's own luma added in a share to every channel (a sheen: brighter, a little less
            // saturated, its texture kept); shade: every channel scaled (the texture scaled with it), red
            // less and blue more, as skin in shade is warmer (scaled alike, the shade under a pink lip read
            // grey- violet).
            const double luma = 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2];
            const double dark = 1.0 - g.shade;
            for (int c = 0; c < 3; ++c) {
                const double v = (px[c] + g.lift * luma) * (1.0 - dark * kShadeTint[c]);
                px[c] = static_cast<std::uint8_t>(std::clamp(v + 0.5, 0.0, 255.0));
            }
        }
    }
}

} // namespace avatar
