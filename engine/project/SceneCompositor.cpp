#include "SceneCompositor.h"

#include "ImageFit.h"
#include "OverlayScript.h"
#include "VideoClip.h"
#include "captions/AssRenderer.h"
#include "core/Error.h"
#include "core/ImageIO.h"

#include <algorithm>
#include <cmath>

namespace avatar::project {

namespace {

int even(double v) {
    return std::max(2, static_cast<int>(std::lround(v / 2.0)) * 2);
}

std::array<std::uint8_t, 3> colorOf(const std::string& text, const char* what) {
    const auto c = SceneCompositor::parseColor(text);
    if (!c)
        throw Error(ErrorCode::InvalidInput,
                    std::string("The ") + what + " '" + text + "' is not a colour: write it as #rrggbb.");
    return *c;
}

} // namespace

SceneCompositor::Geometry SceneCompositor::geometry(Layout layout, int width, int height) {
    const int margin = even(0.05 * height);
    Geometry g;
    g.slide = {0, 0, width, height};
    switch (layout) {
    case Layout::Full:
        g.presenter = {0, 0, width, height};
        break;
    case Layout::PresenterLeft:
    case Layout::PresenterRight: {
        const int pw = even(0.36 * width);
        const int inner = height - 2 * margin;
        const int sw = width - pw - 3 * margin;
        const bool left = layout == Layout::PresenterLeft;
        g.presenter = {left ? margin : width - margin - pw, margin, pw, inner};
        g.slide = {left ? 2 * margin + pw : margin, margin, sw, inner};
        break;
    }
    case Layout::Circle: {
        const int d = even(0.42 * height);
        g.presenter = {width - margin - d, height - margin - d, d, d};
        g.mask = Mask::Circle;
        break;
    }
    case Layout::RoundedBox: {
        const int w = even(0.30 * width);
        const int h = even(0.42 * height);
        g.presenter = {width - margin - w, height - margin - h, w, h};
        g.mask = Mask::Rounded;
        break;
    }
    }
    return g;
}

std::optional<std::array<std::uint8_t, 3>> SceneCompositor::parseColor(std::string_view text) {
    if (text.size() != 7 || text[0] != '#')
        return std::nullopt;
    std::array<std::uint8_t, 3> rgb{};
    for (int i = 0; i < 6; ++i) {
        const char c = text[1 + i];
        int v = 0;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            return std::nullopt;
        rgb[i / 2] = static_cast<std::uint8_t>(rgb[i / 2] * 16 + v);
    }
    return rgb;
}

bool SceneCompositor::needed(const Scene& scene, const Brand& brand) {
    return scene.layout != Layout::Full || !scene.overlays.empty() || !brand.logo.empty();
}

bool SceneCompositor::drawnOverPresenter(const Scene& scene, const Brand& brand) {
    return scene.layout == Layout::Full && needed(scene, brand);
}

Rect SceneCompositor::logoBox(const Brand& brand, int logoWidth, int logoHeight, int width, int height) {
    const int margin = even(0.05 * height);
    const int h = even(0.12 * height);
    const int w =
        std::min(width / 3, std::max(2, static_cast<int>(std::lround(double(h) * logoWidth / logoHeight))));
    const bool left = brand.logoCorner == Corner::TopLeft || brand.logoCorner == Corner::BottomLeft;
    const bool top = brand.logoCorner == Corner::TopLeft || brand.logoCorner == Corner::TopRight;
    return {left ? margin : width - margin - w, top ? margin : height - margin - h, w, h};
}

SceneCompositor::~SceneCompositor() = default;

SceneCompositor::SceneCompositor(const Scene& scene, const Brand& brand, int width, int height, FrameRate fps)
    : m_geometry(geometry(scene.layout, width, height)), m_canvas(width, height) {
    const Background& bg = scene.background;
    const auto top = colorOf(bg.color, "background colour");
    const auto bottom = colorOf(bg.color2, "second gradient colour");
    if (bg.kind == Background::Kind::Video && !bg.video.empty()) {
        m_video = std::make_unique<VideoClip>(bg.video.path, "background video", width, height, fps,
                                              VideoClip::Fit::Cover, true);
        m_video->next(m_canvas);
    } else if (bg.kind == Background::Kind::Image && !bg.image.empty()) {
        drawFitted(m_canvas, ImageIO::load(bg.image.path), m_canvas.rect(), true);
    } else if (bg.kind == Background::Kind::Gradient) {
        for (int y = 0; y < height; ++y) {
            const double t = height > 1 ? double(y) / (height - 1) : 0.0;
            std::uint8_t* row = m_canvas.row(y);
            for (int c = 0; c < 3; ++c)
                row[c] = static_cast<std::uint8_t>(std::lround(top[c] + (bottom[c] - top[c]) * t));
            for (int x = 1; x < width; ++x)
                std::copy_n(row, 3, row + x * 3);
        }
    } else {
        m_canvas.fill(top[0], top[1], top[2]);
    }
    if (!scene.slide.empty()) {
        const Image slide = ImageIO::load(scene.slide.path);
        m_slideArea = drawFitted(m_canvas, slide, m_geometry.slide, m_geometry.mask != Mask::Square);
        if (m_video)
            m_slideLayer = m_canvas; // the slide's pixels, put back over every video frame
    }

    m_dirty = m_video ? m_canvas.rect() : m_geometry.presenter;
    const auto grow = [this](const Rect& r) {
        const int x0 = std::min(m_dirty.x, r.x);
        const int y0 = std::min(m_dirty.y, r.y);
        m_dirty = {x0, y0, std::max(m_dirty.right(), r.right()) - x0,
                   std::max(m_dirty.bottom(), r.bottom()) - y0};
    };
    if (!scene.overlays.empty()) {
        m_overlays =
            std::make_unique<AssRenderer>(overlayScript(scene.overlays, brand, width, height), width, height);
        m_overlayArea = m_overlays->bounds();
        if (!m_overlayArea.isEmpty())
            grow(m_overlayArea);
    }
    if (!brand.logo.empty()) {
        const Image logo = ImageIO::load(brand.logo.path);
        m_logoBox = logoBox(brand, logo.width(), logo.height(), width, height);
        m_logo = ImageIO::resized(logo, m_logoBox.width, m_logoBox.height);
        grow(m_logoBox);
    }
    for (const Rect& r : {m_overlayArea, m_logoBox}) {
        if (r.isEmpty())
            continue;
        if (m_drawnOver.isEmpty()) {
            m_drawnOver = r;
            continue;
        }
        const int x0 = std::min(m_drawnOver.x, r.x);
        const int y0 = std::min(m_drawnOver.y, r.y);
        m_drawnOver = {x0, y0, std::max(m_drawnOver.right(), r.right()) - x0,
                       std::max(m_drawnOver.bottom(), r.bottom()) - y0};
    }

    // Coverage of each box pixel, 4x4 supersampled so that the circle's and the corners' edges are smooth.
    const Rect& box = m_geometry.presenter;
    m_alpha.assign(static_cast<std::size_t>(box.width) * box.height, 255);
    if (m_geometry.mask == Mask::Square)
        return;
    const double radius =
        m_geometry.mask == Mask::Circle ? box.width / 2.0 : 0.12 * std::min(box.width, box.height);
    const auto inside = [&](double x, double y) {
        // Distance outside the rounded rectangle whose corners have `radius` (a circle when it is half the
        // box).
        const double cx = std::clamp(x, radius, box.width - radius);
        const double cy = std::clamp(y, radius, box.height - radius);
        return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius;
    };
    for (int y = 0; y < box.height; ++y)
        for (int x = 0; x < box.width; ++x) {
            int hits = 0;
            for (int sy = 0; sy < 4; ++sy)
                for (int sx = 0; sx < 4; ++sx)
                    hits += inside(x + (sx + 0.5) / 4.0, y + (sy + 0.5) / 4.0);
            m_alpha[static_cast<std::size_t>(y) * box.width + x] = static_cast<std::uint8_t>(hits * 255 / 16);
        }
}

void SceneCompositor::nextBackground() {
    if (!m_video)
        return;
    m_video->next(m_canvas);
    if (!m_slideLayer.isNull() && !m_slideArea.isEmpty())
        m_canvas.copyRect(m_slideLayer, m_slideArea);
}

void SceneCompositor::compose(const Image& presenter, Image& frame) const {
    if (m_video)
        frame.copyRect(m_canvas, m_canvas.rect());
    // The overlays blend onto what is under them, so that part is put back first (what the presenter's box
    // covers is replaced below anyway).
    if (m_overlays && !m_overlayArea.isEmpty())
        frame.copyRect(m_canvas, m_overlayArea);
    pastePresenter(presenter, frame);
    drawOver(frame);
}

void SceneCompositor::drawOver(Image& frame) const {
    if (m_overlays && !m_overlayArea.isEmpty())
        m_overlays->draw(0.0, frame, m_overlayArea); // AssRenderer serialises its callers
    if (!m_logo.isNull())
        for (int y = 0; y < m_logoBox.height; ++y)
            std::copy_n(m_logo.row(y), m_logo.stride(), frame.row(m_logoBox.y + y) + m_logoBox.x * 3);
}

void SceneCompositor::pastePresenter(const Image& presenter, Image& frame) const {
    const Rect& box = m_geometry.presenter;
    if (presenter.width() != box.width || presenter.height() != box.height)
        throw Error(ErrorCode::Internal, "The presenter's frames do not match the scene's layout.");
    for (int y = 0; y < box.height; ++y) {
        const std::uint8_t* src = presenter.row(y);
        const std::uint8_t* under = m_canvas.row(box.y + y) + box.x * 3;
        std::uint8_t* dst = frame.row(box.y + y) + box.x * 3;
        const std::uint8_t* alpha = m_alpha.data() + static_cast<std::size_t>(y) * box.width;
        for (int x = 0; x < box.width; ++x) {
            const int a = alpha[x];
            for (int c = 0; c < 3; ++c)
                dst[x * 3 + c] = static_cast<std::uint8_t>(
                    (src[x * 3 + c] * a + under[x * 3 + c] * (255 - a) + 127) / 255);
        }
    }
}

} // namespace avatar::project
