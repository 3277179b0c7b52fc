// MouthInterior's work on the portrait's own lips (split from MouthInterior.cpp, which draws the opening):
// fitting a smile's inner-lip points to its teeth and sealing the lips over them for closed shapes.
#include "MouthInterior.h"
#include "Smoothstep.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>

namespace avatar {
namespace {

double luma(const std::uint8_t* p) {
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

} // namespace

FaceLandmarks MouthInterior::fitInnerLipsToTeeth(const Image& image, const FaceLandmarks& face) {
    const double iod = face.interOcular();
    if (!(iod > 4.0))
        return face;
    const PointF r = face.rightEyeCenter(), l = face.leftEyeCenter();
    const PointF u{(l.x - r.x) / iod, (l.y - r.y) / iod};
    const PointF dn{-u.y, u.x};
    // The cheeks' brightness, as in cheekStats, from the landmarks directly.
    std::vector<double> cheeks;
    const int rad = std::max(2, static_cast<int>(0.08 * iod));
    for (const auto& [jaw, nose] : {std::pair{2, 31}, std::pair{14, 35}}) {
        const int cx = static_cast<int>((face.points[jaw].x + face.points[nose].x) / 2);
        const int cy = static_cast<int>((face.points[jaw].y + face.points[nose].y) / 2);
        for (int y = cy - rad; y <= cy + rad; ++y)
            for (int x = cx - rad; x <= cx + rad; ++x)
                if (image.rect().contains(x, y))
                    cheeks.push_back(luma(image.row(y) + x * 3));
    }
    if (cheeks.empty())
        return face;
    std::nth_element(cheeks.begin(), cheeks.begin() + static_cast<long>(cheeks.size() / 2), cheeks.end());
    const double cheek = cheeks[cheeks.size() / 2];
    // Teeth are bright and nearly colourless; lips can be as bright but are redder.
    auto toothLike = [&](double x, double y, double chroma) {
        double rgb[3];
        sampleBilinear(image, x, y, rgb);
        const double l = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
        const double mx = std::max({rgb[0], rgb[1], rgb[2]}), mn = std::min({rgb[0], rgb[1], rgb[2]});
        return l >= 0.7 * cheek && (mx - mn) <= chroma * mx;
    };
    // Only a mouth whose centre line between the inner lips is mostly teeth.
    const PointF top = face.points[62], bottom = face.points[66];
    int teeth = 0, samples = 0;
    for (double t = 0.2; t <= 0.8; t += 0.1, ++samples)
        for (int i : {61, 62, 63}) {
            const PointF a = face.points[i], b = face.points[i == 61 ? 67 : i == 62 ? 66 : 65];
            teeth += toothLike(a.x + (b.x - a.x) * t + 0.5, a.y + (b.y - a.y) * t + 0.5, 0.4) ? 1 : 0;
        }
    if (std::hypot(bottom.x - top.x, bottom.y - top.y) < 2.0 || teeth < samples * 3 / 2)
        return face;
    FaceLandmarks out = face;
    for (const auto& [i, outer] : {std::pair{61, 50}, std::pair{62, 51}, std::pair{63, 52}, std::pair{65, 56},
                                   std::pair{66, 57}, std::pair{67, 58}}) {
        // Walk from the point outwards (up for the upper lip, down for the lower) while the pixels are teeth,
        // never further than a third of the way to the lip's outer edge (the lip keeps its thickness).
        const PointF p = face.points[i], o = face.points[outer];
        const double sign = i < 64 ? -1.0 : 1.0;
        const double thickness = std::abs((o.x - p.x) * dn.x + (o.y - p.y) * dn.y);
        const double reach = std::min(0.05 * iod, thickness / 3.0);
        double moved = 0.0;
        for (double d = 0.5; d <= reach; d += 0.5) {
            if (!toothLike(p.x + sign * d * dn.x + 0.5, p.y + sign * d * dn.y + 0.5, 0.3))
                break;
            moved = d;
        }
        out.points[i] = {p.x + sign * moved * dn.x, p.y + sign * moved * dn.y};
    }
    return out;
}

void MouthInterior::sealLips(Image& background) const {
    if (!m_ownTeeth)
        return;
    const PointF u = m_rig.alongEyes(), dn = m_rig.downFace();
    const std::vector<PointF>& rest = m_rig.restVertices();
    const double lipLuma = 0.299 * m_lipColour[0] + 0.587 * m_lipColour[1] + 0.114 * m_lipColour[2];
    // What is not lip inside the lips' outline: teeth (bright and colourless) and the dark gaps beside them
    // at the corners of a smile. Both lie partly outside the inner-lip landmarks, inside the lips' own mesh
    // triangles, so they would be warped into a closed mouth as a sliver of teeth or a dark wedge.
    // Lips are told apart by their redness (red over green), which teeth, their grey shade in the corners
    // and the dark gaps lack, however bright or pale the lips are.
    // (Measured as the 80th percentile over the lips' outline: the lips are the reddest there, and the mean
    // lip colour can hold some of a smile's teeth.)
    double lipRedness = (m_lipColour[0] - m_lipColour[1]) / std::max(1.0, m_lipColour[0]);
    auto notLip = [&](const double* rgb) {
        const double l = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
        const double mx = std::max({rgb[0], rgb[1], rgb[2]}), mn = std::min({rgb[0], rgb[1], rgb[2]});
        return (l >= 0.6 * m_cheekLuma && (mx - mn) <= 0.3 * mx) || l < 0.55 * lipLuma ||
               (rgb[0] - rgb[1]) < 0.5 * lipRedness * std::max(1.0, rgb[0]);
    };
    // Where to look: the opening widened part of the way to the lips' outer edge (the teeth and the dark
    // corners reach past the inner-lip landmarks, never past the lips). Skin stays out: it is as pale as
    // teeth.
    auto toPhoto = [&](const PointF& p) {
        return cv::Point(static_cast<int>(std::lround(p.x - m_photoOrigin.x)),
                         static_cast<int>(std::lround(p.y - m_photoOrigin.y)));
    };
    auto between = [&](int inner, int outer, double t) {
        const PointF a = rest[static_cast<std::size_t>(inner)], b = rest[static_cast<std::size_t>(outer)];
        return PointF{a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
    };
    std::vector<cv::Point> region, outline;
    // (Detectors often put a smile's inner corners too far in, so the region bulges there, towards the
    // outer lip points beside the corners.)
    auto near = [&](int corner, int inner, int outer, double t) {
        const PointF m{
            (rest[static_cast<std::size_t>(corner)].x + rest[static_cast<std::size_t>(inner)].x) * 0.5,
            (rest[static_cast<std::size_t>(corner)].y + rest[static_cast<std::size_t>(inner)].y) * 0.5};
        const PointF o = rest[static_cast<std::size_t>(outer)];
        return PointF{m.x + (o.x - m.x) * t, m.y + (o.y - m.y) * t};
    };
    region = {
        toPhoto(between(60, 48, 0.8)),  toPhoto(near(60, 61, 49, 0.45)), toPhoto(between(61, 50, 0.45)),
        toPhoto(between(62, 51, 0.45)), toPhoto(between(63, 52, 0.45)),  toPhoto(near(64, 63, 53, 0.45)),
        toPhoto(between(64, 54, 0.8)),  toPhoto(near(64, 65, 55, 0.6)),  toPhoto(between(65, 56, 0.45)),
        toPhoto(between(66, 57, 0.45)), toPhoto(between(67, 58, 0.45)),  toPhoto(near(60, 67, 59, 0.6))};
    for (int i = 48; i <= 59; ++i)
        outline.push_back(toPhoto(rest[static_cast<std::size_t>(i)]));
    cv::Mat search = cv::Mat::zeros(m_photo.height(), m_photo.width(), CV_8UC1);
    cv::fillPoly(search, std::vector<std::vector<cv::Point>>{region}, cv::Scalar(255));
    cv::Mat lips = cv::Mat::zeros(m_photo.height(), m_photo.width(), CV_8UC1);
    cv::fillPoly(lips, std::vector<std::vector<cv::Point>>{outline}, cv::Scalar(255));
    cv::max(lips, search, lips);
    {
        std::vector<double> redness;
        for (int y = 0; y < m_photo.height(); ++y)
            for (int x = 0; x < m_photo.width(); ++x)
                if (lips.at<std::uint8_t>(y, x)) {
                    const std::uint8_t* p = m_photo.row(y) + x * 3;
                    redness.push_back((p[0] - p[1]) / std::max(1.0, double(p[0])));
                }
        if (!redness.empty()) {
            const auto k = redness.begin() + static_cast<long>(redness.size() * 4 / 5);
            std::nth_element(redness.begin(), k, redness.end());
            lipRedness = std::max(lipRedness, *k);
        }
    }
    auto inLips = [&](double a, double b) {
        const int x = static_cast<int>(std::floor(m_centre.x + a * u.x + b * dn.x - m_photoOrigin.x));
        const int y = static_cast<int>(std::floor(m_centre.y + a * u.y + b * dn.y - m_photoOrigin.y));
        return x >= 0 && y >= 0 && x < lips.cols && y < lips.rows && lips.at<std::uint8_t>(y, x) != 0;
    };
    // Every such pixel becomes lip: the first lip pixel above it blended with the first below it, by
    // distance, as if the lips were closed. The interior draws the teeth back from the kept copy whenever the
    // lips part.
    Image sealed = m_photo;
    cv::Mat filled = cv::Mat::zeros(m_photo.height(), m_photo.width(), CV_8UC1);
    const double reach = 0.5 * m_iod;
    for (int y = 0; y < m_photo.height(); ++y)
        for (int x = 0; x < m_photo.width(); ++x) {
            if (!search.at<std::uint8_t>(y, x))
                continue;
            const double dx = x + 0.5 + m_photoOrigin.x - m_centre.x,
                         dy = y + 0.5 + m_photoOrigin.y - m_centre.y;
            const double a = dx * u.x + dy * u.y, b = dx * dn.x + dy * dn.y;
            double rgb[3];
            samplePhoto(a, b, rgb);
            if (!notLip(rgb))
                continue;
            double above[3], below[3];
            double up = -1.0, down = -1.0;
            for (double d = 0.5; d <= reach && up < 0.0 && inLips(a, b - d); d += 0.5) {
                samplePhoto(a, b - d, above);
                if (!notLip(above))
                    up = d;
            }
            for (double d = 0.5; d <= reach && down < 0.0 && inLips(a, b + d); d += 0.5) {
                samplePhoto(a, b + d, below);
                if (!notLip(below))
                    down = d;
            }
            if (up < 0.0)
                std::copy(m_lipColour, m_lipColour + 3, above), up = down < 0.0 ? 1.0 : down;
            if (down < 0.0)
                std::copy(above, above + 3, below), down = up;
            const double w = up / (up + down);
            std::uint8_t* p = sealed.row(y) + x * 3;
            for (int k = 0; k < 3; ++k)
                p[k] = static_cast<std::uint8_t>(
                    std::lround(std::clamp(above[k] + (below[k] - above[k]) * w, 0.0, 255.0)));
            filled.at<std::uint8_t>(y, x) = 255;
        }
    // Column by column interpolation leaves streaks; soften the filled pixels (only those) so they read as
    // the smooth inside of a lip.
    cv::Mat view(sealed.height(), sealed.width(), CV_8UC3, sealed.row(0), sealed.stride());
    cv::Mat smooth;
    const double sigma = std::max(1.0, 0.012 * m_iod);
    cv::GaussianBlur(view, smooth, cv::Size(), sigma);
    smooth.copyTo(view, filled);
    for (int y = 0; y < m_photo.height(); ++y) {
        const int by = y + static_cast<int>(m_photoOrigin.y);
        if (by < 0 || by >= background.height())
            continue;
        for (int x = 0; x < m_photo.width(); ++x) {
            const int bx = x + static_cast<int>(m_photoOrigin.x);
            if (filled.at<std::uint8_t>(y, x) && bx >= 0 && bx < background.width())
                std::copy_n(sealed.row(y) + x * 3, 3, background.row(by) + bx * 3);
        }
    }
}

void MouthInterior::softenSeam(const std::vector<PointF>& vertices, const MouthParams& pose,
                               Image& frame) const {
    const double weight = smileWeight() * (1.0 - smoothstep(0.5, 0.85, pose.round));
    if (weight <= 0.0)
        return;
    // Closed, the warp puts the upper lip's inner rim right against the lower lip's, each the photo's own
    // pixels, so they meet on a step no blur spans: a thin crisp line (with a pale ridge where the upper
    // rim catches light), sharper than the photo around it. A photographed closed mouth's seam is as soft as
    // the photo: here it is blurred across, over a few pixels each side, wherever the lips meet (fading out
    // as they part by a pixel or two, where paint() draws the opening).
    const std::vector<PointF> curve = FaceRig::innerLipOutline(vertices);
    const std::size_t n = FaceRig::kOutlineUpperSamples;
    auto along = [](const std::vector<PointF>& line, double x, double& y) {
        for (std::size_t i = 0; i + 1 < line.size(); ++i) {
            const PointF &p = line[i], &q = line[i + 1];
            if ((x - p.x) * (x - q.x) <= 0.0 && std::abs(q.x - p.x) > 1e-9) {
                y = p.y + (q.y - p.y) * (x - p.x) / (q.x - p.x);
                return true;
            }
        }
        return false;
    };
    const std::vector<PointF> upper(curve.begin(), curve.begin() + static_cast<long>(n));
    std::vector<PointF> lower(curve.begin() + static_cast<long>(n) - 1, curve.end());
    lower.push_back(curve.front());
    const double sigma = std::max(1.0, 0.8 * m_edge);
    const int reach = static_cast<int>(std::ceil(2.5 * sigma)), band = reach + 2;
    std::vector<double> kernel(static_cast<std::size_t>(2 * reach + 1));
    double total = 0.0;
    for (int i = -reach; i <= reach; ++i)
        total += kernel[static_cast<std::size_t>(i + reach)] = std::exp(-0.5 * (i / sigma) * (i / sigma));
    const Rect& region = m_rig.region();
    const double x0 = std::min(upper.front().x, upper.back().x),
                 x1 = std::max(upper.front().x, upper.back().x);
    std::vector<double> column;
    for (int x = std::max(region.x, int(std::ceil(x0))); x <= std::min(region.right() - 1, int(x1)); ++x) {
        double top = 0.0, bottom = 0.0;
        if (!along(upper, x + 0.5, top) || !along(lower, x + 0.5, bottom))
            continue;
        // (At the corners too: there the lips meet anyway, and a closed seam runs into them.)
        const double closed = weight * (1.0 - smoothstep(0.8, 2.5, bottom - top));
        if (closed <= 0.0)
            continue;
        const double seam = 0.5 * (top + bottom);
        const int ya = std::max(region.y, int(std::floor(seam)) - band - reach);
        const int yb = std::min(region.bottom() - 1, int(std::ceil(seam)) + band + reach);
        column.assign(static_cast<std::size_t>(3 * (yb - ya + 1)), 0.0);
        for (int y = ya; y <= yb; ++y)
            for (int k = 0; k < 3; ++k)
                column[static_cast<std::size_t>(3 * (y - ya) + k)] = frame.row(y)[x * 3 + k];
        for (int y = ya + reach; y <= yb - reach; ++y) {
            // (Fully over the seam's own pixels, fading out over the band each side.)
            const double w = closed * (1.0 - smoothstep(0.5 * band, double(band), std::abs(y + 0.5 - seam)));
            if (w <= 0.0)
                continue;
            for (int k = 0; k < 3; ++k) {
                double sum = 0.0;
                for (int i = -reach; i <= reach; ++i)
                    sum += kernel[static_cast<std::size_t>(i + reach)] *
                           column[static_cast<std::size_t>(3 * (y + i - ya) + k)];
                const double v = column[static_cast<std::size_t>(3 * (y - ya) + k)];
                frame.row(y)[x * 3 + k] =
                    static_cast<std::uint8_t>(std::lround(std::clamp(v + (sum / total - v) * w, 0.0, 255.0)));
            }
        }
    }
}

} // namespace avatar
