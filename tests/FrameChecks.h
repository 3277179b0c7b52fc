#pragma once

// What the project suites (tst_project, tst_scene_media) measure in the videos they render: every decoded
// frame, and the mean colour of an area.

#include "core/Image.h"
#include "media/MediaReader.h"

#include <array>
#include <filesystem>
#include <vector>

namespace avatar::test {

inline std::vector<Image> decodeAll(const std::filesystem::path& file) {
    MediaReader reader(file);
    std::vector<Image> frames;
    Image frame;
    while (reader.readVideoFrame(frame))
        frames.push_back(frame);
    return frames;
}

// The mean red, green and blue of `area` of `image`.
inline std::array<double, 3> meanColor(const Image& image, const Rect& area) {
    std::array<double, 3> sum{};
    for (int y = area.y; y < area.bottom(); ++y)
        for (int x = area.x; x < area.right(); ++x)
            for (int c = 0; c < 3; ++c)
                sum[c] += image.row(y)[x * 3 + c];
    const double n = double(area.width) * area.height;
    return {sum[0] / n, sum[1] / n, sum[2] / n};
}

} // namespace avatar::test
