#include "ImageBand.h"

#include "core/Error.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace avatar {

std::vector<double> tabulateCurve(const std::vector<PointF>& points, double start, double step, int columns,
                                  bool lowest) {
    std::vector<PointF> sorted = points;
    std::sort(sorted.begin(), sorted.end(), [](const PointF& p, const PointF& q) { return p.x < q.x; });
    std::vector<double> out(static_cast<std::size_t>(std::max(columns, 0)));
    for (int c = 0; c < columns; ++c) {
        const double a = start + c * step;
        double b;
        if (a <= sorted.front().x) {
            b = sorted.front().y;
        } else if (a >= sorted.back().x) {
            b = sorted.back().y;
        } else {
            bool found = false;
            b = 0.0;
            for (std::size_t i = 0; i + 1 < sorted.size(); ++i) {
                const PointF& p = sorted[i];
                const PointF& q = sorted[i + 1];
                if (a < p.x || a > q.x)
                    continue;
                const double t = q.x - p.x > 1e-9 ? (a - p.x) / (q.x - p.x) : 0.0;
                const double v = p.y + (q.y - p.y) * t;
                b = !found ? v : (lowest ? std::max(b, v) : std::min(b, v));
                found = true;
            }
        }
        out[static_cast<std::size_t>(c)] = b;
    }
    return out;
}

void sampleBilinear(const Image& img, double x, double y, double rgb[3]) {
    x = std::clamp(x - 0.5, 0.0, double(img.width() - 1));
    y = std::clamp(y - 0.5, 0.0, double(img.height() - 1));
    const int x0 = static_cast<int>(x);
    const int y0 = static_cast<int>(y);
    const int x1 = std::min(x0 + 1, img.width() - 1);
    const int y1 = std::min(y0 + 1, img.height() - 1);
    const double fx = x - x0, fy = y - y0;
    const std::uint8_t* a = img.row(y0) + x0 * 3;
    const std::uint8_t* b = img.row(y0) + x1 * 3;
    const std::uint8_t* c = img.row(y1) + x0 * 3;
    const std::uint8_t* d = img.row(y1) + x1 * 3;
    for (int k = 0; k < 3; ++k) {
        const double top = a[k] + (b[k] - a[k]) * fx;
        const double bottom = c[k] + (d[k] - c[k]) * fx;
        rgb[k] = top + (bottom - top) * fy;
    }
}

ImageBand::ImageBand(Image image, const std::vector<PointF>& nearCurve, const std::vector<PointF>& farCurve,
                     PointF u, PointF v)
    : m_image(std::move(image)), m_down(v) {
    if (nearCurve.size() < 2 || farCurve.size() < 2 || m_image.isNull())
        throw Error(ErrorCode::Internal, "An image band needs an image and two curves.");
    // Work in the face's frame about the near curve's first point: a along the eyes, b down the face.
    const PointF o = nearCurve.front();
    auto local = [&](const PointF& p) {
        const double dx = p.x - o.x, dy = p.y - o.y;
        return PointF{dx * u.x + dy * u.y, dx * v.x + dy * v.y};
    };
    std::vector<PointF> nearLocal, farLocal;
    double a0 = 1e18, a1 = -1e18;
    for (const PointF& p : nearCurve) {
        nearLocal.push_back(local(p));
        a0 = std::min(a0, nearLocal.back().x);
        a1 = std::max(a1, nearLocal.back().x);
    }
    for (const PointF& p : farCurve)
        farLocal.push_back(local(p));
    m_width = std::max(1.0, a1 - a0);
    const double step = m_width / (kColumns - 1);
    const std::vector<double> nb = tabulateCurve(nearLocal, a0, step, kColumns, true);
    const std::vector<double> fb = tabulateCurve(farLocal, a0, step, kColumns, false);
    for (int c = 0; c < kColumns; ++c) {
        const double a = a0 + c * step;
        auto toImage = [&](double b) { return PointF{o.x + a * u.x + b * v.x, o.y + a * u.y + b * v.y}; };
        m_near.push_back(toImage(nb[static_cast<std::size_t>(c)]));
        m_far.push_back(toImage(fb[static_cast<std::size_t>(c)]));
    }
}

void ImageBand::setGain(double r, double g, double b) {
    m_gain[0] = r;
    m_gain[1] = g;
    m_gain[2] = b;
}

double ImageBand::heightAt(double s) const {
    const double x = std::clamp((s + 1.0) * 0.5, 0.0, 1.0) * (kColumns - 1);
    const int c = std::min(static_cast<int>(x), kColumns - 2);
    const double f = x - c;
    auto h = [&](int i) {
        const PointF& n = m_near[static_cast<std::size_t>(i)];
        const PointF& fa = m_far[static_cast<std::size_t>(i)];
        return (n.x - fa.x) * m_down.x + (n.y - fa.y) * m_down.y;
    };
    return h(c) + (h(c + 1) - h(c)) * f;
}

void ImageBand::sample(double s, double t, double rgb[3]) const {
    const double x = std::clamp((s + 1.0) * 0.5, 0.0, 1.0) * (kColumns - 1);
    const int c = std::min(static_cast<int>(x), kColumns - 2);
    const double f = x - c;
    t = std::clamp(t, 0.0, 1.0);
    auto at = [&](const std::vector<PointF>& curve) {
        const PointF& p = curve[static_cast<std::size_t>(c)];
        const PointF& q = curve[static_cast<std::size_t>(c + 1)];
        return PointF{p.x + (q.x - p.x) * f, p.y + (q.y - p.y) * f};
    };
    const PointF n = at(m_near), fa = at(m_far);
    sampleBilinear(m_image, n.x + (fa.x - n.x) * t, n.y + (fa.y - n.y) * t, rgb);
    for (int k = 0; k < 3; ++k)
        rgb[k] *= m_gain[k];
}

} // namespace avatar
