#pragma once

#include "core/Image.h"

namespace avatar {

// Where the portrait sits in the output frame: scaled to fit inside the frame, centred. The bars that a
// different aspect ratio leaves are filled with a blurred, darkened copy of the portrait scaled to cover the
// frame, as presenters' videos usually do, rather than with black.
struct PortraitLayout {
    double scale = 1.0; // output pixels per portrait pixel
    double dx = 0.0;    // output = portrait * scale + (dx, dy)
    double dy = 0.0;
    Rect area; // the portrait's rectangle in the output frame

    static PortraitLayout fit(int portraitWidth, int portraitHeight, int frameWidth, int frameHeight);
    // The still frame every video frame starts from.
    static Image composeBackground(const Image& portrait, const PortraitLayout& layout, int frameWidth,
                                   int frameHeight);
};

} // namespace avatar
