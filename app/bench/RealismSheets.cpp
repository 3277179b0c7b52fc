#include "RealismSheets.h"

#include "lipsync/MouthParams.h"
#include "lipsync/Viseme.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace avatar::bench {
namespace {

constexpr int kLabel = 26; // pixels of caption under each tile
constexpr int kGap = 4;

cv::Mat wrap(Image& image) {
    return cv::Mat(image.height(), image.width(), CV_8UC3, image.data(), static_cast<size_t>(image.stride()));
}

// Copies `area` of `src` into `dst` at (ox, oy), enlarged kZoom times.
void blitZoomed(const Image& src, const Rect& area, Image& dst, int ox, int oy) {
    for (int y = 0; y < area.height * RealismSheets::kZoom; ++y) {
        const std::uint8_t* from = src.row(area.y + y / RealismSheets::kZoom) + area.x * 3;
        std::uint8_t* to = dst.row(oy + y) + ox * 3;
        for (int x = 0; x < area.width * RealismSheets::kZoom; ++x) {
            const std::uint8_t* p = from + (x / RealismSheets::kZoom) * 3;
            to[x * 3] = p[0];
            to[x * 3 + 1] = p[1];
            to[x * 3 + 2] = p[2];
        }
    }
}

void label(Image& sheet, const std::string& text, int x, int y) {
    cv::Mat canvas = wrap(sheet);
    cv::putText(canvas, text, cv::Point(x, y), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(235, 235, 235), 1,
                cv::LINE_AA);
}

} // namespace

Rect RealismSheets::mouthCrop(const FaceLandmarks& face, const Rect& bounds) {
    const double iod = face.interOcular();
    const PointF c = face.meanOf(48, 67);
    const int w = static_cast<int>(std::lround(1.6 * iod));
    const int h = static_cast<int>(std::lround(1.2 * iod));
    // The mouth sits in the upper part of the tile: the jaw drops below it.
    const Rect r{static_cast<int>(std::lround(c.x - w / 2.0)), static_cast<int>(std::lround(c.y - 0.4 * h)),
                 w, h};
    return r.intersected(bounds);
}

Image RealismSheets::shapes(std::span<const Row> rows) {
    constexpr const char* kShapes = "XABCDEFGH";
    constexpr int kColumns = 9;
    std::vector<Rect> crops;
    int tileW = 0, tileH = 0;
    for (const Row& row : rows) {
        crops.push_back(mouthCrop(row.scene->face, row.scene->background.rect()));
        tileW = std::max(tileW, crops.back().width * kZoom);
        tileH = std::max(tileH, crops.back().height * kZoom);
    }
    const int rowH = kLabel + tileH + kGap;
    Image sheet(kColumns * (tileW + kGap), kLabel + static_cast<int>(rows.size()) * rowH);
    sheet.fill(24, 24, 28);
    for (int k = 0; k < kColumns; ++k)
        label(sheet, std::string(1, kShapes[k]), k * (tileW + kGap) + tileW / 2 - 6, kLabel - 7);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Scene& scene = *rows[r].scene;
        const int oy = kLabel + static_cast<int>(r) * rowH;
        label(sheet, rows[r].name, 4, oy + kLabel - 7);
        Image frame = scene.background;
        for (int k = 0; k < kColumns; ++k) {
            scene.renderer.render(MouthParams::forShape(visemeFromChar(kShapes[k])), frame);
            blitZoomed(frame, crops[r], sheet, k * (tileW + kGap), oy + kLabel);
        }
    }
    return sheet;
}

Image RealismSheets::frames(std::span<const Image> frames, const Rect& crop,
                            const std::vector<std::string>& labels, const std::string& title) {
    constexpr int kColumns = 4;
    const int tileW = crop.width * kZoom, tileH = crop.height * kZoom;
    const int rows = (static_cast<int>(frames.size()) + kColumns - 1) / kColumns;
    Image sheet(kColumns * (tileW + kGap), kLabel + rows * (tileH + kLabel + kGap));
    sheet.fill(24, 24, 28);
    label(sheet, title, 4, kLabel - 7);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const int ox = static_cast<int>(i % kColumns) * (tileW + kGap);
        const int oy = kLabel + static_cast<int>(i / kColumns) * (tileH + kLabel + kGap);
        blitZoomed(frames[i], crop, sheet, ox, oy);
        if (i < labels.size())
            label(sheet, labels[i], ox + 4, oy + tileH + kLabel - 7);
    }
    return sheet;
}

} // namespace avatar::bench
