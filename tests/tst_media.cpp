// Round trips through Mp4Encoder and MediaReader: what is written must read back with the right streams,
// duration, colours and sound, and failures must never leave a file behind.

#include "core/Error.h"
#include "core/Image.h"
#include "media/MediaReader.h"
#include "media/Mp4Boxes.h"
#include "media/Mp4Encoder.h"
#include "media/SegmentDecoder.h"
#include "media/SegmentEncoder.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numbers>
#include <random>
#include <string>
#include <vector>

using avatar::AudioTrack;
using avatar::EncodedSegment;
using avatar::EncoderSettings;
using avatar::Image;
using avatar::MediaInfo;
using avatar::MediaReader;
using avatar::Mp4Encoder;
using avatar::Rect;
using avatar::SegmentDecoder;
using avatar::SegmentEncoder;

namespace {

constexpr int kWidth = 320;
constexpr int kHeight = 240;
constexpr int kFps = 25;
constexpr int kSquare = 48;
constexpr double kToneHz = 440.0;
constexpr double kToneAmplitude = 0.5; // of full scale

struct Colour {
    int r = 0;
    int g = 0;
    int b = 0;
};
constexpr Colour kBackground{40, 90, 160};
constexpr Colour kSquareColour{230, 60, 40};

std::filesystem::path pathOf(const QString& path) {
    return std::filesystem::path(path.toStdString());
}

EncoderSettings smallSettings(int width = kWidth, int height = kHeight) {
    EncoderSettings settings;
    settings.width = width;
    settings.height = height;
    settings.fps = kFps;
    settings.preset = "veryfast";
    settings.crf = 18;
    return settings;
}

AudioTrack tone(int sampleRate, double seconds) {
    AudioTrack audio;
    audio.sampleRate = sampleRate;
    const auto count = static_cast<std::size_t>(std::lround(seconds * sampleRate));
    audio.samples.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        const double phase = 2.0 * std::numbers::pi * kToneHz * double(i) / sampleRate;
        audio.samples[i] = static_cast<std::int16_t>(std::lround(kToneAmplitude * 32767.0 * std::sin(phase)));
    }
    return audio;
}

// The square moves diagonally so that consecutive frames differ and motion compensation has work to do.
Rect squareAt(std::int64_t frame, int width = kWidth, int height = kHeight) {
    const int x = 8 + int(frame * 6 % (width - kSquare - 16));
    const int y = 8 + int(frame * 3 % (height - kSquare - 16));
    return {x, y, kSquare, kSquare};
}

void fillRect(Image& image, const Rect& area, Colour c) {
    const Rect r = area.intersected(image.rect());
    for (int y = r.y; y < r.bottom(); ++y) {
        std::uint8_t* p = image.row(y) + r.x * 3;
        for (int x = 0; x < r.width; ++x, p += 3) {
            p[0] = std::uint8_t(c.r);
            p[1] = std::uint8_t(c.g);
            p[2] = std::uint8_t(c.b);
        }
    }
}

void paintSquareFrame(Image& image, std::int64_t frame) {
    image.fill(kBackground.r, kBackground.g, kBackground.b);
    fillRect(image, squareAt(frame, image.width(), image.height()), kSquareColour);
}

void paintGradient(Image& image) {
    for (int y = 0; y < image.height(); ++y) {
        std::uint8_t* p = image.row(y);
        for (int x = 0; x < image.width(); ++x, p += 3) {
            p[0] = std::uint8_t(x * 255 / (image.width() - 1));
            p[1] = std::uint8_t(y * 255 / (image.height() - 1));
            p[2] = 128;
        }
    }
}

Rect shrunk(const Rect& r, int by) {
    return {r.x + by, r.y + by, r.width - 2 * by, r.height - 2 * by};
}

Rect grown(const Rect& r, int by) {
    return {r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by};
}

// Mean absolute error per channel over the pixels of `image` that `select` accepts.
double meanError(const Image& image, const std::function<bool(int, int)>& select,
                 const std::function<Colour(int, int)>& expected) {
    double sum = 0.0;
    std::int64_t count = 0;
    for (int y = 0; y < image.height(); ++y) {
        const std::uint8_t* p = image.row(y);
        for (int x = 0; x < image.width(); ++x, p += 3) {
            if (!select(x, y))
                continue;
            const Colour e = expected(x, y);
            sum += std::abs(p[0] - e.r) + std::abs(p[1] - e.g) + std::abs(p[2] - e.b);
            count += 3;
        }
    }
    return count > 0 ? sum / double(count) : 1e9;
}

