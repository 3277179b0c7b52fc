#include "OverlayScript.h"

#include "SceneCompositor.h"
#include "captions/AssRenderer.h"
#include "core/Error.h"

#include <cmath>
#include <cstdio>

namespace avatar::project {

namespace {

// "#rrggbb" as ASS writes colours: &HAABBGGRR, opaque.
std::string assColor(const std::string& color, const char* what) {
    const auto rgb = SceneCompositor::parseColor(color);
    if (!rgb)
        throw Error(ErrorCode::InvalidInput, std::string("The brand's ") + what + " '" + color +
                                                 "' is not a colour: write it as #rrggbb.");
    char out[16];
    std::snprintf(out, sizeof out, "&H00%02X%02X%02X", (*rgb)[2], (*rgb)[1], (*rgb)[0]);
    return out;
}

// Font names end at a comma in a style line.
std::string fontName(const std::string& font) {
    std::string out;
    for (char c : font)
        if (c != ',' && c != '\n' && c != '\r')
            out += c;
    return out.empty() ? std::string("DejaVu Sans") : out;
}

} // namespace

std::string overlayScript(const std::vector<TextOverlay>& overlays, const Brand& brand, int width,
                          int height) {
    const std::string font = fontName(brand.font);
    const double titleSize = std::round(height * 0.075);
    const double lowerSize = std::round(height * 0.05);
    const int side = static_cast<int>(std::lround(width * 0.05));
    const int vertical = static_cast<int>(std::lround(height * 0.06));
    const int lowerVertical = static_cast<int>(std::lround(height * 0.12));
    char styles[1024];
    // BorderStyle 3 draws an opaque box in the outline colour; the outline width is the box's padding.
    // Alignment 8 is top centre, 1 bottom left.
    std::snprintf(
        styles, sizeof styles,
        "Style: Title,%s,%g,&H00FFFFFF,&H000000FF,%s,&H00000000,1,0,0,0,100,100,0,0,3,%g,0,8,%d,%d,%d,1\n"
        "Style: Lower,%s,%g,&H00FFFFFF,&H000000FF,%s,&H00000000,1,0,0,0,100,100,0,0,3,%g,0,1,%d,%d,%d,1\n",
        font.c_str(), titleSize, assColor(brand.primaryColor, "primary colour").c_str(),
        std::round(titleSize * 0.3), side, side, vertical, font.c_str(), lowerSize,
        assColor(brand.accentColor, "accent colour").c_str(), std::round(lowerSize * 0.3), side, side,
        lowerVertical);
    std::string script = "[Script Info]\nScriptType: v4.00+\n";
    script += "PlayResX: " + std::to_string(width) + "\nPlayResY: " + std::to_string(height) + "\n";
    script += "ScaledBorderAndShadow: yes\nWrapStyle: 0\nYCbCr Matrix: None\n\n[V4+ Styles]\n";
    script +=
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
        "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
        "Alignment, MarginL, MarginR, MarginV, Encoding\n";
    script += styles;
    script += "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";
    for (const TextOverlay& o : overlays) {
        if (o.text.empty() && o.detail.empty())
            continue;
        // Shown from the scene's start to long past any scene's end.
        std::string line = "Dialogue: 0,0:00:00.00,9:59:59.99,";
        if (o.kind == TextOverlay::Kind::Title) {
            line += "Title,,0,0,0,," + AssRenderer::escaped(o.text);
        } else {
            line += "Lower,,0,0,0,," + AssRenderer::escaped(o.text);
            if (!o.detail.empty())
                line += "\\N{\\b0\\fs" + std::to_string(static_cast<int>(lowerSize * 0.75)) + "}" +
                        AssRenderer::escaped(o.detail);
        }
        script += line + "\n";
    }
    return script;
}

} // namespace avatar::project
