#include "PortraitLayout.h"

#include "face/FaceLandmarks.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace avatar {
namespace {

cv::Mat view(Image& img) {
    return {img.height(), img.width(), CV_8UC3, img.data(), static_cast<size_t>(img.stride())};
}
cv::Mat view(const Image& img) {
    return {img.height(), img.width(), CV_8UC3, const_cast<std::uint8_t*>(img.data()),
            static_cast<size_t>(img.stride())};
}

// A presenter framing in face units (about one eye distance, see framed()): the window is at least
// `height` tall and `width` wide, and may shrink to `shrinkLimit` of that to stay inside a small portrait.
struct FramingRule {
    double height;
    double width;
    double shrinkLimit;
};

// Close-up: the head fills about 60 % of the frame's height. Medium close-up: head, neck, shoulders and the
// top of the chest, the chin a little below the middle, as news presenters are framed.
constexpr FramingRule kHeadRule{6.0, 3.4, 0.85};
constexpr FramingRule kShouldersRule{8.5, 5.0, 0.7};
// Space kept between the top of the head and the frame's edge, in face units, and how low the eyes may go
// to keep it.
constexpr double kHeadroom = 0.3;
constexpr double kLowestEyeLine = 0.45;
// The crown sits about as far above the eye line as the chin below it; a little more for hair.
constexpr double kCrownAboveEyes = 1.05; // eye-to-chin lengths

} // namespace

PortraitLayout PortraitLayout::fit(int portraitWidth, int portraitHeight, int frameWidth, int frameHeight) {
    PortraitLayout l;
    l.scale = std::min(double(frameWidth) / portraitWidth, double(frameHeight) / portraitHeight);
    const int w = std::clamp(static_cast<int>(std::lround(portraitWidth * l.scale)), 1, frameWidth);
    const int h = std::clamp(static_cast<int>(std::lround(portraitHeight * l.scale)), 1, frameHeight);
    l.area = {(frameWidth - w) / 2, (frameHeight - h) / 2, w, h};
    // Map pixel centres onto pixel centres so that landmarks land where cv::resize puts the pixels.
    const double sx = double(w) / portraitWidth;
    const double sy = double(h) / portraitHeight;
    l.scale = (sx + sy) / 2.0;
    l.dx = l.area.x + 0.5 * sx - 0.5;
    l.dy = l.area.y + 0.5 * sy - 0.5;
    return l;
}

PortraitLayout PortraitLayout::framed(int portraitWidth, int portraitHeight, const FaceLandmarks& face,
                                      int frameWidth, int frameHeight, Framing framing) {
    if (framing == Framing::AsIs)
        return fit(portraitWidth, portraitHeight, frameWidth, frameHeight);
    const FramingRule& rule = framing == Framing::Head ? kHeadRule : kShouldersRule;
    // Landmarks are pixel indices (a pixel's centre is its index); the window is in pixel-edge coordinates,
    // where the portrait spans [0, width] x [0, height].
    const PointF re = face.rightEyeCenter(), le = face.leftEyeCenter();
    const PointF eyes{(re.x + le.x) / 2 + 0.5, (re.y + le.y) / 2 + 0.5};
    const PointF chin{face.points[8].x + 0.5, face.points[8].y + 0.5};
    const double eyeToChin = std::hypot(chin.x - eyes.x, chin.y - eyes.y);
    // The face unit: the eye distance, or the eye-to-chin length over its usual ratio (1.75) when that is
    // longer, as for a face turned sideways, whose eyes come closer together in the picture.
    const double unit = std::max({face.interOcular(), eyeToChin / 1.75, 1.0});
    double left = face.points[0].x, right = left;
    for (const PointF& p : face.points)
        left = std::min(left, p.x), right = std::max(right, p.x);
    const double centreX = (left + right) / 2 + 0.5;

    const double aspect = double(frameWidth) / frameHeight;
    double h = std::max(rule.height, rule.width / aspect) * unit;
    double w = h * aspect;
    // A portrait too small for the window: zoom in towards a closer framing before showing any blurred fill.
    const double fitsBy = std::min(portraitWidth / w, portraitHeight / h);
    if (fitsBy < 1.0) {
        const double shrink = std::max(fitsBy, rule.shrinkLimit);
        w *= shrink;
        h *= shrink;
    }
    const double crown = kCrownAboveEyes * eyeToChin + kHeadroom * unit;
    const double eyeLine = std::clamp(crown / h, 1.0 / 3.0, kLowestEyeLine);
    // Shifted back inside the portrait where it fits; where it is larger, it keeps the whole portrait in that
    // direction with the face as near its place as possible.
    auto place = [](double want, double size, double extent) {
        return size <= extent ? std::clamp(want, 0.0, extent - size) : std::clamp(want, extent - size, 0.0);
    };
    const double wx = place(centreX - w / 2, w, portraitWidth);
    const double wy = place(eyes.y - eyeLine * h, h, portraitHeight);

    PortraitLayout l;
    l.framing = framing;
    l.scale = frameHeight / h;
    // Output pixel x has its centre at x + 0.5 = (X - wx) * scale in edge coordinates, and a landmark at
    // pixel index u sits at X = u + 0.5.
    l.dx = (0.5 - wx) * l.scale - 0.5;
    l.dy = (0.5 - wy) * l.scale - 0.5;
    // The output pixels whose centres fall on the portrait.
    constexpr double kEps = 1e-6;
    auto span = [&](double origin, int extent, int frameExtent, int& first, int& count) {
        const int lo = std::max(0, static_cast<int>(std::ceil(-origin * l.scale - 0.5 - kEps)));
        const int hi =
            std::min(frameExtent - 1, static_cast<int>(std::floor((extent - origin) * l.scale - 0.5 + kEps)));
        first = lo;
        count = std::max(0, hi - lo + 1);
    };
    span(wx, portraitWidth, frameWidth, l.area.x, l.area.width);
    span(wy, portraitHeight, frameHeight, l.area.y, l.area.height);
    return l;
}

