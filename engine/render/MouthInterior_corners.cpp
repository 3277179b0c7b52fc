// MouthInterior::buccalCorridor and softenCorners (split from MouthInterior.cpp): the corners of a sharp
// portrait's opening with atlas teeth, as photographs show them.
#include "MouthInterior.h"
#include "Smoothstep.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>

namespace avatar {

double MouthInterior::corridorWeight(double s, double rim) const {
    // (From a little past the middle of each half out: the side teeth turn away from the camera there.)
    return rim * smoothstep(0.45, 0.95, std::abs(s));
}

double MouthInterior::cornerReach(double s, double upperEdge, double upperLip, double lowerLip, double crown,
                                  double rim) const {
    // In a photographed open smile the upper row goes on nearly to the corners (premolars, turning away and
    // darkening into the shade, buccalCorridor()), and the shade is only a narrow graded sliver at the very
    // corner. The atlas row's smile arc rises there above the opening's upper lip, so it stopped about two
    // thirds of the way out and left an even wedge of shade between the last tooth and the corner: the
    // row's edge is brought down to within the opening, hanging over less of it the nearer the corner, and
    // no further than most of a side tooth's crown (on the widest openings hung over two thirds of the
    // opening's height the corners were filled with teeth).
    const double w = rim * smoothstep(0.45, 0.85, std::abs(s));
    if (w <= 0.0)
        return 0.0;
    const double hang = 0.65 - 0.3 * smoothstep(0.85, 1.02, std::abs(s));
    const double edge = upperLip + std::min(hang * (lowerLip - upperLip), 0.8 * crown);
    return w * std::max(0.0, edge - upperEdge);
}

double MouthInterior::atlasColumn(double s, double rim) const {
    // Past the atlas' last premolars its strip is her dark mouth corners: the row brought on into the
    // corners read there as a grey-brown smear. Read instead back over its premolars, mirrored and
    // foreshortened (they turn away from the camera), not stretched: stretched they were wide white blocks.
    constexpr double kLast = 0.68;
    const double as = std::abs(s);
    if (as <= kLast || rim <= 0.0)
        return s;
    const double folded = std::copysign(kLast - 1.3 * (as - kLast), s);
    return s + (folded - s) * rim;
}

void MouthInterior::buccalCorridor(double s, double b, double upperLip, double lowerLip, double rim,
                                   double shade, Shaded& out) const {
    // Towards the corners of a photographed open mouth the row turns away into the cheeks' shade (the buccal
    // corridor): the teeth darken gradually towards the back instead of ending against one black, and the
    // space beside and below them is shade graded by how far it lies from the lips, whose inner surfaces
    // roll in and catch some light. Drawn as one even near-black wedge with a crisp outline it read as a
    // lens-shaped hole cut in the photo.
    const double w = corridorWeight(s, rim);
    if (w <= 0.0)
        return;
    const double as = std::abs(s);
    double* rgb = out.rgb;
    const double lipGrey = 0.299 * m_lipColour[0] + 0.587 * m_lipColour[1] + 0.114 * m_lipColour[2];
    // The teeth (what is not dark space): darker the further back, keeping their own texture.
    const double teeth = 1.0 - out.cavity;
    const double back = smoothstep(0.55, 1.05, as);
    // (Warmer as they darken, in the light the cheeks' inside and lips throw: dimmed evenly they were a
    // cool grey there.)
    static constexpr double kInShade[3] = {0.85, 1.0, 1.2};
    for (int k = 0; k < 3; ++k)
        rgb[k] *= 1.0 - 0.35 * kInShade[k] * back * rim * teeth;
    // The dark space: lighter next to either lip (their wet inner surfaces rolling in, in the lips' hue),
    // darkest only in its middle and in the very corner, where the lips meet.
    const double fromLip = std::max(0.0, std::min(b - upperLip, lowerLip - b));
    const double roll = 1.0 - smoothstep(0.0, std::max(3.0 * m_edge, 0.03 * m_iod), fromLip);
    const double meet = smoothstep(0.92, 1.1, as);
    // (And darker the further back along the row, as the teeth are.)
    // (Blotched like the rest of the cavity, a little less: one flat fill reads as paint.)
    const double luma =
        m_cheekLuma * (0.33 - 0.06 * back + 0.1 * roll * (1.0 - 0.6 * meet)) * (1.0 + 0.6 * (shade - 1.0));
    for (int k = 0; k < 3; ++k) {
        // (A third each of the lips' hue, a photographed gap's red-brown and grey: the cheeks' inside in
        // shade is browner and greyer than the lips; as red as the gap's it read as a flap of lip.)
        static constexpr double kWarm[3] = {1.75, 0.72, 0.45};
        const double v = luma * (kWarm[k] + m_lipColour[k] / std::max(1.0, lipGrey) + 1.0) / 3.0;
        rgb[k] += (v - rgb[k]) * w * out.cavity;
    }
}

void MouthInterior::softenCorners(const Frame& f, const cv::Mat& inside, const Rect& box,
                                  Image& frame) const {
    // The opening's outline in the corners: the lips' inner edges there are as soft as the photo's other
    // edges, not a one-pixel step from lip to shade (a hole cut out). Blurred across, σ 0.8 of a drawn edge
    // (at least 1 px), over a few pixels either side of the outline, by corridorWeight().
    const double rim = m_lipGain ? sharpness() * (1.0 - smoothstep(0.5, 0.85, f.pose->round)) : 0.0;
    if (rim <= 0.0)
        return;
    const double sigma = std::max(0.8, 0.55 * m_edge);
    cv::Mat in = inside > 127, out = inside <= 127, toEdgeIn, toEdgeOut;
    cv::distanceTransform(in, toEdgeIn, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    cv::distanceTransform(out, toEdgeOut, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    cv::Mat region = cv::Mat(frame.height(), frame.width(), CV_8UC3,
                             frame.data())(cv::Rect(box.x, box.y, box.width, box.height));
    cv::Mat blurred;
    cv::GaussianBlur(region, blurred, cv::Size(), sigma);
    for (int y = 0; y < box.height; ++y) {
        const float* di = toEdgeIn.ptr<float>(y);
        const float* dout = toEdgeOut.ptr<float>(y);
        const std::uint8_t* b = blurred.ptr<std::uint8_t>(y);
        std::uint8_t* row = region.ptr<std::uint8_t>(y);
        for (int x = 0; x < box.width; ++x) {
            const double d = std::max(di[x], dout[x]) - 0.5; // from the outline, either side
            const double near = 1.0 - smoothstep(0.5 * sigma, 2.0 * sigma, d);
            if (near <= 0.0)
                continue;
            const double dx = box.x + x + 0.5 - f.centre.x, dy = box.y + y + 0.5 - f.centre.y;
            const double w = near * corridorWeight((dx * f.u.x + dy * f.u.y) / m_halfWidth, rim);
            if (w <= 0.0)
                continue;
            for (int k = 0; k < 3; ++k)
                row[x * 3 + k] = static_cast<std::uint8_t>(
                    std::lround(row[x * 3 + k] + (b[x * 3 + k] - row[x * 3 + k]) * w));
        }
    }
}

} // namespace avatar
