#include "assets/DefaultAssets.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "face/FaceAnalyzer.h"
#include "render/FaceRig.h"
#include "render/Scene.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <fstream>
#include <iterator>
#include <utility>

using namespace avatar;

class TstFace : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<FaceAnalyzer> m_faces;
    Image m_portrait;

    template <class F> static ErrorCode codeOf(F&& f) {
        try {
            f();
        } catch (const Error& e) {
            return e.code();
        }
        return ErrorCode::Internal; // "no error" is reported as Internal, which no test expects
    }

private Q_SLOTS:
    void initTestCase() {
        m_faces = std::make_unique<FaceAnalyzer>();
        m_portrait = ImageIO::decode(DefaultAssets::portraitPng(), "astronaut");
        QCOMPARE(m_portrait.width(), 512);
        QCOMPARE(m_portrait.height(), 512);
    }

    void landmarksLieInTheFace() {
        const auto faces = m_faces->detectAll(m_portrait);
        QCOMPARE(faces.size(), std::size_t(1));
        const FaceLandmarks& f = faces.front();
        QVERIFY(f.box.width > 60 && f.box.width < 200);
        // Every landmark inside the detector's box (dlib's boxes end at the lower lip's level, so the chin
        // and jaw may reach a little below: allow 15% of the box on each side).
        const double mx = 0.15 * f.box.width, my = 0.15 * f.box.height;
        for (const PointF& p : f.points) {
            QVERIFY(p.x >= f.box.x - mx && p.x <= f.box.right() + mx);
            QVERIFY(p.y >= f.box.y - my && p.y <= f.box.bottom() + my);
        }
        // Anatomy: brows above eyes above nose tip above mouth above chin; right eye left of left eye.
        QVERIFY(f.meanOf(17, 26).y < f.meanOf(36, 47).y);
        QVERIFY(f.meanOf(36, 47).y < f.points[33].y);
        QVERIFY(f.points[33].y < f.meanOf(48, 67).y);
        QVERIFY(f.meanOf(48, 67).y < f.points[8].y);
        QVERIFY(f.rightEyeCenter().x < f.leftEyeCenter().x);
        QVERIFY(f.interOcular() > 20 && f.interOcular() < 80);
    }

    void largestFaceWins() {
        // The portrait twice, once full size and once at half size, side by side.
        const Image small = ImageIO::resized(m_portrait, 256, 256);
        Image both(768, 512);
        both.fill(128, 128, 128);
        for (int y = 0; y < 512; ++y)
            std::memcpy(both.row(y), m_portrait.row(y), 512 * 3);
        for (int y = 0; y < 256; ++y)
            std::memcpy(both.row(y + 128) + 512 * 3, small.row(y), 256 * 3);
        FaceAnalyzer::Options twice;
        twice.maxUpsample = 1;
        const auto faces = m_faces->detectAll(both, twice);
        QVERIFY2(faces.size() >= 1, "no face found in the composite");
        const FaceLandmarks largest = m_faces->analyzeLargest(both, "composite", twice);
        QVERIFY(largest.box.x < 512); // the full-size face is on the left
        for (std::size_t i = 1; i < faces.size(); ++i)
            QVERIFY(faces[i].box.width * faces[i].box.height <= faces[0].box.width * faces[0].box.height);
    }

    void largePhotosAreSearchedReduced() {
        // A 3072x3072 photo is searched at a reduced size; the landmarks still come from the full image.
        const FaceLandmarks small = m_faces->analyzeLargest(m_portrait, "astronaut");
        const Image large = ImageIO::resized(m_portrait, 3072, 3072);
        const FaceLandmarks big = m_faces->analyzeLargest(large, "large");
        QVERIFY(std::abs(big.interOcular() / small.interOcular() - 6.0) < 0.3);
        for (int i : {8, 30, 36, 45, 48, 54})
            QVERIFY(std::hypot(big.points[i].x / 6.0 - small.points[i].x,
                               big.points[i].y / 6.0 - small.points[i].y) < 0.15 * small.interOcular());
    }

    void weakFalsePositivesDoNotWin() {
        // The left 262 columns: the face is cut by the right edge, and HOG also fires (weakly) on the larger
        // mission patch. The face must win; with the face cropped away entirely there is no face at all.
        Image left(262, 512);
        for (int y = 0; y < 512; ++y)
            std::memcpy(left.row(y), m_portrait.row(y), 262 * 3);
        const FaceLandmarks face = m_faces->analyzeLargest(left, "left");
        QVERIFY2(face.box.y < 150 && face.box.x > 150, "a false positive was taken for the face");
        Image noHead(512, 412);
        for (int y = 0; y < 412; ++y)
            std::memcpy(noHead.row(y), m_portrait.row(y + 100), 512 * 3);
        QCOMPARE(codeOf([&] { m_faces->analyzeLargest(noHead, "no-head"); }), ErrorCode::NoFace);
    }

    void noFaceIsAClearError() {
        Image plain(320, 240);
        for (int y = 0; y < plain.height(); ++y)
            for (int x = 0; x < plain.width(); ++x) {
                std::uint8_t* p = plain.row(y) + x * 3;
                p[0] = static_cast<std::uint8_t>(x);
                p[1] = static_cast<std::uint8_t>(y);
                p[2] = 90;
            }
        QVERIFY(m_faces->detectAll(plain).empty());
        QCOMPARE(codeOf([&] { m_faces->analyzeLargest(plain, "gradient.png"); }), ErrorCode::NoFace);
        try {
            m_faces->analyzeLargest(plain, "gradient.png");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("gradient.png") != std::string::npos);
        }
    }

    void badFilesAndModels() {
        QTemporaryDir dir;
        const std::string garbage = dir.filePath(QStringLiteral("garbage.png")).toStdString();
        std::ofstream(garbage) << "this is not a PNG file";
        QCOMPARE(codeOf([&] { ImageIO::load(dir.filePath(QStringLiteral("missing.png")).toStdString()); }),
                 ErrorCode::NotFound);
        QCOMPARE(codeOf([&] { ImageIO::load(garbage); }), ErrorCode::Unreadable);
        // Damaged pictures are refused with a message of ours (decoders would print to stderr or invent
        // grey).
        const auto png = DefaultAssets::portraitPng();
        const std::vector<std::uint8_t> truncated(png.begin(), png.begin() + png.size() / 2);
        QCOMPARE(codeOf([&] { ImageIO::decode(truncated, "half.png"); }), ErrorCode::Unreadable);
        std::vector<std::uint8_t> flipped(png.begin(), png.end());
        flipped[flipped.size() / 2] ^= 0x5a;
        QCOMPARE(codeOf([&] { ImageIO::decode(flipped, "flipped.png"); }), ErrorCode::Unreadable);
        const std::string jpeg = dir.filePath(QStringLiteral("portrait.jpg")).toStdString();
        ImageIO::save(m_portrait, jpeg);
        QCOMPARE(ImageIO::load(jpeg).width(), 512);
        std::vector<std::uint8_t> jpegBytes;
        {
            std::ifstream in(jpeg, std::ios::binary);
            jpegBytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        jpegBytes.resize(jpegBytes.size() * 2 / 3);
        QCOMPARE(codeOf([&] { ImageIO::decode(jpegBytes, "cut.jpg"); }), ErrorCode::Unreadable);
        QCOMPARE(
            codeOf([&] { FaceAnalyzer missing(dir.filePath(QStringLiteral("nope.dat")).toStdString()); }),
            ErrorCode::NotFound);
        // The model loads on first use: a corrupt one fails that use, and every later one alike.
        FaceAnalyzer corrupt(garbage);
        QCOMPARE(codeOf([&] { corrupt.detectAll(m_portrait); }), ErrorCode::Unreadable);
        QCOMPARE(codeOf([&] { corrupt.analyzeLargest(m_portrait, "astronaut"); }), ErrorCode::Unreadable);
    }

    void rigCoversTheLowerFaceAndMovesTheJaw() {
        const FaceLandmarks face = m_faces->analyzeLargest(m_portrait, "astronaut");
        const Scene scene(m_portrait, face, 1280, 720);
        const FaceRig& rig = scene.rig;
        QVERIFY(!rig.triangles().empty());
        QVERIFY(scene.background.rect().intersected(rig.region()) == rig.region());
        // The region holds every landmark.
        for (const PointF& p : scene.face.points)
            QVERIFY(rig.region().contains(static_cast<int>(p.x), static_cast<int>(p.y)));
        // Opening the mouth moves the chin and lower lip down, leaves eyes, brows and the ring fixed.
        MouthParams open = MouthParams::forShape(Viseme::D);
        const auto rest = rig.restVertices();
        const auto moved = rig.deform(open);
        QVERIFY(moved[8].y > rest[8].y + 0.1 * rig.interOcular());
        QVERIFY(moved[66].y > rest[66].y + 0.1 * rig.interOcular());
        QVERIFY(moved[62].y <= rest[62].y);
        for (int i = 17; i <= 47; ++i) {
            QCOMPARE(moved[i].x, rest[i].x);
            QCOMPARE(moved[i].y, rest[i].y);
        }
        const auto& philtrum = rig.philtrum();
        for (std::size_t i = 68; i < rest.size(); ++i) {
            if (std::find(philtrum.begin(), philtrum.end(), int(i)) != philtrum.end())
                continue;
            QCOMPARE(moved[i].x, rest[i].x);
            QCOMPARE(moved[i].y, rest[i].y);
        }
        // Rounding narrows the mouth; the skin under the nose follows the upper lip half-way, so the pull
        // is shared by two rows of triangles.
        const auto round = rig.deform(MouthParams::forShape(Viseme::F));
        QVERIFY(round[54].x - round[48].x < rest[54].x - rest[48].x);
        for (int k = 0; k < 3; ++k) {
            const auto skin = std::size_t(philtrum[std::size_t(k)]), lip = std::size_t(50 + k);
            QVERIFY(std::hypot(round[lip].x - rest[lip].x, round[lip].y - rest[lip].y) > 0.2);
            QVERIFY(std::abs((round[skin].x - rest[skin].x) - 0.5 * (round[lip].x - rest[lip].x)) < 1e-6);
            QVERIFY(std::abs((round[skin].y - rest[skin].y) - 0.5 * (round[lip].y - rest[lip].y)) < 1e-6);
        }
    }

    void tiltedFacesKeepTheirTeeth_data() {
        QTest::addColumn<double>("degrees");
        QTest::newRow("upright") << 0.0;
        QTest::newRow("tilted 20 degrees") << 20.0;
        QTest::newRow("tilted -25 degrees") << -25.0;
        QTest::newRow("tilted 35 degrees") << 35.0;
    }
    void tiltedFacesKeepTheirTeeth() {
        // Rotate the portrait about the face (bilinear), open the mouth wide, and look for the teeth band:
        // new near-white pixels inside the face region.
        QFETCH(double, degrees);
        const double a = degrees * M_PI / 180.0, c = std::cos(a), s = std::sin(a);
        Image rotated(512, 512);
        for (int y = 0; y < 512; ++y)
            for (int x = 0; x < 512; ++x) {
                const double sx = std::clamp(225 + c * (x - 225) - s * (y - 130), 0.0, 510.0);
                const double sy = std::clamp(130 + s * (x - 225) + c * (y - 130), 0.0, 510.0);
                const int x0 = int(sx), y0 = int(sy);
                const double fx = sx - x0, fy = sy - y0;
                for (int k = 0; k < 3; ++k) {
                    const double top =
                        m_portrait.row(y0)[x0 * 3 + k] * (1 - fx) + m_portrait.row(y0)[(x0 + 1) * 3 + k] * fx;
                    const double bot = m_portrait.row(y0 + 1)[x0 * 3 + k] * (1 - fx) +
                                       m_portrait.row(y0 + 1)[(x0 + 1) * 3 + k] * fx;
                    rotated.row(y)[x * 3 + k] = static_cast<std::uint8_t>(top * (1 - fy) + bot * fy + 0.5);
                }
            }
        const FaceLandmarks face = m_faces->analyzeLargest(rotated, "rotated");
        const Scene scene(rotated, face, 1024, 1024);
        Image frame = scene.background;
        scene.renderer.render(MouthParams::forShape(Viseme::D), frame);
        // Near-white pixels inside the opening (the deformed inner-lip polygon).
        const auto v = scene.rig.deform(MouthParams::forShape(Viseme::D));
        auto insideMouth = [&](double px, double py) {
            bool in = false;
            for (int i = 60, j = 67; i <= 67; j = i++)
                if ((v[i].y > py) != (v[j].y > py) &&
                    px < (v[j].x - v[i].x) * (py - v[i].y) / (v[j].y - v[i].y) + v[i].x)
                    in = !in;
            return in;
        };
        int teeth = 0;
        const Rect r = scene.rig.region();
        for (int y = r.y; y < r.bottom(); ++y)
            for (int x = r.x; x < r.right(); ++x) {
                const std::uint8_t* p = frame.row(y) + x * 3;
                const int hi = std::max({p[0], p[1], p[2]}), lo = std::min({p[0], p[1], p[2]});
                if (insideMouth(x + 0.5, y + 0.5) && lo > 150 && hi - lo < 40)
                    ++teeth;
            }
        qInfo("teeth %d", teeth);
        QVERIFY2(teeth > 30, qPrintable(QStringLiteral("only %1 teeth pixels").arg(teeth)));
    }

    void blinksCloseTheEyesWithoutTouchingTheMouth() {
        const FaceLandmarks face = m_faces->analyzeLargest(m_portrait, "astronaut");
        const Scene scene(m_portrait, face, 1280, 720);
        MouthParams closed;
        closed.blink = 1.0;
        const auto rest = scene.rig.deform(MouthParams{});
        const auto shut = scene.rig.deform(closed);
        for (const auto& [upper, lower] :
             {std::pair{37, 41}, std::pair{38, 40}, std::pair{43, 47}, std::pair{44, 46}}) {
            const double open = std::hypot(rest[upper].x - rest[lower].x, rest[upper].y - rest[lower].y);
            const double now = std::hypot(shut[upper].x - shut[lower].x, shut[upper].y - shut[lower].y);
            QVERIFY(open > 2.0);
            QVERIFY(now < 0.05 * open);
        }
        for (int i = 48; i <= 67; ++i) {
            QCOMPARE(shut[i].x, rest[i].x);
            QCOMPARE(shut[i].y, rest[i].y);
        }
        // The pixels over the eyes change: skin covers the iris.
        Image a = scene.background, b = scene.background;
        scene.renderer.render(MouthParams{}, a);
        scene.renderer.render(closed, b);
        const PointF eye = scene.face.leftEyeCenter();
        double diff = 0;
        for (int y = int(eye.y) - 2; y <= int(eye.y) + 2; ++y)
            for (int x = int(eye.x) - 3; x <= int(eye.x) + 3; ++x)
                for (int k = 0; k < 3; ++k)
                    diff += std::abs(a.row(y)[x * 3 + k] - b.row(y)[x * 3 + k]);
        QVERIFY2(diff / (5 * 7 * 3) > 20.0, "closing the eyes did not change the eye");
    }

    void headMotionMovesTheWholeFaceOnly() {
        const FaceLandmarks face = m_faces->analyzeLargest(m_portrait, "astronaut");
        const Scene scene(m_portrait, face, 1280, 720);
        MouthParams shifted;
        shifted.headY = 0.05;
        const auto rest = scene.rig.deform(MouthParams{});
        const auto moved = scene.rig.deform(shifted);
        const double expected = 0.05 * scene.rig.interOcular();
        for (int i = 0; i < 68; ++i) {
            const double d = std::hypot(moved[i].x - rest[i].x, moved[i].y - rest[i].y);
            QVERIFY(std::abs(d - expected) < 1e-6); // every landmark by the same amount
        }
        for (int i = scene.rig.ringFirst(); i < scene.rig.ringEnd(); ++i) {
            QCOMPARE(moved[i].x, rest[i].x); // the ring stays: nothing outside the region moves
            QCOMPARE(moved[i].y, rest[i].y);
        }
    }

    void tongueTipShowsOnlyWhenAsked() {
        // The same open mouth with and without the tongue tip: it shows between the rows of teeth only with
        // it (wide open, as on a stressed "la": at a narrower opening the lower teeth hide it, as in life).
        const FaceLandmarks face = m_faces->analyzeLargest(m_portrait, "astronaut");
        const Scene scene(m_portrait, face, 1280, 720);
        MouthParams open = MouthParams::forShape(Viseme::D);
        MouthParams tongue = open;
        tongue.tongue = 1.0;
        Image a = scene.background, b = scene.background;
        scene.renderer.render(open, a);
        scene.renderer.render(tongue, b);
        // Pixels that the raised tongue changes and makes reddish (it is tinted from the portrait's lips).
        const auto v = scene.rig.deform(open);
        const Rect mouth{int(v[60].x), int(v[62].y), int(v[64].x - v[60].x), int(v[66].y - v[62].y) + 1};
        int tongued = 0;
        for (int y = mouth.y; y < mouth.bottom(); ++y)
            for (int x = mouth.x; x < mouth.right(); ++x) {
                const std::uint8_t* p = a.row(y) + x * 3;
                const std::uint8_t* q = b.row(y) + x * 3;
                const int change = std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]) + std::abs(p[2] - q[2]);
                tongued += (change > 30 && q[0] > q[1] + 10 && q[0] > q[2] + 5) ? 1 : 0;
            }
        qInfo("%d pixels show the tongue tip", tongued);
        QVERIFY2(tongued > 15, "no tongue tip was drawn");
    }

    void renderTouchesOnlyTheRegion() {
        const FaceLandmarks face = m_faces->analyzeLargest(m_portrait, "astronaut");
        const Scene scene(m_portrait, face, 640, 360);
        Image frame = scene.background;
        scene.renderer.render(MouthParams::forShape(Viseme::D), frame);
        const Rect r = scene.rig.region();
        long changedInside = 0;
        for (int y = 0; y < frame.height(); ++y)
            for (int x = 0; x < frame.width(); ++x) {
                const bool same = std::memcmp(frame.row(y) + x * 3, scene.background.row(y) + x * 3, 3) == 0;
                if (!r.contains(x, y))
                    QVERIFY(same);
                else if (!same)
                    ++changedInside;
            }
        QVERIFY2(changedInside > 200, "opening the mouth changed almost nothing");
        // The opening is drawn (tst_mouth measures what is in it): below the teeth, between the inner lips.
        const auto v = scene.rig.deform(MouthParams::forShape(Viseme::D));
        const int cx = static_cast<int>((v[62].x + v[66].x) / 2);
        const int cy = static_cast<int>((v[62].y + v[66].y) / 2 + 0.25 * (v[66].y - v[62].y));
        QVERIFY2(std::memcmp(frame.row(cy) + cx * 3, scene.background.row(cy) + cx * 3, 3) != 0,
                 "the mouth opening was not drawn");
    }
};

QTEST_GUILESS_MAIN(TstFace)
#include "tst_face.moc"
