#include "MouthInterior.h"
#include "Smoothstep.h"

#include "MouthSurroundings.h"
#include "TeethAtlas.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace avatar {
namespace {

// Film-like grain: a fixed pattern per skull-fixed position (so it moves with the head instead of
// shimmering), roughly normal with unit spread (the sum of four uniform values).
double grainAt(int x, int y) {
    std::uint32_t h =
        static_cast<std::uint32_t>(x) * 0x9E3779B1u ^ static_cast<std::uint32_t>(y) * 0x85EBCA77u;
    double sum = 0.0;
    for (int i = 0; i < 4; ++i) {
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        h *= 0x297A2D39u;
        h ^= h >> 15;
        sum += (h & 0xFFFF) / 65535.0;
    }
    return (sum - 2.0) * 1.7320508; // the sum of 4 uniforms has variance 1/3
}

// A fixed value uniform in [0, 1] for the lattice point (i, j). (One hash: it runs several times per pixel
// of the opening.)
double latticeValue(int i, int j) {
    std::uint32_t h =
        static_cast<std::uint32_t>(i) * 0x9E3779B1u ^ static_cast<std::uint32_t>(j) * 0x85EBCA77u;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    h *= 0x297A2D39u;
    h ^= h >> 15;
    return (h & 0xFFFF) / 65535.0;
}

// Smooth value noise in [0, 1] on a unit lattice: soft mottling (a tongue's papillae, a highlight broken
// up by them) rather than per-pixel grain.
double mottle(double x, double y) {
    const double fx = std::floor(x), fy = std::floor(y);
    const int ix = static_cast<int>(fx), iy = static_cast<int>(fy);
    const auto at = latticeValue;
    const double tx = smoothstep(0.0, 1.0, x - fx), ty = smoothstep(0.0, 1.0, y - fy);
    const double top = at(ix, iy) + (at(ix + 1, iy) - at(ix, iy)) * tx;
    const double bottom = at(ix, iy + 1) + (at(ix + 1, iy + 1) - at(ix, iy + 1)) * tx;
    return std::clamp(top + (bottom - top) * ty, 0.0, 1.0);
}

constexpr double kPinch = 0.6;
constexpr double kTaller = 0.6;

} // namespace