Colour pixel(const Image& image, int x, int y) {
    const std::uint8_t* p = image.row(y) + x * 3;
    return {p[0], p[1], p[2]};
}

// The error code thrown by `fn`, or "none".
QByteArray errorCodeOf(const std::function<void()>& fn, std::string* message = nullptr) {
    try {
        fn();
    } catch (const avatar::Error& e) {
        if (message)
            *message = e.what();
        return avatar::errorCodeName(e.code());
    }
    return "none";
}

QStringList entriesOf(const QString& folder) {
    QStringList names;
    for (const auto& entry : std::filesystem::directory_iterator(pathOf(folder)))
        names << QString::fromStdString(entry.path().filename().string());
    names.sort();
    return names;
}

} // namespace

class TstMedia : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void framesForDuration();
    void roundTrip_data();
    void roundTrip();
    void dirtyRectOnlyConvertsTheRect();
    void videoOnlyWithoutAudio();
    void missingFolderFailsWithoutFile();
    void invalidSettingsAndFrames();
    void outputIsFolder();
    void unwritableFolder();
    void abandonedEncoderLeavesNoFile();
    void finishReplacesExistingOutput();
    void readerErrors();
    void mp4BoxScan();
    void segmentGroupsDecodeAlone();
    void ntscRateWithoutDrift();
};

// 29.97 (issue #17): two minutes at exactly 30000/1001. The stream says that rate, the frames are the
// sound's, every frame sits at k × 1001/30000 s (a rate rounded to 29.97 or a time summed in doubles would be
// off by the end), and the video reads back for joining at the same rate.
void TstMedia::ntscRateWithoutDrift() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path output = pathOf(dir.filePath(QStringLiteral("ntsc.mp4")));
    EncoderSettings settings = smallSettings(64, 48);
    settings.fps = avatar::FrameRate(30000, 1001);
    settings.preset = "ultrafast";
    const double seconds = 120.0;
    const std::int64_t frames = Mp4Encoder::framesForDuration(seconds, settings.fps);
    QCOMPARE(frames, std::int64_t(3596)); // 120 × 30000 / 1001 = 3596.4
    {
        Mp4Encoder encoder(output, settings, tone(48000, seconds));
        Image frame(64, 48);
        for (std::int64_t f = 0; f < frames; ++f) {
            frame.fill(std::uint8_t(f % 200), 90, 160);
            encoder.writeFrame(frame);
        }
        encoder.finish();
    }
    const MediaInfo info = MediaReader::probe(output);
    QCOMPARE(info.frameRate.num(), 30000);
    QCOMPARE(info.frameRate.den(), 1001);
    QCOMPARE(info.frameCount, frames);
    const double frame = 1001.0 / 30000.0;
    QVERIFY2(std::abs(info.videoDuration - double(frames) * frame) < 1e-3,
             qPrintable(QStringLiteral("video lasts %1 s").arg(info.videoDuration, 0, 'f', 6)));
    QVERIFY2(std::abs(info.audioDuration - seconds) < frame,
             qPrintable(QStringLiteral("audio lasts %1 s").arg(info.audioDuration, 0, 'f', 6)));
    MediaReader reader(output);
    Image decoded;
    double pts = -1.0;
    std::int64_t k = 0;
    while (reader.readVideoFrame(decoded, &pts)) {
        if (std::abs(pts - double(k) * frame) > 1e-6)
            QFAIL(qPrintable(QStringLiteral("frame %1 at %2 s").arg(k).arg(pts, 0, 'f', 6)));
        ++k;
    }
    QCOMPARE(k, frames);
    // The last frame ends within one frame of the sound.
    QVERIFY(std::abs(pts + frame - info.audioDuration) <= frame);
    const EncodedSegment segment = MediaReader(output).readEncodedVideo();
    QCOMPARE(segment.fps, settings.fps);
    QCOMPARE(segment.frames(), frames);
}

void TstMedia::framesForDuration() {
    QCOMPARE(Mp4Encoder::framesForDuration(1.5, 25), 38); // 37.5 rounds up
    QCOMPARE(Mp4Encoder::framesForDuration(1.0, 30), 30);
    QCOMPARE(Mp4Encoder::framesForDuration(2.019, 25), 50);
    QCOMPARE(Mp4Encoder::framesForDuration(0.0, 25), 1);
    QCOMPARE(Mp4Encoder::framesForDuration(0.001, 60), 1);
}

