#pragma once

#include "Caption.h"
#include "core/Image.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct ass_library;
struct ass_renderer;
struct ass_track;

namespace avatar {

// Draws caption cues into video frames ("burned-in" subtitles) with libass, the renderer players use for
// styled subtitles, so the burned text looks like what viewers know. The word being spoken is highlighted.
class CaptionBurner {
public:
    // Throws Error(Codec) when libass cannot be set up or does not accept the script.
    CaptionBurner(const std::vector<CaptionCue>& cues, int frameWidth, int frameHeight);
    ~CaptionBurner();

    CaptionBurner(const CaptionBurner&) = delete;
    CaptionBurner& operator=(const CaptionBurner&) = delete;

    // The part of the frame that draw() may ever change: full width, from the top of the highest caption to
    // the bottom of the frame. Callers use it to keep a clean copy of only that band. Empty without cues.
    Rect area() const;

    // Blends the captions showing at `seconds` onto `frame` (frameWidth x frameHeight). Returns whether
    // anything was drawn. Safe to call from several threads at once: calls are serialised.
    bool draw(double seconds, Image& frame) const;

    // The complete ASS script for `cues`: one style, and per word one event that shows the whole cue with
    // that word highlighted, the events of a cue touching exactly so the text never flickers.
    static std::string assScript(const std::vector<CaptionCue>& cues, int frameWidth, int frameHeight);

private:
    struct LibraryDeleter {
        void operator()(ass_library* library) const;
    };
    struct RendererDeleter {
        void operator()(ass_renderer* renderer) const;
    };
    struct TrackDeleter {
        void operator()(ass_track* track) const;
    };

    int m_width = 0;
    int m_height = 0;
    Rect m_area;
    // Declared in this order so the track and renderer are freed before the library they came from.
    std::unique_ptr<ass_library, LibraryDeleter> m_library;
    std::unique_ptr<ass_renderer, RendererDeleter> m_renderer;
    std::unique_ptr<ass_track, TrackDeleter> m_track;
    // libass's renderer keeps per-frame state and caches: one render at a time.
    mutable std::mutex m_mutex;
};

} // namespace avatar
