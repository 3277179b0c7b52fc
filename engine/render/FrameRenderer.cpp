#include "FrameRenderer.h"

#include "core/Error.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

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

FrameRenderer::FrameRenderer(const Image& background, const FaceRig& rig)
    : m_background(background), m_rig(rig) {
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
    paintMouth(dst, pose, frame);
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

void FrameRenderer::paintMouth(const std::vector<PointF>& v, const MouthParams& pose, Image& frame) const {
    // The opening follows a closed Catmull-Rom curve through the 8 inner-lip points rather than their
    // polygon, so wide-open shapes are rounded instead of angular. Points are kept in 1/16 pixel fixed point
    // for an anti-aliased fill.
    constexpr int kShift = 4;
    constexpr double kOne = 1 << kShift;
    constexpr int kSteps = 5; // samples per segment
    constexpr int kCount = FaceRig::kInnerLipLast - FaceRig::kInnerLipFirst + 1;
    auto lip = [&](int k) { return v[FaceRig::kInnerLipFirst + ((k % kCount) + kCount) % kCount]; };
    std::vector<PointF> curve;
    curve.reserve(kCount * kSteps);
    for (int k = 0; k < kCount; ++k) {
        const PointF p0 = lip(k - 1), p1 = lip(k), p2 = lip(k + 1), p3 = lip(k + 2);
        for (int j = 0; j < kSteps; ++j) {
            const double t = double(j) / kSteps, t2 = t * t, t3 = t2 * t;
            auto cr = [&](double a, double b, double c, double d) {
                return 0.5 * (2 * b + (c - a) * t + (2 * a - 5 * b + 4 * c - d) * t2 +
                              (3 * b - a - 3 * c + d) * t3);
            };
            curve.push_back({cr(p0.x, p1.x, p2.x, p3.x), cr(p0.y, p1.y, p2.y, p3.y)});
        }
    }
    std::vector<cv::Point> poly;
    double minX = 1e9, minY = 1e9, maxX = -1e9, maxY = -1e9;
    for (const PointF& p : curve) {
        poly.emplace_back(static_cast<int>(std::lround(p.x * kOne)),
                          static_cast<int>(std::lround(p.y * kOne)));
        minX = std::min(minX, p.x);
        minY = std::min(minY, p.y);
        maxX = std::max(maxX, p.x);
        maxY = std::max(maxY, p.y);
    }
    const double areaPx = std::abs(cv::contourArea(poly)) / (kOne * kOne);
    if (areaPx < 1.0)
        return; // closed: nothing to paint
    const Rect box =
        Rect{static_cast<int>(std::floor(minX)) - 1, static_cast<int>(std::floor(minY)) - 1,
             static_cast<int>(std::ceil(maxX - minX)) + 3, static_cast<int>(std::ceil(maxY - minY)) + 3}
            .intersected(m_rig.region());
    if (box.isEmpty())
        return;
    for (auto& p : poly)
        p -= cv::Point(box.x << kShift, box.y << kShift);
    cv::Mat mask = cv::Mat::zeros(box.height, box.width, CV_8UC1);
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(255), cv::LINE_AA, kShift);

    // Shading and teeth are laid out in the face's own frame (u along the eyes, v down the face), so that a
    // tilted head keeps its teeth under its upper lip. The upper lip's inner edge (the curve from corner 60
    // over 61-63 to corner 64) is tabulated as v against u in half-pixel steps: the teeth hang from it.
    const PointF u = m_rig.alongEyes();
    const PointF dn = m_rig.downFace();
    const PointF centre{(v[60].x + v[64].x + v[62].x + v[66].x) * 0.25,
                        (v[60].y + v[64].y + v[62].y + v[66].y) * 0.25};
    auto local = [&](double px, double py) {
        const double dx = px - centre.x, dy = py - centre.y;
        return PointF{dx * u.x + dy * u.y, dx * dn.x + dy * dn.y};
    };
    const double halfW = std::max(1.0, std::abs(local(v[64].x, v[64].y).x - local(v[60].x, v[60].y).x) * 0.5);
    const double halfH = std::max(1.0, std::abs(local(v[66].x, v[66].y).y - local(v[62].x, v[62].y).y) * 0.5);
    constexpr double kStep = 0.5;
    const int columns = static_cast<int>(std::ceil(2.0 * halfW / kStep)) + 3;
    std::vector<double> upperV(static_cast<std::size_t>(columns), 1e9);
    const std::size_t upperSamples = 4 * kSteps + 1;
    for (std::size_t i = 0; i + 1 < upperSamples && i + 1 < curve.size(); ++i) {
        PointF p = local(curve[i].x, curve[i].y), q = local(curve[i + 1].x, curve[i + 1].y);
        if (p.x > q.x)
            std::swap(p, q);
        for (int c = std::max(0, int(std::ceil((p.x + halfW) / kStep)));
             c < columns && c * kStep - halfW <= q.x; ++c) {
            const double cu = c * kStep - halfW;
            const double t = q.x - p.x > 1e-9 ? (cu - p.x) / (q.x - p.x) : 0.0;
            upperV[static_cast<std::size_t>(c)] =
                std::min(upperV[static_cast<std::size_t>(c)], p.y + (q.y - p.y) * t);
        }
    }

    // A dark cavity, darkest at the back (centre); an upper-teeth band that shows once the mouth is open
    // enough, shorter towards the corners and shaded at its lower edge, as real teeth are.
    const double teeth = std::clamp((pose.open - 0.05) / 0.1, 0.0, 1.0) * (1.0 - 0.6 * pose.round);
    const double teethDepth = std::min(0.07 * m_rig.interOcular(), halfH * 0.8);
    const double tongue = std::clamp(pose.tongue, 0.0, 1.0) * std::clamp((pose.open - 0.05) / 0.08, 0.0, 1.0);
    for (int y = 0; y < box.height; ++y) {
        const std::uint8_t* m = mask.ptr<std::uint8_t>(y);
        std::uint8_t* row = frame.row(box.y + y) + box.x * 3;
        const double py = box.y + y + 0.5;
        for (int x = 0; x < box.width; ++x) {
            if (!m[x])
                continue;
            const PointF l = local(box.x + x + 0.5, py);
            const double nx = l.x / halfW;
            const double ny = l.y / halfH;
            const double r = std::min(1.0, std::sqrt(nx * nx + ny * ny));
            const double shade = 0.5 + 0.5 * r; // lighter towards the lips
            double c[3] = {72 * shade, 24 * shade, 28 * shade};
            const int column = static_cast<int>(std::lround((l.x + halfW) / kStep));
            // The tongue tip for L and TH: a rounded, pink shape raised behind the upper teeth.
            if (tongue > 0.0 && column >= 0 && column < columns) {
                const double tipTop = upperV[static_cast<std::size_t>(column)] + 0.6 * teethDepth;
                const double ty = (l.y - tipTop) / std::max(1.0, 1.2 * halfH);
                const double tx = l.x / (0.45 * halfW);
                const double inside = 1.0 - (tx * tx + (ty - 0.5) * (ty - 0.5) * 4.0);
                if (ty > 0.0 && inside > 0.0) {
                    const double w = tongue * std::min(1.0, inside * 4.0);
                    const double tone = 0.75 + 0.25 * std::clamp(1.0 - ty, 0.0, 1.0);
                    const double tc[3] = {178 * tone, 84 * tone, 92 * tone};
                    for (int k = 0; k < 3; ++k)
                        c[k] += (tc[k] - c[k]) * w;
                }
            }
            if (teeth > 0.0 && column >= 0 && column < columns) {
                const double depth = teethDepth * (1.0 - 0.45 * nx * nx);
                const double below = l.y - upperV[static_cast<std::size_t>(column)];
                if (below < depth) {
                    const double side = std::clamp((0.92 - std::abs(nx)) / 0.3, 0.0, 1.0);
                    const double edge = std::clamp((depth - below) / 1.5, 0.0, 1.0); // soft lower edge
                    const double tone =
                        0.8 + 0.2 * std::clamp(below / std::max(1.0, depth), 0.0, 1.0) - 0.15 * nx * nx;
                    const double w = teeth * side * edge;
                    const double t[3] = {228 * tone, 222 * tone, 210 * tone};
                    for (int k = 0; k < 3; ++k)
                        c[k] += (t[k] - c[k]) * w;
                }
            }
            const int a = m[x];
            for (int k = 0; k < 3; ++k)
                row[x * 3 + k] = static_cast<std::uint8_t>(
                    (row[x * 3 + k] * (255 - a) + static_cast<int>(c[k]) * a + 127) / 255);
        }
    }
}

} // namespace avatar
