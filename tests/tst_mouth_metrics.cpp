// The realism suite's measurements (app/bench/MouthMetrics, MeshMetrics; docs/QUALITY.md): synthetic images
// with known shares inside a known polygon, a real photograph of an open mouth inside the photographs' range,
// a painted dark hole that must read as near-black, and the mesh figures on a real portrait's rig.
#include "MeshMetrics.h"
#include "MouthMetrics.h"
#include "assets/DefaultAssets.h"
#include "core/ImageIO.h"
#include "face/FaceAnalyzer.h"
#include "facenet/FaceNet.h"
#include "lipsync/Viseme.h"
#include "render/FaceRig.h"
#include "render/LipShading.h"
#include "render/Scene.h"

#include <QtTest>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <numbers>
#include <tuple>

using namespace avatar;
using namespace avatar::bench;

namespace {

constexpr std::uint8_t kSkin[3] = {170, 150, 130}; // luma 153.7

void paint(Image& image, int x0, int y0, int x1, int y1, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            std::uint8_t* p = image.row(y) + x * 3;
            p[0] = r;
            p[1] = g;
            p[2] = b;
        }
}

// A 200x200 "face": skin everywhere, eyes 80 px apart at y = 60, cheeks on the skin, and an inner-lip
// polygon that is exactly the pixel rectangle x 70..129, y 140..159 (1200 pixel centres).
MouthMetrics::Landmarks syntheticFace() {
    MouthMetrics::Landmarks p{};
    for (int i = 0; i < 68; ++i)
        p[static_cast<std::size_t>(i)] = {100, 100};
    for (int i = 0; i < 6; ++i) {
        p[static_cast<std::size_t>(36 + i)] = {60.0 + (i % 3 - 1) * 5, 60.0 + (i < 3 ? -2 : 2)};
        p[static_cast<std::size_t>(42 + i)] = {140.0 + (i % 3 - 1) * 5, 60.0 + (i < 3 ? -2 : 2)};
    }
    // Cheek patches (centroids of 2, 41, 48, 31 and 14, 46, 54, 35) land near (45, 105) and (155, 105).
    p[2] = {20, 120};
    p[41] = {60, 62};
    p[48] = {50, 140};
    p[31] = {50, 98};
    p[14] = {180, 120};
    p[46] = {140, 62};
    p[54] = {150, 140};
    p[35] = {150, 98};
    const PointF inner[8] = {{70, 140},  {90, 140},  {110, 140}, {130, 140},
                             {130, 160}, {110, 160}, {90, 160},  {70, 160}};
    for (int i = 0; i < 8; ++i)
        p[static_cast<std::size_t>(60 + i)] = inner[i];
    return p;
}

Image syntheticImage() {
    Image image(200, 200);
    image.fill(kSkin[0], kSkin[1], kSkin[2]);
    return image;
}

FaceNetFace largestFace(const FaceNet& net, const Image& image) {
    const auto faces = net.analyze(image);
    if (faces.empty())
        return {};
    return *std::max_element(faces.begin(), faces.end(),
                             [](const auto& a, const auto& b) { return a.width < b.width; });
}

// A portrait of the realism suite: the astronaut, or the face of a face-api sample photo nearest (x, y), cut
// square three face widths wide with the face a little above the centre, as the suite cuts it.
Image suitePortrait(const FaceNet& net, const QString& photo, double x, double y) {
    if (photo.isEmpty())
        return ImageIO::decode(DefaultAssets::portraitPng(), "the default portrait");
    const std::filesystem::path path =
        std::filesystem::path(AVATAR_FACEAPI_DIR) / "demo" / photo.toStdString();
    if (!std::filesystem::exists(path))
        return {};
    const Image image = ImageIO::load(path);
    const auto faces = net.analyze(image);
    if (faces.empty())
        return {};
    const auto distance = [&](const FaceNetFace& f) {
        return std::hypot(f.x + f.width / 2 - x, f.y + f.height / 2 - y);
    };
    const FaceNetFace& f = *std::min_element(
        faces.begin(), faces.end(), [&](const auto& a, const auto& b) { return distance(a) < distance(b); });
    const int side = std::min({static_cast<int>(f.width * 3), image.width(), image.height()}) & ~1;
    const int cx = static_cast<int>(f.x + f.width / 2), cy = static_cast<int>(f.y + f.height * 0.6);
    return image.cropped({std::clamp(cx - side / 2, 0, image.width() - side),
                          std::clamp(cy - side / 2, 0, image.height() - side), side, side});
}

double area(const std::vector<PointF>& v, const FaceRig::Triangle& t) {
    const PointF& a = v[static_cast<std::size_t>(t[0])];
    const PointF& b = v[static_cast<std::size_t>(t[1])];
    const PointF& c = v[static_cast<std::size_t>(t[2])];
    return 0.5 * std::abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y));
}

double alongOf(const FaceRig& rig, const PointF& p) {
    return p.x * rig.alongEyes().x + p.y * rig.alongEyes().y;
}

// The frame's luma at a point, bilinear between its pixels' centres.
double lumaAt(const Image& frame, const PointF& q) {
    const double x = q.x - 0.5, y = q.y - 0.5;
    const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
    const double fx = x - x0, fy = y - y0;
    auto at = [&](int xx, int yy) {
        const std::uint8_t* px = frame.row(yy) + xx * 3;
        return 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2];
    };
    return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) +
           (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}

