// MouthInterior's work on the lower lip's inner edge of a sharp photo whose mouth is closed (split from
// MouthInterior_paint.cpp): the shade the photo's upper lip cast on its lower lip, lifted once the lips part.
#include "MouthInterior.h"
#include "Smoothstep.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace avatar {

void MouthInterior::measureLipShade() {
    // The photo's lower lip, averaged across its middle, from its inner edge (t 0) to its outer edge (t 1).
    // In a closed mouth its upper part lies in the upper lip's shadow (sample6's second face: luma about
    // 105 over the upper 40 % against 147 below); the gain per channel that brings each row to the lip's
    // lit body is what an opened mouth, whose lower lip has come out of that shadow, takes.
    if (!m_lowerLip || m_ownTeeth || sharpness() <= 0.0)
        return;
    std::array<std::array<double, 3>, kLipRows> rows{};
    for (int i = 0; i < kLipRows; ++i) {
        const double t = double(i) / (kLipRows - 1);
        int n = 0;
        for (double s = -0.6; s <= 0.6 + 1e-9; s += 0.05, ++n) {
            double c[3];
            m_lowerLip->sample(s, t, c);
            for (int k = 0; k < 3; ++k)
                rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)] += c[k];
        }
        for (double& v : rows[static_cast<std::size_t>(i)])
            v /= n;
    }
    // (The lit body: the brightest row of the lip's lower middle, t 0.45-0.85, before it turns under towards
    // the chin; an opened lower lip's upper part faces the light as much as that.)
    double body[3] = {0, 0, 0};
    double best = -1.0;
    for (int i = 0; i < kLipRows; ++i) {
        const double t = double(i) / (kLipRows - 1);
        const auto& c = rows[static_cast<std::size_t>(i)];
        const double luma = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
        if (t < 0.45 || t > 0.85 || luma <= best)
            continue;
        best = luma;
        std::copy(c.begin(), c.end(), body);
    }
    if (best < 0.0)
        return;
    m_lipBodyLuma = best;
    m_lipGain.emplace();
    for (int i = 0; i < kLipRows; ++i) {
        const double t = double(i) / (kLipRows - 1);
        // (Only the upper part, in the shadow: the lip's own shading further down is its form.)
        const double upperPart = 1.0 - smoothstep(0.5, 0.7, t);
        for (std::size_t k = 0; k < 3; ++k) {
            const double g =
                std::clamp(body[k] / std::max(1.0, rows[static_cast<std::size_t>(i)][k]), 1.0, 1.8);
            (*m_lipGain)[static_cast<std::size_t>(i)][k] = 1.0 + (g - 1.0) * upperPart;
        }
    }
}

void MouthInterior::lipGain(double t, double strength, const double rgb[3], double g[3]) const {
    if (!m_lipGain || strength <= 0.0) {
        g[0] = g[1] = g[2] = 1.0;
        return;
    }
    const double x = std::clamp(t, 0.0, 1.0) * (kLipRows - 1);
    const std::size_t i = std::min(static_cast<std::size_t>(x), std::size_t(kLipRows - 2));
    const double f = x - double(i);
    for (std::size_t k = 0; k < 3; ++k) {
        const double v = (*m_lipGain)[i][k] + ((*m_lipGain)[i + 1][k] - (*m_lipGain)[i][k]) * f;
        g[k] = 1.0 + (v - 1.0) * strength;
    }
    // (Never brighter than the lip's lit body: where the warped lip does not line up with the photo's
    // profile, sample3's violet-lit lip, the full gain on an already lit pixel drew a pale line.)
    const double before = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    const double after = 0.299 * rgb[0] * g[0] + 0.587 * rgb[1] * g[1] + 0.114 * rgb[2] * g[2];
    if (after > before + 1e-6) {
        const double keep = std::clamp((m_lipBodyLuma - before) / (after - before), 0.0, 1.0);
        for (int k = 0; k < 3; ++k)
            g[k] = 1.0 + (g[k] - 1.0) * keep;
    }
}