MouthInterior::MouthInterior(const Image& background, const FaceRig& rig, bool useAtlas, double softness)
    : m_rig(rig), m_iod(rig.interOcular()), m_edge(std::max({1.0, softness, 0.012 * rig.interOcular()})),
      m_softness(std::max(1.0, softness)) {
    const std::vector<PointF>& rest = rig.restVertices();
    const PointF u = rig.alongEyes(), dn = rig.downFace();
    m_centre = {(rest[60].x + rest[64].x + rest[62].x + rest[66].x) * 0.25,
                (rest[60].y + rest[64].y + rest[62].y + rest[66].y) * 0.25};
    auto local = [&](const PointF& p) {
        const double dx = p.x - m_centre.x, dy = p.y - m_centre.y;
        return PointF{dx * u.x + dy * u.y, dx * dn.x + dy * dn.y};
    };
    m_halfWidth = std::max(1.0, std::abs(local(rest[64]).x - local(rest[60]).x) * 0.5);
    m_restChin = local(rest[8]).y;
    // Columns reach well past the corners: a wide mouth ("ee") opens beyond them.
    m_colStart = -1.7 * m_halfWidth;
    const int columns = static_cast<int>(std::ceil(3.4 * m_halfWidth / kStep)) + 2;
    const std::vector<PointF> outline = FaceRig::innerLipOutline(rest);
    std::vector<PointF> upper, lower;
    for (std::size_t i = 0; i < outline.size(); ++i)
        (i < FaceRig::kOutlineUpperSamples ? upper : lower).push_back(local(outline[i]));
    lower.push_back(local(outline.front()));
    lower.insert(lower.begin(), local(outline[FaceRig::kOutlineUpperSamples - 1]));
    m_restUpper = tabulateCurve(upper, m_colStart, kStep, columns, false);
    m_restLower = tabulateCurve(lower, m_colStart, kStep, columns, true);

    double cheekLuma = 150.0;
    MouthSurroundings::cheekStats(background, rig, cheekLuma, m_grain);
    m_cheekLuma = cheekLuma;

    // The portrait's lower lip, between its inner and outer edges: the tongue's texture and the lips' colour.
    {
        const std::vector<PointF> inner{rest[60], rest[67], rest[66], rest[65], rest[64]};
        const std::vector<PointF> outer{rest[48], rest[59], rest[58], rest[57], rest[56], rest[55], rest[54]};
        double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
        for (int i = 48; i <= 67; ++i) {
            x0 = std::min(x0, rest[i].x);
            y0 = std::min(y0, rest[i].y);
            x1 = std::max(x1, rest[i].x);
            y1 = std::max(y1, rest[i].y);
        }
        const int pad = static_cast<int>(std::ceil(0.2 * m_iod)) + 2;
        const Rect crop =
            Rect{int(x0) - pad, int(y0) - pad, int(x1 - x0) + 2 * pad, int(y1 - y0) + 2 * pad}.intersected(
                background.rect());
        auto shifted = [&](std::vector<PointF> pts) {
            for (PointF& p : pts)
                p = {p.x - crop.x, p.y - crop.y};
            return pts;
        };
        m_photo = background.cropped(crop);
        m_photoOrigin = {double(crop.x), double(crop.y)};
        m_lowerLip.emplace(m_photo, shifted(inner), shifted(outer), u, dn);
        if (darkWeight() > 0.0 && !m_photo.isNull())
            m_lowerLipDetail.emplace(highPass(m_photo), shifted(inner), shifted(outer), u, dn);
        if (!m_photo.isNull())
            m_puckerLip = puckerLipDetail(m_photo, m_iod);
        double sum[3] = {0, 0, 0};
        int n = 0;
        for (double s = -0.5; s <= 0.5; s += 0.1)
            for (double t = 0.3; t <= 0.7; t += 0.1) {
                double c[3];
                m_lowerLip->sample(s, t, c);
                for (int k = 0; k < 3; ++k)
                    sum[k] += c[k];
                ++n;
            }
        for (int k = 0; k < 3; ++k)
            m_lipColour[k] = sum[k] / n;
    }

    // Does the portrait show its own teeth? Its opening must be a few pixels tall and mostly bright and
    // colourless (teeth), not dark or lip-red.
    int inside = 0, bright = 0;
    for (std::size_t c = 0; c < m_restUpper.size(); ++c) {
        const double a = m_colStart + double(c) * kStep;
        if (std::abs(a) > 0.75 * m_halfWidth)
            continue;
        for (double b = m_restUpper[c] + 0.75; b < m_restLower[c] - 0.75; b += 0.5) {
            const double x = m_centre.x + a * u.x + b * dn.x, y = m_centre.y + a * u.y + b * dn.y;
            double rgb[3];
            sampleBilinear(background, x, y, rgb);
            const double l = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
            const double mx = std::max({rgb[0], rgb[1], rgb[2]}), mn = std::min({rgb[0], rgb[1], rgb[2]});
            ++inside;
            // (Pale lips are as bright and nearly as colourless, but redder: teeth have about as much green
            // as red.)
            if (l >= 0.7 * cheekLuma && (mx - mn) <= 0.4 * mx && rgb[0] - rgb[1] <= 0.18 * rgb[0])
                ++bright;
        }
    }
    const std::size_t mid = static_cast<std::size_t>(std::lround(-m_colStart / kStep));
    const double gap = m_restLower[mid] - m_restUpper[mid];
    m_ownTeeth = gap >= std::max(2.5, 0.03 * m_iod) && inside > 0 && bright >= 0.35 * inside;
    measureLipShade();

    m_incisal.resize(m_restUpper.size());
    m_crown.resize(m_restUpper.size());
    if (m_ownTeeth) {
        // The photograph's teeth end where its lower lip begins, often a few pixels above the inner-lip
        // landmarks: found per column by walking up from the landmark curve to the first tooth-bright pixel,
        // so that a strip of the photo's lower lip is not carried under the teeth like a gum when the jaw
        // drops. What the upper lip hides is their continuation.
        auto toothBright = [&](double a, double b) {
            double rgb[3];
            sampleBilinear(background, m_centre.x + a * u.x + b * dn.x, m_centre.y + a * u.y + b * dn.y, rgb);
            const double l = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
            const double mx = std::max({rgb[0], rgb[1], rgb[2]}), mn = std::min({rgb[0], rgb[1], rgb[2]});
            return l >= 0.7 * cheekLuma && (mx - mn) <= 0.35 * mx && rgb[0] - rgb[1] <= 0.13 * rgb[0];
        };
        std::vector<double> lift; // how far above the landmark curve the teeth end, central columns
        for (std::size_t c = 0; c < m_incisal.size(); ++c) {
            const double a = m_colStart + double(c) * kStep;
            if (std::abs(a) > 0.6 * m_halfWidth)
                continue;
            const double top = m_restUpper[c], bottom = m_restLower[c];
            for (double b = bottom; b > top + 0.25 * (bottom - top); b -= 0.5)
                if (toothBright(a, b - 0.5)) {
                    lift.push_back(bottom - b);
                    break;
                }
        }
        // One lift for the whole row (the median, fading towards the corners), so the edge keeps the
        // photo's smooth arc instead of jumping where a column finds no tooth.
        double median = 0.0;
        if (!lift.empty()) {
            std::nth_element(lift.begin(), lift.begin() + static_cast<long>(lift.size() / 2), lift.end());
            median = lift[lift.size() / 2];
        }
        for (std::size_t c = 0; c < m_incisal.size(); ++c) {
            const double sn = (m_colStart + double(c) * kStep) / m_halfWidth;
            const double gap = m_restLower[c] - m_restUpper[c];
            const double up = std::min(median * std::max(0.0, 1.0 - sn * sn), 0.75 * std::max(0.0, gap));
            m_incisal[c] = m_restLower[c] - up;
            m_crown[c] = std::max(1.0, m_incisal[c] - m_restUpper[c]);
        }
        // Where each column's teeth really end (the median lift is one value for a curved edge): the
        // photo below that is its lower lip, never shown under the teeth once the jaw drops.
        m_teethEnd = m_incisal;
        for (std::size_t c = 0; c < m_teethEnd.size(); ++c) {
            const double a = m_colStart + double(c) * kStep;
            const double top = m_restUpper[c];
            double b = m_incisal[c];
            while (b > top + 1.0 && !toothBright(a, b - 0.5))
                b -= 0.5;
            m_teethEnd[c] = b > top + 1.0 ? b : m_incisal[c];
        }
        fitOwnEdge(toothBright);
        // Where her teeth meet, found in the photograph's own row as in the atlas: once the jaw drops, the
        // gap under the teeth opens into a small V there (the embrasure between two rounded crowns), so it
        // widens and narrows tooth by tooth instead of running as a line of one width.
        std::vector<PointF> edge, lip;
        const double reach = 0.75 * m_halfWidth;
        for (double a = -reach; a <= reach + 1e-9; a += 0.125 * m_halfWidth) {
            auto inPhoto = [&](double b) {
                return PointF{m_centre.x + a * u.x + b * dn.x - m_photoOrigin.x,
                              m_centre.y + a * u.y + b * dn.y - m_photoOrigin.y};
            };
            edge.push_back(inPhoto(lookup(m_teethEnd, a)));
            lip.push_back(inPhoto(lookup(m_restUpper, a)));
        }
        for (const double sep : TeethAtlas::findSeparations(ImageBand(m_photo, edge, lip, u, dn)))
            m_separations.push_back(sep * reach);
        return;
    }
    if (!useAtlas)
        return;
    const TeethAtlas atlas;
    m_atlasTeeth.emplace(atlas.upperTeeth());
    for (const double sep : atlas.separations())
        m_separations.push_back(sep * m_halfWidth);
    // Colour: the atlas' eye whites are brought to the portrait's, which carry its white balance and exposure
    // whatever the skin tone (cheeks would not: darker skin does not mean darker teeth).
    const std::array<double, 3> white =
        eyeWhiteOf(background, &rest[36], &rest[42], {cheekLuma * 1.25, cheekLuma * 1.2, cheekLuma * 1.15});
    // The eyes may be lit differently from the mouth (a coloured lamp from one side, light from below):
    // the ratio of the skin's colour around the mouth to the skin's colour under the eyes is that
    // difference (the same skin, so its tone cancels), and the teeth take it on top of the eye whites'.
    const std::array<double, 3> cast = MouthSurroundings::lightCast(background, rest, m_iod);
    constexpr double kMaxTint = 0.15;
    constexpr double kLuma[3] = {0.299, 0.587, 0.114};
    double gain[3];
    double eyeGain = 0.0; // the eye whites' exposure: the cast changes colour, not brightness
    for (std::size_t k = 0; k < 3; ++k) {
        gain[k] = std::clamp(white[k] / std::max(1.0, atlas.eyeWhite()[k]), 0.55, 1.2);
        eyeGain += kLuma[k] * gain[k];
        gain[k] *= cast[k];
    }
    {
        // Small or shaded eyes give a dim, tinted white: the gain's own colour is limited (teeth take on
        // the light's colour, they do not turn grey-blue or orange) ...
        const double gl = eyeGain;
        const double castGain = kLuma[0] * gain[0] + kLuma[1] * gain[1] + kLuma[2] * gain[2];
        for (double& g : gain)
            g *= eyeGain / std::max(1e-6, castGain);
        const double hi = std::max({gain[0], gain[1], gain[2]}), lo = std::min({gain[0], gain[1], gain[2]});
        const double spread = (hi - lo) / std::max(1e-6, hi);
        if (spread > kMaxTint)
            for (double& g : gain)
                g = gl + (g - gl) * kMaxTint / spread;
        // ... and its strength is bounded by the light on the mouth: teeth are about as bright as the
        // cheeks beside them or brighter (never grey under a bright cheek), but not glowing.
        double mean[3] = {0, 0, 0};
        int n = 0;
        for (double s = -0.5; s <= 0.5; s += 0.1)
            for (double t = 0.2; t <= 0.8; t += 0.2, ++n) {
                double c[3];
                m_atlasTeeth->sample(s, t, c);
                for (int k = 0; k < 3; ++k)
                    mean[k] += c[k];
            }
        const double teeth =
            (0.299 * mean[0] * gain[0] + 0.587 * mean[1] * gain[1] + 0.114 * mean[2] * gain[2]) / n;
        const double scale = std::clamp(teeth, 0.85 * cheekLuma, 1.2 * cheekLuma) / std::max(1.0, teeth);
        for (double& g : gain)
            g *= scale;
    }
    m_atlasTeeth->setGain(gain[0], gain[1], gain[2]);
    // Teeth sit just below the line where the lips meet (a relaxed mouth shows 1-3 mm of the upper incisors
    // once parted) and their edges curve up towards the corners (the smile arc).
    const double scale = 2.0 * m_halfWidth / m_atlasTeeth->width();
    for (std::size_t c = 0; c < m_incisal.size(); ++c) {
        const double s = (m_colStart + double(c) * kStep) / m_halfWidth;
        const double meet = 0.5 * (m_restUpper[c] + m_restLower[c]);
        m_incisal[c] = meet + m_iod * (0.045 - 0.05 * s * s);
        // Incisors' crowns are about 10 mm (0.16 IOD) of which a speaking mouth shows up to two thirds; the
        // atlas' smile shows less where its lip covers them, so its band is stretched to at least that.
        m_crown[c] = std::max({1.0, m_atlasTeeth->heightAt(s) * scale, 0.11 * m_iod * (1.0 - 0.5 * s * s)});
    }
}