// The scene drawn in the pucker (F), and its deformed vertices.
std::pair<Image, std::vector<PointF>> drawPucker(const avatar::Scene& scene) {
    const MouthParams pucker = MouthParams::forShape(Viseme::F);
    Image frame = scene.background;
    scene.renderer.render(pucker, frame);
    return {std::move(frame), scene.rig.deform(pucker)};
}

PointF midpoint(const PointF& a, const PointF& b) {
    return PointF{0.5 * (a.x + b.x), 0.5 * (a.y + b.y)};
}

} // namespace

class TstMouthMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cheekLumaIsTheSkin() {
        const Image image = syntheticImage();
        QVERIFY(std::abs(MouthMetrics::cheekLuma(image, syntheticFace()) - 153.7) < 0.5);
    }

    // Columns of the rectangle painted tooth-white, near-black and lip-red give those shares exactly; a
    // ring of white and black just outside the polygon must not count.
    void sharesInsideTheInnerLips_data() {
        QTest::addColumn<int>("white");
        QTest::addColumn<int>("black");
        QTest::newRow("all lip") << 0 << 0;
        QTest::newRow("half teeth, quarter black") << 30 << 15;
        QTest::newRow("all teeth") << 60 << 0;
        QTest::newRow("all black") << 0 << 60;
        QTest::newRow("a tenth teeth, most black") << 6 << 54;
    }
    void sharesInsideTheInnerLips() {
        QFETCH(int, white);
        QFETCH(int, black);
        Image image = syntheticImage();
        paint(image, 69, 139, 131, 161, 255, 255, 255); // the ring outside: rows 139, 160, columns 69, 130
        paint(image, 70, 140, 130, 160, 190, 80, 85);   // lip red inside
        paint(image, 70, 140, 70 + white, 160, 235, 228, 215);
        paint(image, 70 + white, 140, 70 + white + black, 160, 30, 10, 12);
        const MouthFigures f = MouthMetrics::measure(image, syntheticFace());
        QCOMPARE(f.pixels, 1200LL);
        QCOMPARE(f.toothBright, static_cast<long long>(white) * 20);
        QCOMPARE(f.nearBlack, static_cast<long long>(black) * 20);
        QVERIFY(f.lipsApart);
    }

    // The thresholds themselves: brightness against the cheek, and colour against an absolute limit or
    // against the cheek's own colour.
    void toothBrightNeedsBrightnessAndLittleColour() {
        const double cheek = 150.0;
        const double skin = 1.2;                        // the red over green of skin in neutral light
        const std::uint8_t grey70[3] = {107, 107, 107}; // luma 107 >= 0.70 x 150 = 105
        const std::uint8_t grey68[3] = {102, 102, 102};
        const std::uint8_t warmTooth[3] = {230, 200, 160}; // saturation 0.30
        const std::uint8_t lip[3] = {220, 110, 110};       // saturation 0.50, red over green 2.0
        QVERIFY(MouthMetrics::isToothBright(grey70, cheek, skin));
        QVERIFY(!MouthMetrics::isToothBright(grey68, cheek, skin));
        QVERIFY(MouthMetrics::isToothBright(warmTooth, cheek, skin));
        QVERIFY(!MouthMetrics::isToothBright(lip, cheek, skin));
        // Under orange light (skin's red over green 1.6): a tooth of saturation 0.55 has the light's colour,
        // not more red than the skin (1.6 x 1.1 = 1.76 at most), and counts; the lip in the same light does
        // not.
        const double orangeSkin = 1.6;
        const std::uint8_t orangeTooth[3] = {220, 150, 100}; // red over green 1.46
        const std::uint8_t orangeLip[3] = {200, 100, 70};    // 1.98
        QVERIFY(MouthMetrics::isToothBright(orangeTooth, cheek, orangeSkin));
        QVERIFY(!MouthMetrics::isToothBright(orangeTooth, cheek, skin));
        QVERIFY(!MouthMetrics::isToothBright(orangeLip, cheek, orangeSkin));
        const std::uint8_t dark[3] = {36, 36, 36}; // < 0.25 x 150 = 37.5
        const std::uint8_t shade[3] = {40, 40, 40};
        QVERIFY(MouthMetrics::isNearBlack(dark, cheek));
        QVERIFY(!MouthMetrics::isNearBlack(shade, cheek));
    }

    // A real open smile (the astronaut, teeth showing) lies in the photographs' range; the same face with
    // its mouth painted as a dark hole, found again by face-api, reads as mostly near-black.
    void realPhotoAndPaintedHole() {
        const Image* astronaut = portrait({});
        QVERIFY(astronaut);
        Image photo = *astronaut; // a copy: its mouth is painted over below
        const FaceNetFace face = faceApiFace({});
        QVERIFY(face.width > 0);
        const MouthFigures real = MouthMetrics::measure(photo, face.landmarks);
        QVERIFY(real.lipsApart);
        QVERIFY2(real.toothBrightShare() >= 0.6 && real.toothBrightShare() <= 0.95,
                 qPrintable(QString::number(real.toothBrightShare())));
        QVERIFY2(real.nearBlackShare() <= 0.05, qPrintable(QString::number(real.nearBlackShare())));

        const std::span<const PointF> inner(face.landmarks.data() + 60, 8);
        for (int y = 0; y < photo.height(); ++y)
            for (int x = 0; x < photo.width(); ++x)
                if (MouthMetrics::contains(inner, x + 0.5, y + 0.5)) {
                    std::uint8_t* p = photo.row(y) + x * 3;
                    p[0] = 45;
                    p[1] = 14;
                    p[2] = 18;
                }
        const FaceNetFace again = largestFace(faceNet(), photo);
        QVERIFY(again.width > 0);
        const MouthFigures hole = MouthMetrics::measure(photo, again.landmarks);
        QVERIFY(hole.pixels > 50);
        QVERIFY2(hole.nearBlackShare() >= 0.6, qPrintable(QString::number(hole.nearBlackShare())));
        QVERIFY2(hole.toothBrightShare() <= 0.1, qPrintable(QString::number(hole.toothBrightShare())));
    }

    // A smile under orange light (face-api's sample5.jpg, the face on the left; teeth showing, looked at):
    // its teeth are as saturated as the light and failed the absolute colour limit alone (1 % of the
    // mouth), but are no redder than the skin beside them; the mouth's lips and tongue stay out.
    void teethUnderColouredLightCount() {
        const Image photo = ImageIO::load(AVATAR_FACEAPI_DIR "/demo/sample5.jpg");
        const auto faces = faceNet().analyze(photo);
        const FaceNetFace* left = nullptr;
        for (const FaceNetFace& f : faces) {
            const double cx = f.x + f.width / 2, cy = f.y + f.height / 2;
            if (std::hypot(cx - 681, cy - 539) < f.width / 2)
                left = &f;
        }
        QVERIFY2(left, "the left face of sample5.jpg was not found");
        const MouthFigures m = MouthMetrics::measure(photo, left->landmarks);
        QVERIFY(m.lipsApart);
        QVERIFY2(m.cheekRedOverGreen > 1.4, qPrintable(QString::number(m.cheekRedOverGreen))); // orange light
        QVERIFY2(m.toothBrightShare() >= 0.45 && m.toothBrightShare() <= 0.75,
                 qPrintable(QString::number(m.toothBrightShare())));
    }

    // The mesh figures on the astronaut's rig: the jaw drop moves the neck band, triangles are classified,
    // and the nine shapes leave the brows and eyes where they are.
    void meshFiguresOnARealRig() {
        const Image* photo = portrait({});
        QVERIFY(photo);
        const FaceNetFace face = faceApiFace({});
        const FaceRig rig(face.toFaceLandmarks(), photo->rect());
        const MeshFigures f = MeshMetrics::measure(rig);
        QVERIFY(f.lipsJawTriangles > 10);
        QVERIFY(f.outsideTriangles > 10);
        QVERIFY(f.neckBandPixels > 100);
        QVERIFY(f.neckBandShiftMeanPx > 0.1);
        QVERIFY(f.neckBandShiftMaxPx >= f.neckBandShiftMeanPx);
        QVERIFY(f.outside.change > 0.0);
        QVERIFY(f.outside.shape != '-');
        for (int v : f.outside.vertices)
            QVERIFY(v >= 0 && v < static_cast<int>(rig.restVertices().size()));
        QVERIFY(!(MeshMetrics::isLipOrJaw(f.outside.vertices[0]) &&
                  MeshMetrics::isLipOrJaw(f.outside.vertices[1]) &&
                  MeshMetrics::isLipOrJaw(f.outside.vertices[2])));
    }

    // The pucker on the rig a render builds (Scene: the presenter framing at 1280x720, a smile's inner lips
    // fitted to its teeth), from either face finder's landmarks (face-api's, the default, and dlib's): no
    // triangle of skin reaches the inner lips; in shape F no triangle outside the lips and jaw changes its
    // area by more than 0.6, in any shape by more than 0.8. Delaunay alone joined the astronaut's inner
    // upper lip to the skin under her nose on face-api's landmarks, and F stretched that triangle to 3.1
    // times its area (2.12; 0.91-1.56 on the samples; dlib's landmarks 0.55-0.84). F stays a pucker (the
    // mouth narrows; its opening, smaller than C's, is rounder), and "ee" (B) still widens.
    void puckerKeepsTheSkinAboveTheLip_data() { suitePortraits(); }
    void puckerKeepsTheSkinAboveTheLip() {
        const avatar::Scene* scene = suiteScene();
        QVERIFY(scene);
        const FaceRig& rig = scene->rig;
        const auto rest = rig.restVertices();
        const auto pucker = rig.deform(MouthParams::forShape(Viseme::F));

        double puckerWorst = 0.0;
        for (const FaceRig::Triangle& t : rig.triangles()) {
            if (MeshMetrics::isLipOrJaw(t[0]) && MeshMetrics::isLipOrJaw(t[1]) &&
                MeshMetrics::isLipOrJaw(t[2]))
                continue;
            for (int v : t)
                QVERIFY2(v < FaceRig::kInnerLipFirst || v > FaceRig::kInnerLipLast,
                         qPrintable(QStringLiteral("triangle %1-%2-%3 joins skin to the inner lips")
                                        .arg(t[0])
                                        .arg(t[1])
                                        .arg(t[2])));
            const double restArea = area(rest, t);
            if (restArea >= MeshMetrics::kMinRestArea)
                puckerWorst = std::max(puckerWorst, std::abs(area(pucker, t) / restArea - 1.0));
        }
        const MeshFigures f = MeshMetrics::measure(rig);
        qInfo("worst triangle outside lips and jaw: F %.3f; all shapes %.3f (shape %c, %d-%d-%d)",
              puckerWorst, f.outside.change, f.outside.shape, f.outside.vertices[0], f.outside.vertices[1],
              f.outside.vertices[2]);
        QVERIFY2(puckerWorst <= 0.6, qPrintable(QString::number(puckerWorst)));
        QVERIFY2(f.outside.change <= 0.8, qPrintable(QString::number(f.outside.change)));

        const auto ee = rig.deform(MouthParams::forShape(Viseme::B));
        const auto open = rig.deform(MouthParams::forShape(Viseme::C));
        auto width = [&](const std::vector<PointF>& v, int a, int b) {
            return std::abs(alongOf(rig, v[static_cast<std::size_t>(b)]) -
                            alongOf(rig, v[static_cast<std::size_t>(a)]));
        };
        auto roundness = [&](const std::vector<PointF>& v) { // the opening's height over its width
            return std::hypot(v[66].x - v[62].x, v[66].y - v[62].y) / width(v, 60, 64);
        };
        qInfo("mouth width F %.3f, B %.3f of rest; opening height over width F %.3f, C %.3f",
              width(pucker, 48, 54) / width(rest, 48, 54), width(ee, 48, 54) / width(rest, 48, 54),
              roundness(pucker), roundness(open));
        QVERIFY(width(pucker, 48, 54) < 0.8 * width(rest, 48, 54));
        QVERIFY(width(ee, 48, 54) > 1.01 * width(rest, 48, 54));
        QVERIFY(roundness(pucker) > 1.15 * roundness(open)); // opens less than C, yet rounder
    }

    // No triangle of the mesh, lips included, folds over in any shape: the lips' corners did on closed
    // shapes (65-63-55, 64-53-54), where a smiling photo's corners rose as its lips closed, a tucked lower
    // lip rose past the upper one, or a finder put an inner corner outside the outer lips.
    void nothingFolds_data() { suitePortraits(); }
    void nothingFolds() {
        const avatar::Scene* scene = suiteScene();
        QVERIFY(scene);
        const MeshFigures f = MeshMetrics::measure(scene->rig);
        qInfo("folded triangles %d (deepest %.3f, shape %c, %d-%d-%d)", f.flippedTriangles, f.flipped.change,
              f.flipped.shape, f.flipped.vertices[0], f.flipped.vertices[1], f.flipped.vertices[2]);
        QCOMPARE(f.flippedTriangles, 0);
    }

    // A pucker's lips look pushed forward by their own light (LipShading; docs/QUALITY.md eleventh pass):
    // rendered as a job renders them, on F the band from the upper lip's outer edge a third of the way into
    // the vermilion is brighter, and the chin right under the lower lip darker, than on the neutral shape X
    // (each measured from its own frame's deformed landmarks), while the skin keeps its texture: the
    // high-pass spread over the mean stays within 20 % of X's there. Without the shading (main at 76ca2b0)
    // the bands differ by a few percent either way.
    void puckerLipsLookPushedForward_data() { suitePortraits(); }
    void puckerLipsLookPushedForward() {
        const avatar::Scene* scene = suiteScene();
        QVERIFY(scene);
        const FaceRig& rig = scene->rig;
        const double s = rig.interOcular();
        const PointF u = rig.alongEyes(), v = rig.downFace();
        struct Band {
            double mean = 0.0;
            double texture = 0.0; // the high-pass spread over the mean
        };
        // Luma of the pixels of `frame` at `points` (their centres), and the grain: the spread of each minus
        // the mean of its left and right neighbours (along the mouth, across which the shading hardly
        // changes; a 3x3 mean took the shading's own soft rise across the bands, 4-5 px, for texture).
        auto band = [](const Image& frame, const std::vector<PointF>& points) {
            auto luma = [&](int x, int y) {
                const std::uint8_t* p = frame.row(y) + x * 3;
                return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
            };
            double sum = 0.0, sumHigh = 0.0, sumHigh2 = 0.0;
            for (const PointF& q : points) {
                const int x = static_cast<int>(q.x), y = static_cast<int>(q.y);
                const double around = 0.5 * (luma(x - 1, y) + luma(x + 1, y));
                const double l = luma(x, y);
                sum += l;
                sumHigh += l - around;
                sumHigh2 += (l - around) * (l - around);
            }
            const double n = static_cast<double>(points.size());
            const double spread = std::sqrt(std::max(0.0, sumHigh2 / n - (sumHigh / n) * (sumHigh / n)));
            return Band{sum / n, spread / (sum / n)};
        };
        auto bands = [&](const Image& frame, const std::vector<PointF>& p) {
            auto at = [&](const PointF& o, double along, double down) {
                return PointF{o.x + along * u.x + down * v.x, o.y + along * u.y + down * v.y};
            };
            std::vector<PointF> upper, chin;
            for (const auto& [outer, inner] : {std::pair{50, 61}, std::pair{51, 62}, std::pair{52, 63}}) {
                // From 0.03 IOD above the lip's outer edge to a quarter of the way into the vermilion.
                const PointF o = p[static_cast<std::size_t>(outer)], i = p[static_cast<std::size_t>(inner)];
                const double lip = (i.x - o.x) * v.x + (i.y - o.y) * v.y;
                for (double down = -0.03 * s; down <= 0.25 * lip; down += 0.05)
                    for (double side = -0.03; side <= 0.031; side += 0.005)
                        upper.push_back(at(o, side * s, down));
            }
            for (int outer : {56, 57, 58})
                for (double down = 0.01; down <= 0.05; down += 0.0025)
                    for (double side = -0.03; side <= 0.031; side += 0.005)
                        chin.push_back(at(p[static_cast<std::size_t>(outer)], side * s, down * s));
            return std::pair{band(frame, upper), band(frame, chin)};
        };
        const MouthParams pucker = MouthParams::forShape(Viseme::F);
        Image frame = scene->background;
        scene->renderer.render(pucker, frame);
        // The photograph itself is the neutral frame (its own pose, before any shape).
        const auto [upperX, chinX] = bands(scene->background, rig.restVertices());
        const auto [upperF, chinF] = bands(frame, rig.deform(pucker));
        qInfo("F against the photo: upper vermilion %.3f, under the lower lip %.3f; texture %.3f and %.3f of "
              "the photo's",
              upperF.mean / upperX.mean, chinF.mean / chinX.mean, upperF.texture / upperX.texture,
              chinF.texture / chinX.texture);
        QVERIFY2(upperF.mean > 1.05 * upperX.mean, qPrintable(QString::number(upperF.mean / upperX.mean)));
        QVERIFY2(chinF.mean < 0.92 * chinX.mean, qPrintable(QString::number(chinF.mean / chinX.mean)));

        // The texture, on the shading alone (the warp itself smooths or sharpens these bands by -17 to +87
        // %): the photo relit as F relights it, in the photo's own pose, against the photo, pixel for pixel.
        Image relit = scene->background;
        LipShading(rig).apply(rig.restVertices(), pucker, relit);
        const auto [upperLit, chinLit] = bands(relit, rig.restVertices());
        qInfo("the shading alone: upper %.3f, under the lower lip %.3f; texture %.3f and %.3f of the photo's",
              upperLit.mean / upperX.mean, chinLit.mean / chinX.mean, upperLit.texture / upperX.texture,
              chinLit.texture / chinX.texture);
        QVERIFY(upperLit.mean > 1.05 * upperX.mean && chinLit.mean < 0.92 * chinX.mean);
        for (const double texture : {upperLit.texture / upperX.texture, chinLit.texture / chinX.texture})
            QVERIFY2(std::abs(texture - 1.0) < 0.15, qPrintable(QString::number(texture)));
    }

    // A pucker (F) is round and reads as photographed pursed lips around a small opening (issue #12's goal
    // row; docs/QUALITY.md fourteenth pass), rendered as a job renders it at the presenter framings (head and
    // shoulders, 1280x720) on the suite's four portraits and both finders' landmarks:
    // - the mesh's opening, its sealed sides left out (MeshMetrics::opening), is at least 0.7 as tall as it
    // is
    //   wide (main's lens from corner to corner: 0.30-0.65);
    // - its rim is graded: along rays from the opening's middle up and down to just past the oval through the
    //   meeting points, 62 and 66 (its upper half at least 0.35 of it), luma changes by no more than 0.3 of
    //   the lip-to-shade contrast from one pixel to the next (a filled outline steps by most of it in one
    //   pixel; main at 73bc2a9 on sample6-left, face-api: 0.72-0.73, a straight top against the skin);
    // - the seal from each inner corner half-way to the opening is no lighter than the lips 0.03 IOD above
    //   and below it (the thirteenth pass drew a light line there on two rows);
    // - the opening's inner half is shade, under half the lips' luma (the astronaut's lifted teeth and gum
    //   filled it, 0.92, in the thirteenth pass);
    // - the seal's line does not run on across the opening (below).
    void puckerIsRoundWithAGradedRim_data() {
        QTest::addColumn<QString>("photo");
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("y");
        QTest::addColumn<bool>("dlib");
        QTest::addColumn<bool>("head");
        for (const bool head : {true, false})
            for (const bool dlib : {false, true}) {
                const char* finder = dlib ? "dlib" : "face-api";
                const char* framing = head ? "head" : "shoulders";
                QTest::addRow("astronaut, %s, %s", finder, framing)
                    << QString() << 0.0 << 0.0 << dlib << head;
                QTest::addRow("sample3-left, %s, %s", finder, framing)
                    << QStringLiteral("sample3.jpg") << 684.0 << 465.0 << dlib << head;
                QTest::addRow("sample6-left, %s, %s", finder, framing)
                    << QStringLiteral("sample6.jpg") << 355.0 << 613.0 << dlib << head;
                QTest::addRow("sample6-third, %s, %s", finder, framing)
                    << QStringLiteral("sample6.jpg") << 1274.0 << 444.0 << dlib << head;
            }
    }
    void puckerIsRoundWithAGradedRim() {
        QFETCH(bool, head);
        const avatar::Scene* scene = suiteScene(head ? Framing::Head : Framing::Shoulders);
        QVERIFY(scene);
        const FaceRig& rig = scene->rig;
        const MouthParams pucker = MouthParams::forShape(Viseme::F);
        const OpeningShape shape = MeshMetrics::opening(rig, pucker);
        qInfo("opening tall over wide %.3f, of the mouth's width %.3f", shape.heightOverWidth,
              shape.widthOfMouth);
        QVERIFY2(shape.heightOverWidth >= 0.7, qPrintable(QString::number(shape.heightOverWidth)));

        Image frame = scene->background;
        scene->renderer.render(pucker, frame);
        const std::vector<PointF> p = rig.deform(pucker);
        const PointF u = rig.alongEyes(), v = rig.downFace();
        const double iod = rig.interOcular();
        auto luma = [&](const PointF& q) { return lumaAt(frame, q); };
        auto go = [&](const PointF& o, double along, double down) {
            return PointF{o.x + along * u.x + down * v.x, o.y + along * u.y + down * v.y};
        };
        auto downOf = [&](const PointF& a, const PointF& b) { return (b.x - a.x) * v.x + (b.y - a.y) * v.y; };
        const PointF left = midpoint(p[61], p[67]), right = midpoint(p[63], p[65]), c = midpoint(left, right);
        // (The drawn oval's upper half is at least 0.35 of its height, MouthInterior_pucker.cpp's kTopShare:
        // a thin upper lip's 62 lies only a pixel or two above the meeting points.)
        const double down = downOf(c, p[66]), up = std::max(-downOf(c, p[62]), 0.35 / 0.65 * down);

        // The lips just outside the opening, above and below its middle, and the shade in its inner half.
        const double lips = 0.5 * (luma(go(c, 0.0, -up - 0.03 * iod)) + luma(go(c, 0.0, down + 0.03 * iod)));
        double inner = 0.0;
        int innerCount = 0;
        for (double a = -0.4; a <= 0.41; a += 0.1)
            for (double b = -0.4; b <= 0.41; b += 0.1) {
                inner += luma(
                    go(c, a * std::hypot(right.x - left.x, right.y - left.y) * 0.5, b * (b < 0 ? up : down)));
                ++innerCount;
            }
        inner /= innerCount;
        // The largest one-pixel step along rays from the middle out through the upper and lower lips.
        double step = 0.0, stepAt = 0.0, stepAngle = 0.0; // (where: over the oval's radius, which way)
        for (const double angle : {-120.0, -90.0, -60.0, 60.0, 90.0, 120.0}) {
            const double ca = std::cos(angle * std::numbers::pi / 180.0),
                         sa = std::sin(angle * std::numbers::pi / 180.0);
            // (To just past the oval through the meeting points and 62, 66: the rim the pucker draws, not the
            // warped lips further out.)
            const double half = 0.5 * std::hypot(right.x - left.x, right.y - left.y);
            const double edge = 1.0 / std::hypot(ca / half, sa / (sa < 0 ? up : down));
            const double reach = edge + 0.015 * iod;
            double last = luma(c);
            for (double r = 1.0; r <= reach; r += 1.0) {
                const double l = luma(go(c, ca * r, sa * r));
                if (std::abs(l - last) > step) {
                    step = std::abs(l - last);
                    stepAt = r / edge;
                    stepAngle = angle;
                }
                last = l;
            }
        }
        // The seal lines: on the line against the lips 0.03 IOD above and below it.
        double sealRatio = 0.0;
        for (const auto& [corner, meet] : {std::pair{p[60], left}, std::pair{p[64], right}}) {
            double on = 0.0, beside = 0.0;
            for (double t = 0.1; t <= 0.51; t += 0.05) {
                const PointF q{corner.x + (meet.x - corner.x) * t, corner.y + (meet.y - corner.y) * t};
                on += luma(q);
                beside += 0.5 * (luma(go(q, 0.0, -0.03 * iod)) + luma(go(q, 0.0, 0.03 * iod)));
            }
            sealRatio = std::max(sealRatio, on / beside);
        }
        // The seal's line does not run on across the opening: from each meeting point half-way to the
        // middle, the pixels on the line the seal continues are at least 0.9 of the darker of those 0.01 IOD
        // above and below (main at 73bc2a9: 0.76-0.87 on six rows, the seal line run on through the rim).
        double crossing = 1e9;
        for (const PointF& meet : {left, right})
            for (double t = 0.0; t <= 0.51; t += 0.05) {
                const PointF q{meet.x + (c.x - meet.x) * t, meet.y + (c.y - meet.y) * t};
                const double beside = std::min(luma(go(q, 0.0, -0.01 * iod)), luma(go(q, 0.0, 0.01 * iod)));
                crossing = std::min(crossing, luma(q) / std::max(1.0, beside));
            }
        qInfo("on the seal's line across the opening over beside it, least %.3f", crossing);
        const double contrast = std::max(1.0, lips - inner);
        qInfo("lips %.1f, inner half %.1f (%.3f of the lips); largest step on the rim %.1f (%.3f of the "
              "contrast, %.2f of the way out at %.0f degrees); seal over the lips beside it %.3f",
              lips, inner, inner / lips, step, step / contrast, stepAt, stepAngle, sealRatio);
        QVERIFY2(inner < 0.5 * lips, qPrintable(QString::number(inner / lips)));
        // (sample3-left's (head) largest step lay just past the oval, in the warped lower lip's crease: 0.436
        // on main at d4fdb88, an expected failure from the fourteenth pass to the seventeenth, which fills
        // the photo's seam there and softens the rim by half a drawn edge: 0.239.)
        QVERIFY2(step <= 0.3 * contrast, qPrintable(QString::number(step / contrast)));
        QVERIFY2(crossing >= 0.9, qPrintable(QString::number(crossing)));
        QVERIFY2(sealRatio <= 1.0, qPrintable(QString::number(sealRatio)));
    }

    // The pucker's opening sits in the middle of the gathered mouth, between its corners, with the lips
    // sealed about as far on each side (docs/QUALITY.md sixteenth pass). Along the line through the
    // opening's middle from corner 48 to corner 54 of F's mouth, the dark run (under half the lips' luma)
    // is found in the rendered pixels: its centre lies within 0.1 of the half-width of the corners' midpoint,
    // and the shorter seal (corner to the run) is at least 0.6 of the longer. On main at 95add40 sample3's
    // face 0 (turned, the detector's middle landmarks 0.13 IOD off her midline) had its opening 0.275 of the
    // half-width off, its seals 20.5 and 44.0 px (0.466); the branch 0.006, 0.985.
    void puckerOpeningIsInTheMiddle_data() {
        QTest::addColumn<QString>("photo");
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("y");
        QTest::addColumn<bool>("dlib");
        QTest::addRow("astronaut") << QString() << 0.0 << 0.0 << false;
        QTest::addRow("sample3-turned") << QStringLiteral("sample3.jpg") << 1185.0 << 364.0 << false;
        QTest::addRow("sample6-left") << QStringLiteral("sample6.jpg") << 355.0 << 613.0 << false;
    }
    void puckerOpeningIsInTheMiddle() {
        const avatar::Scene* scene = suiteScene(Framing::Head);
        QVERIFY(scene);
        const FaceRig& rig = scene->rig;
        const auto [frame, p] = drawPucker(*scene);
        const PointF u = rig.alongEyes();
        auto luma = [&](const PointF& q) {
            const int x = std::clamp(static_cast<int>(q.x), 0, frame.width() - 1);
            const int y = std::clamp(static_cast<int>(q.y), 0, frame.height() - 1);
            const std::uint8_t* px = frame.row(y) + x * 3;
            return 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2];
        };
        // The line: across through the opening's middle (62 and 66 halfway), from the left corner's
        // position along the eyes to the right one's.
        const PointF c = midpoint(p[62], p[66]);
        const double c0 = c.x * u.x + c.y * u.y;
        const double left = p[48].x * u.x + p[48].y * u.y - c0, right = p[54].x * u.x + p[54].y * u.y - c0;
        const double lips = 0.5 * (luma(midpoint(p[50], p[61])) + luma(midpoint(p[58], p[67])));
        double darkFrom = 1e9, darkTo = -1e9;
        for (double a = left; a <= right; a += 0.5) {
            if (luma({c.x + a * u.x, c.y + a * u.y}) < 0.5 * lips) {
                darkFrom = std::min(darkFrom, a);
                darkTo = std::max(darkTo, a);
            }
        }
        QVERIFY2(darkTo > darkFrom, "no dark opening on the line");
        const double half = 0.5 * (right - left), cornersMid = 0.5 * (left + right);
        const double off = (0.5 * (darkFrom + darkTo) - cornersMid) / half;
        const double sealLeft = darkFrom - left, sealRight = right - darkTo;
        const double seals = std::min(sealLeft, sealRight) / std::max(1.0, std::max(sealLeft, sealRight));
        qInfo("opening %.1f to %.1f px, corners %.1f to %.1f: off the middle %.3f of the half-width, "
              "seals %.1f and %.1f px (%.3f)",
              darkFrom, darkTo, left, right, off, sealLeft, sealRight, seals);
        QVERIFY2(std::abs(off) <= 0.1, qPrintable(QString::number(off)));
        QVERIFY2(seals >= 0.6, qPrintable(QString::number(seals)));
    }

    // The lips round the pucker's opening are gathered, not a smooth painted ring (docs/QUALITY.md sixteenth
    // pass): along an arc 0.02 IOD outside the drawn oval over its upper half, the luma's fine variation (its
    // RMS about a moving mean over 0.03 IOD of arc, over the mean) is at least 0.0075. Main at 95add40:
    // astronaut 0.0054, sample3-turned 0.0044 (both fail), sample6-left 0.0100; with the creases 0.0086,
    // 0.0143, 0.0193.
    void puckerLipsAreCreasedRoundTheOpening_data() { puckerOpeningIsInTheMiddle_data(); }
    void puckerLipsAreCreasedRoundTheOpening() {
        const avatar::Scene* scene = suiteScene(Framing::Head);
        QVERIFY(scene);
        const FaceRig& rig = scene->rig;
        const auto [frame, p] = drawPucker(*scene);
        const PointF u = rig.alongEyes(), v = rig.downFace();
        const double iod = rig.interOcular();
        auto luma = [&](const PointF& q) { return lumaAt(frame, q); };
        auto downOf = [&](const PointF& a, const PointF& b) { return (b.x - a.x) * v.x + (b.y - a.y) * v.y; };
        // The drawn oval (as puckerIsRoundWithAGradedRim finds it).
        const PointF left = midpoint(p[61], p[67]), right = midpoint(p[63], p[65]), c = midpoint(left, right);
        const double half = 0.5 * std::hypot(right.x - left.x, right.y - left.y);
        const double up = std::max(-downOf(c, p[62]), 0.35 / 0.65 * downOf(c, p[66]));
        const double out = 0.02 * iod;
        std::vector<double> arc; // one sample per pixel of arc, from -160 to -20 degrees
        const double a0 = -160.0 * std::numbers::pi / 180.0, a1 = -20.0 * std::numbers::pi / 180.0;
        const double length = (a1 - a0) * 0.5 * (half + up + 2.0 * out);
        const int n = std::max(8, static_cast<int>(length));
        for (int i = 0; i <= n; ++i) {
            const double a = a0 + (a1 - a0) * i / n;
            const double along = std::cos(a) * (half + out), down = std::sin(a) * (up + out);
            arc.push_back(luma({c.x + along * u.x + down * v.x, c.y + along * u.y + down * v.y}));
        }
        const int window = std::max(2, static_cast<int>(0.015 * iod * n / length));
        double sum = 0.0, mean = 0.0;
        int count = 0;
        for (int i = window; i + window < static_cast<int>(arc.size()); ++i) {
            double m = 0.0;
            for (int k = -window; k <= window; ++k)
                m += arc[static_cast<std::size_t>(i + k)];
            m /= 2 * window + 1;
            const double e = arc[static_cast<std::size_t>(i)] - m;
            sum += e * e;
            mean += arc[static_cast<std::size_t>(i)];
            ++count;
        }
        QVERIFY(count > 0);
        mean /= count;
        const double fine = std::sqrt(sum / count) / std::max(1.0, mean);
        qInfo("arc of %d px, mean luma %.1f, fine variation %.4f of it", n, mean, fine);
        QVERIFY2(fine >= 0.0075, qPrintable(QString::number(fine)));
    }

