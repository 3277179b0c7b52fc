#include "VideoClip.h"

#include "ImageFit.h"
#include "core/Error.h"
#include "media/MediaReader.h"

#include <algorithm>

namespace avatar::project {

namespace {

// A tenth of an output frame's slack when comparing times, for timestamps rounded by the container, so that
// a clip at the output's own rate (or a multiple) maps frame to frame.
constexpr double kSlack = 0.1;

} // namespace

VideoClip::VideoClip(const std::filesystem::path& file, const std::string& role, int width, int height,
                     FrameRate fps, Fit fit, bool loop)
    : m_role(role), m_width(width), m_height(height), m_fps(fps), m_fit(fit), m_loop(loop) {
    try {
        m_reader = std::make_unique<MediaReader>(file);
    } catch (const Error& e) {
        throw Error(e.code(), "The " + role + " cannot be used: " + e.what());
    }
    if (m_reader->info().videoStreams == 0)
        throw Error(ErrorCode::Unreadable,
                    "The " + role + " '" + file.string() + "' has no pictures: choose a video file.");
    startPass();
    m_firstPts = m_currentPts;
}

VideoClip::~VideoClip() = default;

bool VideoClip::decode(Image& into, double& pts) {
    return m_reader->readVideoFrame(into, &pts);
}

void VideoClip::startPass() {
    if (!decode(m_current, m_currentPts))
        throw Error(ErrorCode::Unreadable, "The " + m_role + " has no frame that decodes.");
    m_hasFollowing = decode(m_following, m_followingPts);
    m_scaledValid = false;
    m_passFrames = 1;
}

void VideoClip::advanceTo(double t) {
    while (m_hasFollowing && m_followingPts <= t) {
        m_interval = std::max(1e-3, m_followingPts - m_currentPts);
        std::swap(m_current, m_following);
        m_currentPts = m_followingPts;
        m_scaledValid = false;
        m_hasFollowing = decode(m_following, m_followingPts);
        ++m_passFrames;
    }
}

bool VideoClip::next(Image& frame) {
    // Output frame k at k × frameTime, from the index: no drift at 29.97 (at a whole rate, 1.0 / fps).
    const double frameTime = double(m_fps.den()) / m_fps.num();
    // On the clip's own clock.
    double t = double(m_index) * frameTime - m_passStart + m_firstPts;
    advanceTo(t + kSlack * frameTime);
    // A clip of one picture (a still image FFmpeg reads as video) loops by staying on it.
    const bool still = m_loop && m_passFrames == 1 && !m_hasFollowing;
    if (!still && !m_hasFollowing && t + kSlack * frameTime >= m_currentPts + m_interval) {
        // Past the clip's last frame.
        if (!m_loop)
            return false;
        m_passStart += m_currentPts + m_interval - m_firstPts;
        m_reader->rewind();
        startPass();
        t = double(m_index) * frameTime - m_passStart + m_firstPts;
        advanceTo(t + kSlack * frameTime);
    }
    if (!m_scaledValid) {
        if (m_scaled.width() != m_width || m_scaled.height() != m_height)
            m_scaled = Image(m_width, m_height);
        if (m_fit == Fit::Letterbox)
            m_scaled.fill(0, 0, 0);
        drawFitted(m_scaled, m_current, m_scaled.rect(), m_fit == Fit::Cover);
        m_scaledValid = true;
    }
    if (frame.width() != m_width || frame.height() != m_height)
        frame = Image(m_width, m_height);
    frame.copyRect(m_scaled, m_scaled.rect());
    ++m_index;
    return true;
}

} // namespace avatar::project
