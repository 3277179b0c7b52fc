#include "MouthMetrics.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace avatar::bench {

double MouthMetrics::saturation(const std::uint8_t* rgb) {
    const int hi = std::max({rgb[0], rgb[1], rgb[2]});
    const int lo = std::min({rgb[0], rgb[1], rgb[2]});
    return hi > 0 ? double(hi - lo) / double(hi) : 0.0;
}

bool MouthMetrics::isToothBright(const std::uint8_t* rgb, double cheekLuma, double cheekRedOverGreen) {
    if (luma(rgb) < kToothLumaOfCheek * cheekLuma)
        return false;
    if (saturation(rgb) <= kToothMaxSaturation)
        return true;
    // +1 keeps a pure red (green 0) finite; at tooth brightness green is far above 1, so it changes nothing.
    const double redOverGreen = double(rgb[0]) / (double(rgb[1]) + 1.0);
    return cheekRedOverGreen > 0 && redOverGreen <= kToothMaxRedOverGreenOfCheek * cheekRedOverGreen;
}

bool MouthMetrics::contains(std::span<const PointF> polygon, double x, double y) {
    bool inside = false;
    const std::size_t n = polygon.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const PointF& a = polygon[i];
        const PointF& b = polygon[j];
        if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x)
            inside = !inside;
    }
    return inside;
}

std::array<PointF, 2> MouthMetrics::cheekCentres(const Landmarks& p) {
    auto centroid = [&](std::initializer_list<int> ids) {
        PointF c;
        for (int i : ids) {
            c.x += p[i].x;
            c.y += p[i].y;
        }
        return PointF{c.x / double(ids.size()), c.y / double(ids.size())};
    };
    return {centroid({2, 41, 48, 31}), centroid({14, 46, 54, 35})};
}

namespace {

double interOcular(const MouthMetrics::Landmarks& p) {
    PointF r, l;
    for (int i = 0; i < 6; ++i) {
        r.x += p[36 + i].x / 6.0;
        r.y += p[36 + i].y / 6.0;
        l.x += p[42 + i].x / 6.0;
        l.y += p[42 + i].y / 6.0;
    }
    return std::hypot(l.x - r.x, l.y - r.y);
}

} // namespace

namespace {

// Every pixel of both cheek patches, as {luma, red, green}.
std::vector<std::array<double, 3>> cheekPixels(const Image& image, const MouthMetrics::Landmarks& points) {
    const double half = 0.5 * MouthMetrics::kCheekPatchIod * interOcular(points);
    std::vector<std::array<double, 3>> out;
    for (const PointF& c : MouthMetrics::cheekCentres(points)) {
        const int x0 = std::max(0, static_cast<int>(std::lround(c.x - half)));
        const int x1 = std::min(image.width(), static_cast<int>(std::lround(c.x + half)));
        const int y0 = std::max(0, static_cast<int>(std::lround(c.y - half)));
        const int y1 = std::min(image.height(), static_cast<int>(std::lround(c.y + half)));
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) {
                const std::uint8_t* px = image.row(y) + x * 3;
                out.push_back({MouthMetrics::luma(px), double(px[0]), double(px[1])});
            }
    }
    return out;
}

double median(std::vector<double> values) {
    if (values.empty())
        return 0.0;
    const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), mid, values.end());
    return *mid;
}

double channelMedian(const std::vector<std::array<double, 3>>& pixels, std::size_t channel) {
    std::vector<double> values;
    values.reserve(pixels.size());
    for (const auto& p : pixels)
        values.push_back(p[channel]);
    return median(std::move(values));
}

} // namespace

double MouthMetrics::cheekLuma(const Image& image, const Landmarks& points) {
    return channelMedian(cheekPixels(image, points), 0);
}

namespace {

double redOverGreen(const std::vector<std::array<double, 3>>& pixels) {
    const double green = channelMedian(pixels, 2);
    return green > 0 ? channelMedian(pixels, 1) / green : 1.0;
}

} // namespace

double MouthMetrics::cheekRedOverGreen(const Image& image, const Landmarks& points) {
    return redOverGreen(cheekPixels(image, points));
}

MouthFigures MouthMetrics::countInside(const Image& image, std::span<const PointF> polygon,
                                       double referenceLuma, double referenceRedOverGreen) {
    MouthFigures f;
    f.cheekLuma = referenceLuma;
    f.cheekRedOverGreen = referenceRedOverGreen;
    if (polygon.size() < 3)
        return f;
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    for (const PointF& p : polygon) {
        x0 = std::min(x0, p.x);
        y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x);
        y1 = std::max(y1, p.y);
    }
    const int ix0 = std::max(0, static_cast<int>(std::floor(x0)));
    const int iy0 = std::max(0, static_cast<int>(std::floor(y0)));
    const int ix1 = std::min(image.width() - 1, static_cast<int>(std::ceil(x1)));
    const int iy1 = std::min(image.height() - 1, static_cast<int>(std::ceil(y1)));
    for (int y = iy0; y <= iy1; ++y)
        for (int x = ix0; x <= ix1; ++x) {
            if (!contains(polygon, x + 0.5, y + 0.5))
                continue;
            const std::uint8_t* px = image.row(y) + x * 3;
            ++f.pixels;
            if (isNearBlack(px, referenceLuma))
                ++f.nearBlack;
            if (isToothBright(px, referenceLuma, referenceRedOverGreen))
                ++f.toothBright;
        }
    return f;
}

double MouthMetrics::opening(const Landmarks& p) {
    auto d = [&](int a, int b) { return std::hypot(p[a].x - p[b].x, p[a].y - p[b].y); };
    const double iod = interOcular(p);
    return iod > 0 ? (d(61, 67) + d(62, 66) + d(63, 65)) / 3.0 / iod : 0.0;
}

MouthFigures MouthMetrics::measure(const Image& image, const Landmarks& points) {
    const std::span<const PointF> inner(points.data() + 60, 8);
    const auto cheek = cheekPixels(image, points); // gathered once for both references
    MouthFigures f = countInside(image, inner, channelMedian(cheek, 0), redOverGreen(cheek));
    f.opening = opening(points);
    f.lipsApart = f.opening >= kLipsApartIod;
    return f;
}

} // namespace avatar::bench
