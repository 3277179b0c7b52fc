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
// ...and its upper half's, flatter: the upper lip's edge lies across the top of a photographed "oo" (a round
// top read as a drawn disc).
constexpr double kPowerTop = 3.0;
// The inner edge where the lips turn into the shade: its exponent below (an ellipse) and above (flatter,
// under the upper lip's edge).
constexpr double kInnerPowerTop = 3.2;
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
// The photo's own dark seam where its lips met (a closed smile's line and dark corner wedges), warped onto
// the seals from each outer corner to the opening: pressed forward, those lips meet on a faint line, so that
// much of the seam's darkness is filled with the lips above and below it (left dark, it read as a closed
// smiling mouth with a dot painted over it), within kSeamBand IOD of the line.
constexpr double kSeamFill = 0.85;
constexpr double kSeamBand = 0.04;
// From past the outer corner to the inner one, where an enlarged (soft) photo's closed smile leaves a thin
// dark line a little off the path (at kSeamBand faint lines remained there on the astronaut), wider and
// filled whole.
constexpr double kSeamBandCorner = 0.07;
constexpr double kSeamFillCorner = 1.0;
// The photo's dark corner runs on past the moved-in corner landmark (a smile's corner wedge): the path
// starts this far (IOD) outside it.
constexpr double kSeamPast = 0.06;
// The lips' wet inner surface shows this share of the rim in before it turns into the shade: a thin band
// under the upper lip (turned down, away from the light), more of the lower lip's (facing up, lit).
constexpr double kShowUpper = 0.5;
constexpr double kShowLower = 0.7;
// The turn from that surface into the shade: over this many drawn edges (the photo's own sharpness), at
// least kTurnPx (over the whole rim it read as a blurred dot with no edge).
constexpr double kTurnEdges = 2.0;
constexpr double kTurnPx = 3.0;
// ...and at least this many IOD: a turn from lit lip to shade in fewer pixels is a step the eye reads as a
// drawn outline (tst_mouth_metrics puckerIsRoundWithAGradedRim: no step over 0.3 of the contrast per pixel).
constexpr double kTurnIod = 0.032;
constexpr double kLayerSoft = 0.5;
// The lower lip's fine detail is read again at the photo's scale where the pucker draws it out more than
// kLipStretched times its height, over a low-pass of kLipDetailScale IOD.
constexpr double kLipStretched = 1.2;
constexpr double kLipDetailScale = 0.015;
// Pushed forward, the lower lip's top is this much lighter (it faces up) and the chin just under it this much
// darker, over kChinShadowReach IOD.
constexpr double kLipLit = 0.06;
constexpr double kChinShadow = 0.1;
constexpr double kChinShadowReach = 0.05;
// The photo's grain under kLipGrainScale IOD is read again whole; its lines above it at no less than
// kLipLinesKept of their contrast, less as the lip is drawn out.
constexpr double kLipGrainScale = 0.004;
constexpr double kLipLinesKept = 0.4;
// ...and across the lip (along the eyes) over kLipStreakScale IOD, the width of the streaks on an enlarged
// photo.
constexpr double kLipStreakScale = 0.04;
// Lip read into or just under the opening no redder than this over the lips' mean redness (a lit, redder
// patch of the photo's lower lip, stretched under the opening, read as a red glow there).
constexpr double kMostRed = 1.1;
// How much the shade's light varies across the opening.
constexpr double kBlotch = 0.2;
// How much lighter the shade is low in the middle, where the tongue's tip catches a little light.
constexpr double kTip = 0.35;
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

struct MouthInterior::PuckerLipDetail {
    cv::Mat grain;  // the photographed mouth's grain: less its low-pass at kLipGrainScale (CV_32FC3, signed)
    cv::Mat detail; // its lines: that low-pass less its low-pass at kLipDetailScale, and kLipStreakScale
                    // across
    cv::Mat kx, ky; // the latter low-pass's kernels, across and down (the warped lip's too)
};