void MouthInterior::unshadeLowerLip(const Frame& f, const std::vector<PointF>& vertices, Image& frame) const {
    // The warp lays the photo's lower lip, shaded along its upper part by the closed upper lip, under the
    // opening: on a sharp photo a dark red band between the lower teeth and the lip (sample6's second face,
    // 1080p: (156,86,86) over 10 px between teeth at 180 and lip at 147 of luma). Opened, the lip's upper
    // part turns out of that shadow; its own texture is kept (a gain per channel, the photo's lip lines
    // and grain scaled with it), and a soft contact shade is left right under the opening.
    const double upperNow = lookup(f.upperLip, 0.0), lowerNow = lookup(f.lowerLip, 0.0);
    const double weight = (m_lipGain ? sharpness() : 0.0) * (1.0 - smoothstep(0.5, 0.85, f.pose->round)) *
                          smoothstep(1.0, 4.0, lowerNow - upperNow);
    if (weight <= 0.0)
        return;
    auto local = [&](const PointF& p) {
        const double dx = p.x - f.centre.x, dy = p.y - f.centre.y;
        return PointF{dx * f.u.x + dy * f.u.y, dx * f.v.x + dy * f.v.y};
    };
    std::vector<PointF> outer;
    for (const int i : {48, 59, 58, 57, 56, 55, 54})
        outer.push_back(local(vertices[static_cast<std::size_t>(i)]));
    const int columns = static_cast<int>(m_restUpper.size());
    const std::vector<double> outerLower = tabulateCurve(outer, m_colStart, kStep, columns, true);
    double minX = 1e9, minY = 1e9, maxX = -1e9, maxY = -1e9;
    for (int i = 48; i <= 67; ++i) {
        minX = std::min(minX, vertices[static_cast<std::size_t>(i)].x);
        maxX = std::max(maxX, vertices[static_cast<std::size_t>(i)].x);
        minY = std::min(minY, vertices[static_cast<std::size_t>(i)].y);
        maxY = std::max(maxY, vertices[static_cast<std::size_t>(i)].y);
    }
    const Rect box =
        Rect{static_cast<int>(std::floor(minX)) - 2, static_cast<int>(std::floor(minY)) - 2,
             static_cast<int>(std::ceil(maxX - minX)) + 5, static_cast<int>(std::ceil(maxY - minY)) + 5}
            .intersected(m_rig.region());
    // (How much of the shade is left right at the opening: a soft contact shade, fading over the lip's
    // first fifth.)
    constexpr double kContact = 0.15;
    for (int y = box.y; y < box.bottom(); ++y) {
        std::uint8_t* row = frame.row(y);
        for (int x = box.x; x < box.right(); ++x) {
            const PointF l = local({x + 0.5, y + 0.5});
            const double s = l.x / m_halfWidth;
            if (std::abs(s) >= 1.0)
                continue;
            const double inner = lookup(f.lowerLip, l.x), outerEdge = lookup(outerLower, l.x);
            const double cover = std::clamp(l.y - inner + 0.5, 0.0, 1.0);
            if (cover <= 0.0 || outerEdge - inner < 2.0)
                continue;
            const double t = (l.y - inner) / (outerEdge - inner);
            if (t >= 1.0)
                continue;
            // (Towards the corners the lip turns into the cheeks' shade: lifted less there.)
            const double strength = weight * cover * (1.0 - smoothstep(0.45, 0.85, std::abs(s))) *
                                    (1.0 - kContact * (1.0 - smoothstep(0.0, 0.2, t)));
            const double rgb[3] = {double(row[x * 3]), double(row[x * 3 + 1]), double(row[x * 3 + 2])};
            double g[3];
            lipGain(t, strength, rgb, g);
            for (int k = 0; k < 3; ++k)
                row[x * 3 + k] =
                    static_cast<std::uint8_t>(std::lround(std::min(255.0, row[x * 3 + k] * g[k])));
        }
    }
}

} // namespace avatar
