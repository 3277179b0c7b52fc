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

namespace {

void checkSize(int width, int height) {
    if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
        throw Error(ErrorCode::InvalidInput, "Image size " + std::to_string(width) + "x" +
                                                 std::to_string(height) + " is out of range (1..16384).");
}

} // namespace

Image::Image(int width, int height) : m_width(width), m_height(height) {
    checkSize(width, height);
    m_pixels.resize(static_cast<std::size_t>(width) * height * 3);
    m_data = m_pixels.data();
}

Image::Image(int width, int height, std::uint8_t* pixels, std::shared_ptr<void> keepAlive)
    : m_width(width), m_height(height), m_data(pixels), m_keepAlive(std::move(keepAlive)) {
    checkSize(width, height);
    if (!pixels || !m_keepAlive)
        throw Error(ErrorCode::Internal, "A borrowed image needs pixels and an owner.");
}

Image::Image(const Image& other) : m_width(other.m_width), m_height(other.m_height) {
    if (other.m_data) {
        m_pixels.assign(other.m_data, other.m_data + other.byteSize());
        m_data = m_pixels.data();
    }
}

Image::Image(Image&& other) noexcept
    : m_width(other.m_width), m_height(other.m_height), m_data(other.m_data),
      m_pixels(std::move(other.m_pixels)), m_keepAlive(std::move(other.m_keepAlive)) {
    if (!m_pixels.empty())
        m_data = m_pixels.data();
    other.m_width = other.m_height = 0;
    other.m_data = nullptr;
}

Image& Image::operator=(const Image& other) {
    if (this != &other)
        copyFrom(other);
    return *this;
}

Image& Image::operator=(Image&& other) noexcept {
    if (this == &other)
        return *this;
    m_width = other.m_width;
    m_height = other.m_height;
    m_pixels = std::move(other.m_pixels);
    m_keepAlive = std::move(other.m_keepAlive);
    m_data = m_pixels.empty() ? other.m_data : m_pixels.data();
    other.m_width = other.m_height = 0;
    other.m_data = nullptr;
    return *this;
}

void Image::copyFrom(const Image& other) {
    // Same size: copy into the memory this image already has (pooled or own).
    if (m_data && other.m_data && m_width == other.m_width && m_height == other.m_height) {
        std::memcpy(m_data, other.m_data, byteSize());
        return;
    }
    m_keepAlive.reset();
    m_width = other.m_width;
    m_height = other.m_height;
    if (other.m_data) {
        m_pixels.assign(other.m_data, other.m_data + other.byteSize());
        m_data = m_pixels.data();
    } else {
        m_pixels.clear();
        m_data = nullptr;
    }
}

void Image::fill(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    const std::size_t n = byteSize();
    for (std::size_t i = 0; i + 2 < n; i += 3) {
        m_data[i] = r;
        m_data[i + 1] = g;
        m_data[i + 2] = b;
    }
}

void Image::copyRect(const Image& src, const Rect& area) {
    const Rect r = area.intersected(rect()).intersected(src.rect());
    for (int y = r.y; y < r.bottom(); ++y)
        std::memcpy(row(y) + r.x * 3, src.row(y) + r.x * 3, static_cast<std::size_t>(r.width) * 3);
}

Image Image::cropped(const Rect& area) const {
    const Rect r = area.intersected(rect());
    Image out(r.width, r.height);
    for (int y = 0; y < r.height; ++y)
        std::memcpy(out.row(y), row(r.y + y) + r.x * 3, static_cast<std::size_t>(r.width) * 3);
    return out;
}

} // namespace avatar
