#pragma once

// What the mouth suites (tst_mouth, tst_mouth_photo) measure on rendered frames: the cheek's brightness,
// which pixels lie inside the inner lips, percentiles, a patch's mean colour, and a dump of the mouth to look
// at.

#include "core/Image.h"
#include "core/ImageIO.h"
#include "render/Scene.h"

#include <QDir>
#include <QString>
#include <QtGlobal>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace avatar::test {

inline double lumaOf(const std::uint8_t* p) {
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

// Median luma of the two cheek patches (between jaw point 2 / 14 and nose point 31 / 35).
inline double cheekLuma(const Image& img, const std::vector<PointF>& v, double iod) {
    std::vector<double> l;
    const int r = std::max(2, int(0.08 * iod));
    for (const auto& [jaw, nose] : {std::pair{2, 31}, std::pair{14, 35}}) {
        const int cx = int((v[jaw].x + v[nose].x) / 2), cy = int((v[jaw].y + v[nose].y) / 2);
        for (int y = cy - r; y <= cy + r; ++y)
            for (int x = cx - r; x <= cx + r; ++x)
                l.push_back(lumaOf(img.row(y) + x * 3));
    }
    std::nth_element(l.begin(), l.begin() + long(l.size() / 2), l.end());
    return l[l.size() / 2];
}

// Even-odd test of the pixel centre (px, py) against a closed polygon.
inline bool insidePolygon(const std::vector<PointF>& poly, double px, double py) {
    bool in = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++)
        if ((poly[i].y > py) != (poly[j].y > py) &&
            px < (poly[j].x - poly[i].x) * (py - poly[i].y) / (poly[j].y - poly[i].y) + poly[i].x)
            in = !in;
    return in;
}

// Per column x, the first and last pixel rows whose centres lie inside `poly` (-1 when none).
inline std::pair<int, int> columnSpan(const std::vector<PointF>& poly, int x, int y0, int y1) {
    int first = -1, last = -1;
    for (int y = y0; y <= y1; ++y)
        if (insidePolygon(poly, x + 0.5, y + 0.5)) {
            first = first < 0 ? y : first;
            last = y;
        }
    return {first, last};
}

// The value at fraction `q` of `v` (sorted copy).
inline double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * double(v.size())))];
}

// Mean colour of the pixels within `r` of `c`.
inline std::array<double, 3> patchMean(const Image& img, const PointF& c, double r) {
    std::array<double, 3> sum{};
    int n = 0;
    for (int y = int(c.y - r); y <= int(c.y + r); ++y)
        for (int x = int(c.x - r); x <= int(c.x + r); ++x, ++n)
            for (int k = 0; k < 3; ++k)
                sum[std::size_t(k)] += img.row(y)[x * 3 + k];
    for (double& v : sum)
        v /= std::max(1, n);
    return sum;
}

// How violet a colour is: blue over green, relative to its luma.
inline double violetOf(const std::array<double, 3>& c) {
    return (c[2] - c[1]) / std::max(1.0, 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
}

// With TST_MOUTH_DUMP set, saves the mouth of `frame` (lips `v`) as NAME.png in the temporary folder.
inline void dumpMouth(const Image& frame, const std::vector<PointF>& v, const QString& name) {
    if (!qEnvironmentVariableIsSet("TST_MOUTH_DUMP"))
        return;
    const Rect r{int(v[48].x) - 20, int(v[51].y) - 20, int(v[54].x - v[48].x) + 40,
                 int(v[57].y - v[51].y) + 40};
    ImageIO::save(frame.cropped(r), QStringLiteral("%1/%2.png").arg(QDir::tempPath(), name).toStdString());
}

// The scene's background with the mouth drawn in `pose`: one frame as the renderer makes it.
inline Image renderPose(const Scene& scene, const MouthParams& pose) {
    Image frame = scene.background;
    scene.renderer.render(pose, frame);
    return frame;
}

// A mouth pose drawn as the renderer draws it, with what the mouth checks measure it by: the frame, the
// deformed landmarks, the cheek's luma and the inner-lip polygon (landmarks 60-67).
struct DrawnMouth {
    Image frame;
    std::vector<PointF> v;
    double cheek = 0.0;
    std::vector<PointF> inner;
};

inline DrawnMouth drawMouth(const Scene& scene, const MouthParams& pose) {
    DrawnMouth m{renderPose(scene, pose), scene.rig.deform(pose), 0.0, {}};
    m.cheek = cheekLuma(m.frame, m.v, scene.rig.interOcular());
    m.inner.assign(m.v.begin() + 60, m.v.begin() + 68);
    return m;
}

} // namespace avatar::test
