#include "TeethAtlas.h"

#include "assets/DefaultAssets.h"
#include "core/ImageIO.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace avatar {
namespace {

// The default portrait's geometry (512x512), read off the photograph at 10x zoom: dlib's inner-lip points
// sit 2-3 px inside her teeth, so the lines are placed by eye on the lips' edges. `kIncisal` is the upper
// teeth's biting edge (where her lower lip begins), `kUnderLip` the upper lip's inner edge, both from her
// right mouth corner to her left.
constexpr PointF kIncisal[] = {{203.0, 141.5}, {206.5, 143.5}, {210.0, 146.0}, {217.0, 148.2}, {223.0, 148.8},
                               {229.0, 148.3}, {236.0, 146.5}, {240.0, 144.5}, {243.0, 143.0}};
constexpr PointF kUnderLip[] = {{203.0, 140.5}, {210.0, 140.5}, {217.0, 141.2}, {223.0, 141.5},
                                {229.0, 141.2}, {236.0, 140.8}, {243.0, 141.5}};
// dlib's eye outlines (36-41, 42-47) on the same photograph.
constexpr PointF kRightEye[] = {{195, 101}, {200, 98}, {207, 98}, {212, 104}, {206, 104}, {199, 104}};
constexpr PointF kLeftEye[] = {{238, 105}, {244, 100}, {250, 101}, {256, 104}, {250, 107}, {244, 106}};

PointF mean(const PointF* p, int n) {
    PointF c;
    for (int i = 0; i < n; ++i) {
        c.x += p[i].x / n;
        c.y += p[i].y / n;
    }
    return c;
}

ImageBand makeBand(const Image& portrait) {
    const PointF r = mean(kRightEye, 6), l = mean(kLeftEye, 6);
    const double iod = std::hypot(l.x - r.x, l.y - r.y);
    const PointF u{(l.x - r.x) / iod, (l.y - r.y) / iod};
    const PointF v{-u.y, u.x};
    // Keep only the mouth (a 512x512 copy per scene would be wasteful): crop and shift the curves.
    const Rect crop{190, 130, 66, 30};
    auto shifted = [&](const PointF* pts, std::size_t n) {
        std::vector<PointF> out;
        for (std::size_t i = 0; i < n; ++i)
            out.push_back({pts[i].x - crop.x, pts[i].y - crop.y});
        return out;
    };
    return ImageBand(portrait.cropped(crop), shifted(kIncisal, std::size(kIncisal)),
                     shifted(kUnderLip, std::size(kUnderLip)), u, v);
}

} // namespace

std::array<double, 3> eyeWhiteOf(const Image& image, const PointF* rightEye, const PointF* leftEye,
                                 const std::array<double, 3>& fallback) {
    std::vector<std::array<double, 4>> pixels; // luma, r, g, b
    for (const PointF* eye : {rightEye, leftEye}) {
        double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
        std::vector<cv::Point> poly;
        for (int i = 0; i < 6; ++i) {
            x0 = std::min(x0, eye[i].x);
            y0 = std::min(y0, eye[i].y);
            x1 = std::max(x1, eye[i].x);
            y1 = std::max(y1, eye[i].y);
            poly.emplace_back(static_cast<int>(std::lround(eye[i].x * 16)),
                              static_cast<int>(std::lround(eye[i].y * 16)));
        }
        std::vector<cv::Point2f> contour;
        for (int i = 0; i < 6; ++i)
            contour.emplace_back(static_cast<float>(eye[i].x), static_cast<float>(eye[i].y));
        for (int y = std::max(0, int(y0)); y <= std::min(image.height() - 1, int(y1)); ++y)
            for (int x = std::max(0, int(x0)); x <= std::min(image.width() - 1, int(x1)); ++x) {
                if (cv::pointPolygonTest(contour, cv::Point2f(x + 0.5f, y + 0.5f), false) < 0)
                    continue;
                const std::uint8_t* p = image.row(y) + x * 3;
                pixels.push_back(
                    {0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2], double(p[0]), double(p[1]), double(p[2])});
            }
    }
    if (pixels.size() < 8)
        return fallback;
    std::sort(pixels.begin(), pixels.end(), [](const auto& a, const auto& b) { return a[0] > b[0]; });
    const std::size_t n = std::max<std::size_t>(2, pixels.size() / 4);
    std::array<double, 3> white{};
    for (std::size_t i = 0; i < n; ++i)
        for (int k = 0; k < 3; ++k)
            white[static_cast<std::size_t>(k)] += pixels[i][static_cast<std::size_t>(k + 1)] / double(n);
    return white;
}

// Local minima of the crowns' brightness along the row: a column darker than everything within a fifth of a
// tooth on either side and at least 6 % darker than the brightest crown within about a tooth on each side.
std::vector<double> TeethAtlas::findSeparations(const ImageBand& teeth) {
    constexpr double kStep = 0.01, kNear = 0.05, kTooth = 0.16;
    std::vector<double> profile;
    for (double s = -0.95; s <= 0.95 + 1e-9; s += kStep) {
        double sum = 0.0;
        // (Through the middle of the crowns: the biting edge borders the lip's shade, the top the gum's.)
        for (const double t : {0.25, 0.4, 0.55}) {
            double rgb[3];
            teeth.sample(s, t, rgb);
            sum += 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
        }
        profile.push_back(sum / 3.0);
    }
    const int near = static_cast<int>(std::lround(kNear / kStep)), tooth = static_cast<int>(kTooth / kStep);
    const int n = static_cast<int>(profile.size());
    std::vector<double> out;
    for (int i = 1; i + 1 < n; ++i) {
        const auto from = [&](int k) { return profile.begin() + std::clamp(k, 0, n); };
        if (profile[i] > *std::min_element(from(i - near), from(i + near + 1)) ||
            profile[i] == profile[i - 1])
            continue;
        const double left = *std::max_element(from(i - tooth), from(i)),
                     right = *std::max_element(from(i + 1), from(i + tooth + 1));
        if (std::min(left, right) - profile[i] >= 0.06 * std::min(left, right))
            out.push_back(-0.95 + i * kStep);
    }
    return out;
}

TeethAtlas::TeethAtlas()
    : TeethAtlas(ImageIO::decode(DefaultAssets::portraitPng(), DefaultAssets::portraitName())) {}

TeethAtlas::TeethAtlas(const Image& portrait)
    : m_teeth(makeBand(portrait)), m_separations(findSeparations(m_teeth)) {
    m_eyeWhite = eyeWhiteOf(portrait, kRightEye, kLeftEye, {200.0, 190.0, 185.0});
    const PointF r = mean(kRightEye, 6), l = mean(kLeftEye, 6);
    m_iod = std::hypot(l.x - r.x, l.y - r.y);
}

} // namespace avatar
