// MouthInterior's pucker (issue #12, docs/QUALITY.md fourteenth pass): the small round opening that a
// sealed pucker (FaceRig::puckerSeal) leaves between its lips, drawn as photographs show pursed lips: an oval
// through the meeting points of the side pairs and the middle pair, whose rim is the lips' own wet inner
// surface rolling in and darkening into the shade, with the upper teeth's edge dim at the top and the rest
// deep shade with the portrait's grain, at the photo's softness. The Catmull-Rom outline through the eight
// inner-lip points, collapsed onto four by the seal and filled hard, read as a black triangle or bead.
#include "MouthInterior.h"
#include "Smoothstep.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>

namespace avatar {
namespace {

// The oval's exponent: a little fuller than an ellipse, so it covers the diamond of the four meeting points
// with room for the rim.
constexpr double kPower = 2.2;
// The lips' wet inner surface rolling in: its width in IOD (at most kRimShare of the oval's smaller
// semi-axis, so some shade is left in a small opening; at 0.045 the dark inside read as a crisp disc).
constexpr double kRim = 0.055;
constexpr double kRimShare = 0.7;
// How much darker the lip is where it reaches the oval's edge (it has begun to turn in 0.3 of the rim
// outside it).
constexpr double kTurnOut = 0.12;
// The gathered lips' fine radial creases round the opening (photographs of pursed lips show them; a smooth
// ring read as painted, docs/QUALITY.md sixteenth pass): how many round the whole oval, how far beyond its
// edge they run (IOD) and how much darker a crease's middle is.
constexpr double kCreases = 15.0;
constexpr double kCreaseReach = 0.07;
constexpr double kCrease = 0.1;
// How much darker the pressed lips' meeting line is than the lips beside it.
constexpr double kSealLine = 0.22;
// Above the opening, where a thin upper lip leaves skin: the upper lip pushed forward, drawn over the skin
// kUpperLip IOD beyond the oval's edge in the lips' colour (what a pursed thin lip shows of its vermilion).
constexpr double kUpperLip = 0.03;
// That lip's luma at most, over the lips' mean: it faces up, into the light, once pushed forward.
constexpr double kBandLight = 1.15;
// The oval's upper half's share of its height, at least.
constexpr double kTopShare = 0.35;
// How much of the rim's colour is the lips' mean colour rather than what lies just outside it.
constexpr double kLipTone = 0.5;
// A photographed gap's colour over its luma: a red-brown (as MouthInterior_paint.cpp's).
constexpr double kWarm[3] = {1.75, 0.72, 0.45};

} // namespace

void MouthInterior::paint(const std::vector<PointF>& vertices, const MouthParams& pose, Image& frame) const {
    // The seal's sides are met by half of it (FaceRig::sealSides): from there on only the pucker's oval is
    // open; before it the open mouth's interior fills the partly sealed outline, and the oval fades in only
    // over the last stretch, 0.35-0.5, where that outline is nearly the oval. (Faded in from the start, the
    // oval's dark inside half mixed over the teeth was a grey blob for a frame between a smile and an "oo".)
    const double pucker = smoothstep(0.35, 0.5, FaceRig::puckerSeal(pose));
    if (pucker < 1.0)
        paintOpening(vertices, pose, frame);
    if (pucker > 0.0)
        paintPucker(vertices, pose, pucker, frame);
    softenSeam(vertices, pose, frame);
}

void MouthInterior::paintPucker(const std::vector<PointF>& vertices, const MouthParams& pose, double weight,
                                Image& frame) const {
    const FaceRig::HeadPose head = m_rig.headPose(pose);
    const PointF u = head.turn(m_rig.alongEyes()), v = head.turn(m_rig.downFace());
    auto local = [&](const PointF& p) { return PointF{p.x * u.x + p.y * u.y, p.x * v.x + p.y * v.y}; };
    auto world = [&](double a, double b) { return PointF{a * u.x + b * v.x, a * u.y + b * v.y}; };
    auto at = [&](int i) { return local(vertices[static_cast<std::size_t>(i)]); };
    auto mid = [](const PointF& p, const PointF& q) { return PointF{0.5 * (p.x + q.x), 0.5 * (p.y + q.y)}; };
    // The oval: across through the side pairs' meeting points, up to 62 and down to 66 (each half its own
    // height), in the face's axes.
    const PointF left = mid(at(61), at(67)), right = mid(at(63), at(65));
    const PointF c{0.5 * (left.x + right.x), 0.5 * (left.y + right.y)};
    const double ha = std::max(1.0, 0.5 * std::abs(right.x - left.x));
    // (Its upper half at least kTopShare of the whole: where a thin upper lip lies level with the side pairs'
    // meeting points, 62 is only a pixel or two above them and the opening's top was a hard straight edge
    // against the skin; risen, the rim draws the upper lip rolling in over it.)
    const double hDown = std::max(1.0, at(66).y - c.y);
    const double hUp = std::max({1.0, c.y - at(62).y, kTopShare / (1.0 - kTopShare) * hDown});
    const double sigma = blurSigma();
    const bool soften = sigma > 0.3;
    const int pad = 3 + (soften ? static_cast<int>(std::ceil(3.0 * sigma)) : 0);

    double minX = 1e9, minY = 1e9, maxX = -1e9, maxY = -1e9;
    auto extend = [&](const PointF& p) {
        minX = std::min(minX, p.x);
        minY = std::min(minY, p.y);
        maxX = std::max(maxX, p.x);
        maxY = std::max(maxY, p.y);
    };
    for (int i = FaceRig::kInnerLipFirst; i <= FaceRig::kInnerLipLast; ++i)
        extend(vertices[static_cast<std::size_t>(i)]);
    for (const auto& [a, b] :
         {std::pair{-1.1, 0.0}, std::pair{1.1, 0.0}, std::pair{0.0, -1.1}, std::pair{0.0, 1.1}})
        extend(world(c.x + a * ha, c.y + b * (b < 0.0 ? hUp : hDown)));
    const Rect box = Rect{static_cast<int>(std::floor(minX)) - pad, static_cast<int>(std::floor(minY)) - pad,
                          static_cast<int>(std::ceil(maxX - minX)) + 2 * pad + 1,
                          static_cast<int>(std::ceil(maxY - minY)) + 2 * pad + 1}
                         .intersected(m_rig.region());
    if (box.isEmpty())
        return;

    auto sampleFrame = [&](const PointF& p, double rgb[3]) {
        const double x = std::clamp(p.x - 0.5, 0.0, frame.width() - 1.001);
        const double y = std::clamp(p.y - 0.5, 0.0, frame.height() - 1.001);
        const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
        const int x1 = std::min(x0 + 1, frame.width() - 1), y1 = std::min(y0 + 1, frame.height() - 1);
        const double fx = x - x0, fy = y - y0;
        const std::uint8_t* r0 = frame.row(y0);
        const std::uint8_t* r1 = frame.row(y1);
        for (int k = 0; k < 3; ++k)
            rgb[k] = (r0[x0 * 3 + k] * (1 - fx) + r0[x1 * 3 + k] * fx) * (1 - fy) +
                     (r1[x0 * 3 + k] * (1 - fx) + r1[x1 * 3 + k] * fx) * fy;
    };

    // The shade inside: a warm red-brown, lighter near the rim (lit by the lips around it), darkest deep in.
    const double shadeLuma = 0.25 * m_cheekLuma;
    const double lipLuma =
        std::max(1.0, 0.299 * m_lipColour[0] + 0.587 * m_lipColour[1] + 0.114 * m_lipColour[2]);
    // How much a colour is skin rather than lip: by its redness against the lips' (skin is about half as
    // red).
    const double lipRed = std::max(0.05, (m_lipColour[0] - m_lipColour[1]) / std::max(1.0, m_lipColour[0]));
    auto skinOf = [&](const double rgb[3]) {
        const double red = (rgb[0] - rgb[1]) / std::max(1.0, rgb[0]);
        return std::clamp((0.85 * lipRed - red) / (0.35 * lipRed), 0.0, 1.0);
    };
    // The colour of lip at the luma of `rgb` (no more than `most` times the lips'), keeping its texture.
    auto asLip = [&](const double rgb[3], double most, double out[3]) {
        const double luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
        const double tone = std::min(luma, most * lipLuma) / lipLuma;
        for (int k = 0; k < 3; ++k)
            out[k] = m_lipColour[k] * tone;
    };
    const double upperLip = kUpperLip * m_iod;
    // The upper teeth's biting edge, dim in the lips' shade, only at the top: a band hanging from under the
    // upper lip, its edge curving down a little in the middle; the lower row is behind the lower lip.
    const double crown = std::min(0.35 * (hUp + hDown), 0.04 * m_iod);
    // (Dim and soft-edged: at 0.42 of the cheeks' luma over a 1.2-softness edge it read as a grey bar drawn
    // across the top of the opening.)
    const double toothLuma = 0.36 * m_cheekLuma;
    const double edgeSoft = std::max(2.0, 2.0 * m_edge);
    const PointF mouthCentre = local(head.apply(m_centre));

    cv::Mat layer(box.height, box.width, CV_32FC3);
    cv::Mat cover(box.height, box.width, CV_32FC1, cv::Scalar(0.0f));
    cv::Mat darken(box.height, box.width, CV_32FC1, cv::Scalar(0.0f));
    // The seal lines, from each inner corner to its meeting point: the lips pressed together there show a
    // thin line a little darker than the lips beside it, never lighter (a light line along the seal read as
    // the lower lip's inner edge drawn up to it).
    const PointF seals[2][2] = {{at(60), left}, {at(64), right}};
    const double lineWidth = std::max(0.8, 0.6 * m_edge);
    for (int y = 0; y < box.height; ++y) {
        auto* out = layer.ptr<cv::Vec3f>(y);
        auto* a = cover.ptr<float>(y);
        auto* dk = darken.ptr<float>(y);
        const std::uint8_t* row = frame.row(box.y + y) + box.x * 3;
        for (int x = 0; x < box.width; ++x) {
            const PointF p{box.x + x + 0.5, box.y + y + 0.5};
            const PointF l = local(p);
            const double dx = l.x - c.x, dy = l.y - c.y;
            const double hb = dy < 0.0 ? hUp : hDown;
            // (Each half its own rim: a shallow upper half does not thin the lower lip's.)
            const double rim = std::max(1.0, std::min(kRim * m_iod, kRimShare * std::min(ha, hb)));
            const double r = std::pow(
                std::pow(std::abs(dx) / ha, kPower) + std::pow(std::abs(dy) / hb, kPower), 1.0 / kPower);
            const double radius = std::hypot(dx, dy);
            const double edge = r > 1e-6 ? radius / r : std::min(ha, hb); // the oval's radius this way
            const double d = (r - 1.0) * edge;                            // signed, px: < 0 inside
            for (int k = 0; k < 3; ++k)
                out[x][k] = float(row[x * 3 + k]);
            // (Each ends a rim's width before the opening: run on into the rim it read as a line drawn
            // across the opening.)
            for (const auto& seal : seals) {
                const PointF s0 = seal[0], s1 = seal[1];
                const double ex = s1.x - s0.x, ey = s1.y - s0.y, len2 = ex * ex + ey * ey;
                if (len2 < 1.0)
                    continue;
                const double t = std::clamp(((l.x - s0.x) * ex + (l.y - s0.y) * ey) / len2, 0.0, 1.0);
                const double off = std::hypot(l.x - s0.x - t * ex, l.y - s0.y - t * ey);
                dk[x] = std::max(dk[x], float(kSealLine * std::exp(-(off * off) / (lineWidth * lineWidth)) *
                                              smoothstep(0.0, 0.35, t) * smoothstep(0.0, rim, d)));
            }
            // The creases: dark lines along rays from the middle, lighter folds between them, unevenly
            // spaced and of uneven strength,
            // strongest just outside the rim and fading out over kCreaseReach, only on lip (or the band drawn
            // as lip).
            const double creaseReach = kCreaseReach * m_iod;
            if (d > -0.3 * rim && d < creaseReach) {
                const double theta = std::atan2(dy / hb, dx / ha);
                const double phase = kCreases * theta + 1.3 * std::sin(3.0 * theta + 0.7) +
                                     0.8 * std::sin(5.0 * theta + 2.1) +
                                     0.6 * std::sin(2.0 * theta) * d / creaseReach;
                const double crease = std::pow(0.5 + 0.5 * std::cos(phase), 3.0);
                const double strength =
                    0.65 + 0.35 * std::sin(7.0 * theta + 0.5) * std::sin(4.0 * theta + 1.9);
                const double reach = smoothstep(-0.3 * rim, 0.15 * creaseReach, d) *
                                     (1.0 - smoothstep(0.3 * creaseReach, creaseReach, d));
                const double px[3] = {double(row[x * 3]), double(row[x * 3 + 1]), double(row[x * 3 + 2])};
                const double overTopHere = dy < 0.0 ? 1.0 - smoothstep(0.6, 1.1, std::abs(dx) / ha) : 0.0;
                const double onLip = std::max(1.0 - skinOf(px), overTopHere * (d < upperLip ? 1.0 : 0.0));
                // (Less the pattern's mean, 5/16: the folds between the creases catch the light, so the lips
                // keep their lightness, which the lips pushed forward need.)
                dk[x] += float(kCrease * (crease - 0.3125) * strength * reach * onLip);
            }
            // (The lips begin to turn in before the edge: their last rimOut pixels darken a little, so the
            // rim has no light ring where the lip drawn inside meets the lip as warped.)
            const double rimOut = 0.3 * rim, fade = rimOut + 2.0 * std::max(1.0, sigma);
            // (Over the opening's upper half only, fading out past its sides.)
            const double overTop = dy < 0.0 ? 1.0 - smoothstep(0.6, 1.1, std::abs(dx) / ha) : 0.0;
            const double band =
                overTop > 0.0 && d >= 0.0 ? overTop * (1.0 - smoothstep(0.3, 1.0, d / upperLip)) : 0.0;
            if (d >= fade && band <= 0.0)
                continue;
            a[x] = float(std::max(band > 0.0 ? 1.0 : 0.0, 1.0 - smoothstep(rimOut, fade, d)));
            if (d >= 0.0) {
                const double turn = 1.0 - kTurnOut * (1.0 - std::clamp(d / rimOut, 0.0, 1.0));
                const double px[3] = {double(row[x * 3]), double(row[x * 3 + 1]), double(row[x * 3 + 2])};
                const double w = band * skinOf(px);
                double lip[3];
                asLip(px, kBandLight, lip);
                for (int k = 0; k < 3; ++k)
                    out[x][k] = float((px[k] + (lip[k] - px[k]) * w) * turn);
                continue;
            }
            // How far in from the oval's edge, over the rim's width: 0 at the edge, 1 where the shade starts.
            const double t = std::clamp(-d / rim, 0.0, 1.0);
            // The lips' inner surface: the lip just outside this point (along the ray from the middle),
            // read nearer the edge the further in, so its texture rolls in; darker as it turns away from the
            // light, and on the lower lip a little lighter near its inner edge (wet, facing up).
            double lip[3] = {0.0, 0.0, 0.0};
            const double lipShare = 1.0 - t;
            if (lipShare > 0.0 && radius > 1e-6) {
                const double reach = edge + 1.0 + 0.5 * (-d);
                PointF q{c.x + dx / radius * reach, c.y + dy / radius * reach};
                // (Never on the seal's crease, the photo's dark line where the lips meet: read beside it, on
                // this half's lip, or the rim carried the line on into the opening.)
                for (const auto& seal : seals) {
                    const PointF s0 = seal[0], s1 = seal[1];
                    if (std::abs(s1.x - s0.x) < 1.0)
                        continue;
                    const double along = (q.x - s0.x) / (s1.x - s0.x);
                    if (along < 0.0 || along > 1.5)
                        continue;
                    const double lineY = s0.y + along * (s1.y - s0.y);
                    const double clear = 2.0 * lineWidth + sigma;
                    if (std::abs(q.y - lineY) < clear)
                        q.y = lineY + (dy < 0.0 ? -clear : clear);
                }
                sampleFrame(world(q.x, q.y), lip);
                // (Pursed lips show lip all round the opening: where a thin lip leaves skin just outside it,
                // the rim takes the lips' own colour at no more than their luma.)
                // (Skin there, over the upper half, becomes lip from the edge in, as the band outside it.)
                const double skin = overTop * skinOf(lip);
                double asLipped[3];
                asLip(lip, 1.05, asLipped);
                const double mix = skin + (1.0 - skin) * kLipTone * smoothstep(0.0, 0.5, t);
                for (int k = 0; k < 3; ++k)
                    lip[k] += (asLipped[k] - lip[k]) * mix;
                const double wet = dy > 0.0 ? 0.04 * std::exp(-std::pow((t - 0.3) / 0.2, 2.0)) : 0.0;
                const double turn = 1.0 - kTurnOut + wet;
                for (double& ch : lip)
                    ch *= turn;
            }
            // The shade, with the upper teeth's edge at the top.
            const double depth = 1.0 - std::clamp(r, 0.0, 1.0);
            const double luma = shadeLuma * (1.3 - 0.6 * smoothstep(0.0, 0.8, depth)) *
                                (1.0 + 0.5 * smoothstep(0.2, 0.9, dy / hDown));
            // (Near the rim the lips' inner surface in shade, in their own hue; deeper, the red-brown of a
            // photographed gap: the red-brown all the way out was a red ring round pale lips.)
            const double ownHue = 1.0 - smoothstep(0.15, 0.6, depth);
            double inner[3];
            for (int k = 0; k < 3; ++k)
                inner[k] = luma * (kWarm[k] + (m_lipColour[k] / lipLuma - kWarm[k]) * ownHue);
            const double across = std::clamp(dx / ha, -1.0, 1.0);
            // (Below the upper rim's outer part, which covers the teeth' root end as the lip rolls in.)
            const double rimUp = std::max(1.0, std::min(kRim * m_iod, kRimShare * std::min(ha, hUp)));
            const double toothEdge = -hUp + 0.5 * rimUp + crown * (1.0 + 0.25 * (1.0 - across * across));
            const double tooth = (1.0 - smoothstep(toothEdge - edgeSoft, toothEdge + edgeSoft, dy)) *
                                 (1.0 - smoothstep(0.15, 0.65, std::abs(across)));
            if (tooth > 0.0) {
                // (Lit from below by nothing: brightest at its biting edge, in the upper lip's shadow above.)
                const double lit = toothLuma * (0.55 + 0.45 * smoothstep(toothEdge - crown, toothEdge, dy));
                static constexpr double kTooth[3] = {1.12, 0.97, 0.84}; // (in the lips' warm shade)
                for (int k = 0; k < 3; ++k)
                    inner[k] += (lit * kTooth[k] - inner[k]) * tooth;
            }
            const double g = (1.0 - lipShare) * grainOf(l.x - mouthCentre.x, l.y - mouthCentre.y,
                                                        static_cast<int>(std::lround(l.x)),
                                                        static_cast<int>(std::lround(l.y)));
            for (int k = 0; k < 3; ++k)
                out[x][k] = float(inner[k] + (lip[k] - inner[k]) * lipShare + g);
        }
    }
    if (soften) {
        cv::GaussianBlur(layer, layer, cv::Size(), sigma);
        cv::GaussianBlur(darken, darken, cv::Size(), sigma);
    }
    for (int y = 0; y < box.height; ++y) {
        const auto* in = layer.ptr<cv::Vec3f>(y);
        const float* a = cover.ptr<float>(y);
        const float* dk = darken.ptr<float>(y);
        std::uint8_t* row = frame.row(box.y + y) + box.x * 3;
        for (int x = 0; x < box.width; ++x) {
            const double w = weight * a[x], shade = 1.0 - weight * dk[x];
            if (w <= 0.0 && shade >= 1.0)
                continue;
            for (int k = 0; k < 3; ++k) {
                const double value = (row[x * 3 + k] + (in[x][k] - row[x * 3 + k]) * w) * shade;
                row[x * 3 + k] = static_cast<std::uint8_t>(std::lround(std::clamp(value, 0.0, 255.0)));
            }
        }
    }
}

} // namespace avatar