void MouthInterior::samplePhoto(double a, double b, double rgb[3]) const {
    const PointF u = m_rig.alongEyes(), dn = m_rig.downFace();
    sampleBilinear(m_photo, m_centre.x + a * u.x + b * dn.x - m_photoOrigin.x,
                   m_centre.y + a * u.y + b * dn.y - m_photoOrigin.y, rgb);
}

double MouthInterior::toSeparation(double a) const {
    const auto next = std::lower_bound(m_separations.begin(), m_separations.end(), a);
    double d = 1e9;
    if (next != m_separations.end())
        d = *next - a;
    if (next != m_separations.begin())
        d = std::min(d, a - *(next - 1));
    return d;
}

void MouthInterior::shadeCrowns(double a, double t, double strength, double rgb[3]) const {
    // (Where the row turns away at the corners, the corner shadow in shade() darkens it.)
    double dip = 0.0;
    if (!m_separations.empty()) {
        const double d = toSeparation(a);
        // Two crowns touch along a faint line, as soft as the photograph; at the biting edge their rounded
        // corners open a V (the embrasure) onto the shade behind, and by the gum the papilla's shade widens
        // it a little.
        const double notch = smoothstep(0.22, 0.0, t), gum = smoothstep(0.7, 1.0, t);
        const double w = std::max(0.45 * m_edge, 0.005 * m_iod) * (1.0 + 0.8 * notch + 0.5 * gum);
        dip = strength * (0.07 + 0.14 * notch + 0.06 * gum) * std::exp(-(d / w) * (d / w));
    }
    // (Enamel is translucent: the shade between teeth is warm, the dentine's yellow, not grey.)
    static constexpr double kTint[3] = {0.9, 1.0, 1.1};
    for (int k = 0; k < 3; ++k)
        rgb[k] *= 1.0 - dip * kTint[k];
}

double MouthInterior::edgeLift(double a) const {
    const std::vector<double>& sep = m_separations;
    const std::size_t n = sep.size();
    if (n < 2)
        return 0.0;
    // The tooth at `a`: between two separations; past the outermost ones, one more tooth as wide as the
    // last (further out the corners' shade hides the edge).
    const std::size_t i = static_cast<std::size_t>(std::lower_bound(sep.begin(), sep.end(), a) - sep.begin());
    double left = 0.0, right = 0.0;
    if (i == 0) {
        right = sep[0];
        left = right - (sep[1] - sep[0]);
    } else if (i == n) {
        left = sep[n - 1];
        right = left + (sep[n - 1] - sep[n - 2]);
    } else {
        left = sep[i - 1];
        right = sep[i];
    }
    if (a < left || a > right || right - left < 1.0)
        return 0.0;
    // Which tooth counting out from the middle (0: the central incisors, 1: the laterals, 2: the canines).
    std::size_t middle = 0;
    for (std::size_t k = 1; k < n; ++k)
        middle = std::abs(sep[k]) < std::abs(sep[middle]) ? k : middle;
    const int rank = i <= middle ? int(middle - i) : int(i - middle - 1);
    const int side = i <= middle ? 0 : 1;
    const double x = (2.0 * a - left - right) / (right - left); // -1 .. 1 across the crown
    // Rounded corners: the edge rises over the outer part of each crown towards where it meets the next.
    const double corner = std::pow(std::max(0.0, (std::abs(x) - 0.6) / 0.4), 2.0);
    double lift = 0.010 * m_iod * corner;
    // Laterals a little shorter than the centrals; canines come to a point.
    if (rank == 1)
        lift += 0.010 * m_iod;
    else if (rank >= 2)
        lift += 0.007 * m_iod * x * x;
    // No two teeth alike: a fixed length for each.
    lift += 0.008 * m_iod * (latticeValue(rank * 2 + side, 47) - 0.5);
    // About as much tooth as the smooth edge showed, a little more: the centrals reach past it, the notches
    // between crowns and the shorter teeth rise above it (and the edge's anti-aliased pixels are not teeth).
    return lift - 0.008 * m_iod;
}

