#pragma once

#include "core/Image.h"

#include <array>
#include <span>

namespace avatar::bench {

// What one face's mouth looks like inside its inner lips, measured on any image (a photograph or a decoded
// frame) from 68 landmarks in the iBUG order (face-api's or dlib's). Issue #12 compares these figures for
// rendered frames with the same figures for real photographs of open mouths (docs/QUALITY.md).
struct MouthFigures {
    double opening = 0.0;           // mean inner-lip gap (61-67, 62-66, 63-65) over the inter-ocular distance
    bool lipsApart = false;         // opening >= MouthMetrics::kLipsApartIod
    double cheekLuma = 0.0;         // the reference brightness: median luma of both cheek patches
    double cheekRedOverGreen = 0.0; // the reference colour: the patches' median red over their median green
    long long pixels = 0;           // pixel centres inside the inner-lip polygon (60-67)
    long long nearBlack = 0;        // of those, luma < kNearBlackOfCheek x cheekLuma
    long long toothBright = 0;      // of those, tooth-bright (MouthMetrics::isToothBright)

    double nearBlackShare() const { return pixels ? double(nearBlack) / double(pixels) : 0.0; }
    double toothBrightShare() const { return pixels ? double(toothBright) / double(pixels) : 0.0; }
};

// The definitions behind the mouth figures, in one place so that the suite, the test and docs/QUALITY.md
// agree. Luma is BT.601 (0.299 R + 0.587 G + 0.114 B, 0..255), as JPEG and H.264's default matrix use it.
class MouthMetrics {
public:
    using Landmarks = std::array<PointF, 68>;

    // Lips count as apart from this inner-lip gap on: about 6 px at 1280x720 for the default portrait (eyes
    // 59 px apart), where the polygon holds a few hundred pixels; below it the polygon is a sliver of lip.
    static constexpr double kLipsApartIod = 0.10;
    // Near-black: darker than a quarter of the cheek (the definition).
    static constexpr double kNearBlackOfCheek = 0.25;
    // Tooth-bright: at least this share of the cheek's luma ...
    static constexpr double kToothLumaOfCheek = 0.70;
    // ... and either nearly colourless: (max - min) / max of R, G, B at most this (teeth in daylight or
    // neutral light; lips, tongue and the rendered maroon cavity are saturated reds) ...
    static constexpr double kToothMaxSaturation = 0.40;
    // ... or no redder than the skin in the same light: red over green at most this multiple of the cheek's.
    // Under orange or violet light teeth take the light's colour and fail the absolute limit (sample5's and
    // sample4's teeth measured 1-36 %), but the light tints skin and teeth alike, so the ratio of the two
    // cancels it; lips and tongue are redder than the skin under any light (docs/QUALITY.md).
    static constexpr double kToothMaxRedOverGreenOfCheek = 1.10;
    // Each cheek patch is a square this many inter-ocular distances wide.
    static constexpr double kCheekPatchIod = 0.22;

    static double luma(const std::uint8_t* rgb) { return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]; }
    static double saturation(const std::uint8_t* rgb);
    static bool isToothBright(const std::uint8_t* rgb, double cheekLuma, double cheekRedOverGreen);
    static bool isNearBlack(const std::uint8_t* rgb, double cheekLuma) {
        return luma(rgb) < kNearBlackOfCheek * cheekLuma;
    }

    // Even-odd rule on the pixel centre (x + 0.5, y + 0.5).
    static bool contains(std::span<const PointF> polygon, double x, double y);
    // Centre of each cheek patch: the centroid of a jaw point level with the mouth (2 or 14), the lower
    // eyelid (41 or 46), the mouth corner (48 or 54) and the nose wing (31 or 35): the flat of the cheek,
    // away from the nasolabial fold's shadow, the eye and the face's edge.
    static std::array<PointF, 2> cheekCentres(const Landmarks& points);
    // Median luma of the pixels of both cheek patches.
    static double cheekLuma(const Image& image, const Landmarks& points);
    // The median red over the median green of the same pixels (1 when the patches are empty or green is 0).
    static double cheekRedOverGreen(const Image& image, const Landmarks& points);
    // Counts the pixels inside `polygon` against the cheek's luma and colour (no lips-apart test).
    static MouthFigures countInside(const Image& image, std::span<const PointF> polygon, double referenceLuma,
                                    double referenceRedOverGreen);
    // The whole measurement: inner-lip polygon 60-67, cheek reference, opening and lips-apart flag.
    static MouthFigures measure(const Image& image, const Landmarks& points);
    static double opening(const Landmarks& points);
};

} // namespace avatar::bench
