// Issue #13: recordings as narration. Decoding any rate and channel count, the loudness target measured again
// on what comes out, the peak limiter, the acoustic analysis's pauses, and one clear error per bad file.
// Recognition without a transcript is tst_voice_heard.cpp.
#include "AlignMetrics.h"
#include "VoiceChecks.h"
#include "core/Error.h"
#include "core/Image.h"
#include "core/ImageIO.h"
#include "lipsync/VisemeRules.h"
#include "media/AudioDecoder.h"
#include "media/Mp4Encoder.h"
#include "pipeline/RenderPipeline.h"
#include "tts/TextToSpeech.h"
#include "voice/AcousticPhones.h"
#include "voice/HeardPhones.h"
#include "voice/NoiseReducer.h"
#include "voice/PeakLimiter.h"
#include "voice/Recording.h"
#include "voice/SphinxRecognizer.h"
#include "voice/TranscriptAligner.h"

#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>

using namespace avatar;

using avatar::test::errorOf;
using avatar::test::pathOf;
using avatar::test::sentence;

namespace {

double peakOf(const std::vector<float>& x) {
    double peak = 0;
    for (const float s : x)
        peak = std::max(peak, double(std::fabs(s)));
    return peak;
}

} // namespace

class TstVoice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Any rate and channel count comes out as mono 48 kHz of the same length, at -16 LUFS (measured again
    // by FFmpeg's meter on the samples the video will carry) with peaks under -1 dBFS.
    void decodesAnyRateAndChannels_data() {
        QTest::addColumn<int>("rate");
        QTest::addColumn<int>("channels");
        QTest::addColumn<double>("level"); // the source's gain: quiet and hot recordings alike
        QTest::newRow("44.1 kHz stereo, quiet") << 44100 << 2 << 0.05;
        QTest::newRow("16 kHz mono") << 16000 << 1 << 0.5;
        QTest::newRow("22.05 kHz 6 channels") << 22050 << 6 << 0.3;
        QTest::newRow("96 kHz stereo, hot") << 96000 << 2 << 3.0;
    }
    void decodesAnyRateAndChannels() {
        QFETCH(int, rate);
        QFETCH(int, channels);
        QFETCH(double, level);
        QTemporaryDir dir;
        const Speech& voice = sentence();
        std::vector<float> sound = bench::resampled(bench::toFloat(voice.samples), voice.sampleRate, rate);
        for (float& s : sound)
            s = std::clamp(s * float(level), -1.0f, 1.0f);
        const std::filesystem::path wav = pathOf(dir.filePath(QStringLiteral("in.wav")));
        bench::writeWav(wav, sound, rate, channels);

        RecordingInfo info;
        const Speech speech = Recording::load(wav, CancelToken{}, {}, &info);
        QCOMPARE(speech.sampleRate, 48000);
        QCOMPARE(info.sourceRate, rate);
        QCOMPARE(info.sourceChannels, channels);
        QCOMPARE(QString::fromStdString(info.codec), QStringLiteral("pcm_s16le"));
        const double expected = double(sound.size()) / rate;
        QVERIFY2(std::abs(speech.duration() - expected) < 0.002,
                 qPrintable(QStringLiteral("%1 s, expected %2 s").arg(speech.duration()).arg(expected)));
        const std::vector<float> out = bench::toFloat(speech.samples);
        const double measured = AudioDecoder::loudness(out, speech.sampleRate);
        qInfo("source %.1f LUFS, gain %+.1f dB, out %.2f LUFS (meter again %.2f), peak %.2f dBFS",
              info.sourceLoudness, info.gainDb, info.loudness, measured, 20 * std::log10(peakOf(out)));
        QVERIFY(std::abs(measured - Recording::kTargetLufs) < 0.3);
        QVERIFY(20 * std::log10(peakOf(out)) <= Recording::kPeakCeilingDb + 0.05);
        // The timeline tiles the recording and holds speech.
        QVERIFY(!speech.phones.empty());
        QCOMPARE(speech.phones.front().start, 0.0);
        QVERIFY(std::abs(speech.phones.back().end - speech.duration()) < 1e-9);
        QVERIFY(std::any_of(speech.phones.begin(), speech.phones.end(),
                            [](const Phone& p) { return p.arpabet != "pau"; }));
    }

    // AAC inside an MP4 (our own encoder's output) decodes too; its sound is the file's best audio stream.
    void decodesAacInMp4() {
        QTemporaryDir dir;
        const std::filesystem::path mp4 = pathOf(dir.filePath(QStringLiteral("in.mp4")));
        const Speech& voice = sentence();
        EncoderSettings settings;
        settings.width = 64;
        settings.height = 64;
        settings.fps = 25;
        settings.preset = "ultrafast";
        {
            Mp4Encoder encoder(mp4, settings, AudioTrack{voice.sampleRate, voice.samples});
            Image frame(64, 64);
            for (long long f = 0; f < Mp4Encoder::framesForDuration(voice.duration(), 25); ++f)
                encoder.writeFrame(frame);
            encoder.finish();
        }
        RecordingInfo info;
        const Speech speech = Recording::load(mp4, CancelToken{}, {}, &info);
        QCOMPARE(QString::fromStdString(info.codec), QStringLiteral("aac"));
        QVERIFY(std::abs(speech.duration() - voice.duration()) < 0.03);
    }

    // Every bad file fails with one sentence naming it and saying what is wrong.
    void badFilesFailClearly_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("missing") << QStringLiteral("missing") << int(ErrorCode::NotFound)
                                 << QStringLiteral("does not exist");
        QTest::newRow("random bytes")
            << QStringLiteral("random") << int(ErrorCode::Unreadable) << QStringLiteral("not a media file");
        QTest::newRow("cut WAV header")
            << QStringLiteral("cut") << int(ErrorCode::Unreadable) << QStringLiteral("Cannot read");
        QTest::newRow("picture, no sound")
            << QStringLiteral("picture") << int(ErrorCode::InvalidInput) << QStringLiteral("no audio stream");
        QTest::newRow("silent") << QStringLiteral("silent") << int(ErrorCode::InvalidInput)
                                << QStringLiteral("is silent");
        // fuzz_audio (fuzz/corpus/audio/regress-805mhz.wav): 2 GB and a minute in the resampler before.
        QTest::newRow("absurd sample rate") << QStringLiteral("rate") << int(ErrorCode::Unreadable)
                                            << QStringLiteral("sample rate of 805314368 Hz is outside");
    }
    void badFilesFailClearly() {
        QFETCH(QString, kind);
        QFETCH(int, code);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const std::filesystem::path file = pathOf(dir.filePath(QStringLiteral("bad")));
        if (kind == QStringLiteral("random")) {
            std::mt19937 random(3);
            std::ofstream out(file, std::ios::binary);
            for (int i = 0; i < 20000; ++i)
                out.put(char(random() & 0xff));
        } else if (kind == QStringLiteral("cut")) {
            bench::writeWav(file, std::vector<float>(8000, 0.1f), 8000, 1);
            std::filesystem::resize_file(file, 20);
        } else if (kind == QStringLiteral("picture")) {
            Image picture(32, 32);
            ImageIO::save(picture, file.string() + ".png");
            std::filesystem::rename(file.string() + ".png", file);
        } else if (kind == QStringLiteral("silent")) {
            bench::writeWav(file, std::vector<float>(48000, 0.0f), 48000, 2);
        } else if (kind == QStringLiteral("rate")) {
            bench::writeWav(file, std::vector<float>(8000, 0.1f), 8000, 1);
            // The header's sample rate (bytes 24-27) and byte rate (28-31) as the fuzzer's file had them.
            std::fstream wav(file, std::ios::in | std::ios::out | std::ios::binary);
            const std::uint32_t rate = 805314368u, bytes = rate * 2u;
            wav.seekp(24);
            for (std::uint32_t v : {rate, bytes})
                for (int i = 0; i < 4; ++i)
                    wav.put(char((v >> (8 * i)) & 0xff));
        }
        const Error e = errorOf([&] { Recording::load(file, CancelToken{}); });
        qInfo("%s", e.what());
        QCOMPARE(int(e.code()), code);
        QVERIFY2(QString::fromUtf8(e.what()).contains(says), e.what());
        QVERIFY(std::string(e.what()).find('\n') == std::string::npos);
    }

    // Recordings over the limit (four hours for narration) are refused: by the container's duration before
    // decoding, or (a stream without one) as soon as the decoded sound passes it. Shown with a 2 s limit on a
    // 3 s file, since a real five-hour file has no place in a test.
    void overlongRecordingsAreRefused() {
        QTemporaryDir dir;
        const std::filesystem::path wav = pathOf(dir.filePath(QStringLiteral("in.wav")));
        bench::writeWav(wav, std::vector<float>(3 * 8000, 0.1f), 8000, 1);
        AudioDecoder::Options options;
        options.maxSeconds = 2.0;
        const Error e = errorOf([&] { AudioDecoder::decode(wav, options, CancelToken{}); });
        qInfo("%s", e.what());
        QCOMPARE(int(e.code()), int(ErrorCode::InvalidInput));
        QVERIFY(
            QString::fromUtf8(e.what()).contains(QStringLiteral("lasts 0:00:03 or more; at most 0:00:02")));
        options.maxSeconds = 3.5;
        QCOMPARE(AudioDecoder::decode(wav, options, CancelToken{}).samples.size(), std::size_t(3 * 48000));
        QCOMPARE(Recording::kMaxSeconds, 4 * 3600.0);
    }

    void cancelledLoadStops() {
        QTemporaryDir dir;
        const std::filesystem::path wav = pathOf(dir.filePath(QStringLiteral("in.wav")));
        bench::writeWav(wav, bench::toFloat(sentence().samples), sentence().sampleRate, 1);
        CancelToken cancel;
        cancel.cancel();
        QCOMPARE(int(errorOf([&] { Recording::load(wav, cancel); }).code()), int(ErrorCode::Cancelled));
    }

    // The limiter keeps every sample under the ceiling, leaves the sound away from the peaks alone and moves
    // its gain without jumps.
    void limiterKeepsPeaksUnderTheCeiling() {
        constexpr int kRate = 48000;
        std::vector<float> x(kRate);
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = 0.3f * std::sin(float(i) * 0.05f);
        for (const std::size_t at : {10000u, 30000u})
            for (std::size_t k = 0; k < 50; ++k)
                x[at + k] = (k % 2 ? -1.6f : 1.6f);
        const std::vector<float> before = x;
        PeakLimiter(-1.0, kRate).apply(x);
        const auto ceiling = float(std::pow(10.0, -1.0 / 20.0));
        QVERIFY(peakOf(x) <= ceiling + 1e-6);
        for (std::size_t i = 0; i < 9000; ++i) // 20 ms before the first peak: untouched
            QCOMPARE(x[i], before[i]);
        for (std::size_t i = 20000; i < 29000; ++i)
            QCOMPARE(x[i], before[i]);
    }

    // On clean speech the analysis finds the pauses where the synthesiser put them (frames of pause against
    // speech, 10 ms each), and it gives the viseme rules speech to shape.
    void acousticPausesMatchTheTruth() {
        const Speech voice = TextToSpeech().synthesize(
            "Hello there. <break time=\"500ms\"/> Bob bought a big blue map.", "flite:kal16");
        Speech padded = Speech::silence(voice.sampleRate, 0.4);
        padded.append(voice);
        padded.append(Speech::silence(voice.sampleRate, 0.4));
        const std::vector<Phone> found =
            AcousticPhones().analyze(bench::toFloat(padded.samples), padded.sampleRate, CancelToken{});
        const auto pauseAt = [](const std::vector<Phone>& phones, double t) {
            for (const Phone& p : phones)
                if (p.start <= t && t < p.end)
                    return p.arpabet == "pau";
            return true;
        };
        int same = 0, frames = 0;
        for (double t = 0.005; t < padded.duration(); t += 0.01, ++frames)
            same += pauseAt(padded.phones, t) == pauseAt(found, t);
        qInfo("pause/speech agree on %d of %d frames", same, frames);
        QVERIFY(same >= 0.9 * frames);
        const std::string shapes = shapesOf(VisemeRules().fromPhones(found));
        QVERIFY(shapes.find_first_not_of('X') != std::string::npos);
        QCOMPARE(shapes.front(), 'X');
        QCOMPARE(shapes.back(), 'X');
    }
    // The alignment cases' recording: flite:awb with silence around it, and its transcript spoken by the
    // alignment voice (another speaker, another pace).
    static std::pair<Speech, Speech> awbWithTranscript() {
        const std::string text = "Maybe people will pay more for purple paper, Bob.";
        const Speech voice = TextToSpeech().synthesize(text, "flite:awb");
        Speech spoken = Speech::silence(voice.sampleRate, 0.7);
        spoken.append(voice);
        spoken.append(Speech::silence(voice.sampleRate, 0.3));
        return {spoken, TextToSpeech().synthesize(text, RenderPipeline::kAlignmentVoice)};
    }

    // Forced alignment: a male voice (flite:awb) with silence around it, aligned with the transcript spoken
    // by the alignment voice (another speaker, another pace); its phones and words must land on awb's own.
    void transcriptAlignsToTheSpeakersTimeline() {
        const auto [spoken, reference] = awbWithTranscript();
        const Speech found = TranscriptAligner().align(bench::toFloat(spoken.samples), spoken.sampleRate,
                                                       reference, CancelToken{});
        QCOMPARE(found.phones.size(), reference.phones.size());
        QCOMPARE(found.words.size(), reference.words.size());
        const std::vector<double> errors = bench::boundaryErrorsMs(spoken.phones, found.phones);
        const double median = bench::percentile(errors, 0.5), p90 = bench::percentile(errors, 0.9);
        qInfo("boundaries: median %.1f ms, p90 %.1f ms", median, p90);
        QVERIFY(median <= 20.0);
        QVERIFY(p90 <= 60.0);
        int close = 0;
        for (std::size_t i = 0; i < found.words.size(); ++i)
            close += std::abs(found.words[i].start - spoken.words[i].start) <= 0.05;
        QVERIFY(close >= int(0.8 * double(found.words.size())));
        const std::string truth =
            bench::shapesPerFrame(VisemeRules().fromPhones(spoken.phones), 25, spoken.duration());
        const std::string shapes =
            bench::shapesPerFrame(VisemeRules().fromPhones(found.phones), 25, spoken.duration());
        qInfo("shapes right on %.0f %% of frames", 100.0 * bench::frameAgreement(truth, shapes));
        QVERIFY(bench::frameAgreement(truth, shapes) >= 0.8);
    }

    // PocketSphinx's forced alignment of the same case: the phones the dictionary gives each word, timed on
    // awb's voice, with words and mouth shapes closer than the warping aligner gets them.
    void sphinxAlignsToTheSpeakersTimeline() {
        const auto [spoken, reference] = awbWithTranscript();
        const std::optional<Speech> found = SphinxRecognizer().align(
            bench::toFloat(spoken.samples), spoken.sampleRate, reference, CancelToken{});
        QVERIFY(found.has_value());
        QCOMPARE(found->words.size(), spoken.words.size());
        const std::vector<double> errors = bench::boundaryErrorsMs(spoken.phones, found->phones);
        const double median = bench::percentile(errors, 0.5), p90 = bench::percentile(errors, 0.9);
        qInfo("boundaries: median %.1f ms, p90 %.1f ms", median, p90);
        QVERIFY(median <= 15.0);
        QVERIFY(p90 <= 50.0);
        // Not early or late on the whole: PocketSphinx's frame f is the 25.6 ms window starting at f * 10 ms,
        // so the edge before it lies 7.8 ms after that (taken as f * 10 ms, the boundaries came 5-7 ms
        // early).
        std::vector<double> signedErrors;
        for (std::size_t i = 1; i < spoken.phones.size(); ++i) {
            double best = 1.0;
            for (std::size_t j = 1; j < found->phones.size(); ++j)
                if (const double e = found->phones[j].start - spoken.phones[i].start;
                    std::abs(e) < std::abs(best))
                    best = e;
            if (std::abs(best) < 0.05)
                signedErrors.push_back(1000.0 * best);
        }
        const double bias = bench::percentile(signedErrors, 0.5);
        qInfo("boundaries: median signed error %.1f ms", bias);
        // Since each synthesis starts rand() from the same seed the recording is always the same; over the
        // draws it once depended on (seeds 1-6 and 13) this was -0.4 to +4.2 ms, the old error -5 to -7 ms.
        QVERIFY(bias >= -3.0 && bias <= 5.0);
        // Every word within 150 ms, all but one within 50 ms (a word after a comma may take the pause before
        // it as its first plosive's closure: the mouth is closed either way).
        int close = 0;
        for (std::size_t i = 0; i < found->words.size(); ++i) {
            const Word &w = found->words[i], &t = spoken.words[i];
            qInfo("%s %.2f-%.2f, truth %.2f-%.2f", w.text.c_str(), w.start, w.end, t.start, t.end);
            QCOMPARE(w.text, t.text);
            QVERIFY2(std::abs(w.start - t.start) <= 0.15 && std::abs(w.end - t.end) <= 0.15, t.text.c_str());
            close += std::abs(w.start - t.start) <= 0.05 && std::abs(w.end - t.end) <= 0.05;
        }
        QVERIFY(close + 1 >= int(found->words.size()));
        const std::string truth =
            bench::shapesPerFrame(VisemeRules().fromPhones(spoken.phones), 25, spoken.duration());
        const std::string shapes =
            bench::shapesPerFrame(VisemeRules().fromPhones(found->phones), 25, spoken.duration());
        qInfo("shapes right on %.0f %% of frames", 100.0 * bench::frameAgreement(truth, shapes));
        QVERIFY(bench::frameAgreement(truth, shapes) >= 0.85);
    }

    // A voice far from the model's speakers (espeak's formant synthesis): with the normalisation starting
    // from the model's average speaker, the narrow search lost every path to the transcript's end (the
    // aligner returned nothing for all three paces of the bench); with the recording's own mean cepstrum,
    // or the wider beams it then tries, it reaches the end and the shapes follow the speaker.
    void sphinxAlignsAVoiceFarFromTheModel() {
        const std::string text =
            "My brother Bob bought a big blue map of the moon. People pay more for maps "
            "that show the deep craters. Please remember to put the maps back before five.";
        const TextToSpeech tts;
        for (const double speed : {0.8, 1.3}) {
            const Speech spoken = tts.synthesize(text, "espeak:en-us", SynthesisOptions{speed, 0.0});
            const Speech reference = tts.synthesize(text, RenderPipeline::kAlignmentVoice);
            const std::optional<Speech> found = SphinxRecognizer().align(
                bench::toFloat(spoken.samples), spoken.sampleRate, reference, CancelToken{});
            QVERIFY(found.has_value());
            QCOMPARE(found->words.size(), reference.words.size());
            const double median =
                bench::percentile(bench::boundaryErrorsMs(spoken.phones, found->phones), 0.5);
            const std::string truth =
                bench::shapesPerFrame(VisemeRules().fromPhones(spoken.phones), 25, spoken.duration());
            const std::string shapes =
                bench::shapesPerFrame(VisemeRules().fromPhones(found->phones), 25, spoken.duration());
            const double right = bench::frameAgreement(truth, shapes);
            qInfo("speed %.1f: boundaries median %.1f ms, shapes right on %.0f %% of frames", speed, median,
                  100.0 * right);
            QVERIFY(median <= 20.0);
            QVERIFY(right >= 0.65);
        }
    }

    // tst_render_e2e's "astronaut, script B recorded, with its transcript" row gave 0.573-0.611 by the rows
    // run before it: its recording, flite:rms's narration disguised with noise, came out as other samples
    // (Flite's clustergen excitation draws from the process's rand()), so it aligned differently. The same
    // recording made and aligned twice, with another alignment and other draws from rand() in between,
    // gives the same phones to the sample.
    void sameRecordingAlignsTheSameWhateverCameBefore() {
        QTemporaryDir dir;
        const TextToSpeech tts;
        const std::string text = "Bob bought a big blue map. Maybe people will pay more for purple paper?";
        const Speech transcript = tts.synthesize(text, RenderPipeline::kAlignmentVoice);
        const auto aligned = [&](const std::string& voice, const std::string& said, const Speech& reference,
                                 const QString& name) {
            const Speech spoken = tts.synthesize(said, voice);
            const std::vector<float> noisy = bench::disguise(
                bench::toFloat(spoken.samples), spoken.sampleRate, bench::Disguise::Noise, 7, nullptr);
            const std::filesystem::path wav = pathOf(dir.filePath(name));
            bench::writeWav(wav, bench::resampled(noisy, spoken.sampleRate, 44100), 44100, 2);
            RecordingInfo info;
            const Speech found =
                Recording::load(wav, CancelToken{}, {}, &info, &reference, PhoneMethod::Sphinx);
            if (info.phones != "sphinx-aligned")
                throw Error(ErrorCode::Internal, "not aligned by PocketSphinx: " + info.phones);
            return found.phones;
        };
        const std::vector<Phone> first = aligned("flite:rms", text, transcript, QStringLiteral("a.wav"));
        const std::string other = "My brother Bob bought a big blue map of the moon.";
        aligned("flite:awb", other, tts.synthesize(other, RenderPipeline::kAlignmentVoice),
                QStringLiteral("b.wav"));
        for (int i = 0; i < 5; ++i)
            std::rand();
        const std::vector<Phone> again = aligned("flite:rms", text, transcript, QStringLiteral("c.wav"));
        QCOMPARE(again.size(), first.size());
        int moved = 0;
        for (std::size_t i = 0; i < first.size(); ++i)
            moved += again[i].arpabet != first[i].arpabet || again[i].start != first[i].start ||
                     again[i].end != first[i].end;
        qInfo("%d of %zu phones differ", moved, first.size());
        QCOMPARE(moved, 0);
    }

    // Words of the transcript the speaker left out, and a long pause, do not derail the words after them:
    // the left-out words get no length and every spoken word lands on its own time.
    void skippedWordsAndPausesDoNotDerail() {
        const TextToSpeech tts;
        const Speech first = tts.synthesize("My brother Bob bought a map.", "flite:rms");
        const Speech second = tts.synthesize("People pay more for maps of the moon.", "flite:rms");
        Speech spoken = Speech::silence(first.sampleRate, 0.5);
        spoken.append(first);
        spoken.append(Speech::silence(first.sampleRate, 2.5));
        spoken.append(second);
        spoken.append(Speech::silence(first.sampleRate, 0.5));
        const Speech reference =
            tts.synthesize("My brother Bob bought a big blue map. People pay more for maps of the moon.",
                           RenderPipeline::kAlignmentVoice);
        const std::optional<Speech> found = SphinxRecognizer().align(
            bench::toFloat(spoken.samples), spoken.sampleRate, reference, CancelToken{});
        QVERIFY(found.has_value());
        std::size_t s = 0;
        for (const Word& w : found->words) {
            qInfo("%s %.2f-%.2f", w.text.c_str(), w.start, w.end);
            if (w.text == "big" || w.text == "blue") {
                QVERIFY2(w.end - w.start <= 0.1, w.text.c_str());
                continue;
            }
            QVERIFY(s < spoken.words.size());
            QCOMPARE(w.text, spoken.words[s].text);
            QVERIFY2(std::abs(w.start - spoken.words[s].start) <= 0.12, w.text.c_str());
            ++s;
        }
        QCOMPARE(s, spoken.words.size());
    }

    // A long recording is aligned with its transcript in chunks (issue #13, item 4): more than one, every
    // word found, and no boundary near a chunk's join further from the truth than the worst elsewhere;
    // progress rises to the end, and cancelling half-way stops it with the job's message.
    void longRecordingsAlignInChunks() {
        const std::string paragraph = "My brother Bob bought a big blue map of the moon. People pay more for "
                                      "maps that show the deep craters.";
        const TextToSpeech tts;
        const Speech line = tts.synthesize(paragraph, "flite:rms");
        Speech spoken;
        std::string text;
        // Pauses of 0.3 to 1.5 s between the repeats, so that chunks are cut at pauses of every length.
        for (int i = 0; spoken.duration() < 3.2 * SphinxRecognizer::kChunkSeconds; ++i) {
            spoken.append(line);
            spoken.append(Speech::silence(line.sampleRate, 0.3 + 0.2 * (i % 7)));
            text += paragraph + " ";
        }
        const Speech reference = tts.synthesize(text, RenderPipeline::kAlignmentVoice);
        const std::vector<float> samples = bench::toFloat(spoken.samples);
        std::vector<double> joins, reports;
        const std::optional<Speech> found = SphinxRecognizer().align(
            samples, spoken.sampleRate, reference, CancelToken{}, [&](double f) { reports.push_back(f); },
            &joins);
        QVERIFY(found.has_value());
        qInfo("%.0f s in %zu chunks", spoken.duration(), joins.size() + 1);
        QVERIFY(joins.size() >= 2);
        QVERIFY(reports.size() >= std::size_t(spoken.duration()));
        QVERIFY(std::is_sorted(reports.begin(), reports.end()));
        QCOMPARE(reports.back(), 1.0);
        QCOMPARE(found->words.size(), spoken.words.size());
        for (std::size_t i = 0; i < found->words.size(); ++i) {
            const Word &w = found->words[i], &t = spoken.words[i];
            QCOMPARE(w.text, t.text);
            QVERIFY2(std::abs(w.start - t.start) <= 0.15,
                     (t.text + " at " + std::to_string(t.start)).c_str());
        }
        // Every true boundary's error, near a join (within a second) or elsewhere; not those between two
        // pauses (the synthesiser's own silence, then the appended one), which are no boundary to hear.
        const std::vector<double> errors = bench::boundaryErrorsMs(spoken.phones, found->phones);
        std::vector<double> nearJoins, elsewhere;
        for (std::size_t i = 1; i < spoken.phones.size(); ++i) {
            if (spoken.phones[i - 1].arpabet == "pau" && spoken.phones[i].arpabet == "pau")
                continue;
            const double t = spoken.phones[i].start;
            const bool near =
                std::any_of(joins.begin(), joins.end(), [&](double j) { return std::abs(t - j) <= 1.0; });
            (near ? nearJoins : elsewhere).push_back(errors[i - 1]);
        }
        const double worstNear = *std::max_element(nearJoins.begin(), nearJoins.end());
        const double worstElsewhere = *std::max_element(elsewhere.begin(), elsewhere.end());
        qInfo("boundaries: median %.1f ms; near the joins (%zu) median %.1f, p90 %.1f, worst %.1f ms; "
              "elsewhere (%zu) p90 %.1f, worst %.1f ms",
              bench::percentile(errors, 0.5), nearJoins.size(), bench::percentile(nearJoins, 0.5),
              bench::percentile(nearJoins, 0.9), worstNear, elsewhere.size(),
              bench::percentile(elsewhere, 0.9), worstElsewhere);
        QVERIFY(nearJoins.size() >= 10);
        QVERIFY(bench::percentile(errors, 0.5) <= 15.0);
        // Within the search's resolution (one 10 ms frame): the recording repeats one paragraph, so the same
        // boundaries come near a join and elsewhere.
        QVERIFY(worstNear <= worstElsewhere + 10.0);
        QVERIFY(bench::percentile(nearJoins, 0.9) <= bench::percentile(elsewhere, 0.9) + 10.0);
        QVERIFY(bench::percentile(nearJoins, 0.5) <= 15.0);

        CancelToken cancel;
        double last = 0;
        const Error e = errorOf([&] {
            SphinxRecognizer().align(samples, spoken.sampleRate, reference, cancel, [&](double f) {
                last = f;
                if (f >= 0.5)
                    cancel.cancel();
            });
        });
        QCOMPARE(int(e.code()), int(ErrorCode::Cancelled));
        QCOMPARE(QString::fromStdString(e.what()), QStringLiteral("The job was cancelled."));
        QVERIFY(last >= 0.5 && last < 0.55);
    }
};

QTEST_GUILESS_MAIN(TstVoice)
#include "tst_voice.moc"
