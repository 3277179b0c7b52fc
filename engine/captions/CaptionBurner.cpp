#include "CaptionBurner.h"

#include "AssRenderer.h"

#include "core/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace avatar {

namespace {

// Characters per caption line the layout was made for (CaptionBuilder's default), used only to keep the
// text inside narrow (portrait) frames, where frameHeight/18 would be too big for a full line.
constexpr double kLineChars = 42.0;
// DejaVu Sans averages a little under 0.6 em per character in running text.
constexpr double kEmPerChar = 0.58;

struct Metrics {
    double fontSize = 0.0;
    double outline = 0.0;
    double shadow = 0.0;
    int marginSide = 0;
    int marginBottom = 0;
};

Metrics metricsFor(int width, int height, int sizePercent) {
    Metrics style;
    const double byHeight = height / 18.0;
    const double byWidth = 0.9 * width / (kLineChars * kEmPerChar);
    style.fontSize = std::max(8.0, std::round(std::min(byHeight, byWidth) * sizePercent / 100.0));
    // frameHeight/240 and /480 for landscape frames; tied to the font size so narrow frames keep the same
    // proportions.
    style.outline = std::max(1.5, style.fontSize * 18.0 / 240.0);
    style.shadow = std::max(1.0, style.fontSize * 18.0 / 480.0);
    style.marginSide = static_cast<int>(std::lround(width * 0.05));
    style.marginBottom = static_cast<int>(std::lround(height * 0.06)); // the bottom title-safe area
    return style;
}

// Rounding every boundary once (rather than each event's start and length) makes an event's end equal to the
// next one's start, so libass never shows a gap between the words of a cue.
long long centiseconds(double seconds) {
    return std::max(0LL, std::llround(seconds * 100.0));
}

std::string assTime(long long cs) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld.%02lld", cs / 360000, cs / 6000 % 60,
                  cs / 100 % 60, cs % 100);
    return buffer;
}

// Where each word of a cue sits in its lines: the cue's lines are its words joined by spaces.
struct WordSpan {
    std::size_t line = 0;
    std::size_t offset = 0;
    std::size_t length = 0;
};

// The spans of every word, or nothing when the lines cannot be matched word by word (then the cue is shown
// without highlighting rather than highlighting the wrong text).
std::vector<WordSpan> locateWords(const CaptionCue& cue) {
    std::vector<WordSpan> spans;
    std::size_t word = 0;
    for (std::size_t line = 0; line < cue.lines.size(); ++line) {
        const std::string& text = cue.lines[line];
        std::size_t pos = text.find_first_not_of(' ');
        while (pos != std::string::npos && pos < text.size()) {
            if (word >= cue.words.size())
                return {};
            const std::string& w = cue.words[word].text;
            if (w.empty() || text.compare(pos, w.size(), w) != 0)
                return {};
            spans.push_back({line, pos, w.size()});
            ++word;
            pos = text.find_first_not_of(' ', pos + w.size());
        }
    }
    if (word != cue.words.size())
        return {};
    return spans;
}

// A style's colour: &HAABBGGRR (alpha 0 is opaque).
std::string assColour(std::uint32_t rgb, unsigned alpha = 0) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "&H%02X%02X%02X%02X", alpha & 0xFF, rgb & 0xFF, (rgb >> 8) & 0xFF,
                  (rgb >> 16) & 0xFF);
    return buffer;
}

// An override tag's colour: &HBBGGRR.
std::string assBgr(std::uint32_t rgb) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "&H%02X%02X%02X", rgb & 0xFF, (rgb >> 8) & 0xFF, (rgb >> 16) & 0xFF);
    return buffer;
}

// The numpad alignment libass places the text by: 2 bottom, 5 middle, 8 top, all centred.
int alignment(CaptionPosition position) {
    switch (position) {
    case CaptionPosition::Bottom:
        return 2;
    case CaptionPosition::Middle:
        return 5;
    case CaptionPosition::Top:
        return 8;
    }
    return 2;
}

// The cue's text with word `highlight` (an index into `spans`, or none) in the highlight colour.
std::string cueText(const CaptionCue& cue, const std::vector<WordSpan>& spans, std::size_t highlight,
                    const std::string& highlightColour) {
    const WordSpan* span = highlight < spans.size() ? &spans[highlight] : nullptr;
    std::string out;
    for (std::size_t line = 0; line < cue.lines.size(); ++line) {
        if (line > 0)
            out += "\\N";
        const std::string_view text = cue.lines[line];
        if (span && span->line == line) {
            out += AssRenderer::escaped(text.substr(0, span->offset));
            // Gold (#FFD700) by default: readable on white-outlined text, distinct from white.
            out += "{\\c" + highlightColour + "&}";
            out += AssRenderer::escaped(text.substr(span->offset, span->length));
            out += "{\\r}";
            out += AssRenderer::escaped(text.substr(span->offset + span->length));
        } else {
            out += AssRenderer::escaped(text);
        }
    }
    return out;
}

