// MouthInterior::paint (split from MouthInterior.cpp, which shades one point of the opening): laying one
// frame's opening into the frame, at the photograph's own softness.
#include "MouthInterior.h"
#include "Smoothstep.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>

namespace avatar {
namespace {

// A photographed gap's colour over its luma: a red-brown (face-api's sample5, the astronaut's own corners).
constexpr double kWarm[3] = {1.75, 0.72, 0.45};
constexpr double kOwnRim = 0.6;

} // namespace

double MouthInterior::darkWeight() const {
    // (Only where the photo is soft enough for the blur in paint(): drawn sharp, a dark gap is a black line.
    // Below it, as on the lip-sync test's 512x512 frames at 1.75x, every change of the gap's brightness moved
    // the test's landmark detector, docs/QUALITY.md.)
    return smoothstep(1.35, 1.75, m_softness);
}

double MouthInterior::sizeWeight() const {
    return smoothstep(85.0, 105.0, m_iod);
}

double MouthInterior::tongueInShade(double gap) const {
    return darkWeight() * (1.0 - smoothstep(0.05 * m_iod, 0.14 * m_iod, gap));
}

Image MouthInterior::highPass(const Image& photo) const {
    Image out(photo.width(), photo.height());
    const cv::Mat in(photo.height(), photo.width(), CV_8UC3, const_cast<std::uint8_t*>(photo.data()));
    cv::Mat full, low;
    in.convertTo(full, CV_32FC3);
    cv::GaussianBlur(full, low, cv::Size(), std::max(0.3, blurSigma()));
    // (Twice the difference, about 128: the lip's detail is a few levels, and 8 bits would round it off.)
    cv::Mat high(photo.height(), photo.width(), CV_8UC3, out.data()); // (writes into `out`)
    cv::Mat((full - low) * 2.0).convertTo(high, CV_8UC3, 1.0, 128.0);
    return out;
}

void MouthInterior::lowerLipInside(double s, double b, double top, double lowerLip, double upperLip,
                                   double c[3], Shaded& out) const {
    const double as = std::abs(s);
    const double rise = darkWeight() * smoothstep(0.25, 0.9, as);
    if (rise <= 0.0)
        return;
    // (Overlapping the teeth's edge by the photo's softness, so that no seam of cavity is left; past the
    // photo's own teeth, in the very corners, up to the upper lip.)
    double line = lowerLip - (lowerLip - top + m_edge) * rise;
    line += (std::min(line, upperLip) - line) * smoothstep(1.0, 1.15, as) * rise;
    const double cover = std::clamp((b - line) / m_edge + 0.5, 0.0, 1.0);
    if (cover <= 0.0)
        return;
    // The lip itself as it shows outside the opening (the opening's outline there runs below the lip's
    // real inner edge), a little darker towards the dark space. Its texture is the photo's lower lip read
    // from its inner edge down at the lip's own scale, lip lines and all (one row of it stretched over the
    // corner, half of it the lips' mean colour, was a smooth strip, paler than the lip beside it).
    double inner[3];
    const double t = std::clamp((b - line) / std::max(1.0, lowerLip - line), 0.0, 1.0);
    const double across = std::clamp(s * 0.9, -0.95, 0.95);
    // (Where the risen lip is taller than half her lip's thickness, in the corners, it is read squeezed
    // into her lip's inner part, so it does not run into her lip's outer edge, where the read is clamped
    // to one row.)
    const double perPixel =
        std::min(1.0 / std::max(1.0, m_lowerLip->heightAt(across)), 0.55 / std::max(1.0, lowerLip - line));
    const double tex = std::clamp(0.1 + (b - line) * perPixel, 0.1, 0.8);
    m_lowerLip->sample(across, tex, inner);
    const double light = 0.8 + 0.2 * smoothstep(0.0, 1.0, t);
    // (In the very corners, where shade() darkens it, the lips' fold is a warm red-brown, not a grey mauve.)
    const double fold = 0.6 * smoothstep(0.7, 1.1, as);
    double lip[3];
    for (int k = 0; k < 3; ++k)
        lip[k] = (0.85 * inner[k] + 0.15 * m_lipColour[k]) * light;
    const double luma = 0.299 * lip[0] + 0.587 * lip[1] + 0.114 * lip[2];
    static constexpr double kFold[3] = {1.45, 0.8, 0.62};
    // Towards the corners the lip meets the teeth in shade: the photo's dark corner (the side teeth in the
    // cheeks' shadow) runs on along the lip's edge and thins out, as it does in her photograph, instead of
    // stopping on a lip drawn straight against the teeth.
    // (Widest in the very corner, where the photo's dark wedge is, thinning out towards the lower teeth.)
    const double reachDown = m_edge * (1.0 + 3.5 * smoothstep(0.7, 1.05, as));
    const double corner =
        darkWeight() * smoothstep(0.5, 0.9, as) * (1.0 - smoothstep(0.0, reachDown, b - line));
    const double shadeLuma = 0.3 * m_cheekLuma;
    for (int k = 0; k < 3; ++k) {
        const double v = lip[k] + (luma * kFold[k] - lip[k]) * fold;
        c[k] += (v + (shadeLuma * kWarm[k] - v) * 0.85 * corner - c[k]) * cover;
    }
    // The photo's own lip lines and grain in it, which paint()'s blur would smooth away: its high-pass at
    // the blur's scale, read where the texture was, at the amplitude of her lip beside it (less in the
    // corners' shade).
    if (m_lowerLipDetail) {
        double high[3];
        m_lowerLipDetail->sample(across, tex, high);
        for (int k = 0; k < 3; ++k)
            out.detail[k] = 0.5 * (high[k] - 128.0) * (1.0 - 0.85 * corner) * cover;
    }
    // (Blurred with the dark space, to the photo's softness: drawn at the frame's resolution its edges,
    // against the skin and the teeth, were sharper than anything in the enlarged photo.)
    out.cavity += (0.5 - out.cavity) * cover;
    out.synthetic += (1.0 - out.synthetic) * cover;
    out.lip = cover;
}

void MouthInterior::warmCorner(double s, double synthetic, double rgb[3]) const {
    // (The contact shadow darkens a lip's pink into a grey mauve; shade in a photographed mouth's corners is
    // a red-brown, the astronaut's own corners (80,23,11) and (47,12,6).)
    const double weight = synthetic * darkWeight() * smoothstep(0.6, 1.0, std::abs(s));
    if (weight <= 0.0)
        return;
    const double luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    const double amount = weight * (1.0 - smoothstep(0.3 * m_cheekLuma, 0.7 * m_cheekLuma, luma));
    for (int k = 0; k < 3; ++k)
        rgb[k] += (luma * kWarm[k] - rgb[k]) * amount;
}

void MouthInterior::darkenCavity(double s, double gap, double depth, double shade, double c[3]) const {
    // (A slit only a pixel or two of the photograph tall cannot be dark in it: its blur mixes in the teeth.)
    const double weight = darkWeight() * smoothstep(0.4 * m_softness, 1.2 * m_softness, gap);
    if (weight <= 0.0)
        return;
    const double as = std::abs(s);
    const double luma = m_cheekLuma * (0.11 - 0.05 * depth) * (1.0 - 0.4 * smoothstep(0.3, 0.95, as)) * shade;
    for (int k = 0; k < 3; ++k)
        c[k] += (luma * kWarm[k] - c[k]) * weight;
}

void MouthInterior::deepenCavity(double gap, double open, double depth, double rim, double shade,
                                 double c[3]) const {
    // On a sharp portrait with the rows well apart the space between them is deep shade, as photographs of
    // open mouths show it (face-api's sample5: a red-brown crescent at 0.1-0.4 of the cheek's luma). Lit in
    // the lips' red-brown under a lit tongue, it read as a second lower lip between the rows.
    // (On the smaller openings, C, E and H, from a narrow gap on: rows a little apart showed a red-brown
    // band between them at 0.4-0.5 of the cheek, lit like a strip of lip; a sharp photo shows that slit in
    // shade too. Not on the widest, D, whose rows converge towards the corners: there it made the corners
    // near-black.)
    const double narrow =
        0.8 * smoothstep(0.012 * m_iod, 0.04 * m_iod, gap) * (1.0 - smoothstep(0.22, 0.3, open));
    const double weight = 0.85 * rim * std::max(smoothstep(0.05 * m_iod, 0.14 * m_iod, gap), narrow);
    if (weight <= 0.0)
        return;
    // (Darkest in the deep middle, lighter towards the teeth, tongue and lips around it, which throw light
    // in.)
    const double luma = m_cheekLuma * (0.27 - 0.1 * depth) * shade;
    const double grey = std::max(1.0, 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
    // (Half the lips' hue, half a photographed gap's: the lips' mauve, this dark, reads as paint.)
    // (And, on the smaller openings, half of it grey: between rows a little apart it was a maroon
    // stroke from side to side; photographed, that slit is a brown-grey shade.)
    const double neutral = 0.5 * (1.0 - smoothstep(0.22, 0.3, open));
    for (int k = 0; k < 3; ++k)
        c[k] += (luma * ((0.5 - 0.5 * neutral) * (kWarm[k] + c[k] / grey) + neutral) - c[k]) * weight;
}

void MouthInterior::openSmile(double a, double b, double upperEdge, double height, double shade,
                              double weight, double c[3]) const {
    if (weight <= 0.0)
        return;
    // A sharp photo's own smile with the jaw well dropped: the cavity was the lips' red-brown at one
    // darkness from corner to corner, edged crisply by both rows, a drawn stroke. In a photographed open
    // mouth it is deepest in the middle, at the back (the throat, above the tongue's front), lighter towards
    // the corners (the cheeks' inside catches light there) and in darker and lighter pockets along the row.
    const double as = std::abs(a) / m_halfWidth;
    const double across = std::clamp((b - upperEdge) / height, 0.0, 1.0);
    // (On an enlarged photo, the astronaut's, deep over the middle half and deeper: its gap is a few of the
    // photo's pixels tall, and paint()'s blur lifts what is drawn there towards the teeth around it.)
    const double dark = darkWeight();
    const double back = smoothstep(0.15 - 0.3 * dark, 0.8 - 0.2 * dark, 1.0 - as);
    const double low = smoothstep(0.0, 0.4 - 0.1 * dark, across) * (1.0 - 0.4 * smoothstep(0.6, 1.0, across));
    const double luma = m_cheekLuma * (0.42 - (0.32 + 0.1 * dark) * back * low) * shade;
    const double grey = std::max(1.0, 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]);
    double deep[3];
    for (int k = 0; k < 3; ++k)
        deep[k] = luma * 0.5 * (kWarm[k] + c[k] / grey);
    // Right under the upper teeth their translucent edge and the light it lets through: her teeth's own
    // colour, darkening into the shade over a few of the photo's softest edges (at most 0.45 of the gap),
    // so the teeth end softly.
    double teeth[3];
    samplePhoto(a, lookup(m_teethEnd, a) - 1.5 * m_edge, teeth);
    // (On an enlarged photo shorter, paint()'s blur softens it as much again, and the gap is darker.)
    // (Longer under each crown's middle, whose translucent edge lets light through, than where two meet,
    // and no two teeth alike: of one length along the row, the shade's upper edge ran parallel to the
    // teeth's, cut.)
    const double crown = std::clamp(toSeparation(a) / (0.035 * m_iod), 0.0, 1.0);
    const double ramp =
        std::min(std::max(2.5 * m_edge, 0.03 * m_iod), (0.45 - 0.25 * dark) * height) *
        (1.0 + dark * (0.6 * crown * (0.6 + 0.4 * std::sin(a / (0.043 * m_iod) + 0.7)) - 0.35));
    const double under = 1.0 - smoothstep(-0.5 * m_edge, ramp, b - upperEdge);
    static constexpr double kTint[3] = {1.02, 0.94, 0.88}; // (warm: the dentine and the shade behind)
    for (int k = 0; k < 3; ++k) {
        const double v = deep[k] + (teeth[k] * 0.65 * kTint[k] - deep[k]) * under * under;
        c[k] += (v - c[k]) * weight;
    }
}

void MouthInterior::uncrease(const Frame& f, const cv::Mat& inside, const Rect& box, double width,
                             Image& frame) const {
    // A photo whose lips are closed has them darken into the crease where they meet. Opening the mouth
    // warps that edge onto each lip's inner edge, where on a sharp photo (nothing blurs the opening's rim)
    // it read as a pen-line drawn along the upper teeth; in a photographed open mouth the lips meet the teeth
    // directly. So next to the opening each lip is read `width` px further out, its own texture moved in
    // over the crease's shade. (Not on a pucker, F; not on a photo with its own teeth, whose lips were
    // apart.)
    const double upperNow = lookup(f.upperLip, 0.0), lowerNow = lookup(f.lowerLip, 0.0);
    const double weight = (m_ownTeeth ? 0.0 : sharpness()) * (1.0 - smoothstep(0.5, 0.85, f.pose->round)) *
                          smoothstep(1.0, 4.0, lowerNow - upperNow);
    if (weight <= 0.0)
        return;
    cv::Mat outside = inside < 255, distance;
    cv::distanceTransform(outside, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    const cv::Mat before = cv::Mat(frame.height(), frame.width(), CV_8UC3,
                                   frame.data())(cv::Rect(box.x, box.y, box.width, box.height))
                               .clone();
    for (int y = 0; y < box.height; ++y) {
        const float* d = distance.ptr<float>(y);
        std::uint8_t* row = frame.row(box.y + y) + box.x * 3;
        for (int x = 0; x < box.width; ++x) {
            const double w = weight * (1.0 - smoothstep(width, 2.5 * width, d[x]));
            if (d[x] <= 0.0f || w <= 0.0)
                continue;
            // Which lip: above or below the middle of the opening at this column, in the mouth's frame.
            const double dx = box.x + x + 0.5 - f.centre.x, dy = box.y + y + 0.5 - f.centre.y;
            const double a = dx * f.u.x + dy * f.u.y, b = dx * f.v.x + dy * f.v.y;
            const double out = b < 0.5 * (lookup(f.upperLip, a) + lookup(f.lowerLip, a)) ? -width : width;
            const double sx = x + out * f.v.x, sy = y + out * f.v.y;
            const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
            if (x0 < 0 || y0 < 0 || x0 + 1 >= box.width || y0 + 1 >= box.height)
                continue;
            const double fx = sx - x0, fy = sy - y0;
            const std::uint8_t* p0 = before.ptr<std::uint8_t>(y0) + x0 * 3;
            const std::uint8_t* p1 = before.ptr<std::uint8_t>(y0 + 1) + x0 * 3;
            for (int k = 0; k < 3; ++k) {
                const double v =
                    (p0[k] * (1 - fx) + p0[k + 3] * fx) * (1 - fy) + (p1[k] * (1 - fx) + p1[k + 3] * fx) * fy;
                row[x * 3 + k] =
                    static_cast<std::uint8_t>(std::lround(row[x * 3 + k] + (v - row[x * 3 + k]) * w));
            }
        }
    }
}

void MouthInterior::paintOpening(const std::vector<PointF>& vertices, const MouthParams& pose,
                                 Image& frame) const {
    const std::vector<PointF> curve = FaceRig::innerLipOutline(vertices);
    constexpr int kShift = 4; // 1/16 pixel fixed point for an anti-aliased fill
    constexpr double kOne = 1 << kShift;
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
    if (std::abs(cv::contourArea(poly)) / (kOne * kOne) < 1.0)
        return; // closed: the lips meet
    // What is drawn here is worked out at the frame's resolution, but an enlarged photograph resolves
    // nothing finer than its own pixels enlarged: a gap between the rows a pixel or two wide, drawn sharp,
    // read as a dark line under the teeth, outlined, where the photograph would show a soft shade. So the
    // drawn part is blurred to the photo's softness (the lips around it included, so the opening's rim is
    // as soft as theirs); the portrait's own teeth stay as they are except next to what is drawn.
    // (A sharp photo's own teeth are as soft as its optics and focus made them, about a drawn edge's width:
    // the shade drawn between them and the lower row, at the frame's resolution, was a crisp line beside
    // them. Not on a pucker, F.)
    const double own = 0.7 * m_edge * smileWeight() * (1.0 - smoothstep(0.5, 0.85, pose.round));
    const double sigma = std::max(1.5 * (m_softness - 1.2), own);
    const bool soften = sigma > 0.3;
    const int margin = soften ? static_cast<int>(std::ceil(4.0 * sigma)) : 0; // (OpenCV's kernel: 4 sigma)
    // (And over the lips' inner edges, where uncrease() reads them further out.)
    const double creaseWidth = std::max(1.5, 0.015 * m_iod);
    const int pad = std::max(margin, static_cast<int>(std::ceil(3.0 * creaseWidth)));
    const Rect box =
        Rect{static_cast<int>(std::floor(minX)) - 1 - pad, static_cast<int>(std::floor(minY)) - 1 - pad,
             static_cast<int>(std::ceil(maxX - minX)) + 3 + 2 * pad,
             static_cast<int>(std::ceil(maxY - minY)) + 3 + 2 * pad}
            .intersected(m_rig.region());
    if (box.isEmpty())
        return;
    for (auto& p : poly)
        p -= cv::Point(box.x << kShift, box.y << kShift);
    cv::Mat inside = cv::Mat::zeros(box.height, box.width, CV_8UC1);
    cv::fillPoly(inside, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(255), cv::LINE_AA, kShift);
    cv::Mat alpha = inside.clone();
    if (m_edge > 1.2) {
        // A soft photo's lips have soft inner edges: fade the interior in over the edge's width, inside the
        // outline only (outside it the lips stay as warped), into the sealed lips beneath.
        // (On a sharp photo's own smile over a wider ramp, `own`: her teeth's pale end against the lip,
        // where the mirrored crowns meet the corner's lip, ended on a crisp outline, as the rim did along
        // the lower lip; the photo's own teeth meet her lips over two or three pixels.)
        cv::Mat soft;
        cv::GaussianBlur(inside, soft, cv::Size(), 0.5 * m_edge + kOwnRim * own);
        cv::min(inside, soft, alpha);
    }

    Frame f;
    f.pose = &pose;
    f.head = m_rig.headPose(pose);
    f.centre = f.head.apply(m_centre);
    f.u = f.head.turn(m_rig.alongEyes());
    f.v = f.head.turn(m_rig.downFace());
    auto local = [&](const PointF& p) {
        const double dx = p.x - f.centre.x, dy = p.y - f.centre.y;
        return PointF{dx * f.u.x + dy * f.u.y, dx * f.v.x + dy * f.v.y};
    };
    std::vector<PointF> upper, lower;
    for (std::size_t i = 0; i < curve.size(); ++i)
        (i < FaceRig::kOutlineUpperSamples ? upper : lower).push_back(local(curve[i]));
    lower.push_back(local(curve.front()));
    lower.insert(lower.begin(), local(curve[FaceRig::kOutlineUpperSamples - 1]));
    const int columns = static_cast<int>(m_restUpper.size());
    f.upperLip = tabulateCurve(upper, m_colStart, kStep, columns, false);
    f.lowerLip = tabulateCurve(lower, m_colStart, kStep, columns, true);
    f.jaw = local(vertices[8]).y - m_restChin; // how far the chin dropped, in the skull's frame
    uncrease(f, inside, box, creaseWidth, frame);
    unshadeLowerLip(f, vertices, frame);

    // Where the blur reaches from inside the opening: the interior is continued there too, and only there.
    cv::Mat reach = inside;
    if (soften)
        cv::dilate(inside, reach,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * margin + 1, 2 * margin + 1)));
    // The opening's colour, the share of it that is the dark space and the grain per pixel.
    cv::Mat colour(box.height, box.width, CV_32FC3, cv::Scalar::all(0.0));
    cv::Mat drawn(box.height, box.width, CV_32FC1, cv::Scalar(0.0f));
    cv::Mat grain(box.height, box.width, CV_32FC1, cv::Scalar(0.0f));
    cv::Mat detail; // the photo's detail in the risen lip, where there is any
    if (m_lowerLipDetail && soften)
        detail = cv::Mat(box.height, box.width, CV_32FC3, cv::Scalar::all(0.0));
    for (int y = 0; y < box.height; ++y) {
        const std::uint8_t* m = reach.ptr<std::uint8_t>(y);
        const std::uint8_t* in = inside.ptr<std::uint8_t>(y);
        auto* c = colour.ptr<cv::Vec3f>(y);
        auto* d = drawn.ptr<float>(y);
        auto* g = grain.ptr<float>(y);
        auto* e = detail.empty() ? nullptr : detail.ptr<cv::Vec3f>(y);
        for (int x = 0; x < box.width; ++x) {
            // (Outside the opening only where the blur reaches in: the interior continued, not the lips,
            // whose red blurred into a narrow gap read as a strip of lip under the teeth.)
            if (!m[x])
                continue;
            const PointF l = local({box.x + x + 0.5, box.y + y + 0.5});
            Shaded s;
            shade(f, l.x, l.y, s);
            c[x] = cv::Vec3f(float(s.rgb[0]), float(s.rgb[1]), float(s.rgb[2]));
            d[x] = float(s.cavity);
            // (Where the lower lip rises into the opening, beyond the outline the photo as warped, the skin
            // at the corners: blurred, the lip's edge then fades into it as softly as the photo's own lips'
            // edges, instead of ending on the outline in one pixel.)
            const double beyond = s.lip * (1.0 - in[x] / 255.0);
            if (beyond > 0.0) {
                const std::uint8_t* p = frame.row(box.y + y) + (box.x + x) * 3;
                for (int k = 0; k < 3; ++k)
                    c[x][k] += (float(p[k]) - c[x][k]) * float(beyond);
                d[x] = std::max(d[x], float(0.5 * beyond));
            }
            if (e && s.lip > 0.0)
                for (int k = 0; k < 3; ++k)
                    e[x][k] = float(s.detail[k] * (1.0 - beyond));
            g[x] = float(s.grain * grainOf(l.x, l.y, static_cast<int>(std::lround(l.x)),
                                           static_cast<int>(std::lround(l.y))));
        }
    }
    cv::Mat blurred, near;
    if (soften) {
        cv::GaussianBlur(colour, blurred, cv::Size(), sigma);
        // (Where the portrait's own teeth border what is drawn, both sides soften: the edge between them.)
        cv::GaussianBlur(drawn, near, cv::Size(), sigma);
        near *= 2.0;
    }

