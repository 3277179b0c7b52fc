// Measures of the open mouth's lower rim on a rendered frame, for tst_mouth_photo (split from it to keep it
// short): the band between the lower teeth and the lower lip, and the band between the rows; and the shade
// right under the upper teeth.
#pragma once

#include "MouthChecks.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace avatar::test {

// Is this pixel tongue (or lip-coloured) rather than teeth or shade: red over green, not dark.
inline bool tongueLike(const std::uint8_t* p, double cheek) {
    return lumaOf(p) >= 0.3 * cheek && p[0] - p[1] >= 0.14 * p[0];
}

// Below the lower teeth, per column over the middle half of the opening (where the lower row shows): how far
// the darkest pixel between the lowest tooth-bright pixel and a third of the way down the lower lip lies
// below the darker of the teeth and the lip's body (0.4-0.7 of the way down it), in cheek lumas; and the
// mean of the lip's upper third below its body, and the lower lip's fine detail (spread of luma minus its 3x3
// mean) over that upper third against its body's.
struct LowerRim {
    std::vector<double> valley;
    std::vector<double> band;  // the lip's upper third's mean below its body, cheek lumas
    std::vector<double> width; // pixels of the valley 0.08 of the cheek below both sides
    double innerDetail = 0.0, bodyDetail = 0.0;
    double tongueDetail = 0.0, tongueShade = 0.0; // the pink band between the rows
    int tonguePixels = 0;
};