void TstMedia::roundTrip_data() {
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::newRow("16 kHz") << 16000 << kWidth << kHeight;
    QTest::newRow("22.05 kHz") << 22050 << kWidth << kHeight;
    // Rows that are not a multiple of swscale's SIMD block size exercise the padded conversions.
    QTest::newRow("48 kHz, 250x142") << 48000 << 250 << 142;
}

void TstMedia::roundTrip() {
    QFETCH(int, sampleRate);
    QFETCH(int, width);
    QFETCH(int, height);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path output = pathOf(dir.filePath(QStringLiteral("out.mp4")));
    const double seconds = 1.5;
    const std::int64_t frameCount = Mp4Encoder::framesForDuration(seconds, kFps);

    {
        Mp4Encoder encoder(output, smallSettings(width, height), tone(sampleRate, seconds));
        Image frame(width, height);
        for (std::int64_t n = 0; n < frameCount; ++n) {
            paintSquareFrame(frame, n);
            encoder.writeFrame(frame);
        }
        QCOMPARE(encoder.framesWritten(), frameCount);
        // While encoding only the temporary file exists.
        QVERIFY(!std::filesystem::exists(output));
        const QStringList during = entriesOf(dir.path());
        QCOMPARE(during.size(), 1);
        QVERIFY(during.front().startsWith(QStringLiteral("out.mp4.part-")));
        encoder.finish();
    }
    QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("out.mp4")});

    MediaReader reader(output);
    const MediaInfo info = reader.info();
    QCOMPARE(info.videoStreams, 1);
    QCOMPARE(info.audioStreams, 1);
    QCOMPARE(QByteArray::fromStdString(info.videoCodec), QByteArray("h264"));
    QCOMPARE(QByteArray::fromStdString(info.audioCodec), QByteArray("aac"));
    QCOMPARE(QByteArray::fromStdString(info.pixelFormat), QByteArray("yuv420p"));
    QCOMPARE(info.width, width);
    QCOMPARE(info.height, height);
    QCOMPARE(info.fps, double(kFps));
    QCOMPARE(info.frameCount, frameCount);
    QCOMPARE(info.audioSampleRate, 48000);
    QCOMPARE(info.audioChannels, 1);
    QVERIFY(info.faststart);
    QVERIFY2(std::abs(info.audioDuration - seconds) <= 0.025,
             qPrintable(QStringLiteral("audio lasts %1 s").arg(info.audioDuration)));
    QVERIFY2(std::abs(info.videoDuration - double(frameCount) / kFps) <= 0.001,
             qPrintable(QStringLiteral("video lasts %1 s").arg(info.videoDuration)));
    QVERIFY(std::abs(info.videoDuration - info.audioDuration) <= 1.0 / kFps);
    // probe() is the same as info() on a fresh reader.
    QCOMPARE(MediaReader::probe(output).frameCount, frameCount);

    // Video: every frame comes back in order, with the square where it was drawn and in its colours.
    Image decoded;
    double pts = -1.0;
    std::int64_t n = 0;
    double worstSquare = 0.0;
    double worstBackground = 0.0;
    while (reader.readVideoFrame(decoded, &pts)) {
        QCOMPARE(decoded.width(), width);
        QCOMPARE(decoded.height(), height);
        QVERIFY2(std::abs(pts - double(n) / kFps) < 1e-3, qPrintable(QStringLiteral("pts %1").arg(pts)));
        const Rect square = squareAt(n, width, height);
        const Rect inner = shrunk(square, 4);
        const Rect outer = grown(square, 6);
        const double squareError = meanError(
            decoded, [&](int x, int y) { return inner.contains(x, y); },
            [](int, int) { return kSquareColour; });
        const double backgroundError = meanError(
            decoded, [&](int x, int y) { return !outer.contains(x, y); },
            [](int, int) { return kBackground; });
        worstSquare = std::max(worstSquare, squareError);
        worstBackground = std::max(worstBackground, backgroundError);
        ++n;
    }
    QCOMPARE(n, frameCount);
    QVERIFY2(worstSquare < 5.0, qPrintable(QStringLiteral("square error %1").arg(worstSquare)));
    QVERIFY2(worstBackground < 3.0, qPrintable(QStringLiteral("background error %1").arg(worstBackground)));
    QVERIFY(!reader.readVideoFrame(decoded)); // stays at the end

    // Audio: 48 kHz, as long as the input, starting at once (the encoder's priming is trimmed), still a
    // 440 Hz tone at the same level.
    int rate = 0;
    const std::vector<float> audio = reader.readAudioMono(&rate);
    QCOMPARE(rate, 48000);
    const double decodedSeconds = double(audio.size()) / rate;
    QVERIFY2(std::abs(decodedSeconds - seconds) <= 0.025,
             qPrintable(QStringLiteral("decoded audio lasts %1 s").arg(decodedSeconds)));
    const auto rmsOf = [&](std::size_t from, std::size_t to) {
        double sum = 0.0;
        for (std::size_t i = from; i < to; ++i)
            sum += double(audio[i]) * audio[i];
        return std::sqrt(sum / double(to - from));
    };
    const double expectedRms = kToneAmplitude / std::sqrt(2.0);
    const double onsetRms = rmsOf(240, 960); // 5..20 ms
    QVERIFY2(onsetRms > 0.7 * expectedRms, qPrintable(QStringLiteral("onset RMS %1").arg(onsetRms)));
    const std::size_t from = 4800; // 0.1 s .. 1.4 s: away from the edges
    const std::size_t to = 67200;
    const double rms = rmsOf(from, to);
    QVERIFY2(std::abs(rms - expectedRms) < 0.05 * expectedRms, qPrintable(QStringLiteral("RMS %1").arg(rms)));
    int upCrossings = 0;
    for (std::size_t i = from + 1; i < to; ++i) {
        if (audio[i - 1] < 0.0f && audio[i] >= 0.0f)
            ++upCrossings;
    }
    const double frequency = upCrossings / (double(to - from) / rate);
    QVERIFY2(std::abs(frequency - kToneHz) < 3.0,
             qPrintable(QStringLiteral("frequency %1 Hz").arg(frequency)));
}

