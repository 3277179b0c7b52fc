#pragma once

#include "core/Image.h"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

struct ass_library;
struct ass_renderer;
struct ass_track;

namespace avatar {

// One ASS script drawn into RGB frames with libass, the renderer players use for styled subtitles: the
// burned-in captions (CaptionBurner) and the titles and lower thirds of a project's scenes.
class AssRenderer {
public:
    // Throws Error(Codec) when libass cannot be set up or does not accept the script. Fontconfig finds the
    // styles' fonts; DejaVu Sans (fonts-dejavu-core), then any sans-serif face, stands in for a missing one.
    AssRenderer(const std::string& script, int frameWidth, int frameHeight);
    ~AssRenderer();
    AssRenderer(const AssRenderer&) = delete;
    AssRenderer& operator=(const AssRenderer&) = delete;

    // The union of what every event draws (each rendered once at its start), so that callers know which
    // part of the frame the script can ever change. Empty when nothing is drawn.
    Rect bounds() const { return m_bounds; }

    // Blends what shows at `seconds` onto `frame` (frameWidth x frameHeight), inside `clip` only. Returns
    // whether anything was drawn. Safe to call from several threads at once: calls are serialised.
    bool draw(double seconds, Image& frame, const Rect& clip) const;

    // Text as libass shows it literally: braces would open override blocks, and a backslash could form \N,
    // \n or \h. Braces get libass's own escapes; a backslash is followed by a word joiner (U+2060, invisible)
    // so it never combines with the next character; line breaks become spaces.
    static std::string escaped(std::string_view text);

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
    Rect m_bounds;
    // Declared in this order so the track and renderer are freed before the library they came from.
    std::unique_ptr<ass_library, LibraryDeleter> m_library;
    std::unique_ptr<ass_renderer, RendererDeleter> m_renderer;
    std::unique_ptr<ass_track, TrackDeleter> m_track;
    // libass's renderer keeps per-frame state and caches: one render at a time.
    mutable std::mutex m_mutex;
};

} // namespace avatar