inline LowerRim lowerRim(const DrawnMouth& m) {
    const std::vector<PointF>& v = m.v;
    const double centre = (v[60].x + v[64].x) / 2, half = (v[64].x - v[60].x) / 2;
    const std::vector<PointF> outer(v.begin() + 48, v.begin() + 60);
    auto luma = [&](int x, int y) { return lumaOf(m.frame.row(y) + x * 3); };
    // (Across three columns, the median: a lip line one pixel wide is the lip's texture, not a band.)
    auto across = [&](int x, int y) {
        std::array<double, 3> l{luma(x - 1, y), luma(x, y), luma(x + 1, y)};
        std::sort(l.begin(), l.end());
        return l[1];
    };
    auto fine = [&](int x, int y) {
        double sum = 0.0;
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx)
                sum += luma(x + dx, y + dy);
        return luma(x, y) - sum / 9.0;
    };
    LowerRim out;
    std::vector<double> inner, body;
    for (int x = int(centre - 0.5 * half); x <= int(centre + 0.5 * half); ++x) {
        const int y0 = int(std::min(v[61].y, v[63].y)) - 6, y1 = int(v[57].y) + 6;
        const auto [top, bottom] = columnSpan(m.inner, x, y0, y1);
        const auto [lipTop, lipBottom] = columnSpan(outer, x, y0, y1);
        if (top < 0 || lipBottom - bottom < 8)
            continue;
        const double thick = lipBottom - bottom;
        // The lower row's lowest tooth-bright pixel, walking up from the opening's lower edge (not past its
        // middle: above it the slit between the rows and the upper teeth).
        int tooth = -1;
        for (int y = bottom; y >= (top + bottom) / 2 && tooth < 0; --y)
            if (luma(x, y) >= 0.8 * m.cheek)
                tooth = y;
        const double lip = [&] {
            std::vector<double> l;
            for (int y = bottom + int(0.4 * thick); y <= bottom + int(0.7 * thick); ++y)
                l.push_back(across(x, y));
            return quantile(l, 0.5);
        }();
        if (tooth >= 0) {
            const double teeth = std::max({luma(x, tooth), luma(x, tooth - 1), luma(x, tooth - 2)});
            const double ref = std::min(teeth, lip);
            double darkest = 1e9;
            int wide = 0;
            for (int y = tooth; y <= bottom + int(thick / 3); ++y) {
                darkest = std::min(darkest, across(x, y));
                wide += across(x, y) < ref - 0.08 * m.cheek ? 1 : 0;
            }
            out.valley.push_back(std::max(0.0, ref - darkest) / m.cheek);
            out.width.push_back(wide);
        }
        {
            double sum = 0.0;
            int n = 0;
            for (int y = bottom + 1; y <= bottom + int(thick / 3); ++y, ++n)
                sum += across(x, y);
            out.band.push_back((lip - sum / std::max(1, n)) / m.cheek);
        }
        for (int y = bottom + 2; y <= bottom + int(thick / 3); ++y)
            inner.push_back(fine(x, y));
        for (int y = bottom + int(0.45 * thick); y <= bottom + int(0.75 * thick); ++y)
            body.push_back(fine(x, y));
    }
    auto spread = [](const std::vector<double>& d) {
        double sum = 0.0, sq = 0.0;
        for (const double x : d)
            sum += x, sq += x * x;
        const double n = std::max<double>(1.0, double(d.size()));
        return std::sqrt(std::max(0.0, sq / n - (sum / n) * (sum / n)));
    };
    // The pink band between the rows (the tongue, tongueLike()), away from its edges: its fine detail and
    // how much darker its upper (back) half is than its lower half, per column.
    std::vector<double> tongue, backToFront;
    for (int x = int(centre - 0.8 * half); x <= int(centre + 0.8 * half); ++x) {
        const auto [top, bottom] =
            columnSpan(m.inner, x, int(std::min(v[61].y, v[63].y)) - 6, int(v[57].y) + 6);
        if (top < 0)
            continue;
        std::vector<int> rows;
        for (int y = top + 1; y < bottom; ++y) {
            bool all = true;
            for (int dy = -1; dy <= 1 && all; ++dy)
                for (int dx = -1; dx <= 1 && all; ++dx)
                    all = tongueLike(m.frame.row(y + dy) + (x + dx) * 3, m.cheek) &&
                          insidePolygon(m.inner, x + dx + 0.5, y + dy + 0.5);
            if (all) {
                tongue.push_back(fine(x, y));
                rows.push_back(y);
            }
        }
        if (rows.size() >= 4) {
            double upperHalf = 0.0, lowerHalf = 0.0;
            const std::size_t n = rows.size() / 2;
            for (std::size_t i = 0; i < n; ++i)
                upperHalf += luma(x, rows[i]), lowerHalf += luma(x, rows[rows.size() - 1 - i]);
            backToFront.push_back((lowerHalf - upperHalf) / double(n) / m.cheek);
        }
    }
    out.tongueDetail = spread(tongue);
    out.tonguePixels = int(tongue.size());
    out.tongueShade = backToFront.empty() ? 0.0 : quantile(backToFront, 0.5);
    out.innerDetail = spread(inner);
    out.bodyDetail = spread(body);
    return out;
}

// Between the rows of an open mouth, per column over 0.85 of the opening's half-width: the pixels from below
// the upper teeth (the first tooth-bright run from the top) to above the lower teeth (the first from the
// bottom; the opening's lower edge where none shows), one pixel in from each. Their lumas over the cheek's in
// the middle columns (within half the half-width), and how many of them are tongue-coloured (tongueLike())
// in the outer columns (0.5-0.85 of the half-width), where the tongue's sides lie behind the lower row.
struct BetweenRows {
    std::vector<double> middle, outer; // luma / cheek
    int outerTongue = 0;
};

