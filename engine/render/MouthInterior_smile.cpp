// MouthInterior on a sharp photo's smile with its own teeth (split from MouthInterior.cpp): where its upper
// teeth really end, and the shade between them and the lower row when the jaw drops a little.
#include "MouthInterior.h"
#include "Smoothstep.h"

#include <algorithm>
#include <cmath>

namespace avatar {
namespace {

// About one tooth's width (a lateral incisor's, 7 mm) in IODs.
constexpr double kToothWidth = 0.11;

} // namespace

double MouthInterior::smileWeight() const {
    // (On a face drawn larger still than sharpness() asks: there her rest opening is many pixels tall and
    // the lower lip's V at the sides a long stroke, while the shade under the teeth is two or three pixels.
    // A face about 90 px between the eyes, the astronaut at 1920x1080 as she is, parts her rows by a pixel
    // and keeps what it had.)
    return m_ownTeeth ? sharpness() * smoothstep(100.0, 125.0, m_iod) : 0.0;
}

void MouthInterior::fitOwnEdge(const std::function<bool(double, double)>& toothBright) {
    const double weight = smileWeight();
    if (weight <= 0.0)
        return;
    // Her teeth's own colour, where the photo shows them in the middle: what teethNotLip() shades.
    {
        double sum[3] = {0.0, 0.0, 0.0};
        int n = 0;
        for (std::size_t c = 0; c < m_teethEnd.size(); ++c) {
            const double a = m_colStart + double(c) * kStep;
            if (std::abs(a) > 0.5 * m_halfWidth)
                continue;
            for (double b = m_restUpper[c] + 1.0; b < m_teethEnd[c] - 1.0; b += 1.0)
                if (toothBright(a, b)) {
                    double rgb[3];
                    samplePhoto(a, b, rgb);
                    for (int k = 0; k < 3; ++k)
                        sum[k] += rgb[k];
                    ++n;
                }
        }
        if (n > 0)
            for (int k = 0; k < 3; ++k)
                m_teethColour[k] = sum[k] / n;
    }
    // The edge so far hangs a fixed lift above the inner lower lip's landmarks, so it follows their V at a
    // smile's sides, where the lower lip covers the teeth: once the jaw drops, the teeth ended in a V drawn
    // along the lip, and the gap under them with it. Real upper teeth end on one smooth arc that rises
    // gently towards the corners (the smile line, the side teeth turning away): hung from the upper lip as
    // far as the photo's teeth reach in the middle, rising by 0.45 of that at the corners. Where the lower
    // lip covered them the teeth are read down to where the photo shows them and continue beyond (samples
    // stop at m_teethEnd).
    const std::size_t mid = static_cast<std::size_t>(std::lround(-m_colStart / kStep));
    const double crown = std::max(1.0, m_incisal[mid] - m_restUpper[mid]);
    for (std::size_t c = 0; c < m_incisal.size(); ++c) {
        const double a = m_colStart + double(c) * kStep, x = std::min(1.0, std::abs(a) / m_halfWidth);
        const double arc =
            std::min(m_restUpper[c] + crown * (1.0 - 0.45 * x * x), m_restLower[c] + 0.04 * m_iod);
        // Detectors put a smile's inner lower lip inside its teeth towards a corner, so the straight outline
        // between two of its points cuts across them: the photo's teeth also end below the landmarks there
        // (bright, and not as red as the lips, followed down past the curve).
        double b = m_teethEnd[c];
        const double limit = std::min(arc, m_restLower[c] + 0.04 * m_iod);
        if (std::abs(a) < 0.95 * m_halfWidth && toothBright(a, b - 0.5))
            while (b < limit && toothBright(a, b))
                b += 0.5;
        m_teethEnd[c] += (b - m_teethEnd[c]) * weight;
        if (arc > m_incisal[c])
            m_incisal[c] += (arc - m_incisal[c]) * weight;
        m_crown[c] = std::max(1.0, m_incisal[c] - m_restUpper[c]);
    }
}

void MouthInterior::narrowGap(double a, double b, double upperEdge, double gap, double rows, double weight,
                              double c[3]) const {
    if (weight <= 0.0)
        return;
    // Between rows only a few pixels apart a photograph shows no black slit: the lower teeth's tips and the
    // lower lip catch light right under the upper teeth, and the photo's own blur mixes the gap with them. So
    // the shade there is her teeth's own colour darkened, by more the wider the rows are apart (darkest only
    // where they really part: `rows`, the rows' distance before the lower tips rise), deepest in the gap's
    // middle, and uneven along the row, in broad pockets of shade. (Where two teeth meet the gap is already
    // taller, the embrasures above and below: darker still there, it was a row of dark beads.)
    double teeth[3];
    samplePhoto(a, lookup(m_teethEnd, a) - 1.5 * m_edge, teeth);
    const double across = std::clamp((b - upperEdge) / std::max(1.0, gap), 0.0, 1.0);
    const double middle = 1.0 - std::abs(2.0 * across - 1.0);
    const double open = smoothstep(0.005 * m_iod, 0.07 * m_iod, rows);
    const double pocket =
        0.5 * (1.0 + std::sin(a / (0.09 * m_iod) + 1.3)) * (0.5 + 0.5 * std::sin(a / (0.037 * m_iod) + 0.4));
    const double dip = std::min(0.7, (0.18 + 0.27 * open) * (0.55 + 0.45 * middle) * (0.9 + 0.3 * pocket));
    // (Warm: the shade behind the teeth is lit by lips and tongue, the dentine's yellow through the enamel.)
    static constexpr double kTint[3] = {1.06, 0.98, 0.9};
    for (int k = 0; k < 3; ++k)
        c[k] += (teeth[k] * (1.0 - dip) * kTint[k] - c[k]) * weight;
}

double MouthInterior::lowerTips(double a, double gap) const {
    if (m_separations.empty() || gap <= 0.0)
        return 0.0;
    // Between rows a few pixels apart a photograph shows the lower incisors' tips right under the upper
    // teeth, touching them or nearly: each crown's rounded tip rises into the gap and the shade stays open
    // only where two of them meet (a dark diamond with the upper row's embrasure above). The lower row is
    // the upper one's crowns mirrored and narrowed (0.88), so its separations are theirs.
    const double d = 0.88 * toSeparation(a / 0.88);
    const double w = std::max(1.5 * m_edge, 0.025 * m_iod);
    const double tip = smoothstep(0.3 * w, 1.5 * w, d);
    // (Only where the gap is narrow: wider apart the rows show a real dark gap.)
    const double narrow = 1.0 - smoothstep(0.03 * m_iod, 0.06 * m_iod, gap);
    return 0.65 * gap * tip * narrow;
}

double MouthInterior::lowerRowInShade(double a, double t, double weight, double tooth[3]) const {
    if (weight <= 0.0)
        return 1.0;
    // Her upper row mirrored, darkened into the mouth's shade as it was, turned her teeth's yellow an olive
    // grey-green, and paint()'s blur (the row lies next to the dark gap) smeared it into one band with no
    // tooth in it. A photographed lower row in shade keeps its teeth: a warm ivory (the dentine, and the
    // light lips and tongue throw back), darker than the upper row, a line where two crowns meet that
    // opens at their rounded tips into a V onto the shade, and a biting edge that catches a little light.
    const double luma = 0.299 * tooth[0] + 0.587 * tooth[1] + 0.114 * tooth[2];
    static constexpr double kIvory[3] = {1.13, 0.97, 0.86};
    for (int k = 0; k < 3; ++k)
        tooth[k] += (luma * kIvory[k] - tooth[k]) * 0.8 * weight;
    double dip = 0.0;
    if (!m_separations.empty()) {
        const double d = 0.88 * toSeparation(a / 0.88);
        // (Faint down the crowns, as her upper row's: drawn as dark down to the lip, they ruled the row.)
        const double tip = smoothstep(0.4, 0.0, t);
        const double w = std::max(0.7 * m_edge, 0.007 * m_iod) * (1.0 + 1.5 * tip);
        dip = (0.07 + 0.23 * tip) * std::exp(-(d / w) * (d / w));
    }
    const double lit = 0.1 * smoothstep(0.3, 0.05, t) * smoothstep(-0.1, 0.05, t);
    return 1.0 + weight * (lit * (1.0 - dip) - dip);
}

void MouthInterior::softSlit(double a, double b, double meet, double weight, double cavity,
                             double c[3]) const {
    if (weight <= 0.0)
        return;
    // Rows a pixel or two apart on an enlarged photo: drawn as a slit of the cavity, too thin for paint()'s
    // blur to weigh (it blurs by the share of dark space near), it stayed a crisp grey line from corner to
    // corner with a dark bead at every embrasure. Her photo shows where her rows meet as a soft shade no
    // sharper than its own edges, broken, lighter in places and towards the corners, over both rows' edges,
    // and the embrasures' Vs in her teeth's colour. So the slit is her teeth in that shade, and both rows
    // darken into it over the photo's softness.
    const double as = std::abs(a) / m_halfWidth;
    const double broken =
        0.5 * (1.0 + std::sin(a / (0.06 * m_iod) + 2.1)) * (0.6 + 0.4 * std::sin(a / (0.023 * m_iod) + 0.3));
    const double lighter = std::clamp(0.6 * broken + 0.6 * smoothstep(0.35, 0.8, as), 0.0, 1.0);
    const double w = std::max(1.0, 1.3 * m_edge);
    const double p = std::exp(-((b - meet) / w) * ((b - meet) / w));
    double teeth[3];
    // (Her teeth as the upper row's last pixels are: sampled higher up, darker, the slit was a band.)
    samplePhoto(a, std::min(lookup(m_incisal, a), lookup(m_teethEnd, a)) - m_edge, teeth);
    // (Its middle 0.06-0.28 darker than her teeth: a shade, not a line, nearly gone in places.)
    const double dip = (0.06 + 0.22 * smoothstep(0.15, 0.85, 1.0 - lighter)) * p;
    static constexpr double kShade[3] = {1.02, 1.0, 0.95}; // (a little warm, not a lip's red)
    for (int k = 0; k < 3; ++k)
        c[k] = cavity < 0.0 ? c[k] + (teeth[k] * (1.0 - dip) * kShade[k] - c[k]) * weight
                            : c[k] * (1.0 - weight * dip * (1.0 - cavity));
}

void MouthInterior::teethNotLip(double a, double b, double past, double rgb[3]) const {
    // (Only there and on the row just above, which the mirror repeats: above, the photo's own opening is
    // as photographed, its corners' shade included.)
    const double weight = smileWeight() * smoothstep(-1.5 * m_edge, 0.0, past);
    if (weight <= 0.0)
        return;
    // Towards a smile's corners the photo's opening holds her lip's red (the corner's lip, inside the
    // landmarks) above where her teeth end, and the teeth past the photo's are its crowns mirrored: copied
    // below the teeth once the jaw drops, it ended the row on a small pink-red tab, lip inside the mouth.
    // Photographed, the row ends in its own teeth turning away into shade: so such a pixel keeps its
    // brightness in her teeth's colour. (Her teeth's red over green is below 0.13, toothBright(); a lip's is
    // 0.3 or more. Made the cavity instead, the tab was a dark brown blob.)
    // (Her lips' pink, bluer than green: the brown of the shade in a corner stays, the mouth's own shade.)
    auto lipShare = [](const double c[3]) {
        const double red = (c[0] - c[1]) / std::max(1.0, c[0]);
        const double pink = smoothstep(0.0, 0.15, (c[2] - c[1]) / std::max(1.0, c[0]));
        return smoothstep(0.12, 0.3, red) * pink;
    };
    const double lip = lipShare(rgb) * weight;
    if (lip <= 0.0)
        return;
    const double luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    const double teeth = 0.299 * m_teethColour[0] + 0.587 * m_teethColour[1] + 0.114 * m_teethColour[2];
    // (Not as dark as the lip: at the lip's luma, 0.6 of her teeth's, it was a grey tab.)
    const double scale = std::min(1.0, 0.35 + 0.65 * luma / std::max(1.0, teeth));
    double target[3];
    for (int k = 0; k < 3; ++k)
        target[k] = m_teethColour[k] * scale;
    // (Better, her own tooth next to it, a tooth's width nearer the middle, where the photo shows teeth, in
    // the same shade: in one flat colour the row's end was a pale piece with no tooth in it.)
    const double inward = a - std::copysign(kToothWidth * m_iod, a);
    const double end = lookup(m_teethEnd, inward) - m_edge;
    const double top = lookup(m_restUpper, inward) + 0.5;
    double next[3];
    samplePhoto(inward, std::max(top, b <= end ? b : end - (b - end)), next);
    const double nextLuma = 0.299 * next[0] + 0.587 * next[1] + 0.114 * next[2];
    const double use = (1.0 - lipShare(next)) * smoothstep(0.6 * teeth, 0.8 * teeth, nextLuma);
    for (int k = 0; k < 3; ++k)
        target[k] += (next[k] * scale - target[k]) * use;
    for (int k = 0; k < 3; ++k)
        rgb[k] += (target[k] - rgb[k]) * lip;
}

} // namespace avatar
