#include "FrameRenderer.h"

#include "core/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace avatar {
namespace {

bool samePoint(const PointF& a, const PointF& b) {
    return std::abs(a.x - b.x) < 1e-3 && std::abs(a.y - b.y) < 1e-3;
}

// One row's span of a triangle: `count` pixels whose source points start at (fxs, fys) and advance by
// (stepX, stepY), in 16.16 fixed point, sampled bilinearly from `image` (mixed with `sealed` by `weight` of
// 256 when given).
template <bool kSealed>
void warpSpan(const Image& image, const Image* sealed, int weight, int count, std::int64_t fxs,
              std::int64_t fys, std::int64_t stepX, std::int64_t stepY, std::uint8_t* out) {
    const int maxX = image.width() - 1, maxY = image.height() - 1;
    const std::int64_t limX = std::int64_t(maxX) << 16, limY = std::int64_t(maxY) << 16;
    const int stride = image.stride();
    for (int i = 0; i < count; ++i, fxs += stepX, fys += stepY, out += 3) {
        const std::int64_t cx = std::clamp<std::int64_t>(fxs, 0, limX);
        const std::int64_t cy = std::clamp<std::int64_t>(fys, 0, limY);
        const int ix = static_cast<int>(cx >> 16), iy = static_cast<int>(cy >> 16);
        const int fx = static_cast<int>((cx >> 8) & 0xFF), fy = static_cast<int>((cy >> 8) & 0xFF);
        const int nx = ix < maxX ? 3 : 0;
        const std::ptrdiff_t offset = std::ptrdiff_t(iy) * stride + ix * 3;
        const std::ptrdiff_t down = iy < maxY ? stride : 0;
        auto sample = [&](const std::uint8_t* a, int k) {
            const std::uint8_t* c = a + down;
            const int top = a[k] * (256 - fx) + a[k + nx] * fx;
            const int bottom = c[k] * (256 - fx) + c[k + nx] * fx;
            return (top * (256 - fy) + bottom * fy + (1 << 15)) >> 16;
        };
        const std::uint8_t* a = image.row(0) + offset;
        if constexpr (!kSealed) {
            for (int k = 0; k < 3; ++k)
                out[k] = static_cast<std::uint8_t>(sample(a, k));
        } else {
            const std::uint8_t* b = sealed->row(0) + offset;
            for (int k = 0; k < 3; ++k)
                out[k] = static_cast<std::uint8_t>(
                    (sample(a, k) * (256 - weight) + sample(b, k) * weight + 128) >> 8);
        }
    }
}

} // namespace

FrameRenderer::FrameRenderer(const Image& background, const FaceRig& rig, const MouthInterior& interior,
                             const Image* sealed)
    : m_background(background), m_sealed(sealed), m_rig(rig), m_interior(interior), m_shading(rig) {
    if (rig.region().intersected(background.rect()) != rig.region())
        throw Error(ErrorCode::Internal, "The face region lies outside the background frame.");
    if (sealed && (sealed->width() != background.width() || sealed->height() != background.height()))
        throw Error(ErrorCode::Internal, "The sealed background does not match the background size.");
}

void FrameRenderer::render(const MouthParams& pose, Image& frame) const {
    if (frame.width() != m_background.width() || frame.height() != m_background.height())
        throw Error(ErrorCode::Internal, "The frame buffer does not match the background size.");
    const std::vector<PointF> dst = m_rig.deform(pose);
    const std::vector<PointF>& src = m_rig.restVertices();

    // How closed the lips are against the photo's own opening: a smiling photo's teeth are sealed over as
    // the lips close (only the lips' triangles read the sealed copy; elsewhere the two are the same).
    const double rest = m_rig.restOpening();
    // (A pucker's sealed sides are closed lips however far its middle is open.)
    const double closure =
        m_sealed && m_interior.ownTeeth() && rest > 0.0
            ? std::max(std::clamp(1.0 - pose.open / rest, 0.0, 1.0), FaceRig::puckerSeal(pose))
            : 0.0;
    const int sealedWeight = static_cast<int>(std::lround(std::sqrt(closure) * 256.0));
    frame.copyRect(m_background, m_rig.region()); // reset the region; unchanged triangles need nothing more
    for (const FaceRig::Triangle& t : m_rig.triangles()) {
        const PointF d[3] = {dst[t[0]], dst[t[1]], dst[t[2]]};
        const PointF s[3] = {src[t[0]], src[t[1]], src[t[2]]};
        if (samePoint(d[0], s[0]) && samePoint(d[1], s[1]) && samePoint(d[2], s[2]))
            continue;
        const bool lips = std::any_of(t.begin(), t.end(), [](int i) { return i >= 48 && i <= 67; });
        warpTriangle(d, s, frame, lips ? sealedWeight : 0);
    }
    m_shading.apply(dst, pose, frame);
    m_interior.paint(dst, pose, frame);
}

