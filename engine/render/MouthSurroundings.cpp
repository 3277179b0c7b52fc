#include "MouthSurroundings.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace avatar {
namespace {

double luma(const std::uint8_t* p) {
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

// Mean colour of the pixels within `r` of `c`.
std::array<double, 3> patchColour(const Image& img, const PointF& c, double r) {
    std::array<double, 3> sum{};
    int n = 0;
    for (int y = int(c.y - r); y <= int(c.y + r); ++y)
        for (int x = int(c.x - r); x <= int(c.x + r); ++x)
            if (img.rect().contains(x, y)) {
                for (std::size_t k = 0; k < 3; ++k)
                    sum[k] += img.row(y)[x * 3 + static_cast<int>(k)];
                ++n;
            }
    for (double& v : sum)
        v /= std::max(1, n);
    return sum;
}

} // namespace

// Statistics of two cheek patches (between the jaw line and the nose, where skin is smooth): the median luma
// and the noise, as 1.4826 x the median absolute deviation of each pixel from its 4 neighbours' mean.
void MouthSurroundings::cheekStats(const Image& img, const FaceRig& rig, double& cheekLuma, double& noise) {
    const auto& v = rig.restVertices();
    const double r = std::max(2.0, 0.08 * rig.interOcular());
    std::vector<double> lumas, residuals;
    for (const auto& [jaw, nose] : {std::pair{2, 31}, std::pair{14, 35}}) {
        const PointF c{(v[jaw].x + v[nose].x) * 0.5, (v[jaw].y + v[nose].y) * 0.5};
        for (int y = int(c.y - r); y <= int(c.y + r); ++y)
            for (int x = int(c.x - r); x <= int(c.x + r); ++x) {
                if (x < 1 || y < 1 || x >= img.width() - 1 || y >= img.height() - 1)
                    continue;
                const double l = luma(img.row(y) + x * 3);
                const double around = (luma(img.row(y) + (x - 1) * 3) + luma(img.row(y) + (x + 1) * 3) +
                                       luma(img.row(y - 1) + x * 3) + luma(img.row(y + 1) + x * 3)) /
                                      4.0;
                lumas.push_back(l);
                residuals.push_back(std::abs(l - around));
            }
    }
    if (lumas.empty()) {
        cheekLuma = 150.0;
        noise = 2.0;
        return;
    }
    auto median = [](std::vector<double>& xs) {
        std::nth_element(xs.begin(), xs.begin() + static_cast<long>(xs.size() / 2), xs.end());
        return xs[xs.size() / 2];
    };
    cheekLuma = median(lumas);
    // The residual of white noise against its neighbours' mean has 1.25x the noise's variance.
    noise = std::clamp(1.4826 * median(residuals) / std::sqrt(1.25), 0.5, 12.0);
}

// How the light on the mouth differs in colour from the light on the eyes, per channel (1 = the same):
// the skin beside the mouth corners and on the chin against the skin under the eyes, each normalised to
// its own luma, so that only the colour of the light is compared, not its strength or the skin's tone.
std::array<double, 3> MouthSurroundings::lightCast(const Image& img, const std::vector<PointF>& v,
                                                   double iod) {
    auto mid = [&](int a, int b, double t) {
        return PointF{v[a].x + (v[b].x - v[a].x) * t, v[a].y + (v[b].y - v[a].y) * t};
    };
    auto add = [](std::array<double, 3>& to, const std::array<double, 3>& c) {
        for (std::size_t k = 0; k < 3; ++k)
            to[k] += c[k];
    };
    const double r = std::max(1.5, 0.07 * iod);
    std::array<double, 3> mouth{}, eyes{};
    add(mouth, patchColour(img, mid(48, 4, 0.4), r));
    add(mouth, patchColour(img, mid(54, 12, 0.4), r));
    add(mouth, patchColour(img, mid(57, 8, 0.45), r));
    // Under the eyes, on the cheekbones: the lower lids' middle moved 0.3 IOD down the face.
    const PointF down{-(v[45].y - v[36].y), v[45].x - v[36].x};
    const double len = std::max(1e-6, std::hypot(down.x, down.y));
    for (const auto& [a, b] : {std::pair{40, 41}, std::pair{46, 47}}) {
        const PointF lid = mid(a, b, 0.5);
        add(eyes, patchColour(img, {lid.x + down.x / len * 0.3 * iod, lid.y + down.y / len * 0.3 * iod}, r));
    }
    auto chroma = [](const std::array<double, 3>& c) {
        const double l = std::max(1.0, 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
        return std::array<double, 3>{c[0] / l, c[1] / l, c[2] / l};
    };
    const auto m = chroma(mouth), e = chroma(eyes);
    std::array<double, 3> cast{};
    // Half of the difference (a square root of the ratio): shade alone makes skin more saturated, and teeth,
    // being white, take on less of the light's colour than skin does.
    for (std::size_t k = 0; k < 3; ++k)
        cast[k] = std::sqrt(m[k] / std::max(0.05, e[k]));
    const double l = 0.299 * cast[0] + 0.587 * cast[1] + 0.114 * cast[2];
    for (double& c : cast)
        c = std::clamp(c / l, 0.8, 1.2);
    return cast;
}

} // namespace avatar
