#pragma once

#include "core/Image.h"

#include <vector>

namespace avatar {

// A strip of a real photograph between two curves that run across the face, e.g. the portrait's upper teeth
// between the lips, or its lower lip between the inner and outer lip lines. sample(s, t) reads it in the
// strip's own coordinates: s from -1 (the image's left end of the curves) to +1 across, t from 0 on the near
// curve to 1 on the far one. That lets a texture from one face be laid into another face's mouth at any
// size, and the same face's teeth be stretched as its lips part.
class ImageBand {
public:
    // `nearCurve` and `farCurve` in `image` coordinates, each at least two points; `alongEyes` and
    // `downFace` are the face's unit axes in that image.
    ImageBand(Image image, const std::vector<PointF>& nearCurve, const std::vector<PointF>& farCurve,
              PointF alongEyes, PointF downFace);

    // Bilinear, with the per-channel gain applied; s and t are clamped to the band.
    void sample(double s, double t, double rgb[3]) const;
    // The band's height (far curve to near curve, along downFace) at s, in the image's pixels.
    double heightAt(double s) const;
    // The band's width (its ends along alongEyes), in the image's pixels.
    double width() const { return m_width; }
    // Multiplies every sample (colour matching to another photograph).
    void setGain(double r, double g, double b);
    const Image& image() const { return m_image; }

private:
    static constexpr int kColumns = 65;
    Image m_image;
    std::vector<PointF> m_near; // kColumns points in image coordinates
    std::vector<PointF> m_far;
    double m_width = 1.0;
    PointF m_down;
    double m_gain[3] = {1.0, 1.0, 1.0};
};

// Reads the v coordinate of a polyline (points given as (a, b) in some face frame, in any order along a) at
// each of `columns` evenly spaced values of a from `start` in steps of `step`; beyond the polyline's ends
// the end value holds. `lowest` picks the larger b where the polyline crosses a column twice.
std::vector<double> tabulateCurve(const std::vector<PointF>& points, double start, double step, int columns,
                                  bool lowest);

// Bilinear sample of an RGB image at (x, y) in pixel coordinates (pixel centres at +0.5), clamped to the
// edge.
void sampleBilinear(const Image& image, double x, double y, double rgb[3]);

} // namespace avatar
