// Crossfades, looping video backgrounds, intro and outro clips (issue #14's later items). The test clips are
// made here with the engine's own encoder (each frame a grey level of its own, so that the decoded output
// says which clip frame it shows); the project renders are decoded back: the crossfade's frames move from
// one scene's colour to the next's, monotonically, in silence, for the computed number of frames; a 1 s
// video background repeats every second under a longer scene while memory stays bounded by a few frames;
// the intro and outro are letterboxed, at the output's frame rate, with their sound at the speech's level.
#include "CliRunner.h"
#include "FrameChecks.h"
#include "cache/Cache.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "core/JsonValue.h"
#include "media/AudioDecoder.h"
#include "media/MediaReader.h"
#include "media/Mp4Encoder.h"
#include "project/ProjectFile.h"
#include "project/ProjectRenderer.h"
#include "project/VideoClip.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

using namespace avatar;
using namespace avatar::project;
using avatar::test::decodeAll;
namespace fs = std::filesystem;

namespace {

// A clip of `frames` pictures, frame k a flat grey of level `step` * k, with a loud 440 Hz tone (far above
// speech, so that bringing it to the speech's level shows) when `sound`.
void writeClip(const fs::path& file, int width, int height, int fps, int frames, int step, bool sound) {
    EncoderSettings s;
    s.width = width;
    s.height = height;
    s.fps = fps;
    s.preset = "ultrafast";
    s.crf = 12;
    AudioTrack tone;
    if (sound) {
        tone.sampleRate = 48000;
        tone.samples.resize(static_cast<std::size_t>(48000.0 * frames / fps));
        for (std::size_t i = 0; i < tone.samples.size(); ++i)
            tone.samples[i] =
                static_cast<std::int16_t>(std::lround(30000 * std::sin(2 * M_PI * 440 * i / 48000.0)));
    }
    Mp4Encoder encoder(file, s, std::move(tone));
    Image frame(width, height);
    for (int k = 0; k < frames; ++k) {
        const auto level = static_cast<std::uint8_t>(std::min(255, step * k));
        frame.fill(level, level, level);
        encoder.writeFrame(frame);
    }
    encoder.finish();
}

// The error `work` throws: its code and message (an empty message when it throws nothing).
std::pair<ErrorCode, QString> errorOf(const std::function<void()>& work) {
    try {
        work();
    } catch (const Error& e) {
        return {e.code(), QString::fromStdString(e.what())};
    }
    return {ErrorCode::Internal, {}};
}

double grey(const Image& image, const Rect& area) {
    const auto m = avatar::test::meanColor(image, area);
    return (m[0] + m[1] + m[2]) / 3.0;
}

double rmsOf(const std::vector<float>& x, std::size_t from, std::size_t to) {
    double sum = 0.0;
    to = std::min(to, x.size());
    for (std::size_t i = from; i < to; ++i)
        sum += double(x[i]) * x[i];
    return to > from ? std::sqrt(sum / double(to - from)) : 0.0;
}

long rssKiB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

Project smallProject() {
    Project p;
    p.output.width = 320; // the presenter's box at least 64 pixels high
    p.output.height = 180;
    p.output.preset = "ultrafast";
    return p;
}

project::Scene colourScene(const std::string& script, const std::string& colour) {
    project::Scene s;
    s.script = script;
    s.layout = Layout::RoundedBox; // the presenter bottom right, the background colour everywhere else
    s.background.color = colour;
    return s;
}

// One scene over a video background.
Project videoProject(const std::string& script, const fs::path& video) {
    Project p = smallProject();
    project::Scene s = colourScene(script, "#000000");
    s.background.kind = Background::Kind::Video;
    s.background.video.path = video;
    p.scenes = {s};
    return p;
}

// Top left: the background, never the presenter's box (bottom right) nor the logo (none).
constexpr Rect kCorner{0, 0, 48, 36};

} // namespace

