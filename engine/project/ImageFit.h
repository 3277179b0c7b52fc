#pragma once

#include "core/Image.h"

namespace avatar::project {

// Draws `image` into `area` of `canvas`, centred: scaled to cover the area (cropped to its shape) or to fit
// inside it (the rest of the area left as it is). Slides, background pictures and video frames, intro and
// outro clips. Returns the part of `canvas` that was drawn.
Rect drawFitted(Image& canvas, const Image& image, const Rect& area, bool cover);

} // namespace avatar::project
