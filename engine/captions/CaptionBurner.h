#pragma once

#include "Caption.h"
#include "CaptionStyle.h"
#include "core/Image.h"

#include <memory>
#include <string>
#include <vector>

namespace avatar {

class AssRenderer;

// Draws caption cues into video frames ("burned-in" subtitles) with libass, the renderer players use for
// styled subtitles, so the burned text looks like what viewers know. The word being spoken is highlighted.
class CaptionBurner {
public:
    // Throws Error(Codec) when libass cannot be set up or does not accept the script.
    // Throws Error(InvalidInput) for a style that does not validate().
    CaptionBurner(const std::vector<CaptionCue>& cues, int frameWidth, int frameHeight,
                  const CaptionStyle& style = {});
    ~CaptionBurner();

    CaptionBurner(const CaptionBurner&) = delete;
    CaptionBurner& operator=(const CaptionBurner&) = delete;

    // The part of the frame that draw() may ever change: full width, from the top of the highest caption to
    // the bottom of the frame (to the lowest caption's bottom for middle and top captions). Callers use it to
    // keep a clean copy of only that band. Empty without cues.
    Rect area() const;

    // Blends the captions showing at `seconds` onto `frame` (frameWidth x frameHeight). Returns whether
    // anything was drawn. Safe to call from several threads at once: calls are serialised.
    bool draw(double seconds, Image& frame) const;

    // The complete ASS script for `cues`: one style, and per word one event that shows the whole cue with
    // that word highlighted, the events of a cue touching exactly so the text never flickers.
    static std::string assScript(const std::vector<CaptionCue>& cues, int frameWidth, int frameHeight,
                                 const CaptionStyle& style = {});

private:
    int m_width = 0;
    int m_height = 0;
    Rect m_area;
    std::unique_ptr<AssRenderer> m_renderer;
};

} // namespace avatar
