#pragma once

#include "Framing.h"
#include "core/Image.h"

namespace avatar {

struct FaceLandmarks;

// Where the portrait sits in the output frame. As is: scaled to fit inside the frame, centred; the bars that
// a different aspect ratio leaves are filled with a blurred, darkened copy of the portrait scaled to cover
// the frame, as presenters' videos usually do, rather than with black. Head and shoulders: a window around
// the face, of the frame's aspect ratio, is scaled to fill the frame (see framed()).
struct PortraitLayout {
    double scale = 1.0; // output pixels per portrait pixel
    double dx = 0.0;    // output = portrait * scale + (dx, dy), pixel centres on pixel centres
    double dy = 0.0;
    Rect area; // the part of the output frame the portrait covers; the rest is the blurred fill
    Framing framing = Framing::AsIs;

    // Above this enlargement the portrait's pixels show as blur: the render warns (a bigger portrait, a
    // smaller size or a wider framing looks better).
    static constexpr double kSoftUpscale = 2.5;
    bool soft() const { return scale > kSoftUpscale; }
    // True when the portrait covers the whole frame (no blurred fill).
    bool fills(int frameWidth, int frameHeight) const { return area == Rect{0, 0, frameWidth, frameHeight}; }

    static PortraitLayout fit(int portraitWidth, int portraitHeight, int frameWidth, int frameHeight);
    // The layout for `framing`: fit() for AsIs; for Head and Shoulders a crop window sized from the face
    // (eye distance and eye-to-chin length), the eyes near the upper third with room above the head, the
    // face centred across. A window that runs off the portrait is shifted back inside (or, for a portrait
    // smaller than the framing asks, first shrunk towards a closer framing); only what still lies outside the
    // portrait gets the blurred fill.
    static PortraitLayout framed(int portraitWidth, int portraitHeight, const FaceLandmarks& face,
                                 int frameWidth, int frameHeight, Framing framing);
    // The still frame every video frame starts from. Downscaling averages (INTER_AREA); enlarging uses
    // Lanczos (crops) or bicubic (as is) interpolation.
    static Image composeBackground(const Image& portrait, const PortraitLayout& layout, int frameWidth,
                                   int frameHeight);
};

} // namespace avatar