void TstMedia::dirtyRectOnlyConvertsTheRect() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path output = pathOf(dir.filePath(QStringLiteral("dirty.mp4")));
    const int frames = 10;
    // Odd coordinates: the encoder widens the rect to even ones (the 4:2:0 chroma grid). The widened width,
    // 42, is not a multiple of swscale's 16-pixel SIMD blocks, which must not spill over the rect's right
    // edge.
    const Rect dirty{101, 81, 40, 30};
    const Rect widened{100, 80, 42, 32};
    const auto insideColour = [](int frame) { return Colour{20, 100 + 12 * frame, 30}; };

    Image gradient(kWidth, kHeight);
    paintGradient(gradient);
    {
        Mp4Encoder encoder(output, smallSettings(), tone(16000, double(frames) / kFps));
        encoder.writeFrame(gradient, Rect{}); // the first frame is converted whole whatever the rect says
        Image changed(kWidth, kHeight);
        for (int n = 1; n < frames; ++n) {
            // The whole image changes, but the rect says only its inside did: nothing else may be converted.
            const Colour c = insideColour(n);
            changed.fill(std::uint8_t(c.r), std::uint8_t(c.g), std::uint8_t(c.b));
            encoder.writeFrame(changed, dirty);
        }
        encoder.finish();
    }

    MediaReader reader(output);
    QCOMPARE(reader.info().frameCount, std::int64_t(frames));
    Image first;
    QVERIFY(reader.readVideoFrame(first));
    const double firstError = meanError(
        first, [](int, int) { return true; }, [&](int x, int y) { return pixel(gradient, x, y); });
    QVERIFY2(firstError < 3.0, qPrintable(QStringLiteral("first frame error %1").arg(firstError)));

    // Codecs blur sharp edges a little: judge the inside and the outside away from the boundary.
    const Rect inside = shrunk(dirty, 3);
    const Rect nearRect = grown(widened, 8);
    Image decoded;
    for (int n = 1; n < frames; ++n) {
        QVERIFY(reader.readVideoFrame(decoded));
        const double insideError = meanError(
            decoded, [&](int x, int y) { return inside.contains(x, y); },
            [&](int, int) { return insideColour(n); });
        QVERIFY2(insideError < 4.0,
                 qPrintable(QStringLiteral("frame %1 inside error %2").arg(n).arg(insideError)));
        // The rect's own edge pixels, next to unchanged ones, must show the change too.
        const double edgeError = meanError(
            decoded, [&](int x, int y) { return dirty.contains(x, y) && !shrunk(dirty, 1).contains(x, y); },
            [&](int, int) { return insideColour(n); });
        QVERIFY2(edgeError < 12.0,
                 qPrintable(QStringLiteral("frame %1 edge error %2").arg(n).arg(edgeError)));
        const Rect besideRight{widened.right(), widened.y + 4, 8, widened.height - 8};
        const double besideChange = meanError(
            decoded, [&](int x, int y) { return besideRight.contains(x, y); },
            [&](int x, int y) { return pixel(first, x, y); });
        QVERIFY2(
            besideChange < 12.0,
            qPrintable(QStringLiteral("frame %1 beside the rect changed by %2").arg(n).arg(besideChange)));
        const double outsideChange = meanError(
            decoded, [&](int x, int y) { return !nearRect.contains(x, y); },
            [&](int x, int y) { return pixel(first, x, y); });
        QVERIFY2(outsideChange < 1.5,
                 qPrintable(QStringLiteral("frame %1 outside changed by %2").arg(n).arg(outsideChange)));
    }
    QVERIFY(!reader.readVideoFrame(decoded));
}

