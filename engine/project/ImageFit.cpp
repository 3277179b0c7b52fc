#include "ImageFit.h"

#include "core/ImageIO.h"

#include <algorithm>
#include <cmath>

namespace avatar::project {

Rect drawFitted(Image& canvas, const Image& image, const Rect& area, bool cover) {
    const double sx = double(area.width) / image.width();
    const double sy = double(area.height) / image.height();
    const double scale = cover ? std::max(sx, sy) : std::min(sx, sy);
    const int w = std::max(1, static_cast<int>(std::lround(image.width() * scale)));
    const int h = std::max(1, static_cast<int>(std::lround(image.height() * scale)));
    const bool same = w == image.width() && h == image.height();
    const Image scaled = same ? Image() : ImageIO::resized(image, w, h);
    const Image& source = same ? image : scaled;
    const int x0 = area.x + (area.width - w) / 2;
    const int y0 = area.y + (area.height - h) / 2;
    const int xa = std::max(area.x, x0);
    const int xb = std::min(area.right(), x0 + w);
    const int ya = std::max(area.y, y0);
    const int yb = std::min(area.bottom(), y0 + h);
    for (int y = ya; y < yb; ++y)
        std::copy_n(source.row(y - y0) + (xa - x0) * 3, (xb - xa) * 3, canvas.row(y) + xa * 3);
    return {xa, ya, xb - xa, yb - ya};
}

} // namespace avatar::project
