// The tfjs weights-manifest loader on hand-made manifests: float32, quantised uint8/uint16, int32, and the
// errors for missing and corrupt files.
#include "core/Error.h"
#include "facenet/TfjsWeights.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using namespace avatar;

class TstFacenetWeights : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    std::filesystem::path path(const std::string& name) const {
        return std::filesystem::path(m_dir.path().toStdString()) / name;
    }

    void write(const std::string& name, const std::string& bytes) const {
        std::ofstream(path(name), std::ios::binary) << bytes;
    }

    static std::string floats(std::initializer_list<float> values) {
        std::string out(values.size() * 4, '\0');
        std::size_t i = 0;
        for (float v : values)
            std::memcpy(out.data() + 4 * i++, &v, 4);
        return out;
    }

    // Two shards; a float32 [2, 2], a uint8-quantised [3], a uint16-quantised [2] and a quantised int32 [].
    void writeGood(const std::string& stem) const {
        write(stem + "-weights_manifest.json",
              R"([{"paths": [")" + stem + R"(-a.bin", ")" + stem + R"(-b.bin"], "weights": [
                  {"name": "conv/filters", "shape": [2, 2], "dtype": "float32"},
                  {"name": "conv/bias", "shape": [3], "dtype": "float32",
                   "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}},
                  {"name": "fc", "shape": [2], "dtype": "float32",
                   "quantization": {"dtype": "uint16", "scale": 0.001, "min": 2.0}},
                  {"name": "axis", "shape": [], "dtype": "int32",
                   "quantization": {"dtype": "uint8", "scale": 1, "min": 3}}]}])");
        // 16 float bytes + 3 uint8 + 4 uint16 + 1 uint8 = 24 bytes, cut across the two shards.
        std::string bytes = floats({1.5f, -2.0f, 0.25f, 8.0f});
        bytes += std::string("\x00\x02\xff", 3);
        const std::uint16_t q[2] = {0, 1000};
        bytes.append(reinterpret_cast<const char*>(q), 4);
        bytes += std::string("\x00", 1);
        write(stem + "-a.bin", bytes.substr(0, 10));
        write(stem + "-b.bin", bytes.substr(10));
    }

    template <class F> static QString errorOf(F&& f, ErrorCode expected) {
        try {
            f();
        } catch (const Error& e) {
            if (e.code() != expected)
                return QStringLiteral("wrong code: ") + QString::fromStdString(e.what());
            return QString::fromStdString(e.what());
        }
        return QStringLiteral("no error");
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void readsFloatAndQuantisedWeights() {
        writeGood("good");
        const TfjsWeights w = TfjsWeights::load(path("good-weights_manifest.json"));
        QCOMPARE(w.size(), std::size_t(4));
        const auto& filters = w.at("conv/filters");
        QCOMPARE(filters.shape, (std::vector<std::int64_t>{2, 2}));
        QCOMPARE(filters.values, (std::vector<float>{1.5f, -2.0f, 0.25f, 8.0f}));
        // uint8: q * scale + min
        QCOMPARE(w.at("conv/bias").values, (std::vector<float>{-1.0f, 0.0f, 126.5f}));
        const auto& fc = w.at("fc").values;
        QCOMPARE(fc.size(), std::size_t(2));
        QVERIFY(std::abs(fc[0] - 2.0f) < 1e-6f && std::abs(fc[1] - 3.0f) < 1e-5f);
        QVERIFY(w.at("axis").isInteger);
        QVERIFY(w.at("axis").shape.empty());
        QCOMPARE(w.at("axis").values, (std::vector<float>{3.0f}));
    }

    void unknownNameNamesTheManifest() {
        writeGood("names");
        const TfjsWeights w = TfjsWeights::load(path("names-weights_manifest.json"));
        const QString e = errorOf([&] { w.at("nope"); }, ErrorCode::Unreadable);
        QVERIFY2(e.contains(QStringLiteral("names-weights_manifest.json")) &&
                     e.contains(QStringLiteral("nope")),
                 qPrintable(e));
    }

    void missingFilesAreNamed() {
        QString e =
            errorOf([&] { TfjsWeights::load(path("absent-weights_manifest.json")); }, ErrorCode::NotFound);
        QVERIFY2(e.contains(QStringLiteral("absent-weights_manifest.json")), qPrintable(e));
        writeGood("noshard");
        std::filesystem::remove(path("noshard-b.bin"));
        e = errorOf([&] { TfjsWeights::load(path("noshard-weights_manifest.json")); }, ErrorCode::NotFound);
        QVERIFY2(e.contains(QStringLiteral("noshard-b.bin")), qPrintable(e));
    }

    void corruptFilesAreNamed() {
        // A shard cut short: the size no longer matches the manifest.
        writeGood("short");
        write("short-b.bin", "\x01\x02");
        QString e =
            errorOf([&] { TfjsWeights::load(path("short-weights_manifest.json")); }, ErrorCode::Unreadable);
        QVERIFY2(e.contains(QStringLiteral("short-b.bin")) && e.contains(QStringLiteral("corrupt")),
                 qPrintable(e));
        // Bytes left over are as wrong as bytes missing.
        writeGood("long");
        { std::ofstream(path("long-b.bin"), std::ios::binary | std::ios::app) << "xx"; }
        e = errorOf([&] { TfjsWeights::load(path("long-weights_manifest.json")); }, ErrorCode::Unreadable);
        QVERIFY2(e.contains(QStringLiteral("long-b.bin")), qPrintable(e));
        // Not JSON at all.
        write("junk-weights_manifest.json", "{not json");
        e = errorOf([&] { TfjsWeights::load(path("junk-weights_manifest.json")); }, ErrorCode::Unreadable);
        QVERIFY2(e.contains(QStringLiteral("junk-weights_manifest.json")), qPrintable(e));
        // An unsupported quantisation.
        write("f16-weights_manifest.json", R"([{"paths": ["f16.bin"], "weights": [{"name": "a", "shape": [1],
            "dtype": "float32", "quantization": {"dtype": "float16"}}]}])");
        write("f16.bin", "\x00\x00");
        e = errorOf([&] { TfjsWeights::load(path("f16-weights_manifest.json")); }, ErrorCode::Unreadable);
        QVERIFY2(e.contains(QStringLiteral("float16")), qPrintable(e));
    }

    void readsTheInstalledModels() {
        const std::filesystem::path dir = std::filesystem::path(AVATAR_FACEAPI_DIR) / "model";
        QVERIFY2(std::filesystem::exists(dir),
                 "the face-api package is missing: run packaging/setup-models.sh");
        const TfjsWeights w = TfjsWeights::load(dir / "face_recognition_model-weights_manifest.json");
        QCOMPARE(w.at("fc").shape, (std::vector<std::int64_t>{256, 128}));
        const TfjsWeights ssd = TfjsWeights::load(dir / "ssd_mobilenetv1_model-weights_manifest.json");
        QCOMPARE(ssd.at("Output/extra_dim").values.size(), std::size_t(5118 * 4));
    }
};

QTEST_GUILESS_MAIN(TstFacenetWeights)
#include "tst_facenet_weights.moc"