void TstMedia::videoOnlyWithoutAudio() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path output = pathOf(dir.filePath(QStringLiteral("silent.mp4")));
    Mp4Encoder encoder(output, smallSettings(), AudioTrack{});
    Image frame(kWidth, kHeight);
    for (int n = 0; n < 5; ++n) {
        paintSquareFrame(frame, n);
        encoder.writeFrame(frame);
    }
    encoder.finish();
    const MediaInfo info = MediaReader::probe(output);
    QCOMPARE(info.videoStreams, 1);
    QCOMPARE(info.audioStreams, 0);
    QCOMPARE(info.frameCount, std::int64_t(5));
    MediaReader reader(output);
    int rate = -1;
    QVERIFY(reader.readAudioMono(&rate).empty());
    QCOMPARE(rate, 0);
}

void TstMedia::missingFolderFailsWithoutFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path output = pathOf(dir.filePath(QStringLiteral("missing/out.mp4")));
    std::string message;
    QCOMPARE(errorCodeOf([&] { Mp4Encoder encoder(output, smallSettings(), tone(16000, 0.2)); }, &message),
             QByteArray("io"));
    QVERIFY2(message.find("does not exist") != std::string::npos, message.c_str());
    QVERIFY(!std::filesystem::exists(output.parent_path()));
    QVERIFY(entriesOf(dir.path()).isEmpty());
}

void TstMedia::invalidSettingsAndFrames() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path output = pathOf(dir.filePath(QStringLiteral("out.mp4")));
    const auto codeFor = [&](const std::function<void(EncoderSettings&)>& change) {
        EncoderSettings settings = smallSettings();
        change(settings);
        return errorCodeOf([&] { Mp4Encoder encoder(output, settings, tone(16000, 0.2)); });
    };
    QCOMPARE(codeFor([](EncoderSettings& s) { s.width = 321; }), QByteArray("invalid-input"));
    QCOMPARE(codeFor([](EncoderSettings& s) { s.height = 0; }), QByteArray("invalid-input"));
    QCOMPARE(codeFor([](EncoderSettings& s) { s.fps = 0; }), QByteArray("invalid-input"));
    QCOMPARE(codeFor([](EncoderSettings& s) { s.fps = 121; }), QByteArray("invalid-input"));
    QCOMPARE(codeFor([](EncoderSettings& s) { s.preset = "warp-speed"; }), QByteArray("invalid-input"));
    QCOMPARE(codeFor([](EncoderSettings&) {}), QByteArray("none"));
    QVERIFY(entriesOf(dir.path()).isEmpty()); // the successful one was destroyed without finish()

    Mp4Encoder encoder(output, smallSettings(), tone(16000, 0.2));
    Image wrong(kWidth + 2, kHeight);
    QCOMPARE(errorCodeOf([&] { encoder.writeFrame(wrong); }), QByteArray("invalid-input"));
    QCOMPARE(encoder.framesWritten(), 0);
}

void TstMedia::outputIsFolder() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("taken.mp4")));
    const std::filesystem::path output = pathOf(dir.filePath(QStringLiteral("taken.mp4")));
    QCOMPARE(errorCodeOf([&] { Mp4Encoder encoder(output, smallSettings(), tone(16000, 0.2)); }),
             QByteArray("io"));
    QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("taken.mp4")});
}

