#pragma once

#include "core/Image.h"
#include "face/FaceLandmarks.h"
#include "render/Scene.h"

#include <span>
#include <string>
#include <vector>

namespace avatar::bench {

// Contact sheets for judging the mouth by eye (issue #12): every tile is a crop around the mouth enlarged
// 2x with nearest-neighbour sampling, so each video pixel is a visible 2x2 block and nothing is smoothed.
class RealismSheets {
public:
    static constexpr int kZoom = 2;

    struct Row {
        std::string name;
        const Scene* scene = nullptr;
    };
    // One row per portrait, one column per shape X, A-H, drawn by the scene's own renderer (no encoder).
    static Image shapes(std::span<const Row> rows);
    // Consecutive frames (decoded from a video) side by side, each cropped to `crop`, captioned with
    // `labels` (one per frame) under a title line.
    static Image frames(std::span<const Image> frames, const Rect& crop,
                        const std::vector<std::string>& labels, const std::string& title);
    // The crop around a face's mouth: 1.6 inter-ocular distances wide, 1.2 high, from just under the nose to
    // below the chin of a wide-open jaw; clipped to `bounds`.
    static Rect mouthCrop(const FaceLandmarks& face, const Rect& bounds);
};

} // namespace avatar::bench