void FrameRenderer::warpTriangle(const PointF* d, const PointF* s, Image& frame, int sealedWeight) const {
    // Backward mapping: the destination triangle maps affinely onto the source one, so a pixel's source point
    // is a linear function of its centre. Per row, the span inside the triangle comes from the three edges;
    // along it the source point advances by a constant step, sampled bilinearly in 16.16 fixed point.
    const double area = (d[1].x - d[0].x) * (d[2].y - d[0].y) - (d[2].x - d[0].x) * (d[1].y - d[0].y);
    if (std::abs(area) < 1e-9)
        return;
    const double inv = 1.0 / area;
    // Source = s0 + (s1 - s0) * w1 + (s2 - s0) * w2, with w1, w2 linear in the destination point.
    const double w1x = (d[2].y - d[0].y) * inv, w1y = -(d[2].x - d[0].x) * inv;
    const double w2x = -(d[1].y - d[0].y) * inv, w2y = (d[1].x - d[0].x) * inv;
    const double ax = (s[1].x - s[0].x) * w1x + (s[2].x - s[0].x) * w2x; // d(source x) / d(dest x)
    const double ay = (s[1].x - s[0].x) * w1y + (s[2].x - s[0].x) * w2y; // d(source x) / d(dest y)
    const double bx = (s[1].y - s[0].y) * w1x + (s[2].y - s[0].y) * w2x;
    const double by = (s[1].y - s[0].y) * w1y + (s[2].y - s[0].y) * w2y;

    const Rect& reg = m_rig.region();
    const int y0 = std::max(reg.y, static_cast<int>(std::floor(std::min({d[0].y, d[1].y, d[2].y}))));
    const int y1 =
        std::min(reg.bottom() - 1, static_cast<int>(std::ceil(std::max({d[0].y, d[1].y, d[2].y}))));
    constexpr double kEps = 1e-7; // shared edges are drawn by both neighbours rather than by neither
    for (int y = y0; y <= y1; ++y) {
        const double py = y + 0.5;
        double lo = 1e18, hi = -1e18;
        for (int e = 0; e < 3; ++e) {
            const PointF& p = d[e];
            const PointF& q = d[(e + 1) % 3];
            if ((p.y - py) * (q.y - py) > 0.0)
                continue; // the row misses this edge
            if (std::abs(q.y - p.y) < 1e-12) {
                lo = std::min({lo, p.x, q.x});
                hi = std::max({hi, p.x, q.x});
                continue;
            }
            const double x = p.x + (py - p.y) * (q.x - p.x) / (q.y - p.y);
            lo = std::min(lo, x);
            hi = std::max(hi, x);
        }
        if (lo > hi)
            continue;
        const int xa = std::max(reg.x, static_cast<int>(std::ceil(lo - 0.5 - kEps)));
        const int xb = std::min(reg.right() - 1, static_cast<int>(std::floor(hi - 0.5 + kEps)));
        if (xa > xb)
            continue;
        // Source point of the first pixel centre, shifted so that pixel centres sit at integers.
        const double dx0 = xa + 0.5 - d[0].x, dy0 = py - d[0].y;
        const double sx = s[0].x + ax * dx0 + ay * dy0 - 0.5;
        const double sy = s[0].y + bx * dx0 + by * dy0 - 0.5;
        auto fixed = [](double v) { return static_cast<std::int64_t>(std::llround(v * 65536.0)); };
        std::int64_t fxs = fixed(sx), fys = fixed(sy);
        const std::int64_t stepX = fixed(ax), stepY = fixed(bx);
        std::uint8_t* out = frame.row(y) + xa * 3;
        // Two loops rather than a test per pixel: most triangles read the background alone.
        if (sealedWeight <= 0)
            warpSpan<false>(m_background, nullptr, 0, xb - xa + 1, fxs, fys, stepX, stepY, out);
        else
            warpSpan<true>(m_background, m_sealed, sealedWeight, xb - xa + 1, fxs, fys, stepX, stepY, out);
    }
}

} // namespace avatar
