#include "ProjectFile.h"

#include "cache/Sha256.h"
#include "core/AtomicFile.h"
#include "core/Error.h"
#include "core/Json.h"
#include "core/JsonValue.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <vector>

namespace avatar::project {

namespace fs = std::filesystem;

namespace {

// Project files are small (scripts and settings); anything bigger is not one of ours.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{16} << 20;

// The JSON library is used only through this reader and the writer in serialize(), so that another one can
// replace it in one place.
class Reader {
public:
    Reader(const JsonValue& object, std::string where, const std::string& name)
        : m_object(object), m_where(std::move(where)), m_name(name) {}

    const JsonValue* raw(std::string_view key) const { return m_object.find(key); }
    const JsonValue* find(std::string_view key, JsonValue::Type type) const {
        const JsonValue* v = m_object.find(key);
        if (!v || v->type() == JsonValue::Type::Null)
            return nullptr;
        if (v->type() != type)
            damaged("'" + std::string(key) + "'" + m_where + " has the wrong type");
        return v;
    }
    std::string text(std::string_view key, std::string fallback) const {
        const JsonValue* v = find(key, JsonValue::Type::String);
        return v ? v->string() : fallback;
    }
    double number(std::string_view key, double fallback) const {
        const JsonValue* v = find(key, JsonValue::Type::Number);
        return v ? v->number() : fallback;
    }
    int integer(std::string_view key, int fallback) const {
        const double n = number(key, fallback);
        // The range first: converting a double outside long long's range (1e300 in a damaged file) is
        // undefined behaviour (found by fuzz_project). !(...) also refuses NaN.
        if (!(n >= -1e9 && n <= 1e9) || n != std::trunc(n))
            damaged("'" + std::string(key) + "'" + m_where + " is not a whole number");
        return static_cast<int>(n);
    }
    // A whole number (every file before rates were fractions) or a rate's text ("29.97", "30000/1001").
    // The range is the render's to check, like the size's.
    FrameRate frameRate(std::string_view key, FrameRate fallback) const {
        const JsonValue* v = raw(key);
        if (!v || v->type() != JsonValue::Type::String)
            return v && v->type() != JsonValue::Type::Null ? FrameRate(integer(key, 0)) : fallback;
        const std::optional<FrameRate> rate = FrameRate::parse(v->string());
        if (!rate)
            damaged("'" + std::string(key) + "'" + m_where +
                    " is not a frame rate such as 25, 29.97 or 30000/1001");
        return *rate;
    }
    bool flag(std::string_view key, bool fallback) const {
        const JsonValue* v = find(key, JsonValue::Type::Bool);
        return v ? v->boolean() : fallback;
    }
    // A member that must be one of a few names.
    template <class T, class Parse> T choice(std::string_view key, T fallback, Parse parse) const {
        const JsonValue* v = find(key, JsonValue::Type::String);
        if (!v)
            return fallback;
        const std::optional<T> parsed = parse(v->string());
        if (!parsed)
            damaged("'" + std::string(key) + "'" + m_where + " has the unknown value '" + v->string() + "'");
        return *parsed;
    }
    Reader child(std::string_view key, std::string where) const {
        const JsonValue* v = find(key, JsonValue::Type::Object);
        return Reader(v ? *v : kEmpty, v ? std::move(where) : m_where, m_name);
    }
    [[noreturn]] void damaged(const std::string& why) const {
        throw Error(ErrorCode::Unreadable,
                    "The project '" + m_name + "' is damaged (" + why + "); it was left as it is.");
    }
    const std::string& name() const { return m_name; }

private:
    static const JsonValue kEmpty;
    const JsonValue& m_object;
    std::string m_where;
    const std::string& m_name;
};

const JsonValue Reader::kEmpty = JsonValue::parse("{}");

std::optional<Corner> parseCorner(std::string_view text) {
    for (const Corner c : {Corner::TopLeft, Corner::TopRight, Corner::BottomLeft, Corner::BottomRight})
        if (text == cornerName(c))
            return c;
    return std::nullopt;
}

constexpr Layout kLayouts[] = {Layout::Full, Layout::PresenterLeft, Layout::PresenterRight, Layout::Circle,
                               Layout::RoundedBox};

std::optional<Layout> parseLayout(std::string_view text) {
    for (const Layout l : kLayouts)
        if (text == layoutName(l))
            return l;
    return std::nullopt;
}

const char* backgroundKindName(Background::Kind kind) {
    switch (kind) {
    case Background::Kind::Color:
        return "color";
    case Background::Kind::Gradient:
        return "gradient";
    case Background::Kind::Image:
        return "image";
    case Background::Kind::Video:
        return "video";
    }
    return "color";
}

std::optional<Background::Kind> parseBackgroundKind(std::string_view text) {
    for (const auto k : {Background::Kind::Color, Background::Kind::Gradient, Background::Kind::Image,
                         Background::Kind::Video})
        if (text == backgroundKindName(k))
            return k;
    return std::nullopt;
}

const char* transitionKindName(Transition::Kind kind) {
    return kind == Transition::Kind::Crossfade ? "crossfade" : "cut";
}

std::optional<Transition::Kind> parseTransitionKind(std::string_view text) {
    for (const auto k : {Transition::Kind::Cut, Transition::Kind::Crossfade})
        if (text == transitionKindName(k))
            return k;
    return std::nullopt;
}

const char* overlayKindName(TextOverlay::Kind kind) {
    return kind == TextOverlay::Kind::LowerThird ? "lower-third" : "title";
}

std::optional<TextOverlay::Kind> parseOverlayKind(std::string_view text) {
    for (const auto k : {TextOverlay::Kind::Title, TextOverlay::Kind::LowerThird})
        if (text == overlayKindName(k))
            return k;
    return std::nullopt;
}

// A media path as the file says it, made absolute against the project's folder.
MediaRef readMedia(const Reader& r, std::string_view key, const fs::path& folder) {
    MediaRef ref;
    if (const JsonValue* plain = r.raw(key); plain && plain->type() == JsonValue::Type::String) {
        // schema 1: a bare path
        if (!plain->string().empty())
            ref.path = (folder / fs::path(plain->string())).lexically_normal();
        return ref;
    }
    const Reader m = r.child(key, " of '" + std::string(key) + "'");
    const std::string path = m.text("path", {});
    if (!path.empty())
        ref.path = (folder / fs::path(path)).lexically_normal();
    ref.sha256 = m.text("sha256", {});
    return ref;
}

Presenter readPresenter(const Reader& r, const fs::path& folder) {
    Presenter p;
    p.portrait = readMedia(r, "portrait", folder);
    p.voice = r.text("voice", p.voice);
    p.speed = r.number("speed", p.speed);
    p.pitch = r.number("pitch", p.pitch);
    p.framing = r.choice("framing", p.framing, parseFraming);
    p.faceIndex = r.integer("face", p.faceIndex);
    p.expression = r.choice("expression", p.expression, parseExpression);
    return p;
}

OutputSettings readOutput(const Reader& r) {
    OutputSettings o;
    o.width = r.integer("width", o.width);
    o.height = r.integer("height", o.height);
    o.fps = r.frameRate("fps", o.fps);
    o.crf = r.integer("crf", o.crf);
    o.preset = r.text("preset", o.preset);
    o.captionsBurn = r.flag("burn_captions", o.captionsBurn);
    // Issue #18; absent in older files: the default style.
    CaptionStyle& s = o.captionStyle;
    s.font = r.text("caption_font", s.font);
    s.size = r.integer("caption_size", s.size);
    s.position = r.choice("caption_position", s.position, parseCaptionPosition);
    s.colour = r.choice("caption_colour", s.colour, parseColour);
    s.highlight = r.choice("caption_highlight", s.highlight, parseColour);
    s.outline = r.choice("caption_outline", s.outline, parseColour);
    return o;
}

// Schema 1, the single-presenter project: script, portrait, voice and output settings at the top level.
Project readVersion1(const Reader& root, const fs::path& folder) {
    Project p;
    Scene scene;
    scene.script = root.text("script", {});
    scene.presenter.portrait = readMedia(root, "avatar", folder);
    scene.presenter.voice = root.text("voice", scene.presenter.voice);
    scene.presenter.framing = root.choice("framing", scene.presenter.framing, parseFraming);
    p.scenes.push_back(std::move(scene));
    p.output.width = root.integer("width", p.output.width);
    p.output.height = root.integer("height", p.output.height);
    p.output.fps = root.frameRate("fps", p.output.fps);
    return p;
}

Project readVersion2(const Reader& root, const JsonValue& doc, const fs::path& folder) {
    Project p;
    p.output = readOutput(root.child("output", " of 'output'"));
    const Reader b = root.child("brand", " of 'brand'");
    p.brand.primaryColor = b.text("primary_color", p.brand.primaryColor);
    p.brand.accentColor = b.text("accent_color", p.brand.accentColor);
    p.brand.font = b.text("font", p.brand.font);
    p.brand.logo = readMedia(b, "logo", folder);
    p.brand.logoCorner = b.choice("logo_corner", p.brand.logoCorner, parseCorner);
    p.brand.intro = readMedia(b, "intro", folder); // schema 3
    p.brand.outro = readMedia(b, "outro", folder);
    const Reader sound = root.child("sound", " of 'sound'");
    p.sound.music = readMedia(sound, "music", folder);
    p.sound.musicGainDb = sound.number("music_gain_db", p.sound.musicGainDb);
    if (root.find("scenes", JsonValue::Type::Array)) {
        const std::vector<JsonValue>& scenes = doc.find("scenes")->array();
        for (std::size_t i = 0; i < scenes.size(); ++i) {
            const std::string where = " of scene " + std::to_string(i + 1);
            if (!scenes[i].isObject())
                root.damaged("scene " + std::to_string(i + 1) + " is not an object");
            const Reader s(scenes[i], where, root.name());
            Scene scene;
            scene.name = s.text("name", {});
            scene.script = s.text("script", {});
            scene.presenter = readPresenter(s.child("presenter", where), folder);
            scene.layout = s.choice("layout", scene.layout, parseLayout);
            scene.slide = readMedia(s, "slide", folder);
            const Reader bg = s.child("background", " of the background" + where);
            scene.background.kind = bg.choice("kind", scene.background.kind, parseBackgroundKind);
            scene.background.color = bg.text("color", scene.background.color);
            scene.background.color2 = bg.text("color2", scene.background.color2);
            scene.background.image = readMedia(bg, "image", folder);
            scene.background.video = readMedia(bg, "video", folder); // schema 3
            // Schema 3; a version-2 scene follows the one before with a cut.
            const Reader t = s.child("transition", " of the transition" + where);
            scene.transition.kind = t.choice("kind", scene.transition.kind, parseTransitionKind);
            scene.transition.seconds = t.number("seconds", scene.transition.seconds);
            if (!(scene.transition.seconds >= Transition::kMinSeconds &&
                  scene.transition.seconds <= Transition::kMaxSeconds))
                root.damaged("the transition" + where + " is not between 0.04 and 5 seconds long");
            if (s.find("overlays", JsonValue::Type::Array)) {
                const std::vector<JsonValue>& overlays = scenes[i].find("overlays")->array();
                for (std::size_t k = 0; k < overlays.size(); ++k) {
                    const std::string what = " of overlay " + std::to_string(k + 1) + where;
                    if (!overlays[k].isObject())
                        root.damaged("overlay " + std::to_string(k + 1) + where + " is not an object");
                    const Reader o(overlays[k], what, root.name());
                    TextOverlay overlay;
                    overlay.kind = o.choice("kind", overlay.kind, parseOverlayKind);
                    overlay.text = o.text("text", {});
                    overlay.detail = o.text("detail", {});
                    scene.overlays.push_back(std::move(overlay));
                }
            }
            p.scenes.push_back(std::move(scene));
        }
    }
    return p;
}

void writeMedia(JsonWriter& w, std::string_view key, const MediaRef& ref, const fs::path& folder) {
    w.key(key).beginObject();
    if (!ref.empty()) {
        const fs::path absolute = fs::absolute(ref.path).lexically_normal();
        const fs::path relative = absolute.lexically_relative(fs::absolute(folder).lexically_normal());
        // Relative inside or beside the project's folder; absolute across file systems' roots.
        w.field("path", (relative.empty() ? absolute : relative).generic_string());
        std::error_code ec;
        w.field("sha256", fs::is_regular_file(absolute, ec) ? ProjectFile::hashFile(absolute) : ref.sha256);
    }
    w.endObject();
}

void addNotices(const MediaRef& ref, const std::string& role, std::vector<MediaNotice>& notices) {
    if (ref.empty())
        return;
    std::error_code ec;
    if (!fs::is_regular_file(ref.path, ec))
        notices.push_back({MediaNotice::Kind::Missing, role, ref.path});
    else if (!ref.sha256.empty() && ProjectFile::hashFile(ref.path) != ref.sha256)
        notices.push_back({MediaNotice::Kind::Changed, role, ref.path});
}

} // namespace

const char* layoutName(Layout layout) {
    switch (layout) {
    case Layout::Full:
        return "full";
    case Layout::PresenterLeft:
        return "presenter-left";
    case Layout::PresenterRight:
        return "presenter-right";
    case Layout::Circle:
        return "circle";
    case Layout::RoundedBox:
        return "rounded-box";
    }
    return "full";
}

const char* cornerName(Corner corner) {
    switch (corner) {
    case Corner::TopLeft:
        return "top-left";
    case Corner::TopRight:
        return "top-right";
    case Corner::BottomLeft:
        return "bottom-left";
    case Corner::BottomRight:
        return "bottom-right";
    }
    return "top-right";
}

std::string MediaNotice::message() const {
    if (kind == Kind::Missing)
        return role + " '" + path.string() +
               "' is missing: it was moved or deleted after the project was saved";
    return role + " '" + path.string() + "' has changed since the project was saved";
}

LoadedProject ProjectFile::parse(std::string_view text, const fs::path& folder, const std::string& name) {
    const JsonValue notAnObject;
    JsonValue doc;
    try {
        doc = JsonValue::parse(text);
    } catch (const Error& e) {
        Reader(notAnObject, {}, name).damaged(e.what());
    }
    const Reader root(doc, {}, name);
    if (!doc.isObject() || root.text("format", {}) != kFormatName)
        root.damaged("it is not an Avatar Studio project");
    const JsonValue* version = doc.find("version");
    if (!version || version->type() != JsonValue::Type::Number)
        root.damaged("it has no format version");
    const int v = root.integer("version", 0);
    if (v > kSchemaVersion)
        throw Error(ErrorCode::InvalidInput, "The project '" + name +
                                                 "' was saved by a newer Avatar Studio (project format " +
                                                 std::to_string(v) + "; this version reads up to " +
                                                 std::to_string(kSchemaVersion) + "); it was left as it is.");
    if (v < 1)
        root.damaged("its format version " + std::to_string(v) + " does not exist");

    LoadedProject loaded;
    loaded.fileVersion = v;
    loaded.project = v == 1 ? readVersion1(root, folder) : readVersion2(root, doc, folder);
    for (std::size_t i = 0; i < loaded.project.scenes.size(); ++i) {
        const Scene& scene = loaded.project.scenes[i];
        const std::string which = " of scene " + std::to_string(i + 1);
        addNotices(scene.presenter.portrait, "the portrait" + which, loaded.notices);
        addNotices(scene.slide, "the slide" + which, loaded.notices);
        addNotices(scene.background.image, "the background image" + which, loaded.notices);
        addNotices(scene.background.video, "the background video" + which, loaded.notices);
    }
    addNotices(loaded.project.brand.logo, "the logo", loaded.notices);
    addNotices(loaded.project.brand.intro, "the intro clip", loaded.notices);
    addNotices(loaded.project.brand.outro, "the outro clip", loaded.notices);
    addNotices(loaded.project.sound.music, "the music", loaded.notices);
    return loaded;
}

LoadedProject ProjectFile::load(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec))
        throw Error(ErrorCode::NotFound, "The project '" + file.string() + "' does not exist.");
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec || !fs::is_regular_file(file, ec))
        throw Error(ErrorCode::Unreadable, "'" + file.string() + "' is not a project file.");
    if (size > kMaxFileBytes)
        throw Error(ErrorCode::Unreadable,
                    "The project '" + file.string() +
                        "' is damaged (it is larger than 16 MiB); it was left as it is.");
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
        throw Error(ErrorCode::Unreadable, "The project '" + file.string() + "' cannot be read.");
    const fs::path folder = fs::absolute(file).parent_path();
    return parse(text, folder, file.string());
}