double MouthInterior::embrasure(double a) const {
    if (m_separations.empty())
        return 0.0;
    const double d = toSeparation(a);
    // (A V as wide as a crown's rounded corner, at least the photo's softness. Only on an enlarged photo:
    // at its own size the photo's row still shows where its teeth meet; enlarged, its edge is smoothed into
    // one curve, as the atlas strip's separations smear. And on a sharp photo's own smile, smileWeight(),
    // whose edge is the smooth arc of fitOwnEdge(): the shade under it was a line of one width.)
    const double w = std::max(m_edge, 0.02 * m_iod);
    return 0.014 * m_iod * std::max(0.0, 1.0 - d / w) *
           std::max(smoothstep(1.2, 2.0, m_softness), smileWeight());
}

double MouthInterior::lookup(const std::vector<double>& table, double a) const {
    const double x = std::clamp(column(a), 0.0, double(table.size() - 1));
    const std::size_t c = std::min(static_cast<std::size_t>(x), table.size() - 2);
    const double f = x - double(c);
    return table[c] + (table[c + 1] - table[c]) * f;
}

double MouthInterior::grainOf(double a, double b, int px, int py) const {
    // Grain as fine as the photograph's own: per pixel where the portrait is shown at its own size, in
    // grains as large as its softness where it is enlarged (per-pixel noise there would be sharper than
    // the skin around it and read as pasted in).
    return m_edge <= 1.25 ? m_grain * grainAt(px, py)
                          : m_grain * 3.46 * (mottle(a / m_edge + 31.0, b / m_edge + 7.0) - 0.5);
}