private:
    // The realism suite's four portraits, on face-api's landmarks (the default finder) and on dlib's.
    static void suitePortraits() {
        QTest::addColumn<QString>("photo");
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("y");
        QTest::addColumn<bool>("dlib");
        for (const bool dlib : {false, true}) {
            const char* finder = dlib ? "dlib" : "face-api";
            QTest::addRow("astronaut, %s", finder) << QString() << 0.0 << 0.0 << dlib;
            QTest::addRow("sample3-left, %s", finder)
                << QStringLiteral("sample3.jpg") << 684.0 << 465.0 << dlib;
            QTest::addRow("sample6-left, %s", finder)
                << QStringLiteral("sample6.jpg") << 355.0 << 613.0 << dlib;
            QTest::addRow("sample6-third, %s", finder)
                << QStringLiteral("sample6.jpg") << 1274.0 << 444.0 << dlib;
        }
    }
    // A portrait of the suite: the photo's file name (empty: the astronaut) and the point its face is
    // nearest.
    using PortraitKey = std::tuple<QString, double, double>;

    // Each portrait, face search and scene is made once per run, on first use, and kept: the 16 rows of
    // puckerKeepsTheSkinAboveTheLip and nothingFolds share 8 scenes, whose face-api and dlib rows share 4
    // portraits, and the astronaut's face-api face is also that of realPhotoAndPaintedHole and
    // meshFiguresOnARealRig. The finders' models are loaded once too. They are deterministic, so each row
    // checks what it checked when it built its own.
    const FaceNet& faceNet() {
        if (!m_faceNet)
            m_faceNet = std::make_unique<FaceNet>();
        return *m_faceNet;
    }
    const FaceAnalyzer& dlibFinder() {
        if (!m_dlib)
            m_dlib = std::make_unique<FaceAnalyzer>();
        return *m_dlib;
    }
    // Null when the sample photo is missing (not kept, so every row that needs it fails).
    const Image* portrait(const PortraitKey& key) {
        if (const auto it = m_portraits.find(key); it != m_portraits.end())
            return &it->second;
        const auto& [photo, x, y] = key;
        Image image = suitePortrait(faceNet(), photo, x, y);
        if (image.isNull())
            return nullptr;
        return &m_portraits.emplace(key, std::move(image)).first->second;
    }
    // face-api's largest face in the portrait; width 0 when there is none (or no portrait).
    FaceNetFace faceApiFace(const PortraitKey& key) {
        if (const auto it = m_faceApiFaces.find(key); it != m_faceApiFaces.end())
            return it->second;
        const Image* image = portrait(key);
        if (!image)
            return {};
        return m_faceApiFaces.emplace(key, largestFace(faceNet(), *image)).first->second;
    }
    // The rig a render builds for the current row (Scene: the presenter framing at 1280x720, a smile's inner
    // lips fitted to its teeth); null (and a failure recorded) when the portrait or its face is missing.
    const avatar::Scene* suiteScene(Framing framing = Framing::Shoulders) {
        QFETCH(QString, photo);
        QFETCH(double, x);
        QFETCH(double, y);
        QFETCH(bool, dlib);
        const SceneKey key{photo, x, y, dlib, framing};
        if (const auto it = m_scenes.find(key); it != m_scenes.end())
            return it->second.get();
        const PortraitKey portraitKey{photo, x, y};
        const Image* image = portrait(portraitKey);
        if (!image) {
            QTest::qFail("face-api's sample photos are missing: run packaging/setup-models.sh", __FILE__,
                         __LINE__);
            return nullptr;
        }
        FaceLandmarks landmarks;
        if (dlib) {
            landmarks = dlibFinder().analyzeLargest(*image, "the portrait");
        } else {
            const FaceNetFace face = faceApiFace(portraitKey);
            if (face.width <= 0) {
                QTest::qFail("face-api found no face", __FILE__, __LINE__);
                return nullptr;
            }
            landmarks = face.toFaceLandmarks();
        }
        auto scene = std::make_unique<avatar::Scene>(*image, landmarks, 1280, 720, framing);
        return m_scenes.emplace(key, std::move(scene)).first->second.get();
    }

    using SceneKey = std::tuple<QString, double, double, bool, Framing>;
    std::unique_ptr<FaceNet> m_faceNet;
    std::unique_ptr<FaceAnalyzer> m_dlib;
    std::map<PortraitKey, Image> m_portraits;
    std::map<PortraitKey, FaceNetFace> m_faceApiFaces;
    std::map<SceneKey, std::unique_ptr<avatar::Scene>> m_scenes;
};

QTEST_GUILESS_MAIN(TstMouthMetrics)
#include "tst_mouth_metrics.moc"