Image PortraitLayout::composeBackground(const Image& portrait, const PortraitLayout& layout, int frameWidth,
                                        int frameHeight) {
    Image frame(frameWidth, frameHeight);
    cv::Mat out = view(frame);
    const cv::Mat src = view(portrait);

    if (layout.framing != Framing::AsIs && !layout.fills(frameWidth, frameHeight)) {
        // A crop window that runs off the portrait: the picture mirrored at its edges, drawn at an eighth
        // of the size, blurred and darkened, so that the fill continues the portrait's colours.
        const int smallW = std::max(8, frameWidth / 8);
        const int smallH = std::max(8, frameHeight / 8);
        const double k = double(smallW) / frameWidth, ky = double(smallH) / frameHeight;
        const double s = layout.scale;
        const cv::Matx23d m(s * k, 0.0, (layout.dx + 0.5) * k - 0.5, //
                            0.0, s * ky, (layout.dy + 0.5) * ky - 0.5);
        cv::Mat small;
        cv::warpAffine(src, small, m, cv::Size(smallW, smallH), cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
        cv::GaussianBlur(small, small, cv::Size(0, 0), 3.0);
        small.convertTo(small, -1, 0.55, 0.0);
        cv::resize(small, out, out.size(), 0, 0, cv::INTER_LINEAR);
    } else if (layout.area.width < frameWidth || layout.area.height < frameHeight) {
        // Cover-fill, blurred at a small size (cheap and smooth), darkened so that the portrait stands out.
        const double cover =
            std::max(double(frameWidth) / portrait.width(), double(frameHeight) / portrait.height());
        const int smallW = std::max(8, frameWidth / 8);
        const int smallH = std::max(8, frameHeight / 8);
        cv::Mat covered;
        const cv::Size coverSize(static_cast<int>(std::ceil(portrait.width() * cover / 8.0)),
                                 static_cast<int>(std::ceil(portrait.height() * cover / 8.0)));
        cv::resize(src, covered,
                   cv::Size(std::max(coverSize.width, smallW), std::max(coverSize.height, smallH)), 0, 0,
                   cv::INTER_AREA);
        const cv::Rect crop((covered.cols - smallW) / 2, (covered.rows - smallH) / 2, smallW, smallH);
        cv::Mat small = covered(crop).clone();
        cv::GaussianBlur(small, small, cv::Size(0, 0), 3.0);
        small.convertTo(small, -1, 0.55, 0.0);
        cv::resize(small, out, out.size(), 0, 0, cv::INTER_LINEAR);
    }
    const Rect a = layout.area;
    if (a.isEmpty())
        return frame;
    cv::Mat target = out(cv::Rect(a.x, a.y, a.width, a.height));
    if (layout.framing == Framing::AsIs) {
        const bool down = a.width < portrait.width();
        cv::resize(src, target, target.size(), 0, 0, down ? cv::INTER_AREA : cv::INTER_CUBIC);
        return frame;
    }
    // A crop: the exact mapping the landmarks went through (output = portrait * scale + d), drawn with
    // warpAffine. Shrinking averages first (INTER_AREA to about the final size), so that nothing aliases;
    // the warp then only enlarges, with Lanczos.
    cv::Mat source = src;
    double fx = 1.0, fy = 1.0;
    if (layout.scale < 1.0) {
        const cv::Size small(std::max(1, static_cast<int>(std::lround(portrait.width() * layout.scale))),
                             std::max(1, static_cast<int>(std::lround(portrait.height() * layout.scale))));
        cv::resize(src, source, small, 0, 0, cv::INTER_AREA);
        fx = double(small.width) / portrait.width();
        fy = double(small.height) / portrait.height();
    }
    // Pre-scaled pixel index v sits at portrait edge coordinate (v + 0.5) / f, i.e. at portrait index
    // (v + 0.5) / f - 0.5.
    const double s = layout.scale;
    const cv::Matx23d m(s / fx, 0.0, (0.5 / fx - 0.5) * s + layout.dx - a.x, //
                        0.0, s / fy, (0.5 / fy - 0.5) * s + layout.dy - a.y);
    cv::warpAffine(source, target, m, target.size(), cv::INTER_LANCZOS4, cv::BORDER_REPLICATE);
    return frame;
}

} // namespace avatar
