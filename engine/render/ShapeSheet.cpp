#include "ShapeSheet.h"

#include "lipsync/MouthParams.h"

#include <cstring>
#include <opencv2/imgproc.hpp>
#include <string>

namespace avatar {

Image ShapeSheet::render(const Scene& scene) {
    constexpr const char* kShapes = "XABCDEFGH";
    constexpr int kTiles = 9;
    constexpr int kColumns = 5;
    constexpr int kLabel = 28; // pixels under each tile
    const Rect r = scene.rig.region();
    const int rows = (kTiles + kColumns - 1) / kColumns;
    Image sheet(kColumns * r.width, rows * (r.height + kLabel));
    sheet.fill(24, 24, 28);
    cv::Mat canvas(sheet.height(), sheet.width(), CV_8UC3, sheet.data(), static_cast<size_t>(sheet.stride()));
    Image frame = scene.background;
    for (int k = 0; k < kTiles; ++k) {
        scene.renderer.render(MouthParams::forShape(visemeFromChar(kShapes[k])), frame);
        const int ox = (k % kColumns) * r.width;
        const int oy = (k / kColumns) * (r.height + kLabel);
        for (int y = 0; y < r.height; ++y)
            std::memcpy(sheet.row(oy + y) + ox * 3, frame.row(r.y + y) + r.x * 3,
                        static_cast<std::size_t>(r.width) * 3);
        const std::string label(1, kShapes[k]);
        cv::putText(canvas, label, cv::Point(ox + r.width / 2 - 7, oy + r.height + kLabel - 7),
                    cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(235, 235, 235), 2, cv::LINE_AA);
    }
    return sheet;
}

} // namespace avatar
