#pragma once

#include "captions/CaptionStyle.h"
#include "core/FrameRate.h"
#include "lipsync/Expression.h"
#include "render/Framing.h"

#include <filesystem>
#include <string>
#include <vector>

namespace avatar::project {

// A file the project uses (portrait, logo). In memory the path is absolute; on disk it is written relative
// to the project's folder, with the SHA-256 of the content at save time, so that a file that was moved or
// changed since is noticed when the project is opened (ProjectFile::load).
struct MediaRef {
    std::filesystem::path path; // empty: none (the built-in portrait, no logo)
    std::string sha256;         // lower-case hex; empty when unknown (a schema-1 project)

    bool empty() const { return path.empty(); }
    bool operator==(const MediaRef&) const = default;
};

// Who speaks a scene and how they are framed.
struct Presenter {
    MediaRef portrait;
    std::string voice = "flite:slt";
    double speed = 1.0;
    double pitch = 0.0;
    Framing framing = Framing::Shoulders;
    int faceIndex = 0;
    Expression expression = Expression::Neutral;

    bool operator==(const Presenter&) const = default;
};

// What fills the frame behind the presenter and the slide in the boxed layouts (Layout::Full shows the
// presenter's own picture edge to edge, so a background shows only in the others).
struct Background {
    enum class Kind { Color, Gradient, Image, Video };
    Kind kind = Kind::Color;
    std::string color = "#1f2933";  // Color, and the top of a Gradient
    std::string color2 = "#0b0f14"; // the bottom of a Gradient
    MediaRef image;                 // Image: cover-filled (cropped to the frame's shape)
    MediaRef video;                 // Video: cover-filled and looped over the scene, its sound ignored

    bool operator==(const Background&) const = default;
};

// Where the presenter goes. PresenterLeft/Right: the presenter in a box on one side, the slide fitted in a
// box on the other, both over the background. Circle/RoundedBox: the slide fills the frame (the background
// when there is no slide) and the presenter sits in a circle or a rounded box in the bottom right corner.
enum class Layout { Full, PresenterLeft, PresenterRight, Circle, RoundedBox };
// "full", "presenter-left", ...: the project file's spelling.
const char* layoutName(Layout layout);

// Text over a scene for its whole length, drawn with libass in the brand's font: a title at the top on a
// box of the brand's primary colour, or a lower third (a name and, under it, `detail`, e.g. a role) at the
// bottom left on a box of the accent colour.
struct TextOverlay {
    enum class Kind { Title, LowerThird };
    Kind kind = Kind::Title;
    std::string text;
    std::string detail;

    bool operator==(const TextOverlay&) const = default;
};

// How a scene follows the one before it (the first scene's is not used). A crossfade dissolves the last
// frame of the scene before into this scene's first frame over `seconds`, in silence between the two
// speeches: the scenes' own frames and sound are not overlapped, so no word is faded or cut.
struct Transition {
    enum class Kind { Cut, Crossfade };
    Kind kind = Kind::Cut;
    static constexpr double kMinSeconds = 0.04; // one frame at 25 fps
    static constexpr double kMaxSeconds = 5.0;
    double seconds = 0.5; // the crossfade's length

    bool operator==(const Transition&) const = default;
};

// One stretch of the video: a script spoken by a presenter, laid out over a background with an optional
// slide and text overlays, joined to the scene before with a cut or a crossfade.
struct Scene {
    std::string name;
    std::string script;
    Presenter presenter;
    Layout layout = Layout::Full;
    Background background;
    MediaRef slide; // an image beside or behind the presenter
    std::vector<TextOverlay> overlays;
    Transition transition; // from the scene before into this one

    bool operator==(const Scene&) const = default;
};

enum class Corner { TopLeft, TopRight, BottomLeft, BottomRight };
// "top-left", ...: the project file's spelling.
const char* cornerName(Corner corner);

// The look shared by every scene: colours as "#rrggbb", a font family name, a logo, and video clips (with
// their sound) played before the first scene and after the last, letterboxed to the output.
struct Brand {
    std::string primaryColor = "#1e3a8a";
    std::string accentColor = "#f59e0b";
    std::string font = "DejaVu Sans";
    MediaRef logo;
    Corner logoCorner = Corner::TopRight;
    MediaRef intro;
    MediaRef outro;

    bool operator==(const Brand&) const = default;
};

// The video every scene is rendered into.
struct OutputSettings {
    int width = 1280;
    int height = 720;
    FrameRate fps = 25; // saved as a number when whole (25), else as its exact text ("30000/1001")
    int crf = 20;
    std::string preset;        // x264 preset; empty = the tier's
    bool captionsBurn = false; // each scene's captions burned into its frames
    CaptionStyle captionStyle; // how they look (issue #18)

    bool operator==(const OutputSettings&) const = default;
};

// Music under the whole video: looped, ducked under speech and mixed to -16 LUFS (media/MusicMixer).
struct Soundtrack {
    MediaRef music;             // empty: speech only
    double musicGainDb = -14.0; // the music's level against its own, before ducking and loudness

    bool operator==(const Soundtrack&) const = default;
};

struct Project {
    std::vector<Scene> scenes;
    Brand brand;
    Soundtrack sound;
    OutputSettings output;

    bool operator==(const Project&) const = default;
};

} // namespace avatar::project
