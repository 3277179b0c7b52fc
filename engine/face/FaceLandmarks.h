#pragma once

#include "core/Image.h"

#include <array>
#include <cmath>

namespace avatar {

// The 68 points of the iBUG 300-W scheme that dlib's model predicts:
// 0-16 jaw, 17-26 brows, 27-35 nose, 36-41 right eye (image left), 42-47 left eye,
// 48-59 outer lips (48 and 54 are the corners), 60-67 inner lips (60 and 64 are the corners).
struct FaceLandmarks {
    static constexpr int kCount = 68;

    Rect box;                            // the detector's face box
    double score = 0.0;                  // the detector's confidence
    std::array<PointF, kCount> points{}; // image coordinates

    PointF meanOf(int first, int last) const { // inclusive range
        PointF c;
        for (int i = first; i <= last; ++i) {
            c.x += points[i].x;
            c.y += points[i].y;
        }
        const double n = last - first + 1;
        return {c.x / n, c.y / n};
    }
    PointF rightEyeCenter() const { return meanOf(36, 41); }
    PointF leftEyeCenter() const { return meanOf(42, 47); }
    // Distance between the eye centres: the scale unit of every mouth measure.
    double interOcular() const {
        const PointF a = rightEyeCenter();
        const PointF b = leftEyeCenter();
        return std::hypot(b.x - a.x, b.y - a.y);
    }
    // Mean inner-lip gap (61-67, 62-66, 63-65) divided by the inter-ocular distance.
    double mouthOpening() const {
        auto d = [&](int a, int b) {
            return std::hypot(points[a].x - points[b].x, points[a].y - points[b].y);
        };
        return (d(61, 67) + d(62, 66) + d(63, 65)) / 3.0 / interOcular();
    }
    // Maps every point and the box through x' = x * scale + dx, y' = y * scale + dy.
    FaceLandmarks transformed(double scale, double dx, double dy) const {
        FaceLandmarks out = *this;
        for (auto& p : out.points)
            p = {p.x * scale + dx, p.y * scale + dy};
        out.box = {static_cast<int>(std::lround(box.x * scale + dx)),
                   static_cast<int>(std::lround(box.y * scale + dy)),
                   static_cast<int>(std::lround(box.width * scale)),
                   static_cast<int>(std::lround(box.height * scale))};
        return out;
    }
};

} // namespace avatar
