#include "FrameRenderer.h"

#include "core/Error.h"

#include <algorithm>
#include <cmath>

namespace avatar {
namespace {

inline void sampleBilinear(const Image& img, double x, double y, std::uint8_t* out) {
    // Pixel centres sit at integer + 0.5.
    x -= 0.5;
    y -= 0.5;
    const int maxX = img.width() - 1;
    const int maxY = img.height() - 1;
    x = std::clamp(x, 0.0, double(maxX));
    y = std::clamp(y, 0.0, double(maxY));
    const int x0 = static_cast<int>(x);
    const int y0 = static_cast<int>(y);
    const int x1 = std::min(x0 + 1, maxX);
    const int y1 = std::min(y0 + 1, maxY);
    const int fx = static_cast<int>((x - x0) * 256.0);
    const int fy = static_cast<int>((y - y0) * 256.0);
    const std::uint8_t* a = img.row(y0) + x0 * 3;
    const std::uint8_t* b = img.row(y0) + x1 * 3;
    const std::uint8_t* c = img.row(y1) + x0 * 3;
    const std::uint8_t* d = img.row(y1) + x1 * 3;
    for (int k = 0; k < 3; ++k) {
        const int top = a[k] * (256 - fx) + b[k] * fx;
        const int bottom = c[k] * (256 - fx) + d[k] * fx;
        out[k] = static_cast<std::uint8_t>((top * (256 - fy) + bottom * fy + (1 << 15)) >> 16);
    }
}

bool samePoint(const PointF& a, const PointF& b) {
    return std::abs(a.x - b.x) < 1e-3 && std::abs(a.y - b.y) < 1e-3;
}

} // namespace

FrameRenderer::FrameRenderer(const Image& background, const FaceRig& rig, const MouthInterior& interior)
    : m_background(background), m_rig(rig), m_interior(interior) {
    if (rig.region().intersected(background.rect()) != rig.region())
        throw Error(ErrorCode::Internal, "The face region lies outside the background frame.");
}

void FrameRenderer::render(const MouthParams& pose, Image& frame) const {
    if (frame.width() != m_background.width() || frame.height() != m_background.height())
        throw Error(ErrorCode::Internal, "The frame buffer does not match the background size.");
    const std::vector<PointF> dst = m_rig.deform(pose);
    const std::vector<PointF>& src = m_rig.restVertices();

    frame.copyRect(m_background, m_rig.region()); // reset the region; unchanged triangles need nothing more
    for (const FaceRig::Triangle& t : m_rig.triangles()) {
        const PointF d[3] = {dst[t[0]], dst[t[1]], dst[t[2]]};
        const PointF s[3] = {src[t[0]], src[t[1]], src[t[2]]};
        if (samePoint(d[0], s[0]) && samePoint(d[1], s[1]) && samePoint(d[2], s[2]))
            continue;
        warpTriangle(d, s, frame);
    }
    m_interior.paint(dst, pose, frame);
}

void FrameRenderer::warpTriangle(const PointF* d, const PointF* s, Image& frame) const {
    // Backward mapping: for each destination pixel centre inside the triangle, its barycentric coordinates
    // give the source point, sampled bilinearly from the background.
    const double area = (d[1].x - d[0].x) * (d[2].y - d[0].y) - (d[2].x - d[0].x) * (d[1].y - d[0].y);
    if (std::abs(area) < 1e-9)
        return;
    const Rect& reg = m_rig.region();
    const int x0 = std::max(reg.x, static_cast<int>(std::floor(std::min({d[0].x, d[1].x, d[2].x}))));
    const int x1 = std::min(reg.right() - 1, static_cast<int>(std::ceil(std::max({d[0].x, d[1].x, d[2].x}))));
    const int y0 = std::max(reg.y, static_cast<int>(std::floor(std::min({d[0].y, d[1].y, d[2].y}))));
    const int y1 =
        std::min(reg.bottom() - 1, static_cast<int>(std::ceil(std::max({d[0].y, d[1].y, d[2].y}))));
    const double inv = 1.0 / area;
    constexpr double kEps = -1e-7; // shared edges are drawn by both neighbours rather than by neither
    for (int y = y0; y <= y1; ++y) {
        const double py = y + 0.5;
        std::uint8_t* row = frame.row(y);
        for (int x = x0; x <= x1; ++x) {
            const double px = x + 0.5;
            const double w0 = ((d[1].x - px) * (d[2].y - py) - (d[2].x - px) * (d[1].y - py)) * inv;
            const double w1 = ((d[2].x - px) * (d[0].y - py) - (d[0].x - px) * (d[2].y - py)) * inv;
            const double w2 = 1.0 - w0 - w1;
            if (w0 < kEps || w1 < kEps || w2 < kEps)
                continue;
            const double sx = w0 * s[0].x + w1 * s[1].x + w2 * s[2].x;
            const double sy = w0 * s[0].y + w1 * s[1].y + w2 * s[2].y;
            sampleBilinear(m_background, sx, sy, row + x * 3);
        }
    }
}

} // namespace avatar