std::shared_ptr<const MouthInterior::PuckerLipDetail> MouthInterior::puckerLipDetail(const Image& photoImage,
                                                                                     double iod) {
    auto out = std::make_shared<PuckerLipDetail>();
    const double lowSigma = std::max(1.5, kLipDetailScale * iod);
    const double acrossSigma = std::max(lowSigma, kLipStreakScale * iod);
    const int acrossK = 2 * static_cast<int>(std::ceil(3.0 * acrossSigma)) + 1;
    const int downK = 2 * static_cast<int>(std::ceil(3.0 * lowSigma)) + 1;
    out->kx = cv::getGaussianKernel(acrossK, acrossSigma, CV_32F);
    out->ky = cv::getGaussianKernel(downK, lowSigma, CV_32F);
    // The photo's detail: its mouth less its low-pass, per channel (signed).
    cv::Mat photo(photoImage.height(), photoImage.width(), CV_8UC3);
    for (int y = 0; y < photoImage.height(); ++y)
        std::copy_n(photoImage.row(y), photoImage.width() * 3, photo.ptr<std::uint8_t>(y));
    cv::Mat photoF, photoLow;
    photo.convertTo(photoF, CV_32FC3);
    cv::sepFilter2D(photoF, photoLow, -1, out->kx, out->ky, cv::Point(-1, -1), 0.0, cv::BORDER_REFLECT);
    // (Split at the photo's grain, kLipGrainScale IOD: the grain is kept whole, the lines above it are
    // faded as the lip is drawn out, as a stretched lip's lines flatten; kept whole they ran the whole
    // height of the drawn-out lip, mirrored, as long streaks.)
    cv::Mat photoGrainLow;
    cv::GaussianBlur(photoF, photoGrainLow, cv::Size(), std::max(0.8, kLipGrainScale * iod));
    out->grain = photoF - photoGrainLow;
    out->detail = photoGrainLow - photoLow;
    return out;
}

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
    // How far the photo is a soft, enlarged one (the astronaut at 1920x1080 head framing, enlarged 4.3x).
    const double enlarged = smoothstep(0.5, 1.5, sigma);
    // (The flatter top and the blotched shade there only: on the sharp faces, whose opening shows its edge,
    // the flatter top's corners took in more of a thin upper lip and the blotches broke the opening's dark
    // across its middle, tst_mouth_metrics puckerLipsLookPushedForward and puckerOpeningIsInTheMiddle.)
    const double powerTop = kPower + (kPowerTop - kPower) * enlarged,
                 innerPowerTop = 2.0 + (kInnerPowerTop - 2.0) * enlarged, blotch = kBlotch * enlarged;
    // What is drawn is softened by at least a share of a drawn edge even on a sharp photo: its rim's turn
    // into the shade, and the lip rolled in, were otherwise a pixel sharper than the photo's lips.
    const double layerSigma = std::max(sigma, kLayerSoft * m_edge);
    const bool soften = layerSigma > 0.3;
    const int pad = 3 + (soften ? static_cast<int>(std::ceil(3.0 * layerSigma)) : 0);

    double minX = 1e9, minY = 1e9, maxX = -1e9, maxY = -1e9;
    auto extend = [&](const PointF& p) {
        minX = std::min(minX, p.x);
        minY = std::min(minY, p.y);
        maxX = std::max(maxX, p.x);
        maxY = std::max(maxY, p.y);
    };
    for (int i = FaceRig::kInnerLipFirst; i <= FaceRig::kInnerLipLast; ++i)
        extend(vertices[static_cast<std::size_t>(i)]);
    // (And the lower lip, whose detail is read again below.)
    for (int i = 55; i <= 59; ++i) {
        const PointF q = vertices[static_cast<std::size_t>(i)];
        extend(q);
        // (And the shadow it casts on the chin.)
        const PointF down = head.turn(m_rig.downFace());
        extend(
            {q.x + down.x * kChinShadowReach * m_iod * 1.3, q.y + down.y * kChinShadowReach * m_iod * 1.3});
    }
    for (const auto& [a, b] :
         {std::pair{-1.1, 0.0}, std::pair{1.1, 0.0}, std::pair{0.0, -1.1}, std::pair{0.0, 1.1}})
        extend(world(c.x + a * ha, c.y + b * (b < 0.0 ? hUp : hDown)));
    // (And the seam's path past each outer corner, with its band and the lips read either side of it.)
    for (const auto& [corner, inner] : {std::pair{48, 60}, std::pair{54, 64}}) {
        const PointF k = vertices[static_cast<std::size_t>(corner)],
                     i = vertices[static_cast<std::size_t>(inner)];
        const double len = std::max(1.0, std::hypot(k.x - i.x, k.y - i.y));
        const double reach = (kSeamPast + std::max(kSeamBand, kSeamBandCorner)) * m_iod + 2.0 * m_edge;
        for (const double side : {-1.0, 1.0})
            extend({k.x + (k.x - i.x) / len * reach, k.y + (k.y - i.y) / len * reach + side * reach});
    }
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
    // (No upper teeth at the top: behind a pushed-forward upper lip they are in its shadow; a dim band of
    // them there read as a grey bar, and made the top of the opening its lightest part.)
    const PointF mouthCentre = local(head.apply(m_centre));
    // The shade's ellipse (see the loop): its top kShowUpper of the upper half's rim below the oval's, its
    // bottom kShowLower of the lower half's above the oval's, its sides between.
    const double rimUp = std::max(1.0, std::min(kRim * m_iod, kRimShare * std::min(ha, hUp)));
    const double rimDown = std::max(1.0, std::min(kRim * m_iod, kRimShare * std::min(ha, hDown)));
    const double shadeTop = -hUp + kShowUpper * rimUp, shadeBottom = hDown - kShowLower * rimDown;
    const double innerMid = 0.5 * (shadeTop + shadeBottom),
                 innerHalf = std::max(1.0, 0.5 * (shadeBottom - shadeTop));
    const double showSide = 0.5 * (kShowUpper + kShowLower) * std::min(rimUp, rimDown);

    cv::Mat layer(box.height, box.width, CV_32FC3);
    cv::Mat cover(box.height, box.width, CV_32FC1, cv::Scalar(0.0f));
    cv::Mat darken(box.height, box.width, CV_32FC1, cv::Scalar(0.0f));
    // The seal lines, from each inner corner to its meeting point: the lips pressed together there show a
    // thin line a little darker than the lips beside it, never lighter (a light line along the seal read as
    // the lower lip's inner edge drawn up to it).
    const PointF seals[2][2] = {{at(60), left}, {at(64), right}};
    const double lineWidth = std::max(0.8, 0.6 * m_edge);
    // Where a point (face axes) lies against the oval: d its signed distance (px, < 0 inside), r its radius
    // over the oval's, hb the half's height.
    struct Oval {
        double dx, dy, hb, r, radius, edge, d, rim;
    };
    auto ovalAt = [&](const PointF& l) {
        Oval o;
        o.dx = l.x - c.x;
        o.dy = l.y - c.y;
        o.hb = o.dy < 0.0 ? hUp : hDown;
        // (Each half its own rim: a shallow upper half does not thin the lower lip's.)
        o.rim = std::max(1.0, std::min(kRim * m_iod, kRimShare * std::min(ha, o.hb)));
        const double power = o.dy < 0.0 ? powerTop : kPower;
        o.r = std::pow(std::pow(std::abs(o.dx) / ha, power) + std::pow(std::abs(o.dy) / o.hb, power),
                       1.0 / power);
        o.radius = std::hypot(o.dx, o.dy);
        o.edge = o.r > 1e-6 ? o.radius / o.r : std::min(ha, o.hb); // the oval's radius this way
        o.d = (o.r - 1.0) * o.edge;
        return o;
    };
    // The lower lip, which the seal holds up at its inner edge while the jaw takes its outer edge down, is
    // drawn out to about twice its height, and its own fine lines with it into long streaks fanning out
    // under the opening (docs/QUALITY.md, "Tried: the sealed pucker's lower lip not stretched": the mesh
    // alone traded them for a chevron). Its fine detail is read again at its own scale: from its outer edge
    // up at the photo's size, mirrored back down past the photo's lip's height, onto the warped lip's
    // light and colour (its low-pass, LipShading's light kept).
    if (m_puckerLip) {
        const std::vector<PointF>& rest = m_rig.restVertices();
        const PointF ru = m_rig.alongEyes(), rv = m_rig.downFace();
        auto restLocal = [&](const PointF& p) {
            return PointF{p.x * ru.x + p.y * ru.y, p.x * rv.x + p.y * rv.y};
        };
        // Each lip edge as heights over the position across between the corners (0 at 48, 1 at 54).
        struct Edge {
            std::vector<PointF> pts; // (across, height), sorted by across
            double at(double a) const {
                if (a <= pts.front().x)
                    return pts.front().y;
                for (std::size_t i = 1; i < pts.size(); ++i)
                    if (a <= pts[i].x) {
                        const double t = (a - pts[i - 1].x) / std::max(1e-9, pts[i].x - pts[i - 1].x);
                        return pts[i - 1].y + (pts[i].y - pts[i - 1].y) * t;
                    }
                return pts.back().y;
            }
        };
        auto edgeOf = [](std::vector<PointF> pts, double x0, double x1) {
            Edge e;
            for (PointF& q : pts)
                q.x = (q.x - x0) / std::max(1.0, x1 - x0);
            std::sort(pts.begin(), pts.end(), [](const PointF& a, const PointF& b) { return a.x < b.x; });
            e.pts = std::move(pts);
            return e;
        };
        const int innerIds[] = {60, 67, 66, 65, 64}, outerIds[] = {48, 59, 58, 57, 56, 55, 54};
        std::vector<PointF> nowIn, nowOut, restIn, restOut;
        for (int i : innerIds) {
            nowIn.push_back(at(i));
            restIn.push_back(restLocal(rest[static_cast<std::size_t>(i)]));
        }
        for (int i : outerIds) {
            nowOut.push_back(at(i));
            restOut.push_back(restLocal(rest[static_cast<std::size_t>(i)]));
        }
        const double nx0 = at(48).x, nx1 = at(54).x;
        const double rx0 = restLocal(rest[48]).x, rx1 = restLocal(rest[54]).x;
        const Edge eIn = edgeOf(nowIn, nx0, nx1), eOut = edgeOf(nowOut, nx0, nx1);
        const Edge rIn = edgeOf(restIn, rx0, rx1), rOut = edgeOf(restOut, rx0, rx1);
        // (Across the lip, along the eyes, over kLipStreakScale: the streaks are the warp drawing the photo's
        // lines out down the lip, at whatever width the photo's lines have; on an enlarged soft photo they
        // are wider than kLipDetailScale and a 2-D low-pass at that scale kept them. Down the lip only the
        // fine scale: its light from top to bottom is the warped lip's own.)
        const PuckerLipDetail& lip = *m_puckerLip;
        const cv::Mat &grain = lip.grain, &detail = lip.detail;
        const cv::Mat &kx = lip.kx, &ky = lip.ky;
        cv::Mat warped(box.height, box.width, CV_8UC3), warpedLow;
        for (int y = 0; y < box.height; ++y)
            std::copy_n(frame.row(box.y + y) + box.x * 3, box.width * 3, warped.ptr<std::uint8_t>(y));
        warped.convertTo(warpedLow, CV_32FC3);
        cv::sepFilter2D(warpedLow, warpedLow, -1, kx, ky, cv::Point(-1, -1), 0.0, cv::BORDER_REFLECT);
        auto detailAt = [&](const PointF& w, double out[3], double keep) {
            const double x = std::clamp(w.x - m_photoOrigin.x - 0.5, 0.0, grain.cols - 1.001);
            const double y = std::clamp(w.y - m_photoOrigin.y - 0.5, 0.0, grain.rows - 1.001);
            const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
            const double fx = x - x0, fy = y - y0;
            auto mix = [&](const cv::Mat& m, int k) {
                return (m.at<cv::Vec3f>(y0, x0)[k] * (1 - fx) + m.at<cv::Vec3f>(y0, x0 + 1)[k] * fx) *
                           (1 - fy) +
                       (m.at<cv::Vec3f>(y0 + 1, x0)[k] * (1 - fx) + m.at<cv::Vec3f>(y0 + 1, x0 + 1)[k] * fx) *
                           fy;
            };
            for (int k = 0; k < 3; ++k)
                out[k] = mix(grain, k) + keep * mix(detail, k);
        };
        for (int y = 0; y < box.height; ++y) {
            std::uint8_t* row = frame.row(box.y + y) + box.x * 3;
            const auto* low = warpedLow.ptr<cv::Vec3f>(y);
            for (int x = 0; x < box.width; ++x) {
                const PointF l = local(PointF{box.x + x + 0.5, box.y + y + 0.5});
                const double a = (l.x - nx0) / std::max(1.0, nx1 - nx0);
                if (a <= 0.0 || a >= 1.0)
                    continue;
                const double top = eIn.at(a), bottom = eOut.at(a), thick = bottom - top;
                const double restTop = rIn.at(a), restBottom = rOut.at(a), restThick = restBottom - restTop;
                if (thick < 2.0 || restThick < 1.0)
                    continue;
                const double t = (l.y - top) / thick; // 0 at the inner edge, 1 at the outer
                // Pushed forward, the lower lip's top faces up into the light and it casts a soft shadow on
                // the chin just under its edge (kLipLit, kChinShadow); the middle most, fading to the
                // corners.
                const double middle = smoothstep(0.1, 0.35, a) * smoothstep(0.1, 0.35, 1.0 - a);
                const double below = (l.y - bottom) / std::max(1.0, kChinShadowReach * m_iod);
                const double light =
                    1.0 + kLipLit * std::exp(-std::pow((t - 0.3) / 0.2, 2.0)) -
                    kChinShadow * (below > -0.3 ? std::exp(-std::pow((below - 0.25) / 0.4, 2.0)) : 0.0);
                const double lit = 1.0 + (light - 1.0) * weight * middle;
                if (t > 1.0 || t < 0.0) {
                    if (lit != 1.0)
                        for (int k = 0; k < 3; ++k)
                            row[x * 3 + k] = static_cast<std::uint8_t>(
                                std::lround(std::clamp(row[x * 3 + k] * lit, 0.0, 255.0)));
                    continue;
                }
                // (Only where drawn out, and not at the corners or right on the lip's edges.)
                const double w = weight * smoothstep(kLipStretched, kLipStretched + 0.35, thick / restThick) *
                                 smoothstep(0.0, 0.12, t) * (1.0 - smoothstep(0.85, 1.0, t)) *
                                 smoothstep(0.08, 0.3, a) * smoothstep(0.08, 0.3, 1.0 - a);
                if (w <= 0.0) {
                    for (int k = 0; k < 3; ++k)
                        row[x * 3 + k] = static_cast<std::uint8_t>(
                            std::lround(std::clamp(row[x * 3 + k] * lit, 0.0, 255.0)));
                    continue;
                }
                // Up from the outer edge at the photo's own scale; past the photo lip's height, back down.
                double up = (1.0 - t) * thick;
                const double span = 0.85 * restThick;
                up = std::fmod(up, 2.0 * span);
                if (up > span)
                    up = 2.0 * span - up;
                const PointF restPoint{rx0 + a * (rx1 - rx0), restBottom - up};
                double d[3];
                detailAt({restPoint.x * ru.x + restPoint.y * rv.x, restPoint.x * ru.y + restPoint.y * rv.y},
                         d, std::clamp(restThick / thick, kLipLinesKept, 1.0));
                for (int k = 0; k < 3; ++k) {
                    const double value = low[x][k] + d[k];
                    row[x * 3 + k] = static_cast<std::uint8_t>(std::lround(
                        std::clamp((row[x * 3 + k] + (value - row[x * 3 + k]) * w) * lit, 0.0, 255.0)));
                }
            }
        }
    }
    // First the warped lips round the opening, written to the frame (at the pucker's weight) before the
    // opening is drawn, so the rim reads them as they end up: the photo's seam filled from each outer corner
    // through the inner one to the opening, and the lip under the opening no redder than the lips.
    {
        // (The corners' wider, whole fill only on a soft, enlarged photo, whose lines lie off the path by
        // more pixels: on a sharp one the wider closing lifted a pale patch beside the opening on
        // sample6-third.)
        const double band = std::max(2.0, kSeamBand * m_iod),
                     cornerBand = band + (std::max(band, kSeamBandCorner * m_iod) - band) * enlarged,
                     cornerFill = kSeamFill + (kSeamFillCorner - kSeamFill) * enlarged,
                     cornerRamp = 0.6 - 0.3 * enlarged, cornerDark = 0.04 * enlarged;
        // The lips with every dark line narrower than the band closed over (a grey closing per channel,
        // softened): what the seam is filled with, the lips' own light either side of it.
        cv::Mat photo(box.height, box.width, CV_8UC3), closed;
        for (int y = 0; y < box.height; ++y)
            std::copy_n(frame.row(box.y + y) + box.x * 3, box.width * 3, photo.ptr<std::uint8_t>(y));
        const int kernel = 2 * static_cast<int>(std::ceil(cornerBand)) + 1;
        cv::morphologyEx(photo, closed, cv::MORPH_CLOSE,
                         cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(kernel, kernel)));
        cv::GaussianBlur(closed, closed, cv::Size(), std::max(1.0, 0.25 * kernel));
        auto past = [&](const PointF& corner, const PointF& inner) {
            const double len = std::max(1.0, std::hypot(corner.x - inner.x, corner.y - inner.y));
            const double k = kSeamPast * m_iod / len;
            return PointF{corner.x + (corner.x - inner.x) * k, corner.y + (corner.y - inner.y) * k};
        };
        // (And the lower lip's inner edge from each meeting point down to 66: the photo's seam lies just
        // under it, where the rim reads the lip, and rolled into the rim it was a dark red V under the
        // opening.)
        const PointF paths[2][5] = {{past(at(48), at(60)), at(48), at(60), left, at(66)},
                                    {past(at(54), at(64)), at(54), at(64), right, at(66)}};
        cv::Mat pre(box.height, box.width, CV_8UC3);
        for (int y = 0; y < box.height; ++y) {
            const std::uint8_t* row = frame.row(box.y + y) + box.x * 3;
            auto* out = pre.ptr<cv::Vec3b>(y);
            for (int x = 0; x < box.width; ++x) {
                const PointF l = local(PointF{box.x + x + 0.5, box.y + y + 0.5});
                const Oval o = ovalAt(l);
                double px[3] = {double(row[x * 3]), double(row[x * 3 + 1]), double(row[x * 3 + 2])};
                // The seam: the nearest point on either side's path, and the lips a band above and below.
                double nearIn = 0.0, nearCorner = 0.0;
                for (const auto& path : paths)
                    for (int seg = 0; seg < 4; ++seg) {
                        const PointF s0 = path[seg], s1 = path[seg + 1];
                        const double ex = s1.x - s0.x, ey = s1.y - s0.y, len2 = ex * ex + ey * ey;
                        const double t =
                            len2 < 1e-6
                                ? 0.0
                                : std::clamp(((l.x - s0.x) * ex + (l.y - s0.y) * ey) / len2, 0.0, 1.0);
                        const double dist = std::hypot(l.x - s0.x - t * ex, l.y - s0.y - t * ey);
                        // (From past the outer corner to the inner one wider, whole and fading out more
                        // gently; fading in along the stretch past the corner.)
                        if (seg < 2)
                            nearCorner = std::max(
                                nearCorner,
                                cornerFill * (1.0 - smoothstep(cornerRamp * cornerBand, cornerBand, dist)) *
                                    (seg == 0 ? smoothstep(0.0, 1.0, t) : 1.0));
                        else
                            nearIn = std::max(nearIn, kSeamFill * (1.0 - smoothstep(0.6 * band, band, dist)));
                    }
                const double inOval = smoothstep(-0.3 * o.rim, 0.2 * o.rim, o.d);
                if (std::max(nearIn, nearCorner) * inOval > 0.0) {
                    const cv::Vec3b& target = closed.at<cv::Vec3b>(y, x);
                    const double lt =
                        std::max(1.0, 0.299 * target[0] + 0.587 * target[1] + 0.114 * target[2]);
                    const double lp = 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2];
                    // (Only where darker than the lips beside it: the seam, not the lips' own light; at the
                    // corners of an enlarged photo only a line clearly darker, not the smile's gentle fold
                    // there, which filled read as a flat pale patch.)
                    const double darker = smoothstep(0.0, 0.08 * lt, lt - lp),
                                 darkerLine = smoothstep(cornerDark * lt, (0.08 + cornerDark) * lt, lt - lp);
                    const double fill = std::max(nearIn * darker, nearCorner * darkerLine) * inOval;
                    for (int k = 0; k < 3; ++k)
                        px[k] += (target[k] - px[k]) * fill;
                }
                // Under the opening (and into its rim, which reads it): the lip's chroma scaled down where it
                // is redder than kMostRed times the lips' mean.
                const double sv = o.r > 1e-6 ? std::clamp(o.dy / o.hb / o.r, -1.0, 1.0) : 0.0;
                const double under = smoothstep(-0.2, 0.3, sv) *
                                     (1.0 - smoothstep(0.6 * o.rim, 1.2 * o.rim, o.d)) *
                                     smoothstep(-0.6 * o.rim, -0.2 * o.rim, o.d);
                const double red = (px[0] - px[1]) / std::max(1.0, px[0]);
                if (under > 0.0 && red > kMostRed * lipRed) {
                    const double keep = 1.0 - (1.0 - kMostRed * lipRed / red) * under;
                    const double lp = 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2];
                    for (double& ch : px)
                        ch = lp + (ch - lp) * keep;
                }
                for (int k = 0; k < 3; ++k)
                    out[x][k] = static_cast<std::uint8_t>(std::lround(
                        std::clamp(row[x * 3 + k] + (px[k] - row[x * 3 + k]) * weight, 0.0, 255.0)));
            }
        }
        for (int y = 0; y < box.height; ++y)
            std::copy_n(pre.ptr<std::uint8_t>(y), box.width * 3, frame.row(box.y + y) + box.x * 3);
    }
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
            const double power = dy < 0.0 ? powerTop : kPower;
            const double r = std::pow(std::pow(std::abs(dx) / ha, power) + std::pow(std::abs(dy) / hb, power),
                                      1.0 / power);
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
                const double sv = r > 1e-6 ? std::clamp(dy / hb / r, -1.0, 1.0) : 0.0;
                const double turn = 1.0 - kTurnOut * (1.0 - 0.5 * smoothstep(-0.45, 0.45, sv)) *
                                              (1.0 - std::clamp(d / rimOut, 0.0, 1.0));
                const double px[3] = {double(row[x * 3]), double(row[x * 3 + 1]), double(row[x * 3 + 2])};
                const double w = band * skinOf(px);
                double lip[3];
                asLip(px, kBandLight, lip);
                for (int k = 0; k < 3; ++k)
                    out[x][k] = float((px[k] + (lip[k] - px[k]) * w) * turn);
                continue;
            }
            // Which lip's inner surface this is: 0 the upper's (turned down, away from the light), 1 the
            // lower's (facing up, lit and wet), by the height round the oval.
            const double sv = r > 1e-6 ? std::clamp(dy / hb / r, -1.0, 1.0) : 0.0;
            const double lower = smoothstep(-0.45, 0.45, sv);
            // Where it turns into the shade: an ellipse inside the oval, a thin band of the upper lip's inner
            // surface showing above it, more of the lower lip's below, a little uneven round the opening (a
            // lip's inner edge is not a drawn oval), in a turn over the photo's own sharpness (over the whole
            // rim it read as a blurred dot with no edge).
            const double theta = std::atan2(dy / hb, dx / ha);
            // (And on a soft, enlarged photo, where it is all the eye has of the opening's edge, not
            // mirror-even: a photographed opening leans a little, one side fuller.)
            const double wobble = 1.0 + (0.04 + 0.01 * enlarged) * std::sin(3.0 * theta + 0.4) +
                                  (0.025 + 0.005 * enlarged) * std::sin(5.0 * theta + 2.0) +
                                  0.035 * enlarged * std::sin(theta + 1.1);
            const double ix = std::max(1.0, (ha - showSide) * wobble), iy = std::max(1.0, innerHalf * wobble);
            const double ey = dy - innerMid;
            const double ip = ey < 0.0 ? innerPowerTop : 2.0;
            const double ri =
                std::pow(std::pow(std::abs(dx / ix), ip) + std::pow(std::abs(ey / iy), ip), 1.0 / ip);
            const double dIn = ri > 1e-6 ? (ri - 1.0) * std::hypot(dx, ey) / ri : -std::min(ix, iy);
            const double turnWidth = std::max({kTurnPx, kTurnEdges * m_edge, kTurnIod * m_iod});
            // (Linear: for the same width a smoothstep's middle is half as steep again.)
            const double lipShare = std::clamp(0.5 + dIn / turnWidth, 0.0, 1.0);
            // How far across that surface, 0 at the oval's edge, 1 where it turns into the shade.
            const double t = std::clamp(-d / std::max(1.0, -d + std::max(0.0, dIn)), 0.0, 1.0);
            // The lips' inner surface: the lip just outside this point (along the ray from the middle),
            // read nearer the edge the further in, so its texture rolls in; the upper one darker as it turns
            // away from the light, the lower one lighter across its middle (wet, facing up).
            double lip[3] = {0.0, 0.0, 0.0};
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
                const double mix = skin + (1.0 - skin) * kLipTone * smoothstep(0.0, 0.6, t);
                for (int k = 0; k < 3; ++k)
                    lip[k] += (asLipped[k] - lip[k]) * mix;
                const double upperTurn = 1.0 - kTurnOut - 0.3 * smoothstep(0.0, 1.0, t);
                // (Both darken over the surface's last part, where it curves away into the mouth: the turn
                // into the shade is then a step the photo's sharpness can take, not a pen line.)
                const double lowerTurn = 1.0 - 0.5 * kTurnOut +
                                         0.1 * std::exp(-std::pow((t - 0.45) / 0.22, 2.0)) -
                                         0.22 * smoothstep(0.55, 1.0, t);
                const double turn = upperTurn + (lowerTurn - upperTurn) * lower;
                for (double& ch : lip)
                    ch *= turn;
            }
            // The shade: not a concentric gradient but lit from above through the opening: darkest right
            // under the upper lip, lighter towards the bottom, where the tongue's tip (or the lower teeth)
            // catches a little light in the middle, and only a little darker deep in.
            const double depth = 1.0 - std::clamp(r, 0.0, 1.0);
            const double yN = std::clamp(ey / iy, -1.0, 1.0);
            const double across = std::clamp(dx / ha, -1.0, 1.0);
            const double tip = std::exp(-std::pow((yN - 0.55) / 0.3, 2.0) - std::pow(across / 0.5, 2.0));
            const double luma =
                shadeLuma * (0.5 + 0.5 * smoothstep(-0.9, 0.3, yN)) *
                (1.0 + 0.35 * smoothstep(0.1, 0.9, yN) + kTip * tip) *
                (1.1 - 0.25 * smoothstep(0.2, 0.9, depth)) *
                // (Blotched at the opening's own scale: an even dark fill read as a drawn disc.)
                (1.0 + blotch * (0.5 * std::sin(3.1 * across + 1.7 * yN + 0.6) +
                                 0.5 * std::sin(-2.3 * across + 2.9 * yN + 2.2)));
            // (Near the rim the lips' inner surface in shade, in their own hue, and so is the tongue's tip;
            // elsewhere the red-brown of a photographed gap: red-brown all the way out was a red ring round
            // pale lips.)
            const double ownHue = std::max(1.0 - smoothstep(0.15, 0.6, depth), tip);
            double inner[3];
            for (int k = 0; k < 3; ++k)
                inner[k] = luma * (kWarm[k] + (m_lipColour[k] / lipLuma - kWarm[k]) * ownHue);
            const double g = (1.0 - lipShare) * grainOf(l.x - mouthCentre.x, l.y - mouthCentre.y,
                                                        static_cast<int>(std::lround(l.x)),
                                                        static_cast<int>(std::lround(l.y)));
            for (int k = 0; k < 3; ++k)
                out[x][k] = float(inner[k] + (lip[k] - inner[k]) * lipShare + g);
        }
    }
    if (soften) {
        cv::GaussianBlur(layer, layer, cv::Size(), layerSigma);
        if (sigma > 0.3)
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