void appendDialogue(std::string& script, long long start, long long end, const std::string& text) {
    if (end <= start)
        return; // a word shorter than the centisecond grid: the neighbouring events cover its time
    script += "Dialogue: 0," + assTime(start) + "," + assTime(end) + ",Caption,,0,0,0,," + text + "\n";
}

} // namespace

std::string CaptionBurner::assScript(const std::vector<CaptionCue>& cues, int frameWidth, int frameHeight,
                                     const CaptionStyle& captionStyle) {
    const Metrics style = metricsFor(frameWidth, frameHeight, captionStyle.size);
    char styleLine[512];
    // The text in its colour, the outline in the outline colour and a half-transparent shadow of it (white
    // on black by default); the vertical margin keeps top and bottom captions in the title-safe area.
    std::snprintf(styleLine, sizeof styleLine,
                  "Style: Caption,%s,%g,%s,&H000000FF,%s,%s,0,0,0,0,100,100,0,0,1,%g,%g,%d,%d,%d,%d,1\n",
                  captionStyle.font.c_str(), style.fontSize, assColour(captionStyle.colour).c_str(),
                  assColour(captionStyle.outline).c_str(), assColour(captionStyle.outline, 0x80).c_str(),
                  style.outline, style.shadow, alignment(captionStyle.position), style.marginSide,
                  style.marginSide, style.marginBottom);
    const std::string highlight = assBgr(captionStyle.highlight);

    std::string script;
    script += "[Script Info]\n";
    script += "ScriptType: v4.00+\n";
    script += "PlayResX: " + std::to_string(frameWidth) + "\n";
    script += "PlayResY: " + std::to_string(frameHeight) + "\n";
    // Outline and shadow in frame pixels, as written above, whatever the storage size.
    script += "ScaledBorderAndShadow: yes\n";
    // No automatic wrapping: the cues are broken into lines already, at phrase boundaries.
    script += "WrapStyle: 2\n";
    script += "YCbCr Matrix: None\n\n";
    script += "[V4+ Styles]\n";
    script +=
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
        "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
        "Alignment, MarginL, MarginR, MarginV, Encoding\n";
    script += styleLine;
    script += "\n[Events]\n";
    script += "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";

    for (const CaptionCue& cue : cues) {
        const long long cueStart = centiseconds(cue.start);
        const long long cueEnd = centiseconds(cue.end);
        const std::vector<WordSpan> spans = locateWords(cue);
        if (spans.empty()) {
            appendDialogue(script, cueStart, cueEnd, cueText(cue, spans, 0, highlight));
            continue;
        }
        long long start = cueStart;
        for (std::size_t i = 0; i < cue.words.size(); ++i) {
            long long end = cueEnd;
            if (i + 1 < cue.words.size())
                end = std::clamp(centiseconds(cue.words[i + 1].start), start, cueEnd);
            appendDialogue(script, start, end, cueText(cue, spans, i, highlight));
            start = end;
        }
    }
    return script;
}

CaptionBurner::CaptionBurner(const std::vector<CaptionCue>& cues, int frameWidth, int frameHeight,
                             const CaptionStyle& style)
    : m_width(frameWidth), m_height(frameHeight) {
    if (frameWidth <= 0 || frameHeight <= 0)
        throw Error(ErrorCode::InvalidInput, "Captions need a frame size, got " + std::to_string(frameWidth) +
                                                 "x" + std::to_string(frameHeight) + ".");
    style.validate();
    m_renderer = std::make_unique<AssRenderer>(assScript(cues, frameWidth, frameHeight, style), frameWidth,
                                               frameHeight);
    // The band captions can touch: full width, from the top of the highest caption to the bottom (to the
    // lowest caption's bottom when they sit higher), so frame producers can restore or cache just that band.
    const Rect bounds = m_renderer->bounds();
    if (!bounds.isEmpty())
        m_area = {0, bounds.y, frameWidth,
                  style.position == CaptionPosition::Bottom ? frameHeight - bounds.y : bounds.height};
}

CaptionBurner::~CaptionBurner() = default;

Rect CaptionBurner::area() const {
    return m_area;
}

bool CaptionBurner::draw(double seconds, Image& frame) const {
    if (m_area.isEmpty() || frame.width() != m_width || frame.height() != m_height)
        return false;
    return m_renderer->draw(seconds, frame, m_area);
}

} // namespace avatar
