// MouthInterior::paint (split from MouthInterior.cpp, which shades one point of the opening): laying one
// frame's opening into the frame, at the photograph's own softness.
#include "MouthInterior.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>

namespace avatar {

void MouthInterior::paint(const std::vector<PointF>& vertices, const MouthParams& pose, Image& frame) const {
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
    const double sigma = 1.5 * (m_softness - 1.2);
    const bool soften = sigma > 0.3;
    const int margin = soften ? static_cast<int>(std::ceil(4.0 * sigma)) : 0; // (OpenCV's kernel: 4 sigma)
    const Rect box =
        Rect{static_cast<int>(std::floor(minX)) - 1 - margin, static_cast<int>(std::floor(minY)) - 1 - margin,
             static_cast<int>(std::ceil(maxX - minX)) + 3 + 2 * margin,
             static_cast<int>(std::ceil(maxY - minY)) + 3 + 2 * margin}
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
        cv::Mat soft;
        cv::GaussianBlur(inside, soft, cv::Size(), 0.5 * m_edge);
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
    f.light = apertureLight(vertices);

    // Where the blur reaches from inside the opening: the interior is continued there too, and only there.
    cv::Mat reach = inside;
    if (soften)
        cv::dilate(inside, reach,
                   cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * margin + 1, 2 * margin + 1)));
    // The opening's colour, the share of it that is the dark space and the grain per pixel.
    cv::Mat colour(box.height, box.width, CV_32FC3, cv::Scalar::all(0.0));
    cv::Mat drawn(box.height, box.width, CV_32FC1, cv::Scalar(0.0f));
    cv::Mat grain(box.height, box.width, CV_32FC1, cv::Scalar(0.0f));
    for (int y = 0; y < box.height; ++y) {
        const std::uint8_t* m = reach.ptr<std::uint8_t>(y);
        auto* c = colour.ptr<cv::Vec3f>(y);
        auto* d = drawn.ptr<float>(y);
        auto* g = grain.ptr<float>(y);
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

    for (int y = 0; y < box.height; ++y) {
        const std::uint8_t* a = alpha.ptr<std::uint8_t>(y);
        const auto* c = colour.ptr<cv::Vec3f>(y);
        const auto* g = grain.ptr<float>(y);
        const cv::Vec3f* b = soften ? blurred.ptr<cv::Vec3f>(y) : nullptr;
        const float* w = soften ? near.ptr<float>(y) : nullptr;
        std::uint8_t* row = frame.row(box.y + y) + box.x * 3;
        for (int x = 0; x < box.width; ++x) {
            if (!a[x])
                continue;
            for (int k = 0; k < 3; ++k) {
                double v = c[x][k];
                if (b)
                    v += (b[x][k] - v) * std::min(1.0f, w[x]);
                v += g[x];
                const int u = static_cast<int>(std::lround(std::clamp(v, 0.0, 255.0)));
                row[x * 3 + k] =
                    static_cast<std::uint8_t>((row[x * 3 + k] * (255 - a[x]) + u * a[x] + 127) / 255);
            }
        }
    }
}

} // namespace avatar