void TstMedia::unwritableFolder() {
    // A folder without write permission; root ignores permissions, so for root the folder is /proc, where
    // nobody can create files. Either way the same refusal must come before any work.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString folder = dir.filePath(QStringLiteral("locked"));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("locked")));
    QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
    const auto unlock = qScopeGuard([&] {
        QFile::setPermissions(dir.filePath(QStringLiteral("locked")),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    });
    {
        std::ofstream probe(pathOf(folder) / "probe");
        if (probe.is_open()) {
            probe.close();
            std::filesystem::remove(pathOf(folder) / "probe");
            folder = QStringLiteral("/proc");
        }
    }
    // /proc lists one entry per process, and other tests start and end processes meanwhile (CI stop 29 saw
    // 126 entries become 125), so only the entries this refusal could have left are compared.
    const auto ours = [](QStringList names) {
        names.removeIf([](const QString& name) { return !name.startsWith(QStringLiteral("avatar-out")); });
        return names;
    };
    const QStringList before = entriesOf(folder);
    const std::filesystem::path output = pathOf(folder) / "avatar-out.mp4";
    std::string message;
    QCOMPARE(errorCodeOf([&] { Mp4Encoder encoder(output, smallSettings(), tone(16000, 0.2)); }, &message),
             QByteArray("io"));
    QVERIFY2(message.find("not writable") != std::string::npos, message.c_str());
    if (folder == QStringLiteral("/proc"))
        QCOMPARE(ours(entriesOf(folder)), ours(before));
    else
        QCOMPARE(entriesOf(folder), before);
}

void TstMedia::abandonedEncoderLeavesNoFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path output = pathOf(dir.filePath(QStringLiteral("out.mp4")));
    {
        Mp4Encoder encoder(output, smallSettings(), tone(22050, 2.0));
        Image frame(kWidth, kHeight);
        for (int n = 0; n < 20; ++n) {
            paintSquareFrame(frame, n);
            encoder.writeFrame(frame);
        }
        QCOMPARE(entriesOf(dir.path()).size(), 1); // the .part file
        // Destroyed without finish(), as when a job is cancelled or a later stage throws.
    }
    QVERIFY(!std::filesystem::exists(output));
    QVERIFY(entriesOf(dir.path()).isEmpty());
}

void TstMedia::finishReplacesExistingOutput() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path output = pathOf(dir.filePath(QStringLiteral("out.mp4")));
    std::ofstream(output) << "an older render";
    Mp4Encoder encoder(output, smallSettings(), tone(16000, 0.4));
    Image frame(kWidth, kHeight);
    const std::int64_t frames = Mp4Encoder::framesForDuration(0.4, kFps);
    for (std::int64_t n = 0; n < frames; ++n) {
        paintSquareFrame(frame, n);
        encoder.writeFrame(frame);
    }
    // Until finish() the previous file stays untouched.
    QCOMPARE(std::filesystem::file_size(output), std::uintmax_t(15));
    encoder.finish();
    encoder.finish(); // a second call is harmless
    QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("out.mp4")});
    QCOMPARE(MediaReader::probe(output).frameCount, frames);
    QCOMPARE(errorCodeOf([&] { encoder.writeFrame(frame); }), QByteArray("internal"));
}

void TstMedia::readerErrors() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path missing = pathOf(dir.filePath(QStringLiteral("nothing.mp4")));
    QCOMPARE(errorCodeOf([&] { MediaReader reader(missing); }), QByteArray("not-found"));
    QCOMPARE(errorCodeOf([&] { MediaReader::probe(missing); }), QByteArray("not-found"));

    // Repeated text happens to pass FFmpeg's probe for raw AMR audio: the reader must still refuse it.
    const std::filesystem::path text = pathOf(dir.filePath(QStringLiteral("text.mp4")));
    {
        std::ofstream file(text, std::ios::binary);
        for (int i = 0; i < 4096; ++i)
            file << "This is not a video. ";
    }
    const std::filesystem::path noise = pathOf(dir.filePath(QStringLiteral("noise.mov")));
    {
        std::ofstream file(noise, std::ios::binary);
        std::mt19937 random(42);
        for (int i = 0; i < 65536; ++i)
            file.put(char(random() & 0xff));
    }
    const std::filesystem::path empty = pathOf(dir.filePath(QStringLiteral("empty.mp4")));
    std::ofstream(empty).close();
    for (const auto& garbage : {text, noise, empty}) {
        const QByteArray name = QByteArray::fromStdString(garbage.filename().string());
        QVERIFY2(errorCodeOf([&] { MediaReader reader(garbage); }) == "unreadable", name.constData());
        QVERIFY2(errorCodeOf([&] { MediaReader::probe(garbage); }) == "unreadable", name.constData());
        QVERIFY(!avatar::mp4MoovBeforeMdat(garbage));
    }
}