    const double warm = 0.7 * darkWeight(), dark = 0.3 * m_cheekLuma;
    for (int y = 0; y < box.height; ++y) {
        const std::uint8_t* a = alpha.ptr<std::uint8_t>(y);
        const auto* c = colour.ptr<cv::Vec3f>(y);
        const auto* g = grain.ptr<float>(y);
        const cv::Vec3f* b = soften ? blurred.ptr<cv::Vec3f>(y) : nullptr;
        const float* w = soften ? near.ptr<float>(y) : nullptr;
        const auto* e = detail.empty() ? nullptr : detail.ptr<cv::Vec3f>(y);
        std::uint8_t* row = frame.row(box.y + y) + box.x * 3;
        for (int x = 0; x < box.width; ++x) {
            if (!a[x])
                continue;
            double v[3];
            for (int k = 0; k < 3; ++k) {
                v[k] = c[x][k];
                if (b)
                    v[k] += (b[x][k] - v[k]) * std::min(1.0f, w[x]);
                // (What the blur took out of the risen lip's own detail, given back.)
                if (e)
                    v[k] += e[x][k] * std::min(1.0f, w[x]);
            }
            if (b && warm > 0.0) {
                // The blur mixes the neutral teeth into the dark gap, which then read as a grey line; a
                // photographed gap stays warm (a red-brown) as it darkens. Its luma kept, only where dark.
                const double luma = 0.299 * v[0] + 0.587 * v[1] + 0.114 * v[2];
                const double amount =
                    warm * std::min(1.0f, w[x]) * (1.0 - smoothstep(dark, 2.6 * dark, luma));
                for (int k = 0; k < 3; ++k)
                    v[k] += (luma * kWarm[k] - v[k]) * amount;
            }
            for (int k = 0; k < 3; ++k) {
                const int u = static_cast<int>(std::lround(std::clamp(v[k] + g[x], 0.0, 255.0)));
                row[x * 3 + k] =
                    static_cast<std::uint8_t>((row[x * 3 + k] * (255 - a[x]) + u * a[x] + 127) / 255);
            }
        }
    }
    softenCorners(f, inside, box, frame);
}

} // namespace avatar
