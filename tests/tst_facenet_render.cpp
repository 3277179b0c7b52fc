// `avatar-render --face-backend torch`: a portrait whose face is too small for dlib's HOG detector renders
// with the face-api models, dlib stays the default and says no face, and the cache keeps the two apart.
// `avatar-render faces`: a known-faces library, answers cached by file content, many images in batches.
#include "assets/DefaultAssets.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "face/FaceAnalyzer.h"
#include "facenet/FaceNet.h"
#include "facenet/FaceNetCache.h"
#include "facenet/KnownFaces.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>

using namespace avatar;

namespace {

struct Run {
    int exitCode = -1;
    QString err;
    QByteArray out;
};

Run render(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(AVATAR_RENDER_BIN), args);
    p.waitForFinished(240000);
    Run r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.err = QString::fromUtf8(p.readAllStandardError());
    r.out = p.readAllStandardOutput();
    return r;
}

} // namespace

class TstFacenetRender : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_small; // the astronaut scaled until dlib no longer finds her face

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }
    QStringList args(const QString& avatar, const char* backend, const char* output) const {
        return {QStringLiteral("--avatar"),
                avatar,
                QStringLiteral("--text"),
                QStringLiteral("Hello there."),
                QStringLiteral("--size"),
                QStringLiteral("320x240"),
                QStringLiteral("--fps"),
                QStringLiteral("10"),
                QStringLiteral("--face-backend"),
                QLatin1String(backend),
                QStringLiteral("-q"),
                QStringLiteral("-o"),
                path(output)};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const Image portrait = ImageIO::decode(DefaultAssets::portraitPng(), "astronaut");
        const FaceAnalyzer dlib;
        const FaceNet net;
        // The face is about 83 px wide at 512; dlib's detector gives up somewhere under 40 px.
        for (const int size : {200, 180, 160, 140, 120}) {
            const Image small = ImageIO::resized(portrait, size, size);
            const bool dlibFinds = !dlib.detectAll(small).empty();
            const std::size_t torchFinds = net.analyze(small).size();
            qInfo("%dx%d: dlib %s, torch %zu face(s)", size, size, dlibFinds ? "finds it" : "finds none",
                  torchFinds);
            if (!dlibFinds && torchFinds == 1) {
                m_small = path("small.png");
                ImageIO::save(small, m_small.toStdString());
                break;
            }
        }
        QVERIFY2(!m_small.isEmpty(), "no size where dlib fails and torch succeeds");
    }

    void dlibFindsNoFace() {
        const Run r = render(args(m_small, "dlib", "dlib.mp4") << QStringLiteral("--no-cache"));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("No face")), qPrintable(r.err));
        QVERIFY(!QFile::exists(path("dlib.mp4")));
    }

    void torchRenders() {
        const Run r = render(args(m_small, "torch", "torch.mp4") << QStringLiteral("--no-cache"));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFileInfo(path("torch.mp4")).size() > 1000);
    }

    void cacheKeepsTheBackendsApart() {
        // The torch run stores its landmarks; dlib must not find them under its own key.
        const QStringList cache{QStringLiteral("--cache-dir"), path("cache")};
        const Run torch = render(args(m_small, "torch", "cached.mp4") << cache);
        QVERIFY2(torch.exitCode == 0, qPrintable(torch.err));
        const Run dlib = render(args(m_small, "dlib", "cached-dlib.mp4") << cache);
        QCOMPARE(dlib.exitCode, 1);
        QVERIFY2(dlib.err.contains(QLatin1String("No face")), qPrintable(dlib.err));
    }

    void torchWithoutFaceIsAClearError() {
        Image grey(320, 240);
        grey.fill(128, 128, 128);
        const QString file = path("grey.png");
        ImageIO::save(grey, file.toStdString());
        const Run r = render(args(file, "torch", "grey.mp4") << QStringLiteral("--no-cache"));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("--face-backend torch")), qPrintable(r.err));
    }

    void knownFacesLibrary() {
        KnownFaces::Descriptor a{}, b{};
        a[0] = 1.0f;
        b[1] = 1.0f;
        {
            KnownFaces known(path("unit.db").toStdString());
            known.add("a", a, "a.png");
            QVERIFY_THROWS_EXCEPTION(Error, known.add("zero", KnownFaces::Descriptor{}, "z.png"));
        }
        KnownFaces known(path("unit.db").toStdString()); // reopened: the row was stored
        KnownFaces::Descriptor nearA = a;
        nearA[2] = 0.3f;
        QCOMPARE(known.recognise(nearA)->name, std::string("a"));
        QVERIFY(!known.recognise(b)); // distance 1.41
        QFile text(path("text.db"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write(QByteArray(4096, 'x'));
        text.close();
        QVERIFY_THROWS_EXCEPTION(Error, KnownFaces(path("text.db").toStdString()));
    }

    void cachedFacesRoundTrip() {
        const Image portrait = ImageIO::decode(DefaultAssets::portraitPng(), "astronaut");
        const auto faces = FaceNet().analyze(portrait);
        const auto back = facenet::decodeFaces(facenet::encodeFaces(faces));
        QVERIFY(back && back->size() == faces.size());
        QCOMPARE(FaceNet::distance((*back)[0].descriptor, faces[0].descriptor), 0.0);
        QCOMPARE((*back)[0].landmarks[30].x, faces[0].landmarks[30].x);
        QVERIFY(!facenet::decodeFaces(std::vector<std::uint8_t>(7, 1)));
    }

    void facesCommandRecognisesCachesAndBatches() {
        // The astronaut is added from the built-in portrait, then recognised in a brighter copy (another
        // file, another hash) among the small copy and a grey image; the second run answers from the cache.
        const QString db = path("known.db"), cache = path("faces-cache");
        const QString portrait = path("portrait.png"), bright = path("bright.png"), grey = path("grey2.png");
        Image image = ImageIO::decode(DefaultAssets::portraitPng(), "astronaut");
        ImageIO::save(image, portrait.toStdString());
        for (std::size_t i = 0; i < image.byteSize(); ++i)
            image.data()[i] = static_cast<std::uint8_t>(std::min(255, image.data()[i] + 30));
        ImageIO::save(image, bright.toStdString());
        Image flat(200, 150);
        flat.fill(128, 128, 128);
        ImageIO::save(flat, grey.toStdString());

        const Run add =
            render({QStringLiteral("faces"), QStringLiteral("--known-db"), db, QStringLiteral("--add"),
                    QStringLiteral("Astronaut"), portrait, QStringLiteral("--no-cache")});
        QVERIFY2(add.exitCode == 0, qPrintable(add.err));
        const QStringList args{QStringLiteral("faces"),
                               QStringLiteral("--known-db"),
                               db,
                               QStringLiteral("--cache-dir"),
                               cache,
                               QStringLiteral("--json"),
                               bright,
                               m_small,
                               grey};
        for (int pass = 0; pass < 2; ++pass) {
            const Run r = render(args);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            const QJsonArray images = QJsonDocument::fromJson(r.out).array();
            QCOMPARE(images.size(), 3);
            for (const QJsonValue& v : images)
                QCOMPARE(v[QLatin1String("cached")].toBool(), pass == 1);
            const QJsonObject face = images[0][QLatin1String("faces")][0].toObject();
            QCOMPARE(face[QLatin1String("known")][QLatin1String("name")].toString(),
                     QStringLiteral("Astronaut"));
            QVERIFY(face[QLatin1String("known")][QLatin1String("distance")].toDouble() < 0.3);
            QCOMPARE(images[1][QLatin1String("faces")].toArray().size(), 1); // the small copy: found, named
            QVERIFY(images[2][QLatin1String("faces")].toArray().isEmpty());
        }
    }

    void facesInBf16() {
        // --precision bf16: the same face, named by the same library, a descriptor close to float32's, and a
        // cache entry of its own (a float32 run after it is not answered from the bf16 one).
        const QString portrait = path("portrait.png"), cache = path("bf16-cache");
        if (!QFileInfo::exists(portrait))
            ImageIO::save(ImageIO::decode(DefaultAssets::portraitPng(), "astronaut"), portrait.toStdString());
        auto run = [&](const char* precision) {
            const Run r =
                render({QStringLiteral("faces"), QStringLiteral("--json"), QStringLiteral("--cache-dir"),
                        cache, QStringLiteral("--precision"), QLatin1String(precision), portrait});
            [&] { QVERIFY2(r.exitCode == 0, qPrintable(r.err)); }();
            return QJsonDocument::fromJson(r.out).array().at(0).toObject();
        };
        const QJsonObject bf16 = run("bf16");
        const QJsonObject bf16Again = run("bf16");
        const QJsonObject fp32 = run("float32");
        QCOMPARE(bf16[QLatin1String("precision")].toString(), QStringLiteral("bf16"));
        QCOMPARE(fp32[QLatin1String("precision")].toString(), QStringLiteral("float32"));
        QVERIFY(!bf16[QLatin1String("cached")].toBool());
        QVERIFY(bf16Again[QLatin1String("cached")].toBool());
        QVERIFY(!fp32[QLatin1String("cached")].toBool());
        const QJsonArray a = bf16[QLatin1String("faces")][0][QLatin1String("descriptor")].toArray();
        const QJsonArray b = fp32[QLatin1String("faces")][0][QLatin1String("descriptor")].toArray();
        QCOMPARE(a.size(), 128);
        QCOMPARE(b.size(), 128);
        double d2 = 0;
        for (int i = 0; i < 128; ++i)
            d2 += (a[i].toDouble() - b[i].toDouble()) * (a[i].toDouble() - b[i].toDouble());
        qInfo("bf16 vs float32 descriptor distance on the portrait: %.4f", std::sqrt(d2));
        QVERIFY(std::sqrt(d2) < 0.05);
        QVERIFY(std::sqrt(d2) > 0.0); // really another computation

        const Run dlib = render({QStringLiteral("faces"), QStringLiteral("--backend"), QStringLiteral("dlib"),
                                 QStringLiteral("--precision"), QStringLiteral("bf16"), portrait});
        QCOMPARE(dlib.exitCode, 2);
        QVERIFY2(dlib.err.contains(QLatin1String("--precision")), qPrintable(dlib.err));
    }

    void unknownBackendIsAUsageError() {
        const Run r = render(args(m_small, "opencv", "x.mp4"));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("--face-backend expects dlib or torch")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TstFacenetRender)
#include "tst_facenet_render.moc"
