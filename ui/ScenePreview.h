#pragma once

#include "project/Project.h"

#include <QImage>
#include <QString>

namespace avatar::ui {

// A scene's first frame as the studio shows it (scene list thumbnails, the preview): the engine's
// SceneCompositor lays out the background, slide, overlays and logo exactly as the render does, with the
// portrait at rest cover-fitted into the presenter's box (the render frames it around the face, so a
// Head or Head-and-shoulders framing crops closer than this still).
class ScenePreview {
public:
    // A null image and `error` set when the scene cannot be drawn (a bad colour, an unreadable image).
    static QImage render(const project::Scene& scene, const project::Brand& brand, int width, int height,
                         QString* error = nullptr);
};

} // namespace avatar::ui
