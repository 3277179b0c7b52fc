#pragma once

#include "Scene.h"
#include "core/Image.h"

namespace avatar {

// A contact sheet of the mouth shapes X, A–H drawn on a scene's face, each tile labelled: a preview of how a
// portrait will animate, and the picture kept in docs/screenshots/.
struct ShapeSheet {
    static Image render(const Scene& scene);
};

} // namespace avatar
