#include "PortraitLayout.h"

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

Image PortraitLayout::composeBackground(const Image& portrait, const PortraitLayout& layout, int frameWidth,
                                        int frameHeight) {
    Image frame(frameWidth, frameHeight);
    cv::Mat out = view(frame);
    const cv::Mat src = view(portrait);

    if (layout.area.width < frameWidth || layout.area.height < frameHeight) {
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
    cv::Mat target = out(cv::Rect(a.x, a.y, a.width, a.height));
    const bool down = a.width < portrait.width();
    cv::resize(src, target, target.size(), 0, 0, down ? cv::INTER_AREA : cv::INTER_CUBIC);
    return frame;
}

} // namespace avatar
