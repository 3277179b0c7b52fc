// The avatar-render command line: success with --json, voices, and one clear message per bad input with a
// non-zero exit and no file left behind.
#include "AlignMetrics.h"
#include "CliRunner.h"
#include "core/Image.h"
#include "core/ImageIO.h"
#include "media/AudioDecoder.h"
#include "media/MediaReader.h"
#include "tts/TextToSpeech.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include <csignal>
#include <cstring>
#include <sys/stat.h>

using avatar::test::nonEmptyLines;
using avatar::test::Run;
using avatar::test::runCli;

class TstCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    double m_speechSeconds = 0.0; // of speech.wav
    double m_firstWord = 0.0;     // where its first word starts (the synthesiser's timeline), seconds
    QString path(const QString& name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        // Fixtures: a file that is not an image, and a real PNG without a face.
        QFile garbage(path(QStringLiteral("garbage.png")));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write("definitely not a PNG");
        garbage.close();
        avatar::Image sky(256, 256);
        for (int y = 0; y < 256; ++y)
            for (int x = 0; x < 256; ++x) {
                std::uint8_t* p = sky.row(y) + x * 3;
                p[0] = 90;
                p[1] = static_cast<std::uint8_t>(120 + y / 4);
                p[2] = static_cast<std::uint8_t>(200 + x / 8);
            }
        avatar::ImageIO::save(sky, path(QStringLiteral("sky.png")).toStdString());
        QCOMPARE(::mkfifo(path(QStringLiteral("pipe.mp4")).toLocal8Bit().constData(), 0600), 0);
        QVERIFY(
            QDir(m_dir.path()).mkdir(QStringLiteral("capdir.srt"))); // where capdir.mp4's captions would go
        // The first half of a real PNG: libpng would complain on stderr if it ever saw it.
        QFile whole(path(QStringLiteral("sky.png")));
        QVERIFY(whole.open(QIODevice::ReadOnly));
        const QByteArray bytes = whole.readAll();
        QFile half(path(QStringLiteral("half.png")));
        QVERIFY(half.open(QIODevice::WriteOnly));
        half.write(bytes.left(bytes.size() / 2));
        // Recordings (issue #13): a second of digital silence, and a quiet sentence as a stereo 44.1 kHz WAV.
        avatar::bench::writeWav(path(QStringLiteral("silent.wav")).toStdString(), std::vector<float>(44100),
                                44100, 2);
        const avatar::Speech speech =
            avatar::TextToSpeech().synthesize("Bob bought a big blue map of the moon.", "flite:kal16");
        std::vector<float> sound =
            avatar::bench::resampled(avatar::bench::toFloat(speech.samples), speech.sampleRate, 44100);
        for (float& v : sound)
            v *= 0.1f;
        m_speechSeconds = double(sound.size()) / 44100;
        m_firstWord = speech.words.front().start;
        avatar::bench::writeWav(path(QStringLiteral("speech.wav")).toStdString(), sound, 44100, 2);
    }

    // --audio with its transcript: captions are timed from the transcript's words aligned to the recording
    // (spoken by flite:kal16; aligned against flite:slt). Before the alignment, captions were refused.
    void captionsARecordingFromItsTranscript() {
        const QString out = path(QStringLiteral("transcribed.mp4"));
        const Run r =
            runCli({QStringLiteral("--audio"), path(QStringLiteral("speech.wav")), QStringLiteral("--text"),
                    QStringLiteral("Bob bought a big blue map of the moon."), QStringLiteral("--captions"),
                    QStringLiteral("srt"), QStringLiteral("--size"), QStringLiteral("320x240"),
                    QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile srt(path(QStringLiteral("transcribed.srt")));
        QVERIFY(srt.open(QIODevice::ReadOnly));
        const QString captions = QString::fromUtf8(srt.readAll());
        QVERIFY2(captions.contains(QStringLiteral("Bob bought a big blue map")), qPrintable(captions));
        const QRegularExpressionMatch time =
            QRegularExpression(QStringLiteral("(\\d\\d):(\\d\\d):(\\d\\d),(\\d\\d\\d) --> "
                                              "(\\d\\d):(\\d\\d):(\\d\\d),(\\d\\d\\d)"))
                .match(captions);
        QVERIFY(time.hasMatch());
        const auto seconds = [&](int first) {
            return 60.0 * time.captured(first + 1).toInt() + time.captured(first + 2).toInt() +
                   time.captured(first + 3).toInt() / 1000.0;
        };
        qInfo("first caption %.3f..%.3f s; the speaker's first word at %.3f s, the sound ends at %.3f s",
              seconds(1), seconds(5), m_firstWord, m_speechSeconds);
        QVERIFY(std::abs(seconds(1) - m_firstWord) < 0.1);
        QVERIFY(seconds(5) <= m_speechSeconds + 0.05);
    }

    // --audio: the recording is the sound track, at -16 LUFS as FFmpeg's meter measures the decoded MP4, and
    // the video lasts as long as the recording.
    void rendersARecording() {
        const QString out = path(QStringLiteral("recorded.mp4"));
        const Run r =
            runCli({QStringLiteral("--audio"), path(QStringLiteral("speech.wav")), QStringLiteral("--size"),
                    QStringLiteral("320x240"), QStringLiteral("-o"), out, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(nonEmptyLines(r.out).first().toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("voice")).toString(), QStringLiteral("recording"));
        const QJsonObject recording = json.value(QStringLiteral("recording")).toObject();
        QCOMPARE(recording.value(QStringLiteral("codec")).toString(), QStringLiteral("pcm_s16le"));
        QCOMPARE(recording.value(QStringLiteral("source_rate")).toInt(), 44100);
        QCOMPARE(recording.value(QStringLiteral("source_channels")).toInt(), 2);
        QVERIFY(recording.value(QStringLiteral("gain_db")).toDouble() > 10.0); // the file was quiet
        const avatar::MediaInfo info = avatar::MediaReader::probe(out.toStdString());
        QCOMPARE(info.audioSampleRate, 48000);
        QVERIFY(std::abs(info.audioDuration - m_speechSeconds) < 0.05);
        QVERIFY(std::abs(double(info.frameCount) - std::ceil(m_speechSeconds * 25)) <= 1.0); // 25 fps
        const double lufs =
            avatar::AudioDecoder::decode(out.toStdString(), {}, avatar::CancelToken{}).loudness;
        qInfo("decoded MP4: %.2f LUFS", lufs);
        QVERIFY(std::abs(lufs - (-16.0)) < 0.5);

        // Cached by the sound's content: another picture (framing) reuses the analysis, and a copy of the
        // file under another name is the same entry.
        const QString cacheDir = path(QStringLiteral("voice-cache"));
        const auto cacheUse = [&](const QString& audio, const QString& framing) {
            const Run run =
                runCli({QStringLiteral("--audio"), audio, QStringLiteral("--size"), QStringLiteral("320x240"),
                        QStringLiteral("--framing"), framing, QStringLiteral("--cache-dir"), cacheDir,
                        QStringLiteral("-o"), out, QStringLiteral("--json")});
            const QJsonObject cache = QJsonDocument::fromJson(nonEmptyLines(run.out).value(0).toUtf8())
                                          .object()
                                          .value(QStringLiteral("cache"))
                                          .toObject();
            return std::pair{cache.value(QStringLiteral("tts_hits")).toInt(),
                             cache.value(QStringLiteral("tts_misses")).toInt()};
        };
        QCOMPARE(cacheUse(path(QStringLiteral("speech.wav")), QStringLiteral("shoulders")), std::pair(0, 1));
        QVERIFY(QFile::copy(path(QStringLiteral("speech.wav")), path(QStringLiteral("copy.wav"))));
        QCOMPARE(cacheUse(path(QStringLiteral("copy.wav")), QStringLiteral("head")), std::pair(1, 0));
        QCOMPARE(avatar::MediaReader::probe(out.toStdString()).frameCount, info.frameCount);
    }

    void rendersAndReportsJson() {
        const QString out = path(QStringLiteral("ok.mp4"));
        const Run r =
            runCli({QStringLiteral("render"), QStringLiteral("--text"), QStringLiteral("Short and sweet."),
                    QStringLiteral("--size"), QStringLiteral("320x240"), QStringLiteral("--fps"),
                    QStringLiteral("20"), QStringLiteral("--voice"), QStringLiteral("flite:kal16"),
                    QStringLiteral("-o"), out, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList lines = nonEmptyLines(r.out);
        QCOMPARE(lines.size(), 1);
        const QJsonObject json = QJsonDocument::fromJson(lines.first().toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("output")).toString(), out);
        QCOMPARE(json.value(QStringLiteral("width")).toInt(), 320);
        QCOMPARE(json.value(QStringLiteral("fps")).toInt(), 20);
        QVERIFY(json.value(QStringLiteral("duration")).toDouble() > 0.5);
        QVERIFY(json.value(QStringLiteral("total_seconds")).toDouble() > 0.0);
        const QJsonObject stages = json.value(QStringLiteral("seconds")).toObject();
        for (const char* s : {"tts", "face", "animate", "render", "encode"})
            QVERIFY2(stages.contains(QLatin1String(s)), s);
        const avatar::MediaInfo info = avatar::MediaReader::probe(out.toStdString());
        QCOMPARE(info.frameCount,
                 static_cast<std::int64_t>(json.value(QStringLiteral("frames")).toInteger()));
        QCOMPARE(info.width, 320);
        QVERIFY(info.faststart);
        // No temporary file is left beside the output.
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("*.part*")}, QDir::Files | QDir::Hidden).size(),
                 0);
    }

    // NTSC's 29.97 (issue #17): the MP4's stream rate is exactly 30000/1001, every frame sits at k ×
    // 1001/30000 s, the frames are the sound's (padded to whole frames) and the report gives the rate both
    // ways. The fraction form is the same rate.
    void rendersAtNtscRate_data() {
        QTest::addColumn<QString>("rate");
        QTest::addColumn<bool>("cache");
        // Without the cache the video is encoded in one piece (Mp4Encoder); with it, sentence by sentence
        // and joined (SegmentJoiner).
        QTest::newRow("decimal, one piece") << QStringLiteral("29.97") << false;
        QTest::newRow("fraction, segments") << QStringLiteral("30000/1001") << true;
    }
    void rendersAtNtscRate() {
        QFETCH(QString, rate);
        QFETCH(bool, cache);
        const QString out = path(QStringLiteral("ntsc.mp4"));
        QStringList args{QStringLiteral("render"),
                         QStringLiteral("--text"),
                         QStringLiteral("Twenty nine point nine seven frames. And a second sentence."),
                         QStringLiteral("--size"),
                         QStringLiteral("160x120"),
                         QStringLiteral("--fps"),
                         rate,
                         QStringLiteral("--voice"),
                         QStringLiteral("flite:kal16"),
                         QStringLiteral("--preset"),
                         QStringLiteral("ultrafast"),
                         QStringLiteral("-o"),
                         out,
                         QStringLiteral("--json")};
        args << (cache ? QStringList{QStringLiteral("--cache-dir"), path(QStringLiteral("ntsc-cache"))}
                       : QStringList{QStringLiteral("--no-cache")});
        const Run r = runCli(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(nonEmptyLines(r.out).first().toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("frame_rate")).toString(), QStringLiteral("30000/1001"));
        QVERIFY(std::abs(json.value(QStringLiteral("fps")).toDouble() - 30000.0 / 1001.0) < 1e-9);
        const avatar::MediaInfo info = avatar::MediaReader::probe(out.toStdString());
        QCOMPARE(info.frameRate.num(), 30000);
        QCOMPARE(info.frameRate.den(), 1001);
        const auto frames = static_cast<std::int64_t>(json.value(QStringLiteral("frames")).toInteger());
        QCOMPARE(info.frameCount, frames);
        // The sound is padded to whole frames: the video's frames are exactly the sound's.
        const double frame = 1001.0 / 30000.0;
        const double duration = json.value(QStringLiteral("duration")).toDouble();
        QCOMPARE(frames, std::llround(duration / frame));
        QVERIFY2(std::abs(info.audioDuration - double(frames) * frame) < frame,
                 qPrintable(QStringLiteral("audio %1 s, %2 frames").arg(info.audioDuration).arg(frames)));
        // Every frame's time from the fraction; the last one's within a frame of the sound's end.
        avatar::MediaReader reader(out.toStdString());
        avatar::Image picture;
        double pts = 0.0;
        std::int64_t k = 0;
        while (reader.readVideoFrame(picture, &pts)) {
            QVERIFY2(std::abs(pts - double(k) * frame) < 1e-6,
                     qPrintable(QStringLiteral("frame %1 at %2 s").arg(k).arg(pts, 0, 'f', 6)));
            ++k;
        }
        QCOMPARE(k, frames);
        QVERIFY(std::abs(pts + frame - info.audioDuration) <= frame);
    }

    // The segment cache keys the exact rate: a 29.97 render of a script rendered at 30 reuses no segment,
    // and a second 29.97 render reuses them all.
    void ntscRateDoesNotReuseThirtyFpsSegments() {
        const auto render = [&](const QString& rate) {
            const Run r = runCli(
                {QStringLiteral("render"), QStringLiteral("--text"),
                 QStringLiteral("Same words. Other rate."), QStringLiteral("--size"),
                 QStringLiteral("160x120"), QStringLiteral("--fps"), rate, QStringLiteral("--voice"),
                 QStringLiteral("flite:kal16"), QStringLiteral("--preset"), QStringLiteral("ultrafast"),
                 QStringLiteral("--cache-dir"), path(QStringLiteral("rate-cache")), QStringLiteral("-o"),
                 path(QStringLiteral("rate.mp4")), QStringLiteral("--json")});
            if (r.exitCode != 0)
                qWarning("%s", r.err.constData());
            const QJsonObject cache = QJsonDocument::fromJson(nonEmptyLines(r.out).value(0).toUtf8())
                                          .object()
                                          .value(QStringLiteral("cache"))
                                          .toObject();
            return std::pair{cache.value(QStringLiteral("segments_reused")).toInt(-1),
                             cache.value(QStringLiteral("segments_rendered")).toInt(-1)};
        };
        QCOMPARE(render(QStringLiteral("30")), std::pair(0, 2));
        QCOMPARE(render(QStringLiteral("29.97")), std::pair(0, 2));
        QCOMPARE(render(QStringLiteral("30000/1001")), std::pair(2, 0));
        QCOMPARE(avatar::MediaReader::probe(path(QStringLiteral("rate.mp4")).toStdString()).frameRate,
                 avatar::FrameRate(30000, 1001));
    }

    // `cues`: the same track in Rhubarb's TSV, XML and JSON and as a Moho switch file, each parsed back.
    void writesMouthCuesInEveryFormat() {
        const auto cuesOf = [&](const QString& file, const QStringList& source) {
            QStringList args{QStringLiteral("cues")};
            args << source << QStringLiteral("-o") << file << QStringLiteral("-q");
            const Run r = runCli(args);
            QFile f(file);
            if (r.exitCode != 0 || !f.open(QIODevice::ReadOnly))
                qWarning("%s", r.err.constData());
            return f.readAll();
        };
        const QStringList script{QStringLiteral("--text"), QStringLiteral("Bob bought a big blue map."),
                                 QStringLiteral("--voice"), QStringLiteral("flite:kal16")};
        // JSON: cues tile [0, duration] with shapes A-H and X.
        const QJsonObject json =
            QJsonDocument::fromJson(cuesOf(path(QStringLiteral("c.json")), script)).object();
        const QJsonArray cues = json.value(QStringLiteral("mouthCues")).toArray();
        const double duration =
            json.value(QStringLiteral("metadata")).toObject().value(QStringLiteral("duration")).toDouble();
        QVERIFY(cues.size() > 5 && duration > 1.0);
        QString shapes;
        double at = 0.0;
        for (const QJsonValue& v : cues) {
            const QJsonObject c = v.toObject();
            QCOMPARE(c.value(QStringLiteral("start")).toDouble(), at);
            at = c.value(QStringLiteral("end")).toDouble();
            QVERIFY(at > c.value(QStringLiteral("start")).toDouble());
            const QString shape = c.value(QStringLiteral("value")).toString();
            QVERIFY(shape.size() == 1 && QStringLiteral("ABCDEFGHX").contains(shape));
            shapes += shape;
        }
        QCOMPARE(at, duration);
        QVERIFY2(shapes.startsWith(QLatin1Char('X')) && shapes.endsWith(QLatin1Char('X')),
                 qPrintable(shapes));
        QVERIFY2(shapes.count(QLatin1Char('A')) >= 4, qPrintable(shapes)); // B, b, b, m closed
        // TSV: the same starts and shapes, then the end with X.
        const QList<QByteArray> tsv = cuesOf(path(QStringLiteral("c.tsv")), script).trimmed().split('\n');
        QCOMPARE(tsv.size(), cues.size() + 1);
        for (qsizetype i = 0; i < cues.size(); ++i) {
            const QList<QByteArray> cols = tsv[i].split('\t');
            QCOMPARE(cols.size(), 2);
            QCOMPARE(cols[0].toDouble(), cues[i].toObject().value(QStringLiteral("start")).toDouble());
            QCOMPARE(QString::fromLatin1(cols[1]), QString(shapes[i]));
        }
        QCOMPARE(tsv.last(), QByteArray::number(duration, 'f', 3) + "\tX");
        // XML: Rhubarb's elements and attributes.
        QXmlStreamReader xml(cuesOf(path(QStringLiteral("c.xml")), script));
        QString xmlShapes;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("mouthCue")) {
                QCOMPARE(xml.attributes().value(QStringLiteral("start")).toDouble(),
                         cues[xmlShapes.size()].toObject().value(QStringLiteral("start")).toDouble());
                xmlShapes += xml.readElementText();
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(xmlShapes, shapes);
        // DAT: "MohoSwitch1", then increasing 1-based frames (25 fps) with the shapes in order.
        const QList<QByteArray> dat = cuesOf(path(QStringLiteral("c.dat")), script).trimmed().split('\n');
        QCOMPARE(dat.first(), QByteArray("MohoSwitch1"));
        long long lastFrame = 0;
        qsizetype next = 0;
        for (qsizetype i = 1; i < dat.size(); ++i) {
            const QList<QByteArray> cols = dat[i].split(' ');
            QCOMPARE(cols.size(), 2);
            const long long frame = cols[0].toLongLong();
            QVERIFY(frame > lastFrame);
            lastFrame = frame;
            next = shapes.indexOf(QString::fromLatin1(cols[1]), next); // a cue shorter than a frame may go
            QVERIFY2(next >= 0, dat[i].constData());
            ++next;
        }
        QCOMPARE(dat[1], QByteArray("1 X"));
        QCOMPARE(lastFrame,
                 std::llround(cues.last().toObject().value(QStringLiteral("start")).toDouble() * 25) + 1);
        // From a recording: its file name, its length, and the closures of "Bob bought a big blue map".
        const QJsonObject heard =
            QJsonDocument::fromJson(cuesOf(path(QStringLiteral("r.json")),
                                           {QStringLiteral("--audio"), path(QStringLiteral("speech.wav"))}))
                .object();
        const QJsonObject meta = heard.value(QStringLiteral("metadata")).toObject();
        QCOMPARE(meta.value(QStringLiteral("soundFile")).toString(), path(QStringLiteral("speech.wav")));
        QVERIFY(std::abs(meta.value(QStringLiteral("duration")).toDouble() - m_speechSeconds) < 0.01);
        QString heardShapes;
        for (const QJsonValue& v : heard.value(QStringLiteral("mouthCues")).toArray())
            heardShapes += v.toObject().value(QStringLiteral("value")).toString();
        qInfo("script: %s; recording: %s", qPrintable(shapes), qPrintable(heardShapes));
        QVERIFY2(heardShapes.count(QLatin1Char('A')) >= 2, qPrintable(heardShapes));
    }

    void savesAFrameAndAShapeSheet() {
        const QString video = path(QStringLiteral("frames.mp4"));
        Run r = runCli({QStringLiteral("--text"), QStringLiteral("Frame by frame."), QStringLiteral("--size"),
                        QStringLiteral("320x240"), QStringLiteral("-q"), QStringLiteral("-o"), video});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString still = path(QStringLiteral("still.png"));
        r = runCli({QStringLiteral("frame"), video, QStringLiteral("--at"), QStringLiteral("0.5"),
                    QStringLiteral("-o"), still});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const avatar::Image frame = avatar::ImageIO::load(still.toStdString());
        QCOMPARE(frame.width(), 320);
        QCOMPARE(frame.height(), 240);

        // The contact sheet: 5 tiles a row, 2 rows; the rest pose (X) and the wide-open pose (D) differ.
        const QString sheetPath = path(QStringLiteral("sheet.png"));
        r = runCli({QStringLiteral("shapes"), QStringLiteral("--size"), QStringLiteral("640x360"),
                    QStringLiteral("-o"), sheetPath});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const avatar::Image sheet = avatar::ImageIO::load(sheetPath.toStdString());
        QCOMPARE(sheet.width() % 5, 0);
        const int tileW = sheet.width() / 5;
        const int tileH = sheet.height() / 2;
        long differing = 0;
        for (int y = 0; y < tileH; ++y)
            for (int x = 0; x < tileW; ++x)
                differing += std::memcmp(sheet.row(y) + x * 3, sheet.row(y) + (4 * tileW + x) * 3, 3) != 0;
        QVERIFY2(differing > 100, "the X and D tiles look the same");
    }

    void writesCaptionFiles() {
        const QString out = path(QStringLiteral("captioned.mp4"));
        const Run r =
            runCli({QStringLiteral("--text"),
                    QStringLiteral("Hello there, my name is Ava. <break time=\"1s\"/> It costs $5 today."),
                    QStringLiteral("--captions"), QStringLiteral("all"), QStringLiteral("--size"),
                    QStringLiteral("320x240"), QStringLiteral("--json"), QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(nonEmptyLines(r.out).first().toUtf8()).object();
        const QJsonArray files = json.value(QStringLiteral("captions")).toArray();
        QCOMPARE(files.size(), 2);
        QFile srt(path(QStringLiteral("captioned.srt")));
        QFile vtt(path(QStringLiteral("captioned.vtt")));
        QVERIFY(srt.open(QIODevice::ReadOnly) && vtt.open(QIODevice::ReadOnly));
        const QString srtText = QString::fromUtf8(srt.readAll());
        const QString vttText = QString::fromUtf8(vtt.readAll());
        // The script's own spelling, in two cues split by the pause, with times inside the video.
        QVERIFY(srtText.contains(QLatin1String("1\n00:00:00,")));
        QVERIFY(srtText.contains(QLatin1String("Hello there, my name is Ava.")));
        QVERIFY(srtText.contains(QLatin1String("It costs $5 today.")));
        QVERIFY(!srtText.contains(QLatin1String("break")));
        QVERIFY(vttText.startsWith(QLatin1String("WEBVTT\n\n")));
        const QRegularExpression time(QStringLiteral("(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d\\d\\d)"));
        double last = 0.0;
        for (auto it = time.globalMatch(vttText); it.hasNext();) {
            const auto m = it.next();
            const double t = m.captured(1).toInt() * 3600 + m.captured(2).toInt() * 60 +
                             m.captured(3).toInt() + m.captured(4).toInt() / 1000.0;
            QVERIFY(t >= last);
            last = t;
        }
        QVERIFY(last > 1.0 && last <= json.value(QStringLiteral("duration")).toDouble() + 1e-3);
    }

    void writesThroughSymlinks() {
        // -o pointing at a symbolic link replaces the file it points to; the link stays a link.
        const QString target = path(QStringLiteral("target.mp4"));
        const QString link = path(QStringLiteral("link.mp4"));
        QFile placeholder(target);
        QVERIFY(placeholder.open(QIODevice::WriteOnly));
        placeholder.close();
        QVERIFY(QFile::link(target, link));
        const Run r =
            runCli({QStringLiteral("--text"), QStringLiteral("Through the link."), QStringLiteral("--size"),
                    QStringLiteral("320x240"), QStringLiteral("-q"), QStringLiteral("-o"), link});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFileInfo(link).isSymLink());
        QVERIFY(QFileInfo(target).size() > 1000);
        QVERIFY(avatar::MediaReader::probe(target.toStdString()).frameCount > 10);
    }

    void interruptedRenderLeavesNothing() {
        // SIGTERM while frames are being encoded: exit 128+15, one message, and no file at all in the folder.
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("long.mp4"));
        QProcess p;
        p.start(QStringLiteral(AVATAR_RENDER_BIN),
                {QStringLiteral("--size"), QStringLiteral("1920x1080"), QStringLiteral("--preset"),
                 QStringLiteral("medium"), QStringLiteral("-o"), out});
        QVERIFY(p.waitForStarted());
        // The temporary file appears once validation, face analysis and TTS are done and encoding began.
        const bool encoding = QTest::qWaitFor(
            [&] {
                return !QDir(dir.path())
                            .entryList({QStringLiteral("*.part*")}, QDir::Files | QDir::Hidden)
                            .isEmpty();
            },
            60000);
        QVERIFY(encoding);
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 128 + SIGTERM);
        const QStringList lines = nonEmptyLines(p.readAllStandardError());
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines.first().contains(QLatin1String("interrupted")));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System).size(), 0);
    }

    void listsVoices() {
        const Run r = runCli({QStringLiteral("voices"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray voices = QJsonDocument::fromJson(r.out).array();
        QStringList ids;
        for (const auto& v : voices)
            ids << v.toObject().value(QStringLiteral("id")).toString();
        for (const char* id : {"flite:slt", "flite:awb", "flite:rms", "flite:kal16"})
            QVERIFY2(ids.contains(QLatin1String(id)), id);
        QVERIFY(std::any_of(ids.begin(), ids.end(),
                            [](const QString& s) { return s.startsWith(QLatin1String("espeak:")); }));
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("exitCode");
        const QString missingImage = path(QStringLiteral("nowhere.png"));
        QTest::newRow("missing image")
            << QStringList{QStringLiteral("--avatar"), missingImage} << QStringLiteral("does not exist") << 1;
        QTest::newRow("unreadable image")
            << QStringList{QStringLiteral("--avatar"), path(QStringLiteral("garbage.png"))}
            << QStringLiteral("not a readable image") << 1;
        QTest::newRow("truncated image")
            << QStringList{QStringLiteral("--avatar"), path(QStringLiteral("half.png"))}
            << QStringLiteral("truncated") << 1;
        QTest::newRow("image without a face")
            << QStringList{QStringLiteral("--avatar"), path(QStringLiteral("sky.png"))}
            << QStringLiteral("No face was found") << 1;
        QTest::newRow("empty text") << QStringList{QStringLiteral("--text"), QStringLiteral("   ")}
                                    << QStringLiteral("script is empty") << 1;
        QTest::newRow("unknown voice")
            << QStringList{QStringLiteral("--voice"), QStringLiteral("flite:nobody")}
            << QStringLiteral("Unknown voice 'flite:nobody'") << 1;
        QTest::newRow("output folder missing")
            << QStringList{QStringLiteral("-o"), path(QStringLiteral("no/such/dir/x.mp4"))}
            << QStringLiteral("does not exist") << 1;
        // Nobody, root included, can create files in /proc: an unwritable folder on any machine.
        QTest::newRow("output folder not writable")
            << QStringList{QStringLiteral("-o"), QStringLiteral("/proc/avatar-cli-test.mp4")}
            << QStringLiteral("not writable") << 1;
        QTest::newRow("output is a pipe")
            << QStringList{QStringLiteral("-o"), path(QStringLiteral("pipe.mp4"))}
            << QStringLiteral("not a regular file") << 1;
        QTest::newRow("nothing to speak")
            << QStringList{QStringLiteral("--text"), QStringLiteral("... !!! ???")}
            << QStringLiteral("nothing the voice") << 1;
        QTest::newRow("script is a folder")
            << QStringList{QStringLiteral("--script"), m_dir.path()} << QStringLiteral("is a folder") << 1;
        QTest::newRow("output is a folder")
            << QStringList{QStringLiteral("-o"), m_dir.path()} << QStringLiteral("is a folder") << 1;
        QTest::newRow("odd size") << QStringList{QStringLiteral("--size"), QStringLiteral("321x240")}
                                  << QStringLiteral("even numbers") << 1;
        QTest::newRow("speed out of range") << QStringList{QStringLiteral("--speed"), QStringLiteral("3")}
                                            << QStringLiteral("speed must be between") << 1;
        QTest::newRow("malformed pause")
            << QStringList{QStringLiteral("--text"), QStringLiteral("Hi <break time=5/> there")}
            << QStringLiteral("malformed pause tag") << 1;
        QTest::newRow("unknown captions mode")
            << QStringList{QStringLiteral("--captions"), QStringLiteral("burnt")}
            << QStringLiteral("--captions expects") << 2;
        QTest::newRow("unknown caption position")
            << QStringList{QStringLiteral("--caption-position"), QStringLiteral("left")}
            << QStringLiteral("--caption-position expects bottom, middle or top") << 2;
        QTest::newRow("bad caption colour")
            << QStringList{QStringLiteral("--caption-colour"), QStringLiteral("gold")}
            << QStringLiteral("--caption-colour expects a colour #RRGGBB") << 2;
        QTest::newRow("caption size out of range")
            << QStringList{QStringLiteral("--captions"), QStringLiteral("burn"),
                           QStringLiteral("--caption-size"), QStringLiteral("300")}
            << QStringLiteral("caption size 300 % is not supported") << 1;
        QTest::newRow("unknown expression")
            << QStringList{QStringLiteral("--expression"), QStringLiteral("happy")}
            << QStringLiteral("--expression expects neutral, friendly or serious") << 2;
        QTest::newRow("captions would replace the video")
            << QStringList{QStringLiteral("--captions"), QStringLiteral("srt"), QStringLiteral("-o"),
                           path(QStringLiteral("clash.srt"))}
            << QStringLiteral("would replace the video") << 1;
        QTest::newRow("caption file is a folder")
            << QStringList{QStringLiteral("--captions"), QStringLiteral("all"), QStringLiteral("-o"),
                           path(QStringLiteral("capdir.mp4"))}
            << QStringLiteral("is a folder") << 1;
        QTest::newRow("burned captions on a tiny frame")
            << QStringList{QStringLiteral("--captions"), QStringLiteral("burn"), QStringLiteral("--size"),
                           QStringLiteral("64x64")}
            << QStringLiteral("Burned-in captions need") << 1;
        QTest::newRow("pause tag across lines")
            << QStringList{QStringLiteral("--text"), QStringLiteral("hi <break\ntime=x/> there")}
            << QStringLiteral("malformed pause tag") << 1;
        // One message for every frame rate that cannot be used: malformed is a usage error (2), out of
        // range is refused before any work (1).
        const QString rateMessage = QStringLiteral("is not supported: use 1 to 60 frames per second");
        QTest::newRow("frame rate malformed")
            << QStringList{QStringLiteral("--fps"), QStringLiteral("29,97")} << rateMessage << 2;
        QTest::newRow("frame rate zero denominator")
            << QStringList{QStringLiteral("--fps"), QStringLiteral("30000/0")} << rateMessage << 2;
        QTest::newRow("frame rate too high")
            << QStringList{QStringLiteral("--fps"), QStringLiteral("61")} << rateMessage << 1;
        QTest::newRow("frame rate too low")
            << QStringList{QStringLiteral("--fps"), QStringLiteral("0.5")} << rateMessage << 1;
        QTest::newRow("frame rate odd denominator")
            << QStringList{QStringLiteral("--fps"), QStringLiteral("30000/1003")} << rateMessage << 1;
        QTest::newRow("hex number") << QStringList{QStringLiteral("--speed"), QStringLiteral("0x1")}
                                    << QStringLiteral("expects a number") << 2;
        QTest::newRow("option given twice")
            << QStringList{QStringLiteral("--voice"), QStringLiteral("flite:slt"), QStringLiteral("--voice"),
                           QStringLiteral("flite:awb")}
            << QStringLiteral("given twice") << 2;
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("Unknown option") << 2;
        QTest::newRow("recording missing")
            << QStringList{QStringLiteral("--audio"), path(QStringLiteral("none.wav"))}
            << QStringLiteral("does not exist") << 1;
        QTest::newRow("recording without sound")
            << QStringList{QStringLiteral("--audio"), path(QStringLiteral("sky.png"))}
            << QStringLiteral("no audio stream") << 1;
        QTest::newRow("silent recording")
            << QStringList{QStringLiteral("--audio"), path(QStringLiteral("silent.wav"))}
            << QStringLiteral("is silent") << 1;
        QTest::newRow("captions from a recording")
            << QStringList{QStringLiteral("--audio"), path(QStringLiteral("speech.wav")),
                           QStringLiteral("--captions"), QStringLiteral("srt")}
            << QStringLiteral("Captions of a recording need its transcript") << 1;
        QTest::newRow("a recording with another text")
            << QStringList{QStringLiteral("--audio"), path(QStringLiteral("speech.wav")),
                           QStringLiteral("--text"),
                           QStringLiteral(
                               "Bob bought a big blue map of the moon, and then he bought another one, "
                               "and a third, and a fourth, and a fifth, and a sixth, and a seventh, and an "
                               "eighth, "
                               "and a ninth, and a tenth, and one more for the road.")}
            << QStringLiteral("The transcript does not fit the recording") << 1;
        QTest::newRow("cues without a file")
            << QStringList{QStringLiteral("cues"), QStringLiteral("--text"), QStringLiteral("Hi."),
                           QStringLiteral("-o"), path(QStringLiteral("cues.txt"))}
            << QStringLiteral("'cues' writes .tsv, .xml or .json") << 2;
        QTest::newRow("cues with a render option")
            << QStringList{QStringLiteral("cues"), QStringLiteral("--avatar"),
                           path(QStringLiteral("sky.png")), QStringLiteral("-o"),
                           path(QStringLiteral("cues.tsv"))}
            << QStringLiteral("'cues' takes --audio") << 2;
        QTest::newRow("cues of a silent recording")
            << QStringList{QStringLiteral("cues"), QStringLiteral("--audio"),
                           path(QStringLiteral("silent.wav")), QStringLiteral("-o"),
                           path(QStringLiteral("cues.json"))}
            << QStringLiteral("is silent") << 1;
        QTest::newRow("missing script file")
            << QStringList{QStringLiteral("--script"), path(QStringLiteral("none.txt"))}
            << QStringLiteral("script file") << 1;
    }
    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QFETCH(int, exitCode);
        const QString out = path(QStringLiteral("bad.mp4"));
        QStringList all = args;
        if (!args.contains(QStringLiteral("--size")) && args.first() != QStringLiteral("cues"))
            all << QStringLiteral("--size") << QStringLiteral("320x240");
        if (!args.contains(QStringLiteral("-o")))
            all << QStringLiteral("-o") << out;
        const QStringList before = QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden);
        const Run r = runCli(all);
        QCOMPARE(r.exitCode, exitCode);
        const QStringList lines = nonEmptyLines(r.err);
        QVERIFY2(lines.size() == 1, r.err.constData()); // one clear message
        QVERIFY2(lines.first().contains(message), qPrintable(lines.first()));
        QVERIFY(lines.first().startsWith(QLatin1String("avatar-render: ")));
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFile::exists(out));
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden), before); // nothing left behind
    }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
