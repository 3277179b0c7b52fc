// Presenter framing and the choice of face (issue #12, item 4): the layout maths (eye line, headroom, a frame
// filled without a blurred bar where the portrait allows, pixels and landmarks on the same mapping), the
// scene digest that keys cached segments, a decoded render measured with a fresh face detection, a two-face
// photo animated on its second face, the bad face number, the warning for a small portrait, and the job's
// JSON.
#include "CliRunner.h"
#include "assets/DefaultAssets.h"
#include "cache/Cache.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "jobs/JobTypes.h"
#include "media/MediaReader.h"
#include "pipeline/RenderCache.h"
#include "pipeline/RenderPipeline.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace avatar;
using avatar::test::nonEmptyLines;
using avatar::test::Run;
using avatar::test::runCli;

namespace {

PointF eyeCentre(const FaceLandmarks& f) {
    const PointF a = f.rightEyeCenter(), b = f.leftEyeCenter();
    return {(a.x + b.x) / 2, (a.y + b.y) / 2};
}

// `src` enlarged `factor` times by pixel repetition and placed at (ox, oy) on a canvas whose other pixels
// repeat the nearest edge pixel: a large portrait whose landmarks are known exactly (detect on the original,
// map with mapped()).
Image enlarged(const Image& src, int factor, int width, int height, int ox, int oy) {
    Image out(width, height);
    for (int y = 0; y < height; ++y) {
        const int sy = std::clamp((y - oy) / factor - (y < oy ? 1 : 0), 0, src.height() - 1);
        for (int x = 0; x < width; ++x) {
            const int sx = std::clamp((x - ox) / factor - (x < ox ? 1 : 0), 0, src.width() - 1);
            std::memcpy(out.row(y) + x * 3, src.row(sy) + sx * 3, 3);
        }
    }
    return out;
}
FaceLandmarks mapped(const FaceLandmarks& f, int factor, int ox, int oy) {
    // Source pixel u covers canvas pixels ox + factor*u ... + factor-1, whose middle is the centre below.
    return f.transformed(factor, ox + 0.5 * factor - 0.5, oy + 0.5 * factor - 0.5);
}

// Two copies of `a` side by side, the right one shrunk to `scale` (nearest pixel), on a grey canvas.
Image twoFaces(const Image& a, double scale) {
    const int bw = static_cast<int>(a.width() * scale), bh = static_cast<int>(a.height() * scale);
    Image out(a.width() + bw + 40, a.height());
    out.fill(128, 128, 128);
    for (int y = 0; y < a.height(); ++y)
        std::memcpy(out.row(y), a.row(y), static_cast<std::size_t>(a.stride()));
    const int oy = (a.height() - bh) / 2;
    for (int y = 0; y < bh; ++y)
        for (int x = 0; x < bw; ++x)
            std::memcpy(out.row(oy + y) + (a.width() + 40 + x) * 3,
                        a.row(std::min(a.height() - 1, int(y / scale))) +
                            std::min(a.width() - 1, int(x / scale)) * 3,
                        3);
    return out;
}

double meanAbsDiff(const Image& a, const Image& b, const Rect& r) {
    double sum = 0;
    long n = 0;
    for (int y = std::max(0, r.y); y < std::min(a.height(), r.bottom()); ++y)
        for (int x = std::max(0, r.x); x < std::min(a.width(), r.right()); ++x)
            for (int c = 0; c < 3; ++c, ++n)
                sum += std::abs(int(a.row(y)[x * 3 + c]) - int(b.row(y)[x * 3 + c]));
    return n ? sum / n : 0.0;
}

Rect mouthBox(const FaceLandmarks& f) {
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    for (int i = 48; i < 68; ++i) {
        x0 = std::min(x0, f.points[i].x), x1 = std::max(x1, f.points[i].x);
        y0 = std::min(y0, f.points[i].y), y1 = std::max(y1, f.points[i].y);
    }
    const double pad = 0.15 * f.interOcular();
    return {int(x0 - pad), int(y0 - pad), int(x1 - x0 + 2 * pad), int(y1 - y0 + 3 * pad)};
}

} // namespace