std::string ProjectFile::serialize(const Project& project, const fs::path& folder) {
    JsonWriter w;
    w.beginObject().field("format", kFormatName).field("version", kSchemaVersion);
    const OutputSettings& o = project.output;
    w.key("output").beginObject();
    w.field("width", o.width).field("height", o.height);
    // Whole rates as before (older versions read them); others exactly, as text.
    if (o.fps.isWhole())
        w.field("fps", o.fps.num());
    else
        w.field("fps", o.fps.toString());
    w.field("crf", o.crf);
    w.field("preset", o.preset).field("burn_captions", o.captionsBurn);
    const CaptionStyle& s = o.captionStyle;
    w.field("caption_font", s.font).field("caption_size", s.size);
    w.field("caption_position", captionPositionName(s.position))
        .field("caption_colour", colourName(s.colour));
    w.field("caption_highlight", colourName(s.highlight)).field("caption_outline", colourName(s.outline));
    w.endObject();
    const Brand& b = project.brand;
    w.key("brand").beginObject();
    w.field("primary_color", b.primaryColor).field("accent_color", b.accentColor).field("font", b.font);
    writeMedia(w, "logo", b.logo, folder);
    w.field("logo_corner", cornerName(b.logoCorner));
    writeMedia(w, "intro", b.intro, folder);
    writeMedia(w, "outro", b.outro, folder);
    w.endObject();
    w.key("sound").beginObject();
    writeMedia(w, "music", project.sound.music, folder);
    w.field("music_gain_db", project.sound.musicGainDb).endObject();
    w.key("scenes").beginArray();
    for (const Scene& s : project.scenes) {
        w.beginObject().field("name", s.name).field("script", s.script);
        const Presenter& p = s.presenter;
        w.key("presenter").beginObject();
        writeMedia(w, "portrait", p.portrait, folder);
        w.field("voice", p.voice).field("speed", p.speed).field("pitch", p.pitch);
        w.field("framing", framingName(p.framing)).field("face", p.faceIndex);
        w.field("expression", toString(p.expression)).endObject();
        w.field("layout", layoutName(s.layout));
        writeMedia(w, "slide", s.slide, folder);
        w.key("background").beginObject().field("kind", backgroundKindName(s.background.kind));
        w.field("color", s.background.color).field("color2", s.background.color2);
        writeMedia(w, "image", s.background.image, folder);
        writeMedia(w, "video", s.background.video, folder);
        w.endObject();
        w.key("transition").beginObject().field("kind", transitionKindName(s.transition.kind));
        w.field("seconds", s.transition.seconds).endObject();
        w.key("overlays").beginArray();
        for (const TextOverlay& o : s.overlays)
            w.beginObject()
                .field("kind", overlayKindName(o.kind))
                .field("text", o.text)
                .field("detail", o.detail)
                .endObject();
        w.endArray();
        w.endObject();
    }
    w.endArray().endObject();
    return w.str() + "\n";
}

void ProjectFile::save(const Project& project, const fs::path& file) {
    std::error_code ec;
    if (fs::exists(file, ec)) {
        // Only a project this version understands may be replaced: a newer or damaged one may hold work
        // that this program cannot see, and the error says why it was kept.
        try {
            load(file);
        } catch (const Error& e) {
            throw Error(ErrorCode::InvalidInput,
                        std::string(e.what()) + " Save the project under another name.");
        }
    }
    AtomicFile::write(file, serialize(project, fs::absolute(file).parent_path()));
}

std::string ProjectFile::hashFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::error_code ec;
        throw Error(fs::exists(file, ec) ? ErrorCode::Unreadable : ErrorCode::NotFound,
                    "'" + file.string() + "' cannot be read.");
    }
    cache::Sha256 sha;
    std::vector<char> buffer(std::size_t{1} << 16);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        sha.update(std::span(reinterpret_cast<const std::uint8_t*>(buffer.data()), got));
    }
    if (in.bad())
        throw Error(ErrorCode::Unreadable, "'" + file.string() + "' cannot be read.");
    return cache::Sha256::toHex(sha.finish());
}

} // namespace avatar::project