void TstMedia::mp4BoxScan() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto box = [](const char* type, std::uint32_t size) {
        std::string bytes = {char(size >> 24), char(size >> 16), char(size >> 8), char(size)};
        bytes += type;
        bytes.resize(size < 8 ? 8 : size, '\0');
        return bytes;
    };
    // A 64-bit 'free' box (size field 1, then the real size) must be stepped over correctly.
    std::string large = box("free", 1);
    large.resize(16, '\0');
    large[15] = 24;
    large.resize(24, '\0');
    const auto write = [&](const QString& name, const std::string& bytes) {
        const std::filesystem::path path = pathOf(dir.filePath(name));
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    };
    QVERIFY(avatar::mp4MoovBeforeMdat(
        write(QStringLiteral("fast.mp4"), box("ftyp", 16) + large + box("moov", 40) + box("mdat", 64))));
    QVERIFY(!avatar::mp4MoovBeforeMdat(
        write(QStringLiteral("slow.mp4"), box("ftyp", 16) + large + box("mdat", 64) + box("moov", 40))));
    // mdat with size 0 runs to the end of the file: no moov can follow it.
    QVERIFY(!avatar::mp4MoovBeforeMdat(write(QStringLiteral("open.mp4"), box("ftyp", 16) + box("mdat", 0))));
    QVERIFY(!avatar::mp4MoovBeforeMdat(write(QStringLiteral("short.mp4"), std::string("ab"))));
}

// A composed scene decodes only the groups of pictures it composes again (ProjectRenderer): a group decoded
// alone, after a skipped one or before an earlier one, gives exactly the pictures of a whole decode.
void TstMedia::segmentGroupsDecodeAlone() {
    SegmentEncoder encoder(smallSettings());
    Image image(kWidth, kHeight);
    constexpr int kFrames = 5 * kFps; // key frames every 2 s: three groups
    for (std::int64_t f = 0; f < kFrames; ++f) {
        paintSquareFrame(image, f);
        encoder.writeFrame(image, image.rect());
    }
    const EncodedSegment segment = encoder.finish();
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < segment.packets.size(); ++i)
        if (segment.packets[i].key)
            starts.push_back(i);
    QVERIFY2(starts.size() >= 3, qPrintable(QString::number(starts.size())));
    starts.push_back(segment.packets.size());

    SegmentDecoder decoder(segment);
    for (const std::size_t g : {std::size_t{2}, std::size_t{0}}) { // the last group first, the middle skipped
        std::vector<Image> pictures;
        decoder.decodeGroup(starts[g], starts[g + 1] - starts[g],
                            [&](const Image& picture) { pictures.push_back(picture); });
        QCOMPARE(pictures.size(), starts[g + 1] - starts[g]);
        for (std::size_t k = 0; k < pictures.size(); ++k) {
            const Image whole = SegmentDecoder::frame(segment, std::int64_t(starts[g] + k));
            QVERIFY2(std::equal(whole.data(), whole.data() + whole.byteSize(), pictures[k].data()),
                     qPrintable(QStringLiteral("group %1, picture %2").arg(g).arg(k)));
        }
        // The moving square is where that frame put it: the pictures come in presentation order.
        const Rect square = squareAt(std::int64_t(starts[g] + pictures.size() / 2));
        const std::uint8_t* centre =
            pictures[pictures.size() / 2].row(square.y + kSquare / 2) + (square.x + kSquare / 2) * 3;
        QVERIFY(std::abs(centre[0] - kSquareColour.r) < 12 && std::abs(centre[1] - kSquareColour.g) < 12);
    }
    std::string message;
    QCOMPARE(errorCodeOf([&] { decoder.decodeGroup(starts[1], segment.packets.size(), [](const Image&) {}); },
                         &message),
             QByteArray("invalid-input"));
}

QTEST_GUILESS_MAIN(TstMedia)
#include "tst_media.moc"
