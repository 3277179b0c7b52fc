#pragma once

#include "core/Image.h"

#include <vector>

namespace avatar {

// Network inputs sampled straight from the image, the way face-api builds them from a tensor: the region is
// padded with black to a square (on the right and bottom, or on both sides when `center`), then resized
// bilinearly with TensorFlow's resizeBilinear (no half-pixel offset, no corner alignment). Only size x size
// samples are read, so a huge photo never becomes a huge float tensor: that is how an 8000x6000 image is
// searched in a 512x512 input.
struct FaceCrop {
    // Appends size * size * 3 floats (0..255) in planar RGB order (channel, row, column) to `out`.
    // `region` must lie inside the image and not be empty.
    static void sample(const Image& image, const Rect& region, int size, bool center,
                       std::vector<float>& out);
};

} // namespace avatar
