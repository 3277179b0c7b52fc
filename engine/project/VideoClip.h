#pragma once

#include "core/FrameRate.h"
#include "core/Image.h"

#include <filesystem>
#include <memory>
#include <string>

namespace avatar {
class MediaReader;
}

namespace avatar::project {

// A video file's pictures at the output's size and frame rate, decoded as they are needed: at most two
// decoded frames and one scaled frame are held, never the clip, so a long or large clip costs no more memory
// than a short one. Output frame k shows the clip's frame on screen at k / fps seconds (frames repeated or
// skipped to change the rate). A looping clip starts again from its first frame after its last (a scene's
// video background); otherwise it ends (an intro or outro). The clip's sound is not read here.
class VideoClip {
public:
    enum class Fit {
        Cover,     // scaled to fill the frame, cropped to its shape (backgrounds)
        Letterbox, // scaled to fit inside the frame, on black (intro and outro clips)
    };

    // Throws Error(NotFound) for a missing file and Error(Unreadable) for one FFmpeg cannot decode or that
    // has no pictures, naming `role` ("scene 2's background video").
    VideoClip(const std::filesystem::path& file, const std::string& role, int width, int height,
              FrameRate fps, Fit fit, bool loop);
    ~VideoClip();
    VideoClip(const VideoClip&) = delete;
    VideoClip& operator=(const VideoClip&) = delete;

    // The next output frame; false after the last one of a clip that does not loop.
    bool next(Image& frame);
    // Output frames written so far.
    long long framesRead() const { return m_index; }

private:
    bool decode(Image& into, double& pts);
    void startPass();
    // Moves on to the clip's frame on screen at `t` (the clip's clock) within the current pass.
    void advanceTo(double t);

    std::unique_ptr<MediaReader> m_reader;
    std::string m_role;
    int m_width;
    int m_height;
    FrameRate m_fps;
    Fit m_fit;
    bool m_loop;
    Image m_current; // the decoded frame on screen now
    double m_currentPts = 0.0;
    Image m_following; // the one after it, once decoded
    double m_followingPts = 0.0;
    bool m_hasFollowing = false;
    double m_firstPts = 0.0;  // the clip's first frame's time (streams need not start at 0)
    double m_interval = 0.04; // between the clip's frames, as last seen
    double m_passStart = 0.0; // output time at which the current pass through the clip began
    Image m_scaled;           // m_current at the output size
    bool m_scaledValid = false;
    long long m_index = 0;
    int m_passFrames = 0; // decoded so far in this pass through the clip
};

} // namespace avatar::project