inline BetweenRows betweenRows(const DrawnMouth& m) {
    const std::vector<PointF>& v = m.v;
    const double centre = (v[60].x + v[64].x) / 2, half = (v[64].x - v[60].x) / 2;
    auto luma = [&](int x, int y) { return lumaOf(m.frame.row(y) + x * 3); };
    BetweenRows out;
    for (int x = int(centre - 0.85 * half); x <= int(centre + 0.85 * half); ++x) {
        const auto [top, bottom] =
            columnSpan(m.inner, x, int(std::min(v[61].y, v[63].y)) - 6, int(v[57].y) + 6);
        if (top < 0 || bottom - top < 6)
            continue;
        const int mid = (top + bottom) / 2;
        int upper = -1;
        for (int y = top; y <= mid && upper < 0; ++y)
            if (luma(x, y) >= 0.8 * m.cheek)
                upper = y;
        if (upper < 0)
            continue;
        while (upper < bottom && luma(x, upper + 1) >= 0.6 * m.cheek)
            ++upper;
        int lower = bottom;
        for (int y = bottom; y > upper && y >= mid; --y)
            if (luma(x, y) >= 0.7 * m.cheek) {
                lower = y;
                break;
            }
        while (lower - 1 > upper && luma(x, lower - 1) >= 0.65 * m.cheek)
            --lower;
        const bool outerColumn = std::abs(x + 0.5 - centre) >= 0.5 * half;
        for (int y = upper + 2; y <= lower - 2; ++y) {
            const std::uint8_t* p = m.frame.row(y) + x * 3;
            (outerColumn ? out.outer : out.middle).push_back(lumaOf(p) / m.cheek);
            out.outerTongue += outerColumn && tongueLike(p, m.cheek) ? 1 : 0;
        }
    }
    return out;
}

// Walking down column `x` of an opening from `top`: the row just past the upper teeth (the first pixel under
// 0.8 of the brightest seen, once two pixels of at least 0.9 of the cheek have been), the teeth's luma there
// and how many such bright pixels there were; `bottom` when the teeth do not end above it.
struct UpperTeethEnd {
    int y = 0;
    double teeth = 0.0; // the brightest of the teeth above
    int bright = 0;
};

inline UpperTeethEnd upperTeethEnd(const Image& frame, int x, int top, int bottom, double cheek) {
    auto luma = [&](int y) { return lumaOf(frame.row(y) + x * 3); };
    UpperTeethEnd e{top, 0.0, 0};
    while (e.y < bottom && !(e.bright >= 2 && luma(e.y) < 0.8 * e.teeth)) {
        e.teeth = std::max(e.teeth, luma(e.y));
        e.bright += luma(e.y++) >= 0.9 * cheek ? 1 : 0;
    }
    return e;
}

// Per column across 0.8 of the opening's half-width (`inner` the inner-lip outline of the deformed vertices
// `v`): where the upper teeth end (luma below 0.8 of the brightest tooth pixel above, after two pixels at
// least 0.9 of the cheek's luma), the darkest luma from there over 0.06 `iod` (within the opening, and 2 px
// past it), over the teeth's. Columns without teeth are left out.
inline std::vector<double> dipsUnderUpperTeeth(const Image& frame, const std::vector<PointF>& v,
                                               const std::vector<PointF>& inner, double cheek, double iod) {
    const double centre = (v[60].x + v[64].x) / 2, half = (v[64].x - v[60].x) / 2;
    const int reach = std::max(3, int(std::lround(0.06 * iod)));
    std::vector<double> dips;
    for (int x = int(centre - 0.8 * half); x <= int(centre + 0.8 * half); ++x) {
        const auto [top, bottom] =
            columnSpan(inner, x, int(std::min(v[61].y, v[63].y)) - 10, int(std::max(v[66].y, v[65].y)) + 10);
        if (top < 0)
            continue;
        auto luma = [&](int y) { return lumaOf(frame.row(y) + x * 3); };
        const auto [y, teeth, bright] = upperTeethEnd(frame, x, top, bottom, cheek);
        if (bright < 2)
            continue; // no teeth in this column
        double darkest = teeth;
        for (int k = y; k <= std::min(y + reach, bottom + 2); ++k)
            darkest = std::min(darkest, luma(k));
        dips.push_back(darkest / teeth);
    }
    return dips;
}

} // namespace avatar::test
