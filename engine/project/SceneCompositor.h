#pragma once

#include "Project.h"
#include "core/Image.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace avatar {
class AssRenderer;
}

namespace avatar::project {

class VideoClip;

// Lays a scene out: a still canvas (background, then the slide) drawn once; each frame of the presenter,
// rendered at its box's size (the whole frame in the Full layout), pasted into the box through an
// antialiased circle or rounded-corner mask; then the text overlays (libass, captions/AssRenderer) and the
// brand's logo on top. Only dirty() changes from frame to frame, unless the background is a video: then
// nextBackground() draws its next frame (VideoClip, streamed and looped) under the slide, and the whole
// frame changes.
class SceneCompositor {
public:
    enum class Mask { Square, Circle, Rounded };
    struct Geometry {
        Rect presenter; // even position and size (the presenter is rendered at this size)
        Rect slide;     // where the slide is fitted (the whole frame behind a circle or a rounded box)
        Mask mask = Mask::Square;
    };
    static Geometry geometry(Layout layout, int width, int height);

    // Whether a scene needs composing at all: a boxed layout, overlays or a logo.
    static bool needed(const Scene& scene, const Brand& brand);
    // A full-frame scene with titles or a logo: the presenter covers the whole frame and what goes over it is
    // the same in every frame, so the pipeline draws it (drawOver, as a RunHooks::overlay) while it draws the
    // presenter, and the scene needs no composing after the render.
    static bool drawnOverPresenter(const Scene& scene, const Brand& brand);
    // The logo's place: 12 % of the frame's height, its own shape, in the brand's corner within the margins.
    static Rect logoBox(const Brand& brand, int logoWidth, int logoHeight, int width, int height);

    // Throws Error(InvalidInput) for a colour that is not "#rrggbb", Error(NotFound/Unreadable) for an image
    // that cannot be read or a background video that cannot be decoded. `fps`: the rate a video background
    // is played at.
    SceneCompositor(const Scene& scene, const Brand& brand, int width, int height, FrameRate fps = 25);
    ~SceneCompositor();

    const Geometry& layout() const { return m_geometry; }
    const Image& canvas() const { return m_canvas; }
    // What compose() may change: the presenter's box, the overlays and the logo; everything under a video
    // background.
    Rect dirty() const { return m_dirty; }
    bool animated() const { return m_video != nullptr; }
    // With a video background: the canvas becomes the next frame's (the video's next frame, the slide over
    // it). Nothing otherwise.
    void nextBackground();
    // Makes `frame` (a copy of the canvas, or the previous frame) the scene's frame for this presenter frame
    // (the box's size).
    void compose(const Image& presenter, Image& frame) const;
    // The overlays and the logo drawn onto `frame` (which holds what lies under them); safe to call from
    // several threads at once.
    void drawOver(Image& frame) const;
    // The part of the frame drawOver() changes.
    Rect drawnOver() const { return m_drawnOver; }

    // "#rrggbb" (either case) as red, green, blue.
    static std::optional<std::array<std::uint8_t, 3>> parseColor(std::string_view text);

private:
    void pastePresenter(const Image& presenter, Image& frame) const;

    Geometry m_geometry;
    Image m_canvas;
    std::vector<std::uint8_t> m_alpha; // per pixel of the box, 0..255
    std::unique_ptr<AssRenderer> m_overlays;
    Rect m_overlayArea;
    Image m_logo;
    Rect m_logoBox;
    Rect m_drawnOver; // the overlays and the logo
    Rect m_dirty;
    std::unique_ptr<VideoClip> m_video;
    Image m_slideLayer; // with a video background: the slide, drawn once, copied over each video frame
    Rect m_slideArea;
};

} // namespace avatar::project
