#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace avatar {

struct Rect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;

    bool isEmpty() const { return width <= 0 || height <= 0; }
    int right() const { return x + width; }   // exclusive
    int bottom() const { return y + height; } // exclusive
    bool contains(int px, int py) const { return px >= x && py >= y && px < right() && py < bottom(); }
    Rect intersected(const Rect& o) const;
    bool operator==(const Rect&) const = default;
};

struct PointF {
    double x = 0.0;
    double y = 0.0;
};

// An 8-bit RGB image, rows packed without padding (stride = 3 * width). The engine's one pixel container;
// OpenCV and FFmpeg wrap its memory without copying. The pixels are the image's own, or memory lent by an
// owner (a frame buffer from the MemoryManager's pools) that `keepAlive` holds until the image goes away.
// Copies always own their pixels; assigning an image of the same size keeps the target's memory (a pooled
// frame stays pooled).
class Image {
public:
    Image() = default;
    Image(int width, int height);
    // Wraps `pixels` (at least width * height * 3 bytes); `keepAlive` owns them.
    Image(int width, int height, std::uint8_t* pixels, std::shared_ptr<void> keepAlive);
    Image(const Image& other);
    Image(Image&& other) noexcept;
    Image& operator=(const Image& other);
    Image& operator=(Image&& other) noexcept;
    ~Image() = default;

    int width() const { return m_width; }
    int height() const { return m_height; }
    int stride() const { return m_width * 3; }
    bool isNull() const { return m_data == nullptr; }
    Rect rect() const { return {0, 0, m_width, m_height}; }
    // True when the pixels are lent by an owner (see the class comment).
    bool isBorrowed() const { return m_keepAlive != nullptr; }

    std::uint8_t* data() { return m_data; }
    const std::uint8_t* data() const { return m_data; }
    std::uint8_t* row(int y) { return m_data + static_cast<std::size_t>(y) * stride(); }
    const std::uint8_t* row(int y) const { return m_data + static_cast<std::size_t>(y) * stride(); }
    std::size_t byteSize() const { return static_cast<std::size_t>(m_width) * m_height * 3; }

    void fill(std::uint8_t r, std::uint8_t g, std::uint8_t b);
    // Copies the pixels of `area` from `src` (same size as this image) into this image.
    void copyRect(const Image& src, const Rect& area);
    // A new image holding the pixels of `area` (clipped to this image).
    Image cropped(const Rect& area) const;

private:
    void copyFrom(const Image& other);

    int m_width = 0;
    int m_height = 0;
    std::uint8_t* m_data = nullptr;
    std::vector<std::uint8_t> m_pixels; // own pixels (empty when borrowed)
    std::shared_ptr<void> m_keepAlive;  // the owner of borrowed pixels
};

} // namespace avatar