void MouthInterior::shade(const Frame& f, double a, double b, Shaded& out) const {
    double* rgb = out.rgb;
    double& synthetic = out.synthetic;
    const double s = a / m_halfWidth;
    const double as = std::abs(s);
    const double upperLip = lookup(f.upperLip, a), lowerLip = lookup(f.lowerLip, a);
    const double incisal = lookup(m_incisal, a);
    const double crown = lookup(m_crown, a);
    const MouthParams& pose = *f.pose;
    // Lower teeth hang behind the upper ones by the overbite and follow the jaw.
    // On wide openings the lower lip is pulled down further than the jaw drops (the lip depressors), showing
    // the lower teeth; the gap between the rows still grows with the jaw.
    const double opening = std::max(0.0, f.jaw);
    // (Less so when the tongue tip is up, for L and TH: the jaw stays open for it to be seen.)
    const double show = 0.045 * m_iod * smoothstep(0.02 * m_iod, 0.15 * m_iod, opening) *
                        (1.0 - 0.8 * std::clamp(f.pose->tongue, 0.0, 1.0));
    // The jaw hinges far behind the mouth, so the rows part less towards the corners (premolars) than at the
    // incisors: the dark band between them is a crescent, not a stroke of even width.
    // (On an enlarged photo more so: the gap closes towards the premolars, darkWeight().)
    // (With her own teeth, on an enlarged photo or a sharp photo's smile, more so again: her gap is tallest
    // in the middle and pinched from the lateral incisors out to the canines, where the lower row rises
    // nearly to the upper one. Of even height out to the corners it read as a stroke drawn with a pen.
    // Taller in the middle only once the jaw has dropped: on a sharp photo from a larger drop, where her
    // rows a little apart kept dark beads at every embrasure.)
    const double ownSmile = smileWeight() * (1.0 - smoothstep(0.5, 0.85, pose.round));
    const double ownDark = m_ownTeeth ? darkWeight() * (1.0 - smoothstep(0.5, 0.85, pose.round)) : 0.0;
    const double ownOpen = ownDark + ownSmile;
    const double taller = ownDark * smoothstep(0.02 * m_iod, 0.06 * m_iod, opening) +
                          ownSmile * smoothstep(0.04 * m_iod, 0.09 * m_iod, opening);
    const double converge = (1.0 - (0.4 + 0.3 * darkWeight()) * std::min(1.0, s * s)) *
                            (1.0 - kPinch * ownOpen * smoothstep(0.3, 0.85, as)) *
                            (1.0 + kTaller * taller * (1.0 - smoothstep(0.0, 0.55, as)));
    // (On an enlarged photo the lower row stands a little closer: a photographed gap between the rows is
    // narrow, darkWeight().)
    const double lowerIncisal = incisal + converge * (1.0 - 0.15 * darkWeight()) *
                                              std::max(0.35 * opening, opening - 0.03 * m_iod - show);
    // Atlas teeth end on each crown's own edge, not on one smooth curve: where the rows are a little apart
    // the gap between them widens and narrows from tooth to tooth, as in a photograph. (The lower row keeps
    // its smooth edge: uneven there, it cost the lip-sync test's detector margin, docs/QUALITY.md.)
    const double upperEdge = m_atlasTeeth && !m_ownTeeth ? incisal - edgeLift(a)
                             : m_ownTeeth ? incisal - embrasure(a) * smoothstep(0.0, 0.02 * m_iod, opening)
                                          : incisal;
    // (And the atlas' lower row reaches a little higher: its edge shows where the upper row's crowns rise.)
    // (On a sharp photo's own smile the lower teeth's rounded tips rise towards the upper row, lowerTips().)
    const double lowerEdge = m_atlasTeeth && !m_ownTeeth ? lowerIncisal - 0.004 * m_iod
                             : m_ownTeeth ? lowerIncisal + 0.8 * darkWeight() * embrasure(a / 0.88) -
                                                ownSmile * lowerTips(a, lowerIncisal - upperEdge)
                                          : lowerIncisal;
    // How much of a sharp photo's edges this shape takes (none on a pucker, F, which is drawn as it was).
    const double sharp = sharpness() * (1.0 - smoothstep(0.5, 0.85, pose.round));
    // (And where the lower lip's shade is lifted, unshadeLowerLip(): a closed photo's lips, atlas teeth.)
    const double rim = m_lipGain ? sharp : 0.0;
    synthetic = 1.0; // share of the colour that is not the portrait's own pixels (gets grain)
    out.cavity = 1.0;

    // The tongue lies on the floor of the mouth and, for open vowels, fills most of the lower half: its back
    // is wide and its sides rise against the teeth, so the dark space above it is tallest in the middle,
    // where the throat is seen, and thins towards the corners (a crescent, not a stroke of even width);
    // its tip is raised behind the upper teeth for L and TH.
    const double gap = std::max(1.0, lowerIncisal - incisal);
    const double across = std::min(1.0, as / 0.95);
    double top = 0.38 - 0.2 * across * across;
    const double tip = std::sqrt(std::max(0.0, 1.0 - (s / 0.42) * (s / 0.42)));
    // Its back is not a ruled line either: it bulges and dips along the row, so the shade above it widens
    // and narrows instead of running as a stroke parallel to the teeth.
    const double ridge = 1.0 / (0.07 * m_iod);
    top = std::clamp(top + 0.1 * (mottle(a * ridge + 23.0, 4.5) - 0.5), 0.2, 0.9);
    // Between rows a little apart the tongue lies behind the lower teeth, below their edges: the gap is
    // shade down to the lower row (a tongue band there reads as a stripe between two others).
    top += (0.92 - top) * 0.9 * (1.0 - smoothstep(0.03 * m_iod, 0.07 * m_iod, gap));
    top += (0.92 - top) * tongueInShade(gap);
    // (On a sharp photo's own smile with the rows well apart, openSmile(), only the tongue's front shows,
    // low in the middle: its sides lie behind the lower row. Lying from corner to corner under the dark
    // space, it made a stroke of two bands between the rows.)
    // (So too on an enlarged photo's own smile, the astronaut's, from a narrower gap: its cavity was the
    // photographed gap's red-brown at one darkness, 0.06-0.11 of the cheek, darker towards the corners.)
    const double openDark = ownDark * smoothstep(0.02 * m_iod, 0.05 * m_iod, gap);
    const double open = std::max(ownSmile * smoothstep(0.05 * m_iod, 0.1 * m_iod, gap), openDark);
    // (On an enlarged photo lower: the gap is a few of its pixels, and a dark band over a lit tongue there
    // read, blurred, as a thin dark stroke.)
    top += (0.35 + 0.2 * darkWeight() + 0.8 * smoothstep(0.1, 0.6, as) - top) * open;
    top = std::min(top, 1.0 - std::clamp(pose.tongue, 0.0, 1.0) * 0.97 * tip);
    const double tongueTop = incisal + top * gap; // b of the tongue's back

    // The cavity above it is shaded by depth: how far a point lies inside the opening (from the upper teeth's
    // edge or the lips above, the tongue's back below, and the corners), over the opening's height. Its rim
    // catches light scattered by teeth, lips and cheeks and stays a dark red; only the deep middle (the
    // throat) goes nearly black, through a smooth falloff, so there is no painted edge.
    const double height = std::max(1.0, lowerLip - upperLip);
    const double fromTop = std::max(0.0, b - std::max(upperEdge, upperLip));
    // (The lower teeth' edge bounds it too, where the tongue lies behind them.)
    const double fromBottom = std::max(0.0, std::min(tongueTop, lowerEdge) - b);
    const double vertical = std::min(1.0, 2.0 * std::min(fromTop, fromBottom) / std::max(1.0, 0.5 * height));
    const double depth = smoothstep(0.0, 1.0, vertical) * smoothstep(0.05, 0.55, 1.0 - as);
    // A slit between the rows is lit through the teeth and lips around it (and often holds the tongue's
    // tip): dark brown, not the black line it would look drawn as.
    const double slit = 1.0 - smoothstep(0.02 * m_iod, 0.08 * m_iod, gap);
    // The upper teeth shade the space right under their edge (light comes from above): a soft shadow that
    // fades over a third of the gap, not a line.
    const double underTeeth = 0.8 + 0.2 * smoothstep(0.0, std::max(1.5, 0.35 * gap), b - upperEdge);
    // The mouth's wet inner surfaces are not evenly lit: broad blotches of light and shade and a finer
    // mottle, so that the cavity is not a smooth fill (scales in IOD, so any size looks the same).
    const double broad = 1.0 / (0.05 * m_iod), fine = 1.0 / std::max(0.018 * m_iod, 2.5 * m_edge);
    const double texture =
        1.0 + 0.34 * (mottle(a * broad, b * broad) - 0.5) + 0.18 * (mottle(a * fine + 17.0, b * fine) - 0.5);
    // Along the row the shade is not even either: besides the depth (darkest in the throat and at the
    // corners) it has darker pockets, and it is lighter just above the tongue's back where that catches the
    // light (`lit`, the same patches that light the tongue, drawn out along the row) and throws some of it
    // up. (Not right under the teeth: lit there, the shade would read as a strip of lip.)
    const double lit = mottle(a * ridge + 61.0, b * 0.3 * ridge + 2.0);
    const double pocket = mottle(a * ridge + 37.0, b * 0.3 * ridge + 9.0);
    const double byTongue = smoothstep(tongueTop - 0.3 * gap, tongueTop, b);
    const double lengthwise =
        (1.0 - 0.3 * smoothstep(0.4, 0.8, pocket) * (1.0 - byTongue)) * (1.0 + 0.6 * lit * byTongue);
    double c[3];
    // (Browner than the lips: the inside of the cheeks and the throat absorb blue more than lips do.)
    static constexpr double kCavity[3] = {1.05, 0.84, 0.78};
    // (And less saturated than the lips, more so towards the corners, where the cheeks' inside is in shade:
    // a lip-coloured cavity reads as a mauve fill.)
    const double lipGrey = 0.299 * m_lipColour[0] + 0.587 * m_lipColour[1] + 0.114 * m_lipColour[2];
    const double keep = 0.75 - 0.3 * smoothstep(0.5, 1.0, as);
    // Right under the upper teeth the shade is grey rather than red: the biting edge is translucent enamel
    // lit from behind by the shade, and what shows through the photograph's blur there is teeth and shade
    // mixed (a red shade mixed with teeth reads as a strip of lip).
    // (Not on a sharp photo, where nothing blurs teeth and shade together: there the grey was a dark grey
    // line under the teeth that ran on into the corners, along the upper lip.)
    const double greyEdge =
        0.9 * (1.0 - sharp) * (1.0 - smoothstep(0.0, std::max(2.0 * m_edge, 0.3 * gap), b - upperEdge));
    for (int k = 0; k < 3; ++k) {
        const double tone = lipGrey + (m_lipColour[k] * kCavity[k] - lipGrey) * keep * (1.0 - greyEdge);
        c[k] = tone * (0.5 - 0.3 * depth) * (1.0 + 0.3 * slit) * underTeeth * texture * lengthwise;
    }
    darkenCavity(s, gap, depth, underTeeth * texture, c);
    // (With its darker pockets along the row: one even darkness reads as a stroke.)
    deepenCavity(gap, pose.open, depth, rim,
                 underTeeth * texture * (1.0 - 0.4 * smoothstep(0.4, 0.8, pocket)), c);
    // (On a sharp photo with its own teeth, a gap of a few pixels is a soft shade, not a black slit.)
    // (So too on an enlarged photo's own smile below the gap openSmile() takes: a slit of a pixel or two
    // drawn as the cavity stayed sharp, the blur weighs a thin cavity little, and ran as a thin grey line
    // between the rows with a dark bead at every embrasure.)
    const double narrow = std::max(ownSmile * (1.0 - smoothstep(0.05 * m_iod, 0.1 * m_iod, gap)),
                                   ownDark * smoothstep(0.008 * m_iod, 0.02 * m_iod, gap) *
                                       (1.0 - smoothstep(0.02 * m_iod, 0.05 * m_iod, gap)));
    narrowGap(a, b, upperEdge, std::max(1.0, lowerEdge - upperEdge), gap, narrow, c);
    // (With the rows nearly touching, C, where they meet a soft, broken shade of her teeth, softSlit().)
    const double meet = ownDark * (1.0 - smoothstep(0.015 * m_iod, 0.03 * m_iod, gap)) *
                        smoothstep(0.0, 0.01 * m_iod, opening);
    softSlit(a, b, incisal + 0.5 * gap, meet, -1.0, c);
    // (And with the rows well apart, the cavity of a photographed open mouth rather than an even stroke.)
    // (On an enlarged photo from the crowns' own edge: its V filled, the shade's top ran parallel to the
    // row.)
    openSmile(a, b, incisal + (upperEdge - incisal) * ownDark, std::max(1.0, lowerEdge - upperEdge),
              texture * (1.0 - 0.4 * smoothstep(0.4, 0.8, pocket)), open, c);

    // The tongue's texture is the portrait's lower lip, softened (the tongue has no lip lines) and a little
    // paler, mottled by its papillae. Its back, far from the light and in the upper teeth's shadow, starts
    // as dark as the cavity and brightens towards the front; a shallow groove runs down its middle and its
    // wet top catches a soft highlight.
    const double soft = std::max(1.0, 0.03 * m_iod);
    // (On a sharp photo its sides lie behind the lower row and in the cheeks' shade, so the cavity's shade
    // shows there: drawn lit out to the corners it was a band from corner to corner between the rows.)
    // (So on a sharp photo's own smile with the rows well apart: its tongue's front shows in the middle.)
    const double sides = std::max(rim, open) * smoothstep(0.1, 0.75, as);
    // (Its front's top as soft as the photo's edges, not softer: over a wider ramp it was only a thin red
    // line along the lower row, openSmile().)
    const double rounded = soft + (std::clamp(0.3 * gap, m_edge, soft) - soft) * open;
    // (Nor, raised (H), its flanks beside the lit front on such a photo: there its back, drawn as a pink
    // band along the lower row between the shade and the lower lip, read as a line drawn round the opening.)
    const double tongueEdge =
        smoothstep(-0.5 * rounded, rounded, b - tongueTop) * (1.0 - 0.95 * sides) *
        (1.0 - 0.85 * rim * std::clamp(pose.tongue, 0.0, 1.0) * smoothstep(0.12, 0.4, as));
    if (tongueEdge > 0.0) {
        double t[3];
        // (Over the visible band however narrow: a slightly open mouth shows the tongue lit too.)
        const double band = std::min(0.08 * m_iod, 0.7 * (1.0 - top) * gap);
        const double along = std::clamp((b - tongueTop) / std::max(1.0, band), 0.0, 1.0);
        m_lowerLip->sample(std::clamp(s * 0.7, -0.9, 0.9), 0.3 + 0.4 * along, t);
        // (Inside the mouth even its front is in the lips' shade: never as bright as the lips themselves.)
        // (On a sharp photo its back deeper in shade and its texture less softened: lit evenly, in the lips'
        // mean colour, it was a flat pink band between the rows that read as a second lower lip.)
        // (Its front, the only part an open smile shows, in the light that comes in between the rows.)
        const double light =
            (0.5 - 0.15 * sharp + 0.15 * open + (0.3 + 0.1 * sharp) * smoothstep(0.0, 1.0, along)) *
            (1.0 - 0.75 * tongueInShade(gap));
        const double groove = 1.0 - 0.14 * std::exp(-(s / 0.07) * (s / 0.07)) * (1.0 - 0.5 * along);
        // The wet surface's highlight is broken by the papillae into specks, not a smooth sheen.
        const double speck = 1.0 / std::max(0.012 * m_iod, 2.0 * m_edge);
        const double sheen = 30.0 * std::exp(-((along - 0.4) / 0.25) * ((along - 0.4) / 0.25)) *
                             std::max(0.0, 1.0 - (s / 0.55) * (s / 0.55)) *
                             (0.15 + 1.3 * smoothstep(0.5, 0.85, mottle(a * speck + 3.0, b * speck + 41.0)));
        // Papillae: a fine mottle about 1 mm across, and broader blotches of the surface's unevenness.
        // (No finer than the photograph resolves: a soft portrait's tongue would look like sandpaper.)
        const double pap = 1.0 / std::max(0.016 * m_iod, 2.5 * m_edge), blotch = 1.0 / (0.06 * m_iod);
        const double papillae = 1.0 + 0.2 * (mottle(a * pap + 5.0, b * pap) - 0.5) +
                                0.28 * (mottle(a * blotch + 11.0, b * blotch + 3.0) - 0.5);
        const double grey = 0.299 * m_lipColour[0] + 0.587 * m_lipColour[1] + 0.114 * m_lipColour[2];
        for (int k = 0; k < 3; ++k) {
            const double smooth = (0.6 + 0.3 * sharp) * t[k] + (0.4 - 0.3 * sharp) * m_lipColour[k];
            // (Redder than the lips, a pink red rather than their mauve: the tongue's surface is wet and
            // well supplied with blood.)
            static constexpr double kPink[3] = {1.08, 0.9, 0.92};
            const double pale = (grey + (smooth - grey) * 0.95) * kPink[k] + 6.0;
            const double v = pale * light * groove * papillae + sheen * light;
            c[k] += (v - c[k]) * tongueEdge;
        }
        out.cavity *= 1.0 - tongueEdge * (1.0 - tongueInShade(gap)); // (a tongue in shade softens as the gap)
    }

    // Lower teeth: narrower than the upper arch, in the upper lip's and the upper teeth's shadow.
    // (On an enlarged photo the row reaches on towards the corners, where it meets the upper one: the gap
    // closes there instead of running on as a stroke along the lower lip.)
    // (And on a sharp photo's own smile, where the cavity beside a row that ended short was a dark band
    // along the lower lip at the sides, narrowGap().)
    const double arch = 0.8 + 0.2 * std::max(darkWeight(), ownSmile);
    if (as < arch) {
        // (On a sharp photo's own smile with the rows well apart their tips are as soft as her upper
        // teeth's edge, openSmile(): drawn over one drawn edge's width they ended the dark space crisply.)
        const double tipWidth = m_edge * (1.0 + 1.5 * open);
        // (On a sharp photo with the tongue raised (H), whose lower row shows only a sliver, that sliver
        // fades out towards the sides, behind the lip: a strip of the row a few pixels tall, mauve in the
        // mouth's shade, read as a pink line drawn between the shade and the lower lip.)
        // (In the middle too, in part: its tips there, under the tongue's lit front, were a short pale line.)
        const double raised =
            rim * std::clamp(pose.tongue, 0.0, 1.0) * (0.6 + 0.4 * smoothstep(0.1, 0.45, as));
        const double cover = std::clamp((b - lowerEdge) / tipWidth + 0.5, 0.0, 1.0) *
                             smoothstep(arch, arch - 0.18, as) * (1.0 - 0.9 * raised);
        if (cover > 0.0) {
            // The lower lip rides up over the lower incisors: only their upper part shows, the less the
            // closer the lip (a photographed smile shows half of their crown or less).
            // (And there the lip hides more of them, the more towards the corners: a row shown to the
            // corners under the dark space was a white band that ruled it off from below.)
            const double reach =
                (m_ownTeeth ? 0.55 : 0.75) * crown * (1.0 - open * (0.3 + 0.45 * smoothstep(0.15, 0.65, as)));
            const double t = (b - lowerEdge) / std::max(1.0, reach);
            double tooth[3];
            double teethShape = 1.0;
            if (m_ownTeeth) {
                // The photographed upper teeth upside down, from a little above their biting edge (the edge
                // itself borders the photo's lower lip and would give the lower teeth a dark rim), at the
                // photo's own scale so that their separations stay sharp instead of smearing.
                const double edge = incisal - 0.15 * crown - m_edge;
                samplePhoto(a / 0.88, edge - std::clamp(t, 0.0, 1.0) * reach, tooth);
                // (Opened wide on an enlarged photo, in the mouth's shade below, with its own teeth in it.)
                teethShape = lowerRowInShade(a, t, openDark, tooth);
            } else if (m_atlasTeeth) {
                m_atlasTeeth->sample(s / 0.88, t, tooth);
                shadeCrowns(a / 0.88, std::clamp(t, 0.0, 1.0), 0.4, tooth);
                // Down in the mouth the lower row is lit mostly by what the lips, tongue and the cheeks'
                // inside reflect, which is warm: in its shade it takes on some of their colour (without it
                // a cool light leaves it blue-grey beside them).
                const double lum = 0.299 * tooth[0] + 0.587 * tooth[1] + 0.114 * tooth[2];
                const double lipGrey =
                    0.299 * m_lipColour[0] + 0.587 * m_lipColour[1] + 0.114 * m_lipColour[2];
                for (int k = 0; k < 3; ++k)
                    tooth[k] +=
                        (lum * std::clamp(0.5 + 0.5 * m_lipColour[k] / std::max(1.0, lipGrey), 0.9, 1.12) -
                         tooth[k]) *
                        0.5;
            } else {
                tooth[0] = c[0];
                tooth[1] = c[1];
                tooth[2] = c[2];
            }
            // In the shadow of the upper lip and teeth, darker than the upper row, and darker again where
            // the lower lip covers them; below that the lip's own inner surface (its texture from the
            // photo, in the mouth's shade), so the row disappears under the lip rather than ending on a
            // strip of flat colour.
            // (Not on a sharp photo, where the lip below keeps its own soft contact shade, unshadeLowerLip():
            // drawn at the frame's resolution with the lip's contact shade below it, the full shade read as a
            // dark band between the row and the lip.)
            // (On a sharp photo the row is lit less than the upper one all the same, more so at its tips
            // under the upper row's edge: as bright as the upper row, 0.97 of its luma, it read as a second
            // set of front teeth; photographed smiles show the lower row greyer and darker. Not where it
            // meets the lower lip, which lights it: dark there, it was a band along the lip.)
            // (And opened wide on an enlarged photo's own smile, `openDark`, lower down in the mouth's shade,
            // its edge catching a little light: as bright as the upper row, its mirror, it ruled the gap
            // off.)
            const double shade = 0.95 - 0.1 * (1.0 - rim) * smoothstep(0.4, 1.0, t) -
                                 rim * (0.15 + 0.08 * (1.0 - smoothstep(0.0, 0.4, t))) *
                                     smoothstep(0.0, std::max(3.0 * m_edge, 0.02 * m_iod), lowerLip - b) -
                                 openDark * (0.05 + 0.1 * smoothstep(0.0, 0.6, t)) - 0.25 * raised;
            const double lip = smoothstep(0.85, 1.25, t);
            double inner[3];
            const double lipT = 0.12 + 0.25 * std::clamp(t - 1.0, 0.0, 1.0);
            m_lowerLip->sample(std::clamp(s * 0.9, -0.95, 0.95), lipT, inner);
            // (On a sharp photo the lip's upper part out of the closed upper lip's shadow, as
            // unshadeLowerLip() lifts it outside the opening.)
            double lift[3];
            lipGain(lipT, rim, inner, lift);
            for (int k = 0; k < 3; ++k)
                inner[k] *= lift[k];
            for (int k = 0; k < 3; ++k) {
                const double v = tooth[k] * shade * teethShape + (inner[k] * 0.92 - tooth[k] * shade) * lip;
                c[k] += (v - c[k]) * cover;
            }
            out.cavity *= 1.0 - cover;
        }
    }

    // Upper teeth: fixed to the skull, hanging from under the upper lip down to their biting edge. The
    // portrait's own teeth cover their whole photographed opening (a pixel more at its edges, so that the
    // anti-aliased outline blends photograph into photograph rather than into the cavity).
    // The portrait's own teeth: at its own opening the photograph down to the lower lip (so the rest pose is
    // the photo), as the jaw drops only down to the teeth's edge.
    // (Atlas teeth on a sharp photo reach on into the corners, cornerReach(): they stopped well short.)
    const double reach = m_ownTeeth ? 0.0 : cornerReach(s, upperEdge, upperLip, lowerLip, crown, rim);
    const double cornerEdge = upperEdge + reach;
    const double bottom = m_ownTeeth ? upperEdge + (lookup(m_restLower, a) + 1.0 - upperEdge) *
                                                       smoothstep(0.01 * m_iod, 0.0, opening)
                                     : cornerEdge;
    const double upperCover = std::clamp((bottom - b) / m_edge + 0.5, 0.0, 1.0);
    if (upperCover > 0.0 && (m_ownTeeth || m_atlasTeeth)) {
        const double t = (incisal + reach - b) / crown;
        double tooth[3];
        double own = 0.0;
        double gum = 0.0;
        if (m_ownTeeth) {
            // The photograph itself; above its visible teeth (where its upper lip was) the top row stretches.
            // Never below the photographed teeth's edge once the jaw has dropped: the photo's lower lip
            // and the shadow on it would show under the teeth as a hard dark line.
            const double top = lookup(m_restUpper, a);
            const double lowest =
                std::min(incisal, lookup(m_teethEnd, a)) - m_edge +
                (lookup(m_restLower, a) + 1.0 + m_edge - incisal) * smoothstep(0.01 * m_iod, 0.0, opening);
            // (On a sharp photo's own smile, whose edge reaches on below the teeth it shows, smileWeight(),
            // past them the crowns above mirrored: their last row stretched over several pixels was a patch
            // of vertical streaks.)
            const double past = std::max(0.0, b - lowest) * smileWeight();
            const double at = std::min(std::max(b, top + 0.5), lowest);
            samplePhoto(a, past > 0.0 ? std::max(at - past, top + 0.5) : at, tooth);
            teethNotLip(a, b, b - lowest, tooth);
            // (Also where the lifted upper lip uncovers more than the photo showed: the photo's top row
            // stretched already carries the lip's shade, and shading it again drew a grey stroke.)
            own = as <= 1.15 ? 1.0 : 0.0;
        } else {
            // (On a sharp photo the strip's upper part is read compressed: there her crowns darken into
            // a pink-brown, her own upper lip's shade and gum, which under another lip, drawn sharp at the
            // frame's resolution, was a dark line along the row. The shade under the lip is shade()'s.)
            const double high = std::max(0.0, t - 0.3);
            m_atlasTeeth->sample(atlasColumn(s, rim), t - high * 0.75 * sharp, tooth);
            shadeCrowns(a, std::clamp(t, 0.0, 1.0), 1.0, tooth);
            // Above the visible crown the gum shows where the lip lifts. (On a sharp photo only where it
            // lifts well above the crown: a band of gum under every open lip, in its shadow, read as a dark
            // line drawn along the upper teeth; in a photograph the lip meets the teeth directly.)
            const double from = 1.0 + 0.3 * sharp;
            gum = smoothstep(from, from + 0.5, t);
        }
        for (int k = 0; k < 3; ++k) {
            const double v = tooth[k] + (m_lipColour[k] * 1.05 - tooth[k]) * gum;
            c[k] += (v - c[k]) * upperCover;
        }
        out.cavity *= 1.0 - upperCover;
        synthetic = 1.0 - own * upperCover;
    }
    softSlit(a, b, incisal + 0.5 * gap, meet, out.cavity, c); // (and both rows' edges in its shade)
    out.cavity *= 1.0 - meet;
    lowerLipInside(s, b, std::max(upperEdge, upperLip), lowerLip, upperLip, c, out);

    // Contact shadow under both lips and darker corners, on everything not taken from the photograph as is.
    // As wide as the photo's own edges are soft, so that it reads as shade and not as an outline.
    const double w = std::max({2.0 * m_edge, 1.5, 0.06 * m_iod});
    // Light comes from above: the upper lip casts the deeper shadow, the lower lip's wet edge only a thin
    // one.
    // (On a sharp photo a shallower shade, uneven along the row and deepest towards the corners: one even
    // band of 0.68 right under the lip, drawn at the frame's resolution, was a pen-line along the teeth.)
    const double patchy = mottle(a / (0.08 * m_iod) + 71.0, 5.5);
    const double underDepth = 0.32 + (0.06 + 0.12 * patchy + 0.14 * smoothstep(0.5, 1.0, as) - 0.32) * sharp;
    const double under = 1.0 - underDepth * (1.0 - smoothstep(0.0, w * (1.0 + 0.5 * sharp), b - upperLip));
    // (Not on a sharp photo either, for the same reason as the lower row's shade.)
    const double over = 1.0 - 0.06 * (1.0 - rim) * (1.0 - smoothstep(0.0, 0.5 * w, lowerLip - b));
    // (Only the very corners: further in, the inside of the cheeks catches light.)
    const double corner = smoothstep(0.78, 1.15, as);
    const double shadow = under * over * (1.0 - 0.4 * corner);
    // (Grain, grainOf(), is added by paint() after the photograph's softness, in the share out.grain.)
    // The lower lip's inner edge is wet and turned towards the light: its last pixel inside the outline
    // is lip, a little lighter, rather than a dark rim.
    // (On an enlarged photo over the photo's softness: a dark gap ends on the lip in a soft ramp, not an
    // outline.)
    const double wetWidth = std::max(1.0, (0.6 + 1.4 * darkWeight()) * m_edge);
    // (Not where the lower lip has risen into the opening: the outline there runs through the lip, and a
    // band of the lips' mean colour along it was a smooth strip in the lip's texture.)
    // (Nor on a sharp photo's own smile opened wide, openSmile(): a pixel wide and lighter than the lip
    // outside, it outlined the opening like a pen.)
    const double wet =
        synthetic * (1.0 - out.lip) * (1.0 - open) * 0.45 * (1.0 - smoothstep(0.0, wetWidth, lowerLip - b));
    for (int k = 0; k < 3; ++k) {
        rgb[k] = c[k] * (1.0 - synthetic * (1.0 - shadow));
        rgb[k] += (m_lipColour[k] * 1.08 - rgb[k]) * wet;
    }
    warmCorner(s, synthetic, rgb);
    buccalCorridor(s, b, upperLip, lowerLip, rim, texture * (1.0 - 0.2 * smoothstep(0.4, 0.8, pocket)), out);
    out.grain = synthetic + (1.0 - synthetic) * wet;
    out.cavity *= 1.0 - wet;
    // A nearly closed opening (a pixel or two between the lips) shows where the lips meet, a line a little
    // darker than the lips, not teeth.
    const double seen = smoothstep(0.8, 2.5, lowerLip - upperLip);
    for (int k = 0; k < 3; ++k) {
        rgb[k] += (m_lipColour[k] * 0.75 - rgb[k]) * (1.0 - seen);
        out.detail[k] *= seen;
    }
    out.grain += (1.0 - out.grain) * (1.0 - seen);
}

} // namespace avatar
