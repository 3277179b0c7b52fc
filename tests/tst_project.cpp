// Project files and multi-scene renders (issue #14): the .avatarproj document round-trips with media paths
// relative to the project and hashed; a moved project folder still finds its media; a changed or missing file
// is noticed; the older schema loads; a newer or damaged file gets one clear error and is never overwritten;
// a two-scene project renders into one video whose decoded frames are each scene's own, back to back, with
// the sound in step; editing one scene re-renders only that scene; the CLI renders a project and refuses a
// bad one.
#include "CliRunner.h"
#include "FrameChecks.h"
#include "cache/Cache.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "core/JsonValue.h"
#include "media/MediaReader.h"
#include "media/MusicMixer.h"
#include "pipeline/RenderPipeline.h"
#include "project/ProjectFile.h"
#include "project/ProjectRenderer.h"
#include "project/SceneCompositor.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <tuple>

using namespace avatar;
using namespace avatar::project;
using avatar::test::decodeAll;
using avatar::test::meanColor;
using avatar::test::near;
using avatar::test::show;
using avatar::test::toneLevel;
using avatar::test::writeSolid;
using avatar::test::writeToneWav;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeAll(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
}

void writePicture(const fs::path& file, std::uint8_t shade) {
    writeSolid(file, 64, 48, shade, shade, shade);
}

// An empty project rendered small and fast, for the render tests.
Project smallProject(int width, int height) {
    Project p;
    p.output.width = width;
    p.output.height = height;
    p.output.preset = "ultrafast";
    return p;
}

double meanAbsDiff(const Image& a, const Image& b) {
    if (a.width() != b.width() || a.height() != b.height())
        return 255.0;
    double sum = 0;
    for (std::size_t i = 0; i < a.byteSize(); ++i)
        sum += std::abs(int(a.data()[i]) - int(b.data()[i]));
    return sum / double(a.byteSize());
}

// The pixels of `area` of `frame` against the whole of `box` (the presenter rendered alone at the box's
// size).
double boxDiff(const Image& frame, const Rect& area, const Image& box) {
    return meanAbsDiff(frame.cropped(area), box);
}

double rms(const std::vector<float>& x, std::size_t from, std::size_t n) {
    double sum = 0.0;
    for (std::size_t i = from; i < from + n && i < x.size(); ++i)
        sum += double(x[i]) * x[i];
    return std::sqrt(sum / double(n));
}

Project sampleProject(const fs::path& folder) {
    Project p;
    p.output.width = 160;
    p.output.height = 120;
    p.output.preset = "ultrafast";
    // Issue #18: a caption style that is not the default, so that the round trip shows it is kept.
    p.output.captionStyle.font = "DejaVu Serif";
    p.output.captionStyle.size = 120;
    p.output.captionStyle.position = CaptionPosition::Top;
    p.output.captionStyle.highlight = 0x00E5FF;
    p.brand.logo.path = folder / "brand" / "logo.png";
    p.brand.logoCorner = Corner::BottomLeft;
    p.brand.font = "DejaVu Serif";
    project::Scene a;
    a.name = "Welcome";
    a.script = "Hello, \"friend\".\nWelcome aboard.";
    a.presenter.portrait.path = folder / "media" / "face.png";
    a.presenter.framing = Framing::Head;
    a.presenter.speed = 1.25;
    a.presenter.expression = Expression::Friendly;
    a.layout = Layout::PresenterLeft;
    a.slide.path = folder / "media" / "face.png";
    project::Scene b;
    b.name = "Goodbye";
    b.script = "See you soon.";
    b.presenter.faceIndex = 1;
    b.presenter.pitch = -2.5;
    b.layout = Layout::Circle;
    b.background.kind = Background::Kind::Gradient;
    b.background.color = "#102030";
    b.background.color2 = "#A0B0C0";
    b.overlays = {{TextOverlay::Kind::LowerThird, "Ada {Lovelace}", "Analyst, \\ \"Engines\""},
                  {TextOverlay::Kind::Title, "Goodbye", {}}};
    p.scenes = {a, b};
    return p;
}

} // namespace

