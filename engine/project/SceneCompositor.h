#pragma once

#include "Project.h"
#include "core/Image.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace avatar::project {

// Lays a boxed scene out (Layout other than Full): a still canvas (background, then the slide) drawn once,
// and each frame of the presenter, rendered at the box's size, pasted into its box through an antialiased
// circle or rounded-corner mask. Only the box changes from frame to frame.
class SceneCompositor {
public:
    enum class Mask { Square, Circle, Rounded };
    struct Geometry {
        Rect presenter; // even position and size (the presenter is rendered at this size)
        Rect slide;     // where the slide is fitted (the whole frame behind a circle or a rounded box)
        Mask mask = Mask::Square;
    };
    static Geometry geometry(Layout layout, int width, int height);

    // Throws Error(InvalidInput) for a colour that is not "#rrggbb", Error(NotFound/Unreadable) for an image
    // that cannot be read. `scene.layout` must not be Full.
    SceneCompositor(const Scene& scene, int width, int height);

    const Geometry& layout() const { return m_geometry; }
    const Image& canvas() const { return m_canvas; }
    // Pastes `presenter` (the box's size) into `frame` (a copy of the canvas, or the previous frame).
    void compose(const Image& presenter, Image& frame) const;

    // "#rrggbb" (either case) as red, green, blue.
    static std::optional<std::array<std::uint8_t, 3>> parseColor(std::string_view text);

private:
    Geometry m_geometry;
    Image m_canvas;
    std::vector<std::uint8_t> m_alpha; // per pixel of the box, 0..255
};

} // namespace avatar::project
