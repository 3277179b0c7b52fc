#include "Image.h"

#include "Error.h"

#include <algorithm>
#include <cstring>

namespace avatar {

Rect Rect::intersected(const Rect& o) const {
    const int x0 = std::max(x, o.x);
    const int y0 = std::max(y, o.y);
    const int x1 = std::min(right(), o.right());
    const int y1 = std::min(bottom(), o.bottom());
    if (x1 <= x0 || y1 <= y0)
        return {};
    return {x0, y0, x1 - x0, y1 - y0};
}

Image::Image(int width, int height) : m_width(width), m_height(height) {
    if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
        throw Error(ErrorCode::InvalidInput, "Image size " + std::to_string(width) + "x" +
                                                 std::to_string(height) + " is out of range (1..16384).");
    m_pixels.resize(static_cast<std::size_t>(width) * height * 3);
}

void Image::fill(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    for (std::size_t i = 0; i + 2 < m_pixels.size(); i += 3) {
        m_pixels[i] = r;
        m_pixels[i + 1] = g;
        m_pixels[i + 2] = b;
    }
}

void Image::copyRect(const Image& src, const Rect& area) {
    const Rect r = area.intersected(rect()).intersected(src.rect());
    for (int y = r.y; y < r.bottom(); ++y)
        std::memcpy(row(y) + r.x * 3, src.row(y) + r.x * 3, static_cast<std::size_t>(r.width) * 3);
}

} // namespace avatar