class TestProject : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path root() const { return m_dir.path().toStdString(); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        fs::create_directories(root() / "work" / "media");
        fs::create_directories(root() / "work" / "brand");
        writePicture(root() / "work" / "media" / "face.png", 90);
        writePicture(root() / "work" / "brand" / "logo.png", 200);
    }

    void roundTripsWithRelativeHashedMedia() {
        const fs::path folder = root() / "work";
        const Project p = sampleProject(folder);
        const fs::path file = folder / "talk.avatarproj";
        ProjectFile::save(p, file);

        // On disk: relative paths and the content hashes.
        const JsonValue doc = JsonValue::parse(readAll(file));
        QCOMPARE(doc.find("version")->number(), double(ProjectFile::kSchemaVersion));
        const JsonValue& portrait = *doc.find("scenes")->array()[0].find("presenter")->find("portrait");
        QCOMPARE(portrait.find("path")->string(), std::string("media/face.png"));
        QCOMPARE(portrait.find("sha256")->string(), ProjectFile::hashFile(folder / "media" / "face.png"));
        QCOMPARE(portrait.find("sha256")->string().size(), std::size_t{64});
        QCOMPARE(doc.find("brand")->find("logo")->find("path")->string(), std::string("brand/logo.png"));
        QCOMPARE(doc.find("output")->find("caption_position")->string(), std::string("top"));
        QCOMPARE(doc.find("output")->find("caption_highlight")->string(), std::string("#00E5FF"));

        const LoadedProject back = ProjectFile::load(file);
        QCOMPARE(back.fileVersion, ProjectFile::kSchemaVersion);
        QVERIFY(back.notices.empty());
        Project expected = p;
        expected.scenes[0].presenter.portrait.sha256 = portrait.find("sha256")->string();
        expected.scenes[0].slide.sha256 = portrait.find("sha256")->string();
        expected.brand.logo.sha256 = ProjectFile::hashFile(folder / "brand" / "logo.png");
        QVERIFY(back.project == expected);
        QCOMPARE(back.project.scenes[0].script, std::string("Hello, \"friend\".\nWelcome aboard."));
    }

    void movedFolderFindsItsMedia() {
        const fs::path moved = root() / "elsewhere";
        fs::copy(root() / "work", moved, fs::copy_options::recursive);
        const LoadedProject back = ProjectFile::load(moved / "talk.avatarproj");
        QVERIFY(back.notices.empty());
        QCOMPARE(back.project.scenes[0].presenter.portrait.path, moved / "media" / "face.png");
        QCOMPARE(back.project.brand.logo.path, moved / "brand" / "logo.png");
    }

    void noticesChangedAndMissingMedia() {
        const fs::path moved = root() / "elsewhere";
        writePicture(moved / "media" / "face.png", 30); // same name, other content
        fs::remove(moved / "brand" / "logo.png");
        const LoadedProject back = ProjectFile::load(moved / "talk.avatarproj");
        // The slide is the same picture as the portrait: both are noticed.
        QCOMPARE(back.notices.size(), std::size_t{3});
        QCOMPARE(back.notices[0].kind, MediaNotice::Kind::Changed);
        QVERIFY(back.notices[0].message().find("portrait of scene 1") != std::string::npos);
        QCOMPARE(back.notices[1].kind, MediaNotice::Kind::Changed);
        QVERIFY(back.notices[1].message().find("slide of scene 1") != std::string::npos);
        QCOMPARE(back.notices[2].kind, MediaNotice::Kind::Missing);
        QVERIFY(back.notices[2].message().find("the logo") != std::string::npos);
        QVERIFY(back.notices[2].message().find("moved or deleted") != std::string::npos);
        // A render names the missing portrait before any work.
        Project p = back.project;
        fs::remove(moved / "media" / "face.png");
        try {
            ProjectRenderer::sceneSpecs(p, moved / "out.mp4");
            QFAIL("a missing logo was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::NotFound);
            QVERIFY(std::string(e.what()).find("The logo") != std::string::npos);
        }
        writePicture(moved / "brand" / "logo.png", 200);
        try {
            ProjectRenderer::sceneSpecs(p, moved / "out.mp4");
            QFAIL("a missing portrait was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::NotFound);
            QVERIFY(std::string(e.what()).find("Scene 1 (Welcome)'s portrait") != std::string::npos);
        }
    }

    void olderSchemaLoads() {
        const fs::path folder = root() / "work";
        const fs::path file = folder / "old.avatarproj";
        writeAll(file, R"({"format":"avatar-studio-project","version":1,"script":"Hi there.",
                           "avatar":"media/face.png","voice":"flite:kal","framing":"as-is",
                           "width":640,"height":360,"fps":30})");
        const LoadedProject back = ProjectFile::load(file);
        QCOMPARE(back.fileVersion, 1);
        QCOMPARE(back.project.scenes.size(), std::size_t{1});
        const project::Scene& s = back.project.scenes[0];
        QCOMPARE(s.script, std::string("Hi there."));
        QCOMPARE(s.presenter.portrait.path, folder / "media" / "face.png");
        QVERIFY(s.presenter.portrait.sha256.empty());
        QCOMPARE(s.presenter.voice, std::string("flite:kal"));
        QCOMPARE(s.presenter.framing, Framing::AsIs);
        QCOMPARE(back.project.output.width, 640);
        QCOMPARE(back.project.output.fps, 30);
        // Saving writes the current schema.
        ProjectFile::save(back.project, file);
        QCOMPARE(ProjectFile::load(file).fileVersion, ProjectFile::kSchemaVersion);
    }

    // Issue #17: 29.97 is saved exactly, as "30000/1001"; a whole rate stays a number, as older versions
    // wrote and read it; the decimal and the fraction load as the same rate; old files' integers still load.
    void frameRateRoundTrips() {
        const fs::path folder = root() / "rates";
        fs::create_directories(folder);
        const fs::path file = folder / "ntsc.avatarproj";
        Project p = sampleProject(folder);
        p.output.fps = FrameRate(30000, 1001);
        ProjectFile::save(p, file);
        QVERIFY(readAll(file).find(R"("fps":"30000/1001")") != std::string::npos);
        QCOMPARE(ProjectFile::load(file).project.output.fps, FrameRate(30000, 1001));
        QCOMPARE(ProjectFile::load(file).project, p);
        p.output.fps = 25;
        ProjectFile::save(p, file);
        QVERIFY(readAll(file).find(R"("fps":25,)") != std::string::npos);
        QCOMPARE(ProjectFile::load(file).project.output.fps, FrameRate(25));
        for (const auto& [text, num, den] :
             {std::tuple{"\"29.97\"", 30000, 1001}, std::tuple{"\"59.94\"", 60000, 1001},
              std::tuple{"\"24000/1001\"", 24000, 1001}, std::tuple{"12", 12, 1}}) {
            writeAll(file, std::string(R"({"format":"avatar-studio-project","version":2,"output":{"fps":)") +
                               text + "}}");
            QCOMPARE(ProjectFile::load(file).project.output.fps, FrameRate(num, den));
        }
        // Out of range loads (the file is not damaged) and its render fails with the one message.
        writeAll(file, R"({"format":"avatar-studio-project","version":2,"output":{"fps":"75"},
                          "scenes":[{"script":"Hello."}]})");
        QCOMPARE(ProjectFile::load(file).project.output.fps, FrameRate(75));
        const test::Run r = test::runCli({QString::fromStdString(file.string()), QStringLiteral("-o"),
                                          QString::fromStdString((folder / "ntsc.mp4").string())});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(QStringLiteral("The frame rate '75' is not supported")),
                 r.err.constData());
        QVERIFY(!fs::exists(folder / "ntsc.mp4"));
    }

    // Two scenes and a crossfade at 29.97 (issue #17): the joined video's stream rate is exactly 30000/1001,
    // its frames are the scenes' and the crossfade's, and the sound ends within a frame of the picture.
    void cliRendersAProjectAtNtscRate() {
        const fs::path folder = root() / "ntsc";
        fs::create_directories(folder);
        writeAll(folder / "two.avatarproj", R"({"format":"avatar-studio-project","version":2,
            "output":{"width":160,"height":120,"fps":"29.97","preset":"ultrafast"},
            "scenes":[{"script":"One scene."},
                      {"script":"And another.","transition":{"kind":"crossfade","seconds":0.5}}]})");
        const fs::path out = folder / "two.mp4";
        const test::Run r = test::runCli({QString::fromStdString((folder / "two.avatarproj").string()),
                                          QStringLiteral("-o"), QString::fromStdString(out.string()),
                                          QStringLiteral("--json"), QStringLiteral("--cache-dir"),
                                          QString::fromStdString((folder / "cache").string())});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const JsonValue json = JsonValue::parse(r.out.trimmed().toStdString());
        QCOMPARE(json.find("frame_rate")->string(), std::string("30000/1001"));
        const auto& scenes = json.find("scenes")->array();
        QCOMPARE(scenes.size(), std::size_t{2});
        // The crossfade: round(0.5 × 30000 / 1001) = 15 frames.
        QCOMPARE(json.find("transition_frames")->number(), 15.0);
        const double frames = scenes[0].find("frames")->number() + scenes[1].find("frames")->number() + 15.0;
        QCOMPARE(json.find("frames")->number(), frames);
        const MediaInfo info = MediaReader::probe(out);
        QCOMPARE(info.frameRate, FrameRate(30000, 1001));
        QCOMPARE(double(info.frameCount), frames);
        const double frame = 1001.0 / 30000.0;
        QVERIFY2(std::abs(info.videoDuration - frames * frame) < 1e-3,
                 qPrintable(QStringLiteral("video %1 s").arg(info.videoDuration)));
        QVERIFY2(
            std::abs(info.audioDuration - info.videoDuration) < frame,
            qPrintable(
                QStringLiteral("audio %1 s, video %2 s").arg(info.audioDuration).arg(info.videoDuration)));
    }

    void refusedFiles_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        const int damaged = int(ErrorCode::Unreadable);
        QTest::newRow("newer") << QByteArray(R"({"format":"avatar-studio-project","version":4,"scenes":[]})")
                               << int(ErrorCode::InvalidInput) << QStringLiteral("newer Avatar Studio");
        QTest::newRow("not json") << QByteArray("hello") << damaged << QStringLiteral("is damaged");
        QTest::newRow("truncated") << QByteArray(
                                          R"({"format":"avatar-studio-project","version":2,"scenes":[{)")
                                   << damaged << QStringLiteral("is damaged");
        QTest::newRow("empty") << QByteArray() << damaged << QStringLiteral("is damaged");
        QTest::newRow("other json") << QByteArray(R"({"name":"x"})") << damaged
                                    << QStringLiteral("not an Avatar Studio project");
        QTest::newRow("no version") << QByteArray(R"({"format":"avatar-studio-project"})") << damaged
                                    << QStringLiteral("no format version");
        QTest::newRow("version 0") << QByteArray(R"({"format":"avatar-studio-project","version":0})")
                                   << damaged << QStringLiteral("does not exist");
        QTest::newRow("wrong type")
            << QByteArray(R"({"format":"avatar-studio-project","version":2,"output":{"width":"wide"}})")
            << damaged << QStringLiteral("'width' of 'output' has the wrong type");
        QTest::newRow("scene not object")
            << QByteArray(R"({"format":"avatar-studio-project","version":2,"scenes":[7]})") << damaged
            << QStringLiteral("scene 1 is not an object");
        QTest::newRow("unknown framing")
            << QByteArray(
                   R"({"format":"avatar-studio-project","version":2,"scenes":[{"presenter":{"framing":"wide"}}]})")
            << damaged << QStringLiteral("unknown value 'wide'");
        QTest::newRow("unknown caption colour")
            << QByteArray(
                   R"({"format":"avatar-studio-project","version":2,"output":{"caption_colour":"red"}})")
            << damaged << QStringLiteral("unknown value 'red'");
        QTest::newRow("fraction")
            << QByteArray(R"({"format":"avatar-studio-project","version":2,"output":{"fps":2.5}})") << damaged
            << QStringLiteral("not a whole number");
        // Issue #17: a rate is a whole number or a rate's text ("29.97", "30000/1001"); anything else is
        // damage.
        QTest::newRow("frame rate text")
            << QByteArray(R"({"format":"avatar-studio-project","version":2,"output":{"fps":"fast"}})")
            << damaged << QStringLiteral("'fps' of 'output' is not a frame rate");
        QTest::newRow("frame rate object")
            << QByteArray(R"({"format":"avatar-studio-project","version":2,"output":{"fps":{}}})") << damaged
            << QStringLiteral("'fps' of 'output' has the wrong type");
        // fuzz_project's find (fuzz/corpus/project/regress-huge-version.avatarproj): a number beyond any
        // integer was converted before its range was checked (undefined behaviour, seen under UBSan).
        QTest::newRow("huge number")
            << QByteArray(R"({"format":"avatar-studio-project","version":2,"output":{"width":1e300}})")
            << damaged << QStringLiteral("not a whole number");
    }

    void refusedFiles() {
        QFETCH(QByteArray, text);
        QFETCH(int, code);
        QFETCH(QString, says);
        const fs::path file = root() / "refused.avatarproj";
        writeAll(file, text.toStdString());
        try {
            ProjectFile::load(file);
            QFAIL("the file was accepted");
        } catch (const Error& e) {
            QCOMPARE(int(e.code()), code);
            QVERIFY2(QString::fromUtf8(e.what()).contains(says), e.what());
            QVERIFY(std::string(e.what()).find("left as it is") != std::string::npos);
        }
        // Saving over it is refused and leaves every byte as it was.
        try {
            ProjectFile::save(sampleProject(root() / "work"), file);
            QFAIL("a save replaced the file");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidInput);
            QVERIFY(std::string(e.what()).find("another name") != std::string::npos);
        }
        QCOMPARE(QByteArray::fromStdString(readAll(file)), text);
        // The CLI says it in one line and fails.
        const test::Run r = test::runCli({QString::fromStdString(file.string()), QStringLiteral("-o"),
                                          QString::fromStdString((root() / "refused.mp4").string())});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(test::nonEmptyLines(r.err).size(), 1);
        QVERIFY(QString::fromUtf8(r.err).contains(says));
        QVERIFY(!fs::exists(root() / "refused.mp4"));
    }

    void rendersScenesBackToBack() {
        // Two scenes of the built-in portrait in different framings: every decoded frame of the joined video
        // matches the frame at the same place of the scene rendered alone.
        Project p = smallProject(160, 120);
        project::Scene a;
        a.script = "The first scene speaks here.";
        a.presenter.framing = Framing::Head;
        project::Scene b;
        b.script = "Then the second one.";
        b.presenter.framing = Framing::AsIs;
        p.scenes = {a, b};
        const QString cacheDir = m_dir.filePath(QStringLiteral("cache"));
        cache::CacheOptions co;
        co.disk.path = (cacheDir.toStdString() + ".db");
        auto cache = std::make_unique<cache::Cache>(std::move(co));
        EngineServices services;
        services.cache = cache.get();
        const ProjectRenderer renderer(services);
        const fs::path out = root() / "scenes.mp4";
        const ProjectRenderResult result = renderer.run(p, out);
        QCOMPARE(result.scenes.size(), std::size_t{2});
        const long long n1 = result.scenes[0].frames;
        const long long n2 = result.scenes[1].frames;
        QVERIFY(n1 > 25 && n2 > 25);
        QCOMPARE(result.frames, n1 + n2);

        const MediaInfo info = MediaReader::probe(out);
        QCOMPARE(info.frameCount, n1 + n2);
        QVERIFY(std::abs(info.videoDuration - double(n1 + n2) / 25) < 0.05);
        QVERIFY2(std::abs(info.audioDuration - info.videoDuration) < 0.1, "the sound is not in step");
        const std::vector<Image> joined = decodeAll(out);
        QCOMPARE(static_cast<long long>(joined.size()), n1 + n2);

        // Each scene alone (from the cache, so the same encoded frames).
        std::vector<std::vector<Image>> alone;
        std::vector<float> secondSound;
        for (const RenderSpec& spec : ProjectRenderer::sceneSpecs(p, root() / "alone.mp4")) {
            RenderPipeline(services).run(spec);
            alone.push_back(decodeAll(root() / "alone.mp4"));
            secondSound = MediaReader(root() / "alone.mp4").readAudioMono(nullptr);
        }
        QCOMPARE(static_cast<long long>(alone[0].size()), n1);
        QCOMPARE(static_cast<long long>(alone[1].size()), n2);
        for (long long i : {0LL, n1 / 2, n1 - 1})
            QVERIFY2(meanAbsDiff(joined[i], alone[0][i]) < 0.5, qPrintable(QString::number(i)));
        for (long long i : {0LL, n2 / 2, n2 - 1})
            QVERIFY2(meanAbsDiff(joined[n1 + i], alone[1][i]) < 0.5, qPrintable(QString::number(i)));
        // The cut is real: the framings differ.
        QVERIFY(meanAbsDiff(joined[n1 - 1], joined[n1]) > 10.0);

        // The sound of scene 2 starts where its pictures do: from the cut on, the joined file's sound is
        // scene 2's own (within AAC noise). Each scene's sound is encoded on its own and laid on the AAC
        // frame grid, so it may start up to half a frame (512 samples, 10.7 ms, far below what a viewer
        // notices) from the cut; any other shift makes the difference as loud as speech.
        int rate = 0;
        const std::vector<float> all = MediaReader(out).readAudioMono(&rate);
        QVERIFY(rate > 0);
        const auto cut = static_cast<std::ptrdiff_t>(double(n1) / 25 * rate);
        const auto relativeError = [&](std::ptrdiff_t shift) {
            const auto start = static_cast<std::size_t>(cut + shift);
            const std::size_t length = std::min(secondSound.size(), all.size() - std::min(all.size(), start));
            double signal = 0.0;
            double error = 0.0;
            for (std::size_t i = 0; i < length; ++i) {
                signal += double(secondSound[i]) * secondSound[i];
                error += std::pow(double(all[start + i]) - secondSound[i], 2.0);
            }
            return length > std::size_t(rate) && signal > 0.0 ? std::sqrt(error / signal) : 1e9;
        };
        std::ptrdiff_t best = 0;
        for (std::ptrdiff_t shift = -1024; shift <= 1024; ++shift)
            if (relativeError(shift) < relativeError(best))
                best = shift;
        QVERIFY2(std::abs(best) <= 512 && relativeError(best) < 0.25,
                 qPrintable(QStringLiteral("shift %1, error %2").arg(best).arg(relativeError(best))));

        // Editing scene 2 re-renders only scene 2.
        p.scenes[1].script = "Then the second one, edited.";
        const ProjectRenderResult edited = renderer.run(p, out);
        QCOMPARE(edited.scenes[0].cache.framesRendered, 0LL);
        QCOMPARE(edited.scenes[0].cache.segmentsReused, 1);
        QVERIFY(edited.scenes[1].cache.framesRendered > 0);
        // Each scene's sound is encoded on its own: scene 1's comes from the cache, scene 2's is new.
        QCOMPARE(edited.soundPartsFromCache, 1);
        QCOMPARE(MediaReader::probe(out).frameCount, edited.frames);
        // Nothing is left beside the output.
        int entries = 0;
        for (const auto& e : fs::directory_iterator(root()))
            entries += e.path().filename().string().find(".scenes.mp4") != std::string::npos;
        QCOMPARE(entries, 0);
    }

    void composesBoxedLayouts() {
        // A green slide, a red background, a gradient: the decoded frames show each where the layout puts it,
        // and the presenter's box holds exactly the presenter rendered alone at the box's size.
        const fs::path slide = root() / "slide.png";
        writeSolid(slide, 400, 300, 0, 200, 0);
        Project p = smallProject(320, 180);
        project::Scene right;
        right.script = "The slide is on my left.";
        right.layout = Layout::PresenterRight;
        right.slide.path = slide;
        right.background.color = "#c83232";
        project::Scene circle;
        circle.script = "Now I am in a circle.";
        circle.layout = Layout::Circle;
        circle.slide.path = slide;
        project::Scene rounded;
        rounded.script = "And in a rounded box.";
        rounded.layout = Layout::RoundedBox;
        rounded.background.kind = Background::Kind::Gradient;
        rounded.background.color = "#ffffff";
        rounded.background.color2 = "#000000";
        p.scenes = {right, circle, rounded};

        auto cache = std::make_unique<cache::Cache>(cache::CacheOptions{});
        EngineServices services;
        services.cache = cache.get();
        const fs::path out = root() / "boxed.mp4";
        const ProjectRenderResult result = ProjectRenderer(services).run(p, out);
        QCOMPARE(result.scenesComposed, 3);
        const std::vector<Image> frames = decodeAll(out);
        QCOMPARE(static_cast<long long>(frames.size()), result.frames);

        std::vector<std::vector<Image>> alone;
        for (const RenderSpec& spec : ProjectRenderer::sceneSpecs(p, root() / "alone.mp4")) {
            RenderPipeline(services).run(spec);
            alone.push_back(decodeAll(root() / "alone.mp4"));
        }
        const long long n0 = result.scenes[0].frames;
        const long long n1 = result.scenes[1].frames;

        // Presenter right of the slide, over the red background.
        const auto g0 = SceneCompositor::geometry(Layout::PresenterRight, 320, 180);
        QCOMPARE(alone[0][0].width(), g0.presenter.width);
        QVERIFY(g0.presenter.x > g0.slide.right());
        const Image& f0 = frames[n0 / 2];
        const auto margin = meanColor(f0, {0, 0, 320, 4});
        QVERIFY2(near(margin, {200, 50, 50}, 8), qPrintable(show(margin)));
        // The 4:3 slide fitted in its box: its centre is green, the box's ends beside it show the background.
        const Rect s0 = g0.slide;
        const auto slideCentre = meanColor(f0, {s0.x + s0.width / 2 - 8, s0.y + s0.height / 2 - 8, 16, 16});
        QVERIFY2(near(slideCentre, {0, 200, 0}, 8), qPrintable(show(slideCentre)));
        QVERIFY2(boxDiff(f0, g0.presenter, alone[0][n0 / 2]) < 3.0,
                 qPrintable(QString::number(boxDiff(f0, g0.presenter, alone[0][n0 / 2]))));

        // The circle over the full-frame slide: the box's corner is slide, its middle is the presenter.
        const auto g1 = SceneCompositor::geometry(Layout::Circle, 320, 180);
        const Image& f1 = frames[n0 + n1 / 2];
        const Rect& c = g1.presenter;
        const auto corner = meanColor(f1, {c.x + 1, c.y + 1, 4, 4});
        QVERIFY2(near(corner, {0, 200, 0}, 8), qPrintable(show(corner)));
        const auto topLeft = meanColor(f1, {0, 0, 8, 8});
        QVERIFY2(near(topLeft, {0, 200, 0}, 8), qPrintable(show(topLeft)));
        const Rect middle{c.x + c.width / 4, c.y + c.height / 4, c.width / 2, c.height / 2};
        const Rect middleAlone{c.width / 4, c.height / 4, c.width / 2, c.height / 2};
        QVERIFY(meanAbsDiff(f1.cropped(middle), alone[1][n1 / 2].cropped(middleAlone)) < 3.0);

        // The gradient behind the rounded box: white at the top, black at the bottom.
        const Image& f2 = frames.back();
        const auto top = meanColor(f2, {0, 0, 64, 2});
        const auto bottom = meanColor(f2, {0, 178, 64, 2});
        QVERIFY2(near(top, {255, 255, 255}, 8), qPrintable(show(top)));
        QVERIFY2(near(bottom, {0, 0, 0}, 8), qPrintable(show(bottom)));

        // Editing the last scene re-renders and re-composes only that scene.
        p.scenes[2].script = "And in a rounded box, edited.";
        const ProjectRenderResult edited = ProjectRenderer(services).run(p, out);
        QCOMPARE(edited.scenes[0].cache.framesRendered, 0LL);
        QCOMPARE(edited.scenes[1].cache.framesRendered, 0LL);
        QVERIFY(edited.scenes[2].cache.framesRendered > 0);
        QCOMPARE(edited.composedFromCache, 2);
        QCOMPARE(edited.scenesComposed, 1);

        // Without a cache a full-frame scene (encoded in one piece, other headers) joins a boxed one.
        services.cache = nullptr;
        Project mixed = p;
        mixed.scenes[0].layout = Layout::Full;
        const ProjectRenderResult plain = ProjectRenderer(services).run(mixed, out);
        QCOMPARE(MediaReader::probe(out).frameCount, plain.frames);
        QCOMPARE(static_cast<long long>(decodeAll(out).size()), plain.frames);

        // A colour that is not #rrggbb is named before any work.
        mixed.scenes[1].background.color = "red";
        try {
            ProjectRenderer::sceneSpecs(mixed, out);
            QFAIL("a bad colour was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidInput);
            QVERIFY(std::string(e.what()).find("Scene 2's background colour 'red'") != std::string::npos);
        }
    }

    void editingOneSentenceComposesOnlyItsGroups() {
        // A batch row changes one sentence of a boxed scene (issue #14's speed): only that sentence's groups
        // of pictures are composed and encoded again; the other sentences' composed video comes from the
        // cache packet for packet, so their decoded frames are identical.
        const fs::path slide = root() / "slide-groups.png";
        writeSolid(slide, 400, 300, 0, 200, 0);
        Project p = smallProject(192, 108);
        project::Scene scene;
        scene.script = "Hello Ada. The slide is on my left. Thank you for watching.";
        scene.layout = Layout::PresenterRight;
        scene.slide.path = slide;
        p.scenes = {scene};
        auto cache = std::make_unique<cache::Cache>(cache::CacheOptions{});
        EngineServices services;
        services.cache = cache.get();
        const fs::path out = root() / "groups.mp4";
        const ProjectRenderResult first = ProjectRenderer(services).run(p, out);
        QCOMPARE(first.scenesComposed, 1);
        QVERIFY2(first.groupsComposed >= 3, qPrintable(QString::number(first.groupsComposed)));
        QCOMPARE(first.groupsFromCache, 0);
        const std::vector<Image> before = decodeAll(out);

        p.scenes[0].script = "Hello Grace. The slide is on my left. Thank you for watching.";
        const ProjectRenderResult edited = ProjectRenderer(services).run(p, out);
        QCOMPARE(edited.scenesComposed, 1);
        QVERIFY2(edited.groupsComposed >= 1 && edited.groupsComposed < first.groupsComposed,
                 qPrintable(QStringLiteral("%1 of %2").arg(edited.groupsComposed).arg(first.groupsComposed)));
        QVERIFY(edited.groupsFromCache >= 2);
        const std::vector<Image> after = decodeAll(out);
        QCOMPARE(static_cast<long long>(after.size()), edited.frames);
        // The last sentence and its pause: the same frames, bit for bit, at the end of both videos.
        for (std::size_t k = 1; k <= 10; ++k)
            QCOMPARE(meanAbsDiff(after[after.size() - k], before[before.size() - k]), 0.0);
        // The first sentence changed: its frames differ somewhere.
        double changed = 0.0;
        for (std::size_t k = 0; k < 20; ++k)
            changed = std::max(changed, meanAbsDiff(after[k], before[k]));
        QVERIFY2(changed > 0.5, qPrintable(QString::number(changed)));

        // Rendered again unchanged: nothing composed, the sound from the cache.
        const ProjectRenderResult again = ProjectRenderer(services).run(p, out);
        QCOMPARE(again.groupsComposed, 0);
        QCOMPARE(again.composedFromCache, 1);
        QCOMPARE(again.soundPartsFromCache, 1);
    }

    void drawsOverlaysAndLogo() {
        // A full-frame scene with a title, a lower third and a magenta logo: each shows where it belongs in
        // the decoded frames, in the brand's colours, and the rest of the frame is the presenter's own
        // picture.
        const fs::path logo = root() / "logo.png";
        writeSolid(logo, 100, 50, 255, 0, 255);
        Project p = smallProject(320, 180);
        p.brand.primaryColor = "#0000ff";
        p.brand.accentColor = "#ff8000";
        p.brand.logo.path = logo;
        p.brand.logoCorner = Corner::TopLeft;
        project::Scene scene;
        scene.script = "Titles and names are drawn over me.";
        scene.overlays = {{TextOverlay::Kind::Title, "Quarterly update", {}},
                          {TextOverlay::Kind::LowerThird, "Eileen Collins", "Head of Operations"}};
        p.scenes = {scene};
        auto cache = std::make_unique<cache::Cache>(cache::CacheOptions{});
        EngineServices services;
        services.cache = cache.get();
        const fs::path out = root() / "overlays.mp4";
        const ProjectRenderResult result = ProjectRenderer(services).run(p, out);
        // Over a full-frame presenter the titles and the logo are drawn with it: nothing is composed after.
        QCOMPARE(result.scenesComposed, 0);
        QVERIFY(result.scenes[0].cache.framesRendered > 0);
        const std::vector<Image> frames = decodeAll(out);
        RenderPipeline(services).run(ProjectRenderer::sceneSpecs(p, root() / "alone.mp4")[0]);
        const std::vector<Image> alone = decodeAll(root() / "alone.mp4");
        QCOMPARE(frames.size(), alone.size());
        const Image& f = frames[frames.size() / 2];
        const Image& a = alone[frames.size() / 2];

        const Rect box = SceneCompositor::logoBox(p.brand, 100, 50, 320, 180);
        QVERIFY(box.x < 40 && box.y < 40);
        const auto logoColor = meanColor(f, {box.x + 2, box.y + 2, box.width - 4, box.height - 4});
        QVERIFY2(near(logoColor, {255, 0, 255}, 12), qPrintable(show(logoColor)));

        const auto count = [&](const Rect& r, std::array<int, 3> want) {
            return avatar::test::countNear(f, r, want);
        };
        const Rect topCentre{80, 0, 160, 50};
        const Rect bottomLeft{0, 110, 160, 70};
        const Rect bottomRight{200, 110, 120, 70};
        QVERIFY2(count(topCentre, {0, 0, 255}) > 1000,
                 qPrintable(QString::number(count(topCentre, {0, 0, 255}))));
        QVERIFY(count(bottomLeft, {255, 128, 0}) > 600);
        QCOMPARE(count(bottomRight, {0, 0, 255}), 0);
        QCOMPARE(count(topCentre, {255, 128, 0}), 0);
        // White text on the title's box: bright pixels inside the blue box's rows.
        QVERIFY(count(topCentre, {255, 255, 255}) > 50);
        // Between the overlays the frame is the presenter's.
        const Rect middle{100, 60, 120, 40};
        QVERIFY(meanAbsDiff(f.cropped(middle), a.cropped(middle)) < 3.0);

        // The overlays are part of the segments' keys: a changed text draws the frames again (with the new
        // title), and the same project again takes every segment from the cache.
        p.scenes[0].overlays[0].text = "Annual update";
        const ProjectRenderResult edited = ProjectRenderer(services).run(p, out);
        QCOMPARE(edited.scenes[0].cache.framesRendered, result.scenes[0].cache.framesRendered);
        const Image titled = decodeAll(out)[frames.size() / 2];
        QVERIFY(meanAbsDiff(titled.cropped(topCentre), f.cropped(topCentre)) > 1.0);
        QVERIFY(meanAbsDiff(titled.cropped(middle), f.cropped(middle)) < 3.0);
        const ProjectRenderResult again = ProjectRenderer(services).run(p, out);
        QCOMPARE(again.scenes[0].cache.framesRendered, 0LL);
        QCOMPARE(again.scenesComposed, 0);
    }

    void mixesMusicUnderSpeech() {
        // A steady 11 kHz tone as music under a script with a two-second pause: in the decoded video the tone
        // is at least 6 dB softer while the presenter speaks than in the pause, and the mix is at -16 LUFS.
        const fs::path music = root() / "music.wav";
        writeToneWav(music, 11000.0, 44100, 1.5, 0.25);
        Project p = smallProject(160, 120);
        project::Scene scene;
        scene.script =
            "Hello, this is the first part of the talk. <break time=\"2s\"/> And this part comes after "
            "the long pause, to the end.";
        p.scenes = {scene};
        EngineServices services;
        const fs::path dry = root() / "dry.mp4";
        ProjectRenderer(services).run(p, dry);
        p.sound.music.path = music;
        const fs::path out = root() / "music.mp4";
        ProjectRenderer(services).run(p, out);

        int rate = 0;
        const std::vector<float> voice = MediaReader(dry).readAudioMono(&rate);
        int mixRate = 0;
        const std::vector<float> mixed = MediaReader(out).readAudioMono(&mixRate);
        QCOMPARE(mixRate, rate);
        QVERIFY(std::abs(double(mixed.size()) - double(voice.size())) < rate * 0.05);
        QVERIFY2(toneLevel(voice, 0, voice.size(), 11000.0, rate) < 1e-3, "the voice itself has the tone");

        // 50 ms windows: speaking where the dry voice is loud; the pause's middle second, away from the
        // compressor's release.
        const auto window = static_cast<std::size_t>(rate / 20);
        std::vector<double> speaking, paused;
        double loudest = 0.0;
        for (std::size_t i = 0; i + window <= voice.size(); i += window)
            loudest = std::max(loudest, rms(voice, i, window));
        std::size_t quietRun = 0;
        for (std::size_t i = 0; i + window <= voice.size() && i + window <= mixed.size(); i += window) {
            const double level = rms(voice, i, window);
            quietRun = level < 0.001 ? quietRun + 1 : 0;
            if (level > loudest * 0.3)
                speaking.push_back(toneLevel(mixed, i, window, 11000.0, rate));
            else if (quietRun > 10 && quietRun < 30)
                paused.push_back(toneLevel(mixed, i, window, 11000.0, rate));
        }
        QVERIFY2(speaking.size() > 20 && paused.size() > 8,
                 qPrintable(QStringLiteral("%1 %2").arg(speaking.size()).arg(paused.size())));
        std::sort(speaking.begin(), speaking.end());
        std::sort(paused.begin(), paused.end());
        const double underSpeech = speaking[speaking.size() / 2];
        const double inPause = paused[paused.size() / 2];
        QVERIFY2(inPause > 0.01, qPrintable(QString::number(inPause)));
        const double duckDb = 20.0 * std::log10(inPause / std::max(underSpeech, 1e-9));
        QVERIFY2(duckDb >= 6.0, qPrintable(QStringLiteral("ducked by %1 dB").arg(duckDb)));

        AudioTrack track;
        track.sampleRate = mixRate;
        for (const float v : mixed)
            track.samples.push_back(
                static_cast<std::int16_t>(std::lround(std::clamp(v, -1.0f, 1.0f) * 32767)));
        const double lufs = integratedLoudness(track);
        QVERIFY2(std::abs(lufs + 16.0) <= 1.5, qPrintable(QStringLiteral("%1 LUFS").arg(lufs)));
        qInfo("music ducked by %.1f dB under speech; mix at %.1f LUFS", duckDb, lufs);
    }

    // Issue #14's "Done when": a three-scene project with a slide, a title, a logo and music, rendered by
    // `avatar-render project.avatarproj`: the decoded video is the three scenes' frames back to back, the
    // logo (magenta) is in its corner in the first, middle and last frames, the sound lasts as long as the
    // picture and the music's 11 kHz tone is in it.
    void cliRendersThreeScenesWithSlideTitleLogoAndMusic() {
        const fs::path folder = root() / "cli3";
        fs::create_directories(folder);
        writeSolid(folder / "slide.png", 400, 300, 20, 200, 40);
        writeSolid(folder / "logo.png", 100, 50, 255, 0, 255);
        writeToneWav(folder / "music.wav", 11000.0, 44100, 1.5, 0.25);
        writeAll(folder / "three.avatarproj", R"({"format":"avatar-studio-project","version":3,
            "output":{"width":320,"height":180,"fps":12,"preset":"ultrafast"},
            "brand":{"logo":{"path":"logo.png"},"logo_corner":"top-left"},
            "sound":{"music":{"path":"music.wav"}},
            "scenes":[{"script":"Welcome to the update.","overlays":[{"kind":"title","text":"Q3"}]},
                      {"script":"Here is the slide.","layout":"presenter-right","slide":{"path":"slide.png"}},
                      {"script":"Goodbye.","layout":"circle","slide":{"path":"slide.png"}}]})");
        const fs::path out = folder / "three.mp4";
        const test::Run r = test::runCli({QString::fromStdString((folder / "three.avatarproj").string()),
                                          QStringLiteral("-o"), QString::fromStdString(out.string()),
                                          QStringLiteral("--json"), QStringLiteral("--no-cache")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const JsonValue json = JsonValue::parse(r.out.trimmed().toStdString());
        const auto& scenes = json.find("scenes")->array();
        QCOMPARE(scenes.size(), std::size_t{3});
        double frames = 0.0;
        for (const JsonValue& scene : scenes) {
            QVERIFY(scene.find("frames")->number() >= 6); // every scene says a few words at 12 fps
            frames += scene.find("frames")->number();
        }
        const MediaInfo info = MediaReader::probe(out);
        QCOMPARE(double(info.frameCount), frames);
        QCOMPARE(info.audioStreams, 1);
        QVERIFY(std::abs(info.audioDuration - info.videoDuration) < 0.1);
        const std::vector<Image> decoded = decodeAll(out);
        QCOMPARE(double(decoded.size()), frames);
        Project p;
        p.brand.logoCorner = Corner::TopLeft;
        const Rect box = SceneCompositor::logoBox(p.brand, 100, 50, 320, 180);
        for (const std::size_t i : {std::size_t{0}, decoded.size() / 2, decoded.size() - 1}) {
            const auto logo = meanColor(decoded[i], {box.x + 2, box.y + 2, box.width - 4, box.height - 4});
            QVERIFY2(near(logo, {255, 0, 255}, 12), qPrintable(show(logo)));
        }
        int rate = 0;
        const std::vector<float> sound = MediaReader(out).readAudioMono(&rate);
        QVERIFY(toneLevel(sound, 0, sound.size(), 11000.0, rate) > 1e-3);
    }

    void cliRendersAProject() {
        const fs::path folder = root() / "cli";
        fs::create_directories(folder);
        writeAll(folder / "two.avatarproj", R"({"format":"avatar-studio-project","version":2,
            "output":{"width":160,"height":120,"preset":"ultrafast"},
            "scenes":[{"script":"One scene.","presenter":{"framing":"head"}},
                      {"script":"And another.","presenter":{"framing":"as-is"}}]})");
        const fs::path out = folder / "two.mp4";
        const test::Run r = test::runCli({QString::fromStdString((folder / "two.avatarproj").string()),
                                          QStringLiteral("-o"), QString::fromStdString(out.string()),
                                          QStringLiteral("--json"), QStringLiteral("--no-cache")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const JsonValue json = JsonValue::parse(r.out.trimmed().toStdString());
        const auto& scenes = json.find("scenes")->array();
        QCOMPARE(scenes.size(), std::size_t{2});
        const double frames = scenes[0].find("frames")->number() + scenes[1].find("frames")->number();
        QCOMPARE(double(MediaReader::probe(out).frameCount), frames);

        // Render flags belong to the project.
        const test::Run flag = test::runCli({QString::fromStdString((folder / "two.avatarproj").string()),
                                             QStringLiteral("--voice"), QStringLiteral("flite:kal")});
        QCOMPARE(flag.exitCode, 2);
        QVERIFY(QString::fromUtf8(flag.err).contains(QStringLiteral("is set in the project")));
        // A project without scenes.
        writeAll(folder / "empty.avatarproj", R"({"format":"avatar-studio-project","version":2})");
        const test::Run empty = test::runCli({QString::fromStdString((folder / "empty.avatarproj").string()),
                                              QStringLiteral("-o"), QString::fromStdString(out.string())});
        QCOMPARE(empty.exitCode, 1);
        QVERIFY(QString::fromUtf8(empty.err).contains(QStringLiteral("has no scenes")));
    }
};

QTEST_GUILESS_MAIN(TestProject)
#include "tst_project.moc"
