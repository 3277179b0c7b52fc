// FrameRate (issue #17): parsing and writing rates such as 29.97 exactly, the one valid range and its one
// message, and the frame and sample arithmetic that keeps a long video's picture on its sound. Whole rates
// must give exactly what the old integer arithmetic gave, so that a 25 fps render is unchanged. Also the
// parts of the engine that take a rate on their own: the narration's padding, cache keys, encoded segments
// and the Moho cue file.

#include "cache/CacheKey.h"
#include "core/Error.h"
#include "core/FrameRate.h"
#include "lipsync/CueWriter.h"
#include "media/EncodedSegment.h"
#include "media/MediaReader.h"
#include "media/Mp4Encoder.h"
#include "pipeline/Narration.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstdint>
#include <string>

using avatar::FrameRate;

namespace QTest {
template <> char* toString(const FrameRate& rate) {
    return qstrdup(rate.toString().c_str());
}
} // namespace QTest

class TstFrameRate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parses_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("num");
        QTest::addColumn<int>("den");
        QTest::newRow("whole") << QStringLiteral("25") << 25 << 1;
        QTest::newRow("one") << QStringLiteral("1") << 1 << 1;
        QTest::newRow("whole with a zero decimal") << QStringLiteral("25.000") << 25 << 1;
        QTest::newRow("29.97") << QStringLiteral("29.97") << 30000 << 1001;
        QTest::newRow("59.94") << QStringLiteral("59.94") << 60000 << 1001;
        QTest::newRow("23.976") << QStringLiteral("23.976") << 24000 << 1001;
        QTest::newRow("23.98 is 23.976 rounded") << QStringLiteral("23.98") << 24000 << 1001;
        QTest::newRow("29.97 with more digits") << QStringLiteral("29.97002997") << 30000 << 1001;
        QTest::newRow("fraction") << QStringLiteral("30000/1001") << 30000 << 1001;
        QTest::newRow("fraction reduced") << QStringLiteral("60/2") << 30 << 1;
        QTest::newRow("a decimal that is not NTSC") << QStringLiteral("12.5") << 25 << 2;
        QTest::newRow("29.9 is not 29.97") << QStringLiteral("29.9") << 299 << 10;
        QTest::newRow("three places") << QStringLiteral("12.345") << 2469 << 200;
    }
    void parses() {
        QFETCH(QString, text);
        QFETCH(int, num);
        QFETCH(int, den);
        const std::optional<FrameRate> rate = FrameRate::parse(text.toStdString());
        QVERIFY(rate);
        QCOMPARE(rate->num(), num);
        QCOMPARE(rate->den(), den);
        // The canonical text reads back to the same rate.
        QCOMPARE(FrameRate::parse(rate->toString()), rate);
    }

    void refusesMalformed_data() {
        QTest::addColumn<QString>("text");
        for (const char* bad : {"", "abc", "30fps", "-25", "+25", " 25", "25 ", "25.", ".5", "29,97", "1e2",
                                "30000/", "/1001", "30000/0", "1/2/3", "2.5/1", "0x19", "99999999999"})
            QTest::newRow(bad[0] ? bad : "empty") << QString::fromLatin1(bad);
    }
    void refusesMalformed() {
        QFETCH(QString, text);
        QVERIFY(!FrameRate::parse(text.toStdString()));
        // The one message, naming what was given.
        try {
            FrameRate::parseSupported(text.toStdString());
            QFAIL("no error");
        } catch (const avatar::Error& e) {
            QCOMPARE(e.code(), avatar::ErrorCode::InvalidInput);
            QCOMPARE(
                QString::fromStdString(e.what()),
                QStringLiteral("The frame rate '%1' is not supported: use 1 to 60 frames per second, written "
                               "as a whole number (25), a decimal (29.97) or a fraction (30000/1001).")
                    .arg(text));
        }
    }

    void oneRange_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("supported");
        QTest::newRow("1") << QStringLiteral("1") << true;
        QTest::newRow("5, the reliability runs' rate") << QStringLiteral("5") << true;
        QTest::newRow("60") << QStringLiteral("60") << true;
        QTest::newRow("59.94") << QStringLiteral("59.94") << true;
        QTest::newRow("0") << QStringLiteral("0") << false;
        QTest::newRow("0.5") << QStringLiteral("0.5") << false;
        QTest::newRow("1000/1001, under 1") << QStringLiteral("1000/1001") << false;
        QTest::newRow("60.1") << QStringLiteral("60.1") << false;
        QTest::newRow("61") << QStringLiteral("61") << false;
        QTest::newRow("120, the codec's old limit") << QStringLiteral("120") << false;
        QTest::newRow("denominator over 1001") << QStringLiteral("30000/1003") << false;
    }
    void oneRange() {
        QFETCH(QString, text);
        QFETCH(bool, supported);
        const FrameRate rate = *FrameRate::parse(text.toStdString());
        QCOMPARE(rate.supported(), supported);
        bool threw = false;
        try {
            rate.require();
        } catch (const avatar::Error& e) {
            threw = true;
            QCOMPARE(e.code(), avatar::ErrorCode::InvalidInput);
            QVERIFY(std::string(e.what()).find("'" + rate.toString() + "' is not supported: use 1 to 60") !=
                    std::string::npos);
        }
        QCOMPARE(threw, !supported);
        // The encoder refuses the same rates with the same message, before opening any file.
        avatar::EncoderSettings settings;
        settings.fps = rate;
        QTemporaryDir dir;
        bool encoderThrew = false;
        try {
            avatar::Mp4Encoder(dir.filePath(QStringLiteral("x.mp4")).toStdString(), settings, {});
        } catch (const avatar::Error& e) {
            encoderThrew = true;
            QVERIFY(std::string(e.what()).find("is not supported: use 1 to 60") != std::string::npos);
        }
        QCOMPARE(encoderThrew, !supported);
    }

    void labels() {
        QCOMPARE(FrameRate::parse("30000/1001")->label(), std::string("29.97"));
        QCOMPARE(FrameRate::parse("24000/1001")->label(), std::string("23.976"));
        QCOMPARE(FrameRate::parse("60000/1001")->label(), std::string("59.94"));
        QCOMPARE(FrameRate::parse("25/2")->label(), std::string("12.5"));
        QCOMPARE(FrameRate(25).label(), std::string("25"));
        QCOMPARE(FrameRate(30000, 1001).toString(), std::string("30000/1001"));
        QCOMPARE(FrameRate(50, 2).toString(), std::string("25"));
        QCOMPARE(FrameRate(30, 0), FrameRate(0)); // no rate at all
    }

    // The exact arithmetic: frame k of 29.97 starts at k × 1001/30000 s and its sample from the fraction,
    // never from a sum, so the 107,892nd frame (an hour) is exactly where the hour's sound is.
    void ntscFrameTimes() {
        const FrameRate ntsc(30000, 1001);
        QCOMPARE(ntsc.seconds(30000), 1001.0);
        QCOMPARE(ntsc.sampleAt(30000, 48000), std::int64_t(48048000));
        QCOMPARE(ntsc.sampleAt(1, 48000), std::int64_t(1602)); // 1601.6
        QCOMPARE(ntsc.sampleAt(5, 48000), std::int64_t(8008)); // exactly
        for (std::int64_t k = 1; k < 200000; k += 997) {
            const std::int64_t step = ntsc.sampleAt(k, 48000) - ntsc.sampleAt(k - 1, 48000);
            QVERIFY(step == 1601 || step == 1602);
            // Within half a sample of the exact time, wherever it is.
            QVERIFY(std::abs(double(ntsc.sampleAt(k, 48000)) - double(k) * 48000.0 * 1001.0 / 30000.0) <=
                    0.5);
        }
        QCOMPARE(ntsc.framesCovering(48048, 48000), std::int64_t(30)); // 1.001 s: 30 frames exactly
        QCOMPARE(ntsc.framesCovering(48049, 48000), std::int64_t(31));
        QCOMPARE(ntsc.framesFor(10.01), std::int64_t(300));
        QCOMPARE(ntsc.framesFor(0.0), std::int64_t(1));
        QCOMPARE(ntsc.framesInTwoSeconds(), 60);
        QVERIFY(std::abs(ntsc.middle(0) - 0.5 * 1001.0 / 30000.0) < 1e-15);
    }

    // Whole rates give what the integer code gave, bit for bit: a 25 fps render does not change.
    void wholeRatesAsBefore() {
        for (const int fps : {1, 5, 7, 12, 24, 25, 30, 50, 60}) {
            const FrameRate rate(fps);
            for (const int sampleRate : {16000, 22050, 44100, 48000})
                for (long long k = 0; k < 5000; k += 7) {
                    QCOMPARE(rate.sampleAt(k, sampleRate), std::llround(double(k) * sampleRate / fps));
                    const auto count = static_cast<unsigned long long>(k * 113);
                    QCOMPARE(rate.framesCovering(std::int64_t(count), sampleRate),
                             static_cast<std::int64_t>((count * unsigned(fps) + unsigned(sampleRate) - 1) /
                                                       unsigned(sampleRate)));
                }
            for (double s = 0.013; s < 300.0; s *= 1.37) {
                QCOMPARE(rate.framesFor(s), std::max<std::int64_t>(1, std::llround(s * fps)));
                QCOMPARE(rate.seconds(std::llround(s)), double(std::llround(s)) / fps);
                QCOMPARE(rate.middle(std::llround(s)), (double(std::llround(s)) + 0.5) / fps);
            }
            QCOMPARE(rate.framesInTwoSeconds(), 2 * fps);
        }
    }

    // Every part of a narration starts on its frame's first sample at 29.97 too: the padding is computed
    // from the frame index, so the parts' starts never drift from the video's frames.
    void narrationPartsStartOnFrames() {
        const FrameRate ntsc(30000, 1001);
        avatar::Narration narration;
        for (int part = 0; part < 40; ++part) {
            avatar::Speech s;
            s.sampleRate = 22050;
            s.samples.assign(std::size_t(10000 + 977 * part), 100);
            narration.append(std::move(s), false, ntsc);
        }
        for (const avatar::NarrationPart& part : narration.parts)
            QCOMPARE(std::int64_t(part.firstSample), ntsc.sampleAt(part.firstFrame, 22050));
        QCOMPARE(std::int64_t(narration.speech.samples.size()), ntsc.sampleAt(narration.frames(), 22050));
    }

    // Cache keys: a whole rate keys as the integer did; 30000/1001 never matches 30.
    void cacheKeys() {
        const auto key = [](FrameRate rate) {
            avatar::cache::CacheKey::Builder b("t");
            return b.frameRate("fps", rate).build();
        };
        avatar::cache::CacheKey::Builder integer("t");
        QVERIFY(key(30) == integer.integer("fps", 30).build());
        QVERIFY(!(key(FrameRate(30000, 1001)) == key(30)));
        QVERIFY(!(key(FrameRate(30000, 1001)) == key(FrameRate(60000, 1001))));
    }

    // A cached segment keeps its exact rate; one written at 30 fps never joins a 29.97 video's list.
    void segmentKeepsItsRate() {
        avatar::EncodedSegment s;
        s.width = 64;
        s.height = 64;
        s.fps = FrameRate(30000, 1001);
        s.headers = {1, 2, 3};
        s.packets.push_back({0, true, 0, 4});
        s.data = {0, 0, 0, 1};
        const std::optional<avatar::EncodedSegment> back = avatar::EncodedSegment::parse(s.serialize());
        QVERIFY(back);
        QCOMPARE(back->fps, FrameRate(30000, 1001));
        s.fps = 0;
        QVERIFY(!avatar::EncodedSegment::parse(s.serialize())); // damaged: no rate
    }

    // The Moho switch file counts frames at the rate asked for: a cue at 100.1 s is frame 3001 at 29.97 and
    // 3004 at 30.
    void mohoFramesAtNtsc() {
        const avatar::VisemeTrack track{{avatar::Viseme::X, 0.0, 100.1}, {avatar::Viseme::A, 100.1, 102.0}};
        avatar::CueWriter::Source source;
        source.duration = 102.0;
        source.fps = FrameRate(30000, 1001);
        QCOMPARE(avatar::CueWriter::format(track, avatar::CueFormat::MohoDat, source),
                 std::string("MohoSwitch1\n1 X\n3001 A\n"));
        source.fps = 30;
        QCOMPARE(avatar::CueWriter::format(track, avatar::CueFormat::MohoDat, source),
                 std::string("MohoSwitch1\n1 X\n3004 A\n"));
    }

    // A closure shorter than a frame (40 ms at 24 fps) that starts in the same frame as the shape after it
    // keeps that frame; the next shape moves to the following one. Any other pair keeps the later shape.
    void mohoKeepsShortClosures() {
        avatar::CueWriter::Source source;
        source.duration = 1.0;
        source.fps = 24;
        // 0.5/24 s rounds up to frame 2, 0.5/24 + 0.04 s (0.96 of a frame later) rounds to it too.
        const double start = 0.5 / 24.0;
        const avatar::VisemeTrack closure{{avatar::Viseme::X, 0.0, start},
                                          {avatar::Viseme::A, start, start + 0.04},
                                          {avatar::Viseme::D, start + 0.04, 1.0}};
        QCOMPARE(avatar::CueWriter::format(closure, avatar::CueFormat::MohoDat, source),
                 std::string("MohoSwitch1\n1 X\n2 A\n3 D\n"));
        const avatar::VisemeTrack flicker{{avatar::Viseme::X, 0.0, start},
                                          {avatar::Viseme::C, start, start + 0.04},
                                          {avatar::Viseme::D, start + 0.04, 1.0}};
        QCOMPARE(avatar::CueWriter::format(flicker, avatar::CueFormat::MohoDat, source),
                 std::string("MohoSwitch1\n1 X\n2 D\n"));
    }
};

QTEST_GUILESS_MAIN(TstFrameRate)
#include "tst_frame_rate.moc"
