#include "AssRenderer.h"

#include "core/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>

extern "C" {
#include <ass/ass.h>
}

namespace avatar {

namespace {

// libass reports font fallbacks and parse details; the engine's callers see errors as exceptions instead,
// and nothing may reach the terminal of the CLI or the studio.
void dropMessage(int /*level*/, const char* /*format*/, va_list /*args*/, void* /*data*/) {}

} // namespace

void AssRenderer::LibraryDeleter::operator()(ass_library* library) const {
    ass_library_done(library);
}

void AssRenderer::RendererDeleter::operator()(ass_renderer* renderer) const {
    ass_renderer_done(renderer);
}

void AssRenderer::TrackDeleter::operator()(ass_track* track) const {
    ass_free_track(track);
}

std::string AssRenderer::escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '{':
            out += "\\{";
            break;
        case '}':
            out += "\\}";
            break;
        case '\\':
            out += "\\\xE2\x81\xA0";
            break;
        case '\n':
        case '\r':
            out += ' ';
            break;
        default:
            out += c;
        }
    }
    return out;
}

AssRenderer::AssRenderer(const std::string& script, int frameWidth, int frameHeight)
    : m_width(frameWidth), m_height(frameHeight) {
    if (frameWidth <= 0 || frameHeight <= 0)
        throw Error(ErrorCode::InvalidInput, "Text needs a frame size, got " + std::to_string(frameWidth) +
                                                 "x" + std::to_string(frameHeight) + ".");
    m_library.reset(ass_library_init());
    if (!m_library)
        throw Error(ErrorCode::Codec, "The text renderer (libass) could not be initialised.");
    ass_set_message_cb(m_library.get(), dropMessage, nullptr);

    m_renderer.reset(ass_renderer_init(m_library.get()));
    if (!m_renderer)
        throw Error(ErrorCode::Codec, "The text renderer (libass) could not create a renderer.");
    ass_set_frame_size(m_renderer.get(), frameWidth, frameHeight);
    ass_set_storage_size(m_renderer.get(), frameWidth, frameHeight);
    ass_set_fonts(m_renderer.get(), nullptr, "DejaVu Sans", ASS_FONTPROVIDER_AUTODETECT, nullptr, 1);

    // ass_read_memory writes into the buffer while parsing, so it gets a private copy.
    std::string copy = script;
    m_track.reset(ass_read_memory(m_library.get(), copy.data(), copy.size(), nullptr));
    if (!m_track)
        throw Error(ErrorCode::Codec, "The text renderer (libass) rejected the generated script.");

    int left = frameWidth, top = frameHeight, right = 0, bottom = 0;
    for (int i = 0; i < m_track->n_events; ++i) {
        const ASS_Event& event = m_track->events[i];
        for (const ASS_Image* image = ass_render_frame(m_renderer.get(), m_track.get(), event.Start, nullptr);
             image; image = image->next) {
            if (image->w <= 0 || image->h <= 0)
                continue;
            left = std::min(left, std::max(0, image->dst_x));
            top = std::min(top, std::max(0, image->dst_y));
            right = std::max(right, std::min(frameWidth, image->dst_x + image->w));
            bottom = std::max(bottom, std::min(frameHeight, image->dst_y + image->h));
        }
    }
    if (right > left && bottom > top)
        m_bounds = {left, top, right - left, bottom - top};
}

AssRenderer::~AssRenderer() = default;

bool AssRenderer::draw(double seconds, Image& frame, const Rect& clipTo) const {
    if (frame.width() != m_width || frame.height() != m_height)
        return false;
    const long long ms = std::llround(seconds * 1000.0);

    std::lock_guard lock(m_mutex);
    bool drawn = false;
    for (const ASS_Image* image = ass_render_frame(m_renderer.get(), m_track.get(), ms, nullptr); image;
         image = image->next) {
        const int opacity = 255 - static_cast<int>(image->color & 0xFF);
        if (opacity == 0 || image->w <= 0 || image->h <= 0)
            continue;
        const int r = static_cast<int>(image->color >> 24);
        const int g = static_cast<int>((image->color >> 16) & 0xFF);
        const int b = static_cast<int>((image->color >> 8) & 0xFF);
        const Rect clip = Rect{image->dst_x, image->dst_y, image->w, image->h}.intersected(clipTo);
        for (int y = clip.y; y < clip.bottom(); ++y) {
            const unsigned char* mask = image->bitmap + (y - image->dst_y) * image->stride;
            std::uint8_t* px = frame.row(y) + 3 * clip.x;
            for (int x = clip.x; x < clip.right(); ++x, px += 3) {
                const int m = mask[x - image->dst_x];
                if (m == 0)
                    continue;
                // alpha in 0..255*255; the +32512 rounds the division by 65025.
                const int a = opacity * m;
                px[0] = static_cast<std::uint8_t>((r * a + px[0] * (65025 - a) + 32512) / 65025);
                px[1] = static_cast<std::uint8_t>((g * a + px[1] * (65025 - a) + 32512) / 65025);
                px[2] = static_cast<std::uint8_t>((b * a + px[2] * (65025 - a) + 32512) / 65025);
                drawn = true;
            }
        }
    }
    return drawn;
}

} // namespace avatar