class TestSceneMedia : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<cache::Cache> m_cache;
    EngineServices m_services;

    fs::path root() const { return m_dir.path().toStdString(); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        cache::CacheOptions co;
        co.disk.path = root() / "cache.db";
        m_cache = std::make_unique<cache::Cache>(std::move(co));
        m_services.cache = m_cache.get();
        writeClip(root() / "loop.mp4", 96, 64, 25, 25, 8, false);   // 1 s, grey 0, 8, ..., 192
        writeClip(root() / "big.mp4", 640, 360, 25, 100, 2, false); // 4 s
        writeClip(root() / "intro.mp4", 160, 160, 25, 25, 9, true); // 1 s, square, with a tone
        writeClip(root() / "outro.mp4", 120, 90, 50, 50, 5, false); // 1 s at 50 fps, 4:3, silent
    }

    void videoBackgroundStreams() {
        // Three passes through a 4 s clip of 640x360 (100 frames, 69 MB as RGB): the resident memory, sampled
        // at every frame, never grows by a tenth of the clip, because frames are decoded as they are shown,
        // never all at once.
        VideoClip clip(root() / "big.mp4", "background video", 320, 180, 25, VideoClip::Fit::Cover, true);
        Image frame;
        for (int i = 0; i < 10; ++i)
            QVERIFY(clip.next(frame));
        const long before = rssKiB();
        QVERIFY(before > 0);
        std::vector<double> levels;
        long growth = 0;
        for (int i = 10; i < 300; ++i) {
            QVERIFY(clip.next(frame));
            levels.push_back(grey(frame, frame.rect()));
            growth = std::max(growth, rssKiB() - before);
        }
        const long clipKiB = 100L * 640 * 360 * 3 / 1024;
        qInfo("resident memory grew at most %ld KiB over three passes of a %ld KiB clip", growth, clipKiB);
        QVERIFY2(growth < clipKiB / 10, qPrintable(QStringLiteral("grew %1 KiB").arg(growth)));
        // And it looped: frame 110 shows the clip's frame 10 again, as frames 210 did.
        QVERIFY2(std::abs(levels[100] - levels[0]) < 2.0 && std::abs(levels[200] - levels[0]) < 2.0,
                 qPrintable(QStringLiteral("%1 %2 %3").arg(levels[0]).arg(levels[100]).arg(levels[200])));
        QVERIFY(std::abs(levels[50] - levels[0]) > 50.0);
        // Not looping, a clip ends after its own length.
        VideoClip once(root() / "loop.mp4", "intro clip", 96, 64, 25, VideoClip::Fit::Letterbox, false);
        int frames = 0;
        while (once.next(frame))
            ++frames;
        QCOMPARE(frames, 25);
        // A still picture chosen as a background video stays on screen.
        Image still(64, 48);
        still.fill(10, 120, 230);
        ImageIO::save(still, root() / "still.png");
        VideoClip picture(root() / "still.png", "background video", 96, 64, 25, VideoClip::Fit::Cover, true);
        for (int i = 0; i < 30; ++i) {
            QVERIFY(picture.next(frame));
            QVERIFY(std::abs(avatar::test::meanColor(frame, frame.rect())[2] - 230) < 3);
        }
    }

    void crossfadesBetweenScenes() {
        Project p = smallProject();
        p.scenes = {colourScene("The first scene speaks here.", "#c83214"),
                    colourScene("Then the second one.", "#1450c8")};
        p.scenes[1].transition = {Transition::Kind::Crossfade, 0.5};
        const ProjectRenderer renderer(m_services);
        const fs::path out = root() / "crossfade.mp4";
        const ProjectRenderResult result = renderer.run(p, out);
        const long long n1 = result.scenes[0].frames;
        const long long n2 = result.scenes[1].frames;
        const long long fade = 13; // 0.5 s at 25 fps, rounded half up
        QCOMPARE(result.transitionFrames, fade);
        QCOMPARE(result.frames, n1 + fade + n2);
        const MediaInfo info = MediaReader::probe(out);
        QCOMPARE(info.frameCount, n1 + fade + n2);
        QVERIFY(std::abs(info.videoDuration - double(n1 + fade + n2) / 25) < 0.05);
        QVERIFY2(std::abs(info.audioDuration - info.videoDuration) < 0.1, "the sound is not in step");

        const std::vector<Image> frames = decodeAll(out);
        QCOMPARE(static_cast<long long>(frames.size()), n1 + fade + n2);
        const auto a = avatar::test::meanColor(frames[n1 - 1], kCorner);
        const auto b = avatar::test::meanColor(frames[n1 + fade], kCorner);
        QVERIFY2(std::abs(a[0] - 200) < 4 && std::abs(a[2] - 20) < 4, "scene A's colour");
        QVERIFY2(std::abs(b[0] - 20) < 4 && std::abs(b[2] - 200) < 4, "scene B's colour");
        // Red falls and blue rises at every frame of the fade, from A's colour to B's, never past them.
        double red = a[0];
        double blue = a[2];
        for (long long k = 0; k < fade; ++k) {
            const auto m = avatar::test::meanColor(frames[n1 + k], kCorner);
            QVERIFY2(m[0] < red - 3 && m[2] > blue + 3,
                     qPrintable(QStringLiteral("frame %1 of the fade: %2 %3").arg(k).arg(m[0]).arg(m[2])));
            QVERIFY(m[0] > b[0] && m[2] < b[2]);
            red = m[0];
            blue = m[2];
        }
        // Halfway, half of each.
        const auto mid = avatar::test::meanColor(frames[n1 + fade / 2], kCorner);
        QVERIFY2(std::abs(mid[0] - 110) < 6, qPrintable(QString::number(mid[0])));

        // The speech is not overlapped: the fade is silent, and scene B's speech starts after it.
        int rate = 0;
        const std::vector<float> sound = MediaReader(out).readAudioMono(&rate);
        const auto at = [&](long long frame) { return static_cast<std::size_t>(double(frame) / 25 * rate); };
        QVERIFY2(rmsOf(sound, at(n1) + rate / 50, at(n1 + fade) - rate / 50) < 0.003,
                 qPrintable(QString::number(rmsOf(sound, at(n1), at(n1 + fade)))));
        QVERIFY(rmsOf(sound, at(n1 + fade), at(n1 + fade + n2)) > 0.01);

        // Rendered again: the scenes and the crossfade come from the cache.
        const ProjectRenderResult again = renderer.run(p, out);
        QCOMPARE(again.composedFromCache, 2);
        QCOMPARE(again.clipsFromCache, 1);
        // Scene B edited: only B is drawn again (and the crossfade into it); A comes from the cache.
        p.scenes[1].script = "Then the second one, edited.";
        const ProjectRenderResult edited = renderer.run(p, out);
        QCOMPARE(edited.scenes[0].cache.framesRendered, 0LL);
        QVERIFY(edited.scenes[1].cache.framesRendered > 0);
        QCOMPARE(edited.composedFromCache, 1);
        QCOMPARE(edited.clipsFromCache, 0);
        QCOMPARE(MediaReader::probe(out).frameCount, edited.frames);

        // A cut instead: no frames between the scenes.
        p.scenes[1].transition.kind = Transition::Kind::Cut;
        const ProjectRenderResult cut = renderer.run(p, out);
        QCOMPARE(cut.transitionFrames, 0LL);
        QCOMPARE(MediaReader::probe(out).frameCount, cut.scenes[0].frames + cut.scenes[1].frames);
    }

    void videoBackgroundLoops() {
        // A 1 s clip (grey levels 0, 8, ..., 192) behind a scene of more than 2 s: the background shows clip
        // frame k mod 25 at frame k, so frames a second apart are equal and frames half a second apart not.
        const Project p =
            videoProject("This scene has a moving background that loops every second.", root() / "loop.mp4");
        const fs::path out = root() / "looping.mp4";
        const ProjectRenderResult result = ProjectRenderer(m_services).run(p, out);
        QVERIFY2(result.frames > 60, qPrintable(QString::number(result.frames)));
        const std::vector<Image> frames = decodeAll(out);
        QCOMPARE(static_cast<long long>(frames.size()), result.frames);
        for (std::size_t k = 0; k + 25 < frames.size(); k += 7) {
            const double now = grey(frames[k], kCorner);
            QVERIFY2(std::abs(now - 8.0 * double(k % 25)) < 6.0,
                     qPrintable(QStringLiteral("frame %1: %2").arg(k).arg(now)));
            QVERIFY2(std::abs(grey(frames[k + 25], kCorner) - now) < 3.0, qPrintable(QString::number(k)));
        }
        QVERIFY(std::abs(grey(frames[12], kCorner) - grey(frames[0], kCorner)) > 60.0);
    }

    void missingOrBrokenVideo() {
        Project p = videoProject("A scene.", root() / "nowhere.mp4");
        const fs::path out = root() / "broken.mp4";
        const auto render = [&] { ProjectRenderer(m_services).run(p, out); };
        const auto [missing, missingSays] = errorOf(render);
        QCOMPARE(missing, ErrorCode::NotFound);
        QVERIFY2(missingSays.contains(QStringLiteral("background video")), qPrintable(missingSays));
        std::ofstream(root() / "garbage.mp4") << "this is not a video at all, just some text";
        p.scenes[0].background.video.path = root() / "garbage.mp4";
        const auto [broken, brokenSays] = errorOf(render);
        QCOMPARE(broken, ErrorCode::Unreadable);
        QVERIFY2(brokenSays.contains(QStringLiteral("background video of scene 1")), qPrintable(brokenSays));
        p.scenes[0].background.kind = Background::Kind::Color;
        p.brand.intro.path = root() / "garbage.mp4";
        const QString clipSays = errorOf(render).second;
        QVERIFY2(clipSays.contains(QStringLiteral("intro clip")), qPrintable(clipSays));
        QVERIFY(!fs::exists(out));
    }

    void introAndOutro() {
        // A square 1 s intro with a tone and a 4:3 1 s outro at 50 fps around a 16:9 scene at 25 fps: both
        // are pillarboxed and last 25 output frames.
        Project p = smallProject();
        p.scenes = {colourScene("Hello from the only scene.", "#c83214")};
        p.brand.intro.path = root() / "intro.mp4";
        p.brand.outro.path = root() / "outro.mp4";
        const fs::path out = root() / "clips.mp4";
        const ProjectRenderResult result = ProjectRenderer(m_services).run(p, out);
        const long long scene = result.scenes[0].frames;
        QCOMPARE(result.introFrames, 25LL);
        QCOMPARE(result.outroFrames, 25LL);
        QCOMPARE(result.frames, 25 + scene + 25);
        const MediaInfo info = MediaReader::probe(out);
        QCOMPARE(info.frameCount, result.frames);
        QVERIFY2(std::abs(info.audioDuration - info.videoDuration) < 0.1, "the sound is not in step");

        const std::vector<Image> frames = decodeAll(out);
        // The intro: 180x180 in the middle of 320x180, black bars of 70 px; frame k grey 9k.
        const Rect middle{90, 20, 140, 140};
        const Rect leftBar{0, 0, 64, 180};
        for (int k : {0, 12, 24}) {
            QVERIFY2(std::abs(grey(frames[k], middle) - 9.0 * k) < 5.0,
                     qPrintable(QStringLiteral("intro frame %1: %2").arg(k).arg(grey(frames[k], middle))));
            QVERIFY(grey(frames[k], leftBar) < 4.0);
        }
        // The first scene frame follows the intro.
        QVERIFY(std::abs(avatar::test::meanColor(frames[25], kCorner)[0] - 200) < 5);
        // The outro at 25 fps: output frame k shows the clip's frame 2k (grey 10k), the last its frame 48.
        const std::size_t first = static_cast<std::size_t>(25 + scene);
        const Rect whole{50, 10, 220, 160}; // 240x180 between bars of 40 px
        for (int k : {0, 10, 24}) {
            const double level = grey(frames[first + k], whole);
            QVERIFY2(std::abs(level - 10.0 * k) < 6.0,
                     qPrintable(QStringLiteral("outro frame %1: %2").arg(k).arg(level)));
        }

        // The intro's tone plays at the speech's loudness; the silent outro is silent.
        int rate = 0;
        const std::vector<float> sound = MediaReader(out).readAudioMono(&rate);
        const auto span = [&](long long from, long long to) {
            return std::vector<float>(sound.begin() + static_cast<std::ptrdiff_t>(double(from) / 25 * rate),
                                      sound.begin() + static_cast<std::ptrdiff_t>(std::min<double>(
                                                          double(to) / 25 * rate, double(sound.size()))));
        };
        const double intro = AudioDecoder::loudness(span(0, 25), rate);
        const double speech = AudioDecoder::loudness(span(25, 25 + scene), rate);
        QVERIFY2(std::abs(intro - speech) < 2.0, qPrintable(QStringLiteral("%1 %2").arg(intro).arg(speech)));
        QVERIFY(rmsOf(sound, static_cast<std::size_t>(double(first + 2) / 25 * rate), sound.size()) < 0.003);
    }

    void fileKeepsTransitionsVideosAndClips() {
        const fs::path folder = root() / "project";
        fs::create_directories(folder);
        Project p = smallProject();
        p.scenes = {colourScene("One.", "#101010"), colourScene("Two.", "#202020")};
        p.scenes[1].transition = {Transition::Kind::Crossfade, 0.75};
        p.scenes[1].background.kind = Background::Kind::Video;
        p.scenes[1].background.video.path = root() / "loop.mp4";
        p.brand.intro.path = root() / "intro.mp4";
        p.brand.outro.path = root() / "outro.mp4";
        ProjectFile::save(p, folder / "media.avatarproj");
        const LoadedProject back = ProjectFile::load(folder / "media.avatarproj");
        QCOMPARE(back.fileVersion, 3);
        QVERIFY(back.notices.empty());
        QCOMPARE(back.project.scenes[1].transition, p.scenes[1].transition);
        QCOMPARE(back.project.scenes[0].transition.kind, Transition::Kind::Cut);
        QCOMPARE(back.project.scenes[1].background.kind, Background::Kind::Video);
        QCOMPARE(back.project.scenes[1].background.video.path, p.scenes[1].background.video.path);
        QVERIFY(!back.project.scenes[1].background.video.sha256.empty());
        QCOMPARE(back.project.brand.intro.path, p.brand.intro.path);
        QCOMPARE(back.project.brand.outro.path, p.brand.outro.path);
        // A changed clip is noticed by its hash.
        fs::copy_file(root() / "outro.mp4", root() / "outro-saved.mp4");
        writeClip(root() / "outro.mp4", 120, 90, 50, 50, 4, false);
        const LoadedProject changed = ProjectFile::load(folder / "media.avatarproj");
        QCOMPARE(changed.notices.size(), std::size_t{1});
        QVERIFY(QString::fromStdString(changed.notices[0].message()).contains(QStringLiteral("outro clip")));
        fs::rename(root() / "outro-saved.mp4", root() / "outro.mp4");

        // Version 2 (no transitions): scenes follow with cuts.
        const LoadedProject v2 = ProjectFile::parse(
            R"({"format":"avatar-studio-project","version":2,"scenes":[{"script":"A."},{"script":"B."}]})",
            folder, "v2");
        QCOMPARE(v2.project.scenes[1].transition.kind, Transition::Kind::Cut);
        // A crossfade of an impossible length is damage.
        const auto [code, says] = errorOf([&] {
            ProjectFile::parse(R"({"format":"avatar-studio-project","version":3,"scenes":[{"script":"A.",
                "transition":{"kind":"crossfade","seconds":60}}]})",
                               folder, "long");
        });
        QCOMPARE(code, ErrorCode::Unreadable);
        QVERIFY2(says.contains(QStringLiteral("transition of scene 1")), qPrintable(says));
    }

    void cliRendersACrossfade() {
        const fs::path folder = root() / "cli";
        fs::create_directories(folder);
        std::ofstream(folder / "fade.avatarproj") << R"({"format":"avatar-studio-project","version":3,
            "output":{"width":160,"height":120,"preset":"ultrafast"},
            "scenes":[{"script":"One scene.","presenter":{"framing":"head"}},
                      {"script":"And another.","presenter":{"framing":"as-is"},
                       "transition":{"kind":"crossfade","seconds":0.4}}]})";
        const fs::path out = folder / "fade.mp4";
        const test::Run r = test::runCli({QString::fromStdString((folder / "fade.avatarproj").string()),
                                          QStringLiteral("-o"), QString::fromStdString(out.string()),
                                          QStringLiteral("--json"), QStringLiteral("--no-cache")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const JsonValue json = JsonValue::parse(r.out.trimmed().toStdString());
        QCOMPARE(json.find("transition_frames")->number(), 10.0);
        const auto& scenes = json.find("scenes")->array();
        const double frames = scenes[0].find("frames")->number() + scenes[1].find("frames")->number() + 10;
        QCOMPARE(json.find("frames")->number(), frames);
        QCOMPARE(double(MediaReader::probe(out).frameCount), frames);
    }
};

QTEST_GUILESS_MAIN(TestSceneMedia)
#include "tst_scene_media.moc"
