#pragma once

#include <string_view>

namespace avatar::report {

// One colour per stage in every chart (HTML and PDF), so that "render" looks the same everywhere.
struct Rgb {
    double r, g, b; // 0..1
};
Rgb stageColor(std::string_view stage);
// "#rrggbb" for SVG.
const char* stageColorHex(std::string_view stage);

} // namespace avatar::report
