// MouthInterior::apertureLight: how a small opening shades what is seen through it.
#include "MouthInterior.h"

#include <algorithm>
#include <cmath>

namespace avatar {

namespace {

double smooth(double e0, double e1, double x) {
    const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

} // namespace

double MouthInterior::apertureLight(const std::vector<PointF>& vertices) const {
    // Teeth and the inside of the mouth are lit through the opening. A pucker's small round hole, lips pushed
    // forward around it, lets in little light: photographs of "oo" show a dark hole with at most the tips of
    // the upper incisors, dim. Drawn as bright as in a wide opening, a smiling portrait's own teeth filled
    // the hole as two big white incisors (docs/QUALITY.md, eighth pass). The opening's width against the rest
    // mouth's (outer corners) says how small it is; a wide slit ("ee", a closing mouth) stays lit.
    const PointF u = m_rig.alongEyes();
    auto along = [&](const PointF& p) { return p.x * u.x + p.y * u.y; };
    double lo = 1e18, hi = -1e18;
    for (int i = FaceRig::kInnerLipFirst; i <= FaceRig::kInnerLipLast; ++i) {
        lo = std::min(lo, along(vertices[static_cast<std::size_t>(i)]));
        hi = std::max(hi, along(vertices[static_cast<std::size_t>(i)]));
    }
    const std::vector<PointF>& rest = m_rig.restVertices();
    const double mouth = std::max(1.0, std::abs(along(rest[54]) - along(rest[48])));
    const double share = (hi - lo) / mouth;
    return 0.4 + 0.6 * smooth(0.22, 0.4, share);
}

double MouthInterior::lightAt(double light, double b, double upperLip, double lowerLip) {
    if (light >= 1.0)
        return 1.0;
    // The light comes in over the upper lip onto the incisors' tips at the top of the hole; below them it
    // is the dark of the mouth behind (down to about a third of the top's light in the smallest hole).
    const double down = (b - upperLip) / std::max(1.0, lowerLip - upperLip);
    return light * (1.0 - 1.1 * (1.0 - light) * smooth(0.25, 0.8, down));
}

void MouthInterior::inShade(double light, double rgb[3]) const {
    if (light >= 1.0)
        return;
    const double grey = 0.299 * m_lipColour[0] + 0.587 * m_lipColour[1] + 0.114 * m_lipColour[2];
    const double warm = 0.8 * (1.0 - light);
    for (int k = 0; k < 3; ++k)
        rgb[k] *= light * (1.0 + warm * (std::clamp(m_lipColour[k] / std::max(1.0, grey), 0.6, 1.6) - 1.0));
}

} // namespace avatar