class TstFraming : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<EngineServices> m_services;
    Image m_portrait;
    FaceLandmarks m_face; // the astronaut's, portrait coordinates
    QString path(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_services = std::make_unique<EngineServices>();
        m_portrait = ImageIO::decode(DefaultAssets::portraitPng(), "astronaut");
        m_face = m_services->faces.analyzeLargest(m_portrait, "astronaut");
    }

    // A large portrait with the face in the middle: the crop fills the frame, the eyes sit near the upper
    // third, the head has room above it, the face is centred across, and the whole head is in the picture.
    void eyesOnTheUpperThird_data() {
        QTest::addColumn<int>("framing");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        for (const Framing f : {Framing::Head, Framing::Shoulders})
            for (const auto& [w, h] : {std::pair{1280, 720}, {720, 1280}, {1080, 1080}})
                QTest::addRow("%s %dx%d", framingName(f), w, h) << int(f) << w << h;
    }
    void eyesOnTheUpperThird() {
        QFETCH(int, framing);
        QFETCH(int, width);
        QFETCH(int, height);
        const int factor = 4, side = 4000;
        const FaceLandmarks big = mapped(m_face, factor, side / 2 - 256 * factor, side / 2 - 256 * factor);
        const PortraitLayout l = PortraitLayout::framed(side, side, big, width, height, Framing(framing));
        const FaceLandmarks f = big.transformed(l.scale, l.dx, l.dy);
        const PointF eyes = eyeCentre(f);
        const double eyeLine = eyes.y / height;
        const double chin = f.points[8].y / height;
        const double crown =
            (eyes.y - (f.points[8].y - eyes.y)) / height; // about as far above as the chin below
        qInfo("%s %dx%d: eye line %.3f, crown %.3f, chin %.3f, eyes across %.3f, scale %.3f, IOD %.0f px",
              framingName(Framing(framing)), width, height, eyeLine, crown, chin, eyes.x / width, l.scale,
              f.interOcular());
        QVERIFY(l.fills(width, height));
        QVERIFY2(eyeLine > 1.0 / 3 - 0.02 && eyeLine < 1.0 / 3 + 0.08, "eyes not near the upper third");
        QVERIFY2(crown > 0.03, "no headroom");
        QVERIFY2(chin < 0.8, "the chin is not well inside the frame");
        QVERIFY(std::abs(eyes.x / width - 0.5) < 0.02);
        // Head is the closer framing: the face is larger than with shoulders.
        const PortraitLayout other =
            PortraitLayout::framed(side, side, big, width, height,
                                   Framing(framing) == Framing::Head ? Framing::Shoulders : Framing::Head);
        QVERIFY(Framing(framing) == Framing::Head ? l.scale > 1.2 * other.scale
                                                  : l.scale < other.scale / 1.2);
        const double faceShare = f.interOcular() / height;
        QVERIFY(faceShare > (Framing(framing) == Framing::Head ? 0.12 : 0.08));
    }

    // The pixels and the landmarks go through the same mapping: a marker painted on the nose tip of the
    // portrait lands on the mapped nose tip in the composed frame (enlarged and shrunk, both framings).
    void pixelsFollowTheLandmarks_data() {
        QTest::addColumn<int>("framing");
        QTest::addColumn<int>("factor");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::newRow("shoulders, shrunk") << int(Framing::Shoulders) << 4 << 640 << 360;
        QTest::newRow("head, enlarged") << int(Framing::Head) << 1 << 1080 << 1080;
        QTest::newRow("shoulders, enlarged, tall") << int(Framing::Shoulders) << 2 << 720 << 1280;
        QTest::newRow("as is") << int(Framing::AsIs) << 1 << 1280 << 720;
    }
    void pixelsFollowTheLandmarks() {
        QFETCH(int, framing);
        QFETCH(int, factor);
        QFETCH(int, width);
        QFETCH(int, height);
        const int side = 512 * factor + 800;
        const int o = 400;
        Image portrait = enlarged(m_portrait, factor, side, side, o, o);
        const FaceLandmarks face = mapped(m_face, factor, o, o);
        // A green disc of radius r around the nose tip (antialiasing-free, symmetric about the landmark).
        const PointF nose = face.points[30];
        const double r = 3.0 * factor;
        for (int y = int(nose.y - r - 2); y <= int(nose.y + r + 2); ++y)
            for (int x = int(nose.x - r - 2); x <= int(nose.x + r + 2); ++x)
                if (std::hypot(x - nose.x, y - nose.y) <= r) {
                    std::uint8_t* p = portrait.row(y) + x * 3;
                    p[0] = 0, p[1] = 255, p[2] = 0;
                }
        const PortraitLayout l = PortraitLayout::framed(side, side, face, width, height, Framing(framing));
        const Image frame = PortraitLayout::composeBackground(portrait, l, width, height);
        const PointF want = face.transformed(l.scale, l.dx, l.dy).points[30];
        double sx = 0, sy = 0, sw = 0;
        const int reach = int(r * l.scale + 6);
        for (int y = int(want.y) - reach; y <= int(want.y) + reach; ++y)
            for (int x = int(want.x) - reach; x <= int(want.x) + reach; ++x) {
                if (x < 0 || y < 0 || x >= width || y >= height)
                    continue;
                const std::uint8_t* p = frame.row(y) + x * 3;
                const double g = std::max(0, int(p[1]) - (int(p[0]) + int(p[2])) / 2 - 60);
                sx += g * x, sy += g * y, sw += g;
            }
        QVERIFY(sw > 0);
        const double ex = sx / sw - want.x, ey = sy / sw - want.y;
        qInfo("marker off the mapped landmark by %.2f, %.2f px (scale %.3f)", ex, ey, l.scale);
        QVERIFY(std::abs(ex) < 0.35 && std::abs(ey) < 0.35);
    }

    // A window that runs off the portrait is shifted back inside first; only a portrait narrower than the
    // window gets bars, and those are the blurred fill.
    void edgesShiftThenFill() {
        const int factor = 4, side = 3000;
        // The face near the left edge of a large portrait: shifted, the crop still fills the frame.
        const FaceLandmarks left = mapped(m_face, factor, -700, side / 2 - 1024);
        const PortraitLayout shifted =
            PortraitLayout::framed(side, side, left, 1280, 720, Framing::Shoulders);
        QVERIFY(shifted.fills(1280, 720));
        const PointF eyes = eyeCentre(left.transformed(shifted.scale, shifted.dx, shifted.dy));
        QVERIFY(eyes.x < 0.45 * 1280); // off centre rather than off the picture
        // A narrow, tall cut of the astronaut (300x512) at 16:9, head and shoulders: too narrow even zoomed
        // in as far as the framing allows. Bars left and right only, blurred.
        const int cut = 106, narrow = 300;
        Image tall(narrow, 512);
        for (int y = 0; y < 512; ++y)
            std::memcpy(tall.row(y), m_portrait.row(y) + cut * 3, narrow * 3);
        const FaceLandmarks face = m_face.transformed(1.0, -cut, 0.0);
        const PortraitLayout l = PortraitLayout::framed(narrow, 512, face, 1280, 720, Framing::Shoulders);
        QCOMPARE(l.area.y, 0);
        QCOMPARE(l.area.height, 720);
        QVERIFY(l.area.width < 1280 && l.area.width > 640);
        const Image frame = PortraitLayout::composeBackground(tall, l, 1280, 720);
        // The bar is smooth (blurred): neighbouring pixels differ little compared with the portrait.
        auto roughness = [&](int x0, int x1) {
            double sum = 0;
            long n = 0;
            for (int y = 100; y < 620; ++y)
                for (int x = x0; x + 1 < x1; ++x, ++n)
                    sum += std::abs(int(frame.row(y)[x * 3 + 1]) - int(frame.row(y)[(x + 1) * 3 + 1]));
            return sum / double(n);
        };
        const double bar = roughness(0, l.area.x - 2), inside = roughness(l.area.x + 20, l.area.right() - 20);
        qInfo("bars %d px wide each; roughness in the bar %.2f, in the portrait %.2f", l.area.x, bar, inside);
        QVERIFY(l.area.x > 4);
        QVERIFY(bar < 0.5 * inside);
    }

    // The scene digest changes with the framing and the face, so a re-render with another framing never
    // reuses a segment drawn for the old one; the same framing again reuses them all.
    void sceneKeyFollowsFramingAndFace() {
        const cache::Sha256::Digest face = RenderCache::faceKey(DefaultAssets::portraitPng()).digest();
        const auto asIs = RenderCache::sceneKey(face, Framing::AsIs);
        const auto head = RenderCache::sceneKey(face, Framing::Head);
        const auto shoulders = RenderCache::sceneKey(face, Framing::Shoulders);
        QVERIFY(asIs != head && head != shoulders && asIs != shoulders);

        cache::CacheOptions o;
        o.memory.capacityBytes = 64u << 20;
        o.disk.path = path(QStringLiteral("cache.db")).toStdString();
        auto cache = std::make_unique<cache::Cache>(std::move(o));
        m_services->cache = cache.get();
        RenderPipeline pipeline(*m_services);
        RenderSpec spec;
        spec.text = "One sentence. And another one.";
        spec.voice = "flite:kal16";
        spec.width = 320;
        spec.height = 240;
        spec.framing = Framing::Shoulders;
        spec.output = path(QStringLiteral("k1.mp4")).toStdString();
        const RenderResult first = pipeline.run(spec);
        spec.framing = Framing::AsIs;
        spec.output = path(QStringLiteral("k2.mp4")).toStdString();
        const RenderResult other = pipeline.run(spec);
        spec.framing = Framing::Shoulders;
        spec.output = path(QStringLiteral("k3.mp4")).toStdString();
        const RenderResult again = pipeline.run(spec);
        m_services->cache = nullptr;
        QCOMPARE(first.cache.segmentsReused, 0);
        QVERIFY(first.cache.segmentsRendered >= 2);
        QCOMPARE(other.cache.segmentsReused, 0);
        QCOMPARE(other.cache.faceHits, 1); // the landmarks are the same; only the frame differs
        QCOMPARE(again.cache.segmentsReused, first.cache.segmentsRendered);
        QCOMPARE(again.cache.segmentsRendered, 0);
    }

    // End to end through avatar-render: --framing shoulders, decoded with `avatar-render frame`, the face
    // found afresh by the detector where the layout puts it, and larger than with as-is.
    void decodedFaceIsWhereTheLayoutSays() {
        double widths[2] = {0, 0};
        for (const Framing f : {Framing::AsIs, Framing::Shoulders}) {
            const QString name = QString::fromLatin1(framingName(f));
            const QString video = path(name + QStringLiteral(".mp4"));
            Run r = runCli({QStringLiteral("--text"), QStringLiteral("Framed like a presenter, hello."),
                            QStringLiteral("--voice"), QStringLiteral("flite:kal16"),
                            QStringLiteral("--size"), QStringLiteral("640x360"), QStringLiteral("--framing"),
                            name, QStringLiteral("--json"), QStringLiteral("-o"), video});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QJsonObject json =
                QJsonDocument::fromJson(nonEmptyLines(r.out).constLast().toUtf8()).object();
            QCOMPARE(json.value(QStringLiteral("framing")).toString(), name);
            QCOMPARE(json.value(QStringLiteral("face_index")).toInt(-1), 0);
            QVERIFY(json.value(QStringLiteral("warnings")).toArray().isEmpty());
            const QString still = path(name + QStringLiteral(".png"));
            r = runCli({QStringLiteral("frame"), video, QStringLiteral("--at"), QStringLiteral("0"),
                        QStringLiteral("-o"), still});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const Image frame = ImageIO::load(still.toStdString());
            const FaceLandmarks found = m_services->faces.analyzeLargest(frame, "decoded frame");
            RenderSpec spec;
            spec.width = 640;
            spec.height = 360;
            spec.framing = f;
            spec.useCache = false;
            const std::unique_ptr<Scene> scene = RenderPipeline(*m_services).prepareScene(spec);
            const PointF want = eyeCentre(scene->face), got = eyeCentre(found);
            const double off = std::hypot(got.x - want.x, got.y - want.y) / scene->face.interOcular();
            qInfo(
                "%s: detected eyes at %.1f,%.1f, layout %.1f,%.1f (%.3f IOD); face box %d px; eye line %.3f",
                framingName(f), got.x, got.y, want.x, want.y, off, found.box.width, got.y / 360);
            QVERIFY(off < 0.1);
            widths[f == Framing::Shoulders] = found.box.width;
        }
        QVERIFY2(widths[1] > 1.4 * widths[0], "head and shoulders does not show the face larger than as is");
    }

    // A photo with two faces: --face 1 animates the smaller one, the larger stays still; --face 2 is a clear
    // error that fails the job and leaves no file.
    void secondFaceSpeaks() {
        const QString photo = path(QStringLiteral("two.png"));
        ImageIO::save(twoFaces(m_portrait, 0.65), photo.toStdString());
        const std::vector<FaceLandmarks> faces =
            m_services->faces.detectAll(ImageIO::load(photo.toStdString()));
        QVERIFY(faces.size() >= 2);
        QVERIFY(faces[0].box.x < 512 && faces[1].box.x > 512); // largest first
        const QString video = path(QStringLiteral("second.mp4"));
        Run r = runCli({QStringLiteral("--text"), QStringLiteral("Now it is my turn to speak, papa."),
                        QStringLiteral("--avatar"), photo, QStringLiteral("--face"), QStringLiteral("1"),
                        QStringLiteral("--framing"), QStringLiteral("as-is"), QStringLiteral("--size"),
                        QStringLiteral("640x360"), QStringLiteral("--json"), QStringLiteral("-o"), video});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(nonEmptyLines(r.out).constLast().toUtf8())
                     .object()
                     .value(QStringLiteral("face_index"))
                     .toInt(-1),
                 1);
        RenderSpec spec;
        spec.avatar = photo.toStdString();
        spec.width = 640;
        spec.height = 360;
        spec.framing = Framing::AsIs;
        spec.useCache = false;
        const FaceLandmarks big = RenderPipeline(*m_services).prepareScene(spec)->face;
        spec.faceIndex = 1;
        const FaceLandmarks small = RenderPipeline(*m_services).prepareScene(spec)->face;
        QVERIFY(small.points[30].x > big.points[30].x);
        // The most each mouth changes from the first frame over the video.
        MediaReader reader(video.toStdString());
        Image first, frame;
        double moved[2] = {0, 0};
        while (reader.readVideoFrame(frame)) {
            if (first.isNull())
                first = frame;
            moved[0] = std::max(moved[0], meanAbsDiff(frame, first, mouthBox(big)));
            moved[1] = std::max(moved[1], meanAbsDiff(frame, first, mouthBox(small)));
        }
        qInfo("largest face's mouth changed at most %.2f, the second's %.2f", moved[0], moved[1]);
        QVERIFY(moved[1] > 6.0);
        // Codec noise only: x264's noise around the still face reaches about 2.6 of 255 at 640x360 when every
        // sentence is rendered afresh (its own closed GOP), against about 20 for the speaking mouth.
        QVERIFY2(moved[0] < 0.2 * moved[1], "the largest face moved its mouth");

        // The other finder (dlib; the default is face-api's) counts the same way (its own boxes, largest
        // first).
        RenderSpec other = spec;
        other.faceBackend = FaceBackend::Dlib;
        QVERIFY(RenderPipeline(*m_services).prepareScene(other)->face.points[30].x > big.points[30].x + 100);
        other.faceIndex = 0;
        QVERIFY(std::abs(RenderPipeline(*m_services).prepareScene(other)->face.points[30].x -
                         big.points[30].x) < 10);

        // Shoulders framing centres the chosen face.
        spec.framing = Framing::Shoulders;
        const FaceLandmarks framed = RenderPipeline(*m_services).prepareScene(spec)->face;
        QVERIFY(std::abs(eyeCentre(framed).x / 640 - 0.5) < 0.1);

        const QString bad = path(QStringLiteral("bad.mp4"));
        r = runCli({QStringLiteral("--text"), QStringLiteral("Hello."), QStringLiteral("--avatar"), photo,
                    QStringLiteral("--face"), QString::number(faces.size()), QStringLiteral("-o"), bad});
        QCOMPARE(r.exitCode, 1);
        const QStringList lines = nonEmptyLines(r.err);
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines.first().startsWith(QStringLiteral("avatar-render: Face ")));
        QVERIFY2(lines.first().contains(QStringLiteral("largest first")), qPrintable(lines.first()));
        QVERIFY(!QFileInfo::exists(bad));
        r = runCli({QStringLiteral("--face"), QStringLiteral("-1"), QStringLiteral("-o"), bad});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(nonEmptyLines(r.err).size(), 1);
    }

    // A portrait too small for the framing: one warning line on stderr and in --json, and the video is made.
    void smallPortraitWarns() {
        Image tiny(256, 256);
        for (int y = 0; y < 256; ++y)
            for (int x = 0; x < 256; ++x)
                std::memcpy(tiny.row(y) + x * 3, m_portrait.row(y * 2) + (x * 2) * 3, 3);
        const QString photo = path(QStringLiteral("tiny.png"));
        ImageIO::save(tiny, photo.toStdString());
        const QString video = path(QStringLiteral("tiny.mp4"));
        const Run r =
            runCli({QStringLiteral("--text"), QStringLiteral("Small but brave."), QStringLiteral("--avatar"),
                    photo, QStringLiteral("--face-backend"), QStringLiteral("dlib"), QStringLiteral("--size"),
                    QStringLiteral("1280x720"), QStringLiteral("--json"), QStringLiteral("-o"), video});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFileInfo::exists(video));
        const QStringList err = nonEmptyLines(r.err);
        QCOMPARE(err.size(), 1);
        QVERIFY(err.first().startsWith(QStringLiteral("avatar-render: warning: the portrait is small")));
        qInfo("%s", qPrintable(err.first()));
        const QJsonArray warnings = QJsonDocument::fromJson(nonEmptyLines(r.out).constLast().toUtf8())
                                        .object()
                                        .value(QStringLiteral("warnings"))
                                        .toArray();
        QCOMPARE(warnings.size(), 1);
        QVERIFY(err.first().endsWith(warnings.first().toString()));
        // The built-in 512x512 portrait at 640x360 is no problem.
        RenderSpec spec;
        spec.width = 640;
        spec.height = 360;
        spec.useCache = false;
        std::vector<std::string> none;
        RenderPipeline(*m_services).prepareScene(spec, nullptr, nullptr, &none);
        QVERIFY(none.empty());
    }

    // `queue add` takes the flags, the job database keeps them, `queue list --json` shows them.
    void queueKeepsFramingAndFace() {
        const QString db = path(QStringLiteral("jobs.db"));
        Run r = runCli({QStringLiteral("queue"), QStringLiteral("add"), QStringLiteral("--jobs-db"), db,
                        QStringLiteral("--text"), QStringLiteral("Queued."), QStringLiteral("--framing"),
                        QStringLiteral("head"), QStringLiteral("--face"), QStringLiteral("2"),
                        QStringLiteral("-o"), path(QStringLiteral("queued.mp4"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = runCli({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--jobs-db"), db,
                    QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray jobs = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(jobs.size(), 1);
        const QJsonObject render = jobs.first()
                                       .toObject()
                                       .value(QStringLiteral("spec"))
                                       .toObject()
                                       .value(QStringLiteral("render"))
                                       .toObject();
        QCOMPARE(render.value(QStringLiteral("framing")).toString(), QStringLiteral("head"));
        QCOMPARE(render.value(QStringLiteral("face_index")).toInt(-1), 2);
        r = runCli({QStringLiteral("queue"), QStringLiteral("add"), QStringLiteral("--jobs-db"), db,
                    QStringLiteral("--framing"), QStringLiteral("full"), QStringLiteral("-o"),
                    path(QStringLiteral("bad.mp4"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--framing expects as-is, head or shoulders"));
    }

    // The job's JSON keeps framing and face; a job written before they existed reads as as-is, face 0.
    void jobJsonKeepsFramingAndFace() {
        JobSpec spec;
        spec.render.framing = Framing::Head;
        spec.render.faceIndex = 2;
        const JobSpec back = jobSpecFromJson(jobSpecToJson(spec));
        QCOMPARE(int(back.render.framing), int(Framing::Head));
        QCOMPARE(back.render.faceIndex, 2);
        const JobSpec old = jobSpecFromJson(R"({"name":"old","render":{"text":"Hi."}})");
        QCOMPARE(int(old.render.framing), int(Framing::AsIs));
        QCOMPARE(old.render.faceIndex, 0);
        QVERIFY_THROWS_EXCEPTION(Error, jobSpecFromJson(R"({"render":{"framing":"full"}})"));
        RenderResult result;
        result.framing = Framing::Shoulders;
        result.faceIndex = 1;
        result.warnings = {"the portrait is small"};
        const RenderResult r = renderResultFromJson(renderResultToJson(result));
        QCOMPARE(int(r.framing), int(Framing::Shoulders));
        QCOMPARE(r.faceIndex, 1);
        QCOMPARE(r.warnings.size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TstFraming)
#include "tst_framing.moc"
