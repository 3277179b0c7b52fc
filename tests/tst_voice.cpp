// Issue #13: recordings as narration. Decoding any rate and channel count, the loudness target measured again
// on what comes out, the peak limiter, the acoustic analysis's pauses, and one clear error per bad file.
#include "AlignMetrics.h"
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

namespace {

std::filesystem::path pathOf(const QString& path) {
    return std::filesystem::path(path.toStdString());
}

// flite:kal16 is bit-exact from call to call.
const Speech& sentence() {
    static const Speech speech =
        TextToSpeech().synthesize("Maybe people will pay more for a map of the moon.", "flite:kal16");
    return speech;
}

// Runs `f` and returns the Error it throws (code Internal and an empty message when it throws none).
template <class F> Error errorOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    return Error(ErrorCode::Internal, "");
}

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

    // Without a transcript, the words recognised and aligned give the mouth shapes of a disguised recording
    // (the acoustic analysis gets about 30 % of frames right on the bench, the phone loop of the old code
    // printed beside it for comparison).
    void recognitionWithoutTranscriptFindsTheShapes_data() {
        QTest::addColumn<QString>("voice");
        QTest::addColumn<int>("disguise");
        QTest::addColumn<double>("least");
        QTest::addColumn<double>("closedLeast"); // the truth's closures (A frames) found closed
        QTest::newRow("flite:rms, pitch and tempo +8 %")
            << QStringLiteral("flite:rms") << int(bench::Disguise::PitchTempo) << 0.92 << 0.0;
        // The words heard miss closures under a music bed: the old code (words and pause fill only) got
        // 73.8 % of frames and 33 of 43 closed frames closed, this one 79.5 % and 36 of 43. flite:kal16 is
        // bit-exact from call to call, and so is what PocketSphinx makes of it.
        QTest::newRow("flite:kal16, music bed")
            << QStringLiteral("flite:kal16") << int(bench::Disguise::MusicBed) << 0.77 << 0.8;
        // White noise at 20 dB SNR: the word search hears it through NoiseReducer. Without it 52.8 % of
        // frames and 19 of 43 closed frames closed, with it 59.2 % and 27 of 43 (on the same sentence
        // flite:awb went from 54.5 to 56.3 % and flite:kal16 from 55.7 to 51.6 %: a gain on the whole, not on
        // every voice). With the rounded vowels that the phone loop and the acoustic analysis both hear
        // (HeardPhones::roundingAdded): 59.2 -> 62.4 %.
        QTest::newRow("flite:rms, white noise")
            << QStringLiteral("flite:rms") << int(bench::Disguise::Noise) << 0.61 << 0.55;
        // A woman's voice, and the same 8 % higher: the word search hears the recording with its
        // frequencies scaled down to the model's average speaker (the likeliest of 0.88, 0.92 and 1 to the
        // phone loop). Heard as it is: 66.3 % of frames and 25 of 36 closed frames closed, 46.9 % and 17 of
        // 34 with the higher pitch; scaled: 80.8 % and 30 of 36, 81.3 % and 29 of 34. (Above, flite:rms 8 %
        // higher went from 92.2 to 94.8 %; the music bed and white noise rows heard unscaled, as before.)
        QTest::newRow("flite:slt, clean")
            << QStringLiteral("flite:slt") << int(bench::Disguise::Clean) << 0.76 << 0.78;
        QTest::newRow("flite:slt, pitch and tempo +8 %")
            << QStringLiteral("flite:slt") << int(bench::Disguise::PitchTempo) << 0.75 << 0.75;
    }
    void recognitionWithoutTranscriptFindsTheShapes() {
        QFETCH(QString, voice);
        QFETCH(int, disguise);
        QFETCH(double, least);
        QFETCH(double, closedLeast);
        QTemporaryDir dir;
        const Speech spoken = TextToSpeech().synthesize(
            "My brother Bob bought a big blue map of the moon. People pay more for maps.",
            voice.toStdString());
        double scale = 1.0;
        const std::vector<float> sound = bench::disguise(bench::toFloat(spoken.samples), spoken.sampleRate,
                                                         bench::Disguise(disguise), 7, &scale);
        const std::filesystem::path wav = pathOf(dir.filePath(QStringLiteral("in.wav")));
        bench::writeWav(wav, sound, spoken.sampleRate, 2);
        RecordingInfo info;
        const Speech found = Recording::load(wav, CancelToken{}, {}, &info, nullptr, PhoneMethod::Sphinx);
        QCOMPARE(QString::fromStdString(info.phones), QStringLiteral("sphinx-words"));
        const std::string truth = bench::shapesPerFrame(
            VisemeRules().fromPhones(bench::scaled(spoken.phones, scale)), 25, found.duration());
        const auto right = [&](const std::vector<Phone>& phones) {
            return bench::frameAgreement(
                truth, bench::shapesPerFrame(VisemeRules().fromPhones(phones), 25, found.duration()));
        };
        const double phoneLoop = right(
            SphinxRecognizer().recognize(bench::toFloat(found.samples), found.sampleRate, CancelToken{}));
        const std::string shapes =
            bench::shapesPerFrame(VisemeRules().fromPhones(found.phones), 25, found.duration());
        int closures = 0, closed = 0;
        for (std::size_t f = 0; f < std::min(truth.size(), shapes.size()); ++f)
            if (truth[f] == 'A') {
                ++closures;
                closed += shapes[f] == 'A';
            }
        qInfo("shapes right on %.1f %% of frames (the phone loop: %.1f %%), closed on %d of %d closed frames",
              100.0 * right(found.phones), 100.0 * phoneLoop, closed, closures);
        QVERIFY(right(found.phones) >= least);
        QVERIFY(closed >= closedLeast * closures);
    }

    // The noise front end of the word search: a broadband hiss is told from a clean recording, a music bed
    // and a room's echo (the floor's flatness), and taken out of the pauses while the speech keeps its level.
    void noiseReducerFindsAndRemovesAHiss() {
        const Speech spoken = TextToSpeech().synthesize(
            "My brother Bob bought a big blue map of the moon. People pay more for maps.", "flite:kal16");
        const int rate = spoken.sampleRate;
        const std::vector<float> clean = bench::toFloat(spoken.samples);
        const auto sound = [&](bench::Disguise how) { return bench::disguise(clean, rate, how, 7, nullptr); };
        const std::vector<float> hiss = sound(bench::Disguise::Noise);
        for (const auto how : {bench::Disguise::Clean, bench::Disguise::Noise, bench::Disguise::Reverb,
                               bench::Disguise::MusicBed}) {
            const std::vector<float> x = sound(how);
            qInfo("%s: SNR %.1f dB, floor flatness %.2f, wanted %d", bench::disguiseName(how),
                  NoiseReducer::snrDb(x, rate), NoiseReducer::floorFlatness(x, rate),
                  int(NoiseReducer::wanted(x, rate)));
            QCOMPARE(NoiseReducer::wanted(x, rate), how == bench::Disguise::Noise);
        }
        const std::vector<float> out = NoiseReducer::reduced(hiss, rate);
        QCOMPARE(out.size(), hiss.size());
        // Power in the pauses (10 ms where the clean voice is silent) and in the speech (where it is loud),
        // before and after.
        const auto power = [&](const std::vector<float>& x, bool speech) {
            const auto hop = std::size_t(rate / 100);
            double sum = 0;
            std::size_t n = 0;
            for (std::size_t at = 0; at + hop <= x.size(); at += hop) {
                double level = 0;
                for (std::size_t i = at; i < at + hop; ++i)
                    level += double(clean[i]) * clean[i] / double(hop);
                if (speech ? level < 0.05 * 0.05 : level > 1e-6)
                    continue;
                for (std::size_t i = at; i < at + hop; ++i)
                    sum += double(x[i]) * x[i];
                n += hop;
            }
            return 10.0 * std::log10(sum / double(std::max<std::size_t>(n, 1)));
        };
        qInfo("pauses %.1f -> %.1f dB, speech %.1f -> %.1f dB", power(hiss, false), power(out, false),
              power(hiss, true), power(out, true));
        QVERIFY(power(out, false) < power(hiss, false) - 4.0); // at most 6 dB is taken out

        QVERIFY(std::abs(power(out, true) - power(hiss, true)) < 2.0);
    }

    // espeak's clean voice: PocketSphinx's word search misses about a third of its words, and hears them with
    // masking noise under the voice; the second search runs when the words last much less than the speech.
    void missedWordsAreSearchedAgainUnderNoise() {
        QTemporaryDir dir;
        const Speech spoken = TextToSpeech().synthesize(
            "My brother Bob bought a big blue map of the moon. People pay more for maps that show the deep "
            "craters. Please remember to put the maps back before five.",
            "espeak:en-us", SynthesisOptions{0.8, 0.0});
        const std::filesystem::path wav = pathOf(dir.filePath(QStringLiteral("in.wav")));
        bench::writeWav(wav, bench::toFloat(spoken.samples), spoken.sampleRate, 1);
        RecordingInfo info;
        const Speech found = Recording::load(wav, CancelToken{}, {}, &info, nullptr, PhoneMethod::Sphinx);
        QCOMPARE(QString::fromStdString(info.phones), QStringLiteral("sphinx-words"));
        const double right = bench::frameAgreement(
            bench::shapesPerFrame(VisemeRules().fromPhones(spoken.phones), 25, found.duration()),
            bench::shapesPerFrame(VisemeRules().fromPhones(found.phones), 25, found.duration()));
        // Without the second search 56.7 %, with it 65.5 % (espeak-ng and PocketSphinx are exact from run
        // to run here).
        qInfo("shapes right on %.1f %% of frames", 100.0 * right);
        QVERIFY(right >= 0.62);
    }

    // The word search's decoder takes settings over the shipped ones (for avatar-bench --word-search): a word
    // insertion penalty that forbids words hears fewer of them, and a setting PocketSphinx does not know is
    // one clear error.
    void wordSearchTakesDecoderSettings() {
        const Speech spoken = TextToSpeech().synthesize(
            "My brother Bob bought a big blue map of the moon. People pay more for maps.", "flite:kal16");
        const std::vector<float> samples = bench::toFloat(spoken.samples);
        const auto wordsHeard = [&](const SphinxRecognizer::DecoderSettings& settings) {
            double seconds = 0;
            const std::vector<std::string> sentences = SphinxRecognizer(settings).transcribe(
                samples, spoken.sampleRate, CancelToken{}, {}, &seconds);
            std::string text;
            for (const std::string& s : sentences)
                text += s + ' ';
            qInfo("%s: '%s', %.2f s of words", settings.empty() ? "shipped" : settings.front().first.c_str(),
                  text.c_str(), seconds);
            return seconds;
        };
        const double shipped = wordsHeard({});
        QVERIFY(shipped > 2.0);
        QVERIFY(wordsHeard({{"-wip", "1e-30"}}) < 0.5 * shipped);
        try {
            wordsHeard({{"-no-such-setting", "1"}});
            QFAIL("an unknown setting was taken");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidInput);
            QVERIFY(std::string(e.what()).find("-no-such-setting") != std::string::npos);
        }
    }

    // The phone loop's lip closures go into the words' alignment where the words have an open sound there;
    // closures the words already have, and those heard in the words' pauses, change nothing.
    void closuresHeardByTheLoopAreAdded() {
        const std::vector<Phone> aligned = {{"pau", "pau", 0.0, 0.2}, {"ih", "ih", 0.2, 0.3},
                                            {"g", "g", 0.3, 0.35},    {"aa", "aa", 0.35, 0.5},
                                            {"t", "t", 0.5, 0.55},    {"pau", "pau", 0.55, 0.8},
                                            {"m", "m", 0.8, 0.9},     {"ae", "ae", 0.9, 1.0}};
        const std::vector<Phone> heard = {{"pau", "pau", 0.0, 0.1}, {"p", "p", 0.1, 0.15},
                                          {"ih", "ih", 0.15, 0.28}, {"b", "b", 0.28, 0.36},
                                          {"aa", "aa", 0.36, 0.6},  {"m", "m", 0.6, 0.7},
                                          {"b", "b", 0.78, 0.85},   {"ae", "ae", 0.85, 1.0}};
        const std::vector<Phone> out = HeardPhones::closuresAdded(aligned, heard);
        std::string got;
        for (const Phone& p : out)
            got += p.arpabet + QString::asprintf("@%.2f-%.2f ", p.start, p.end).toStdString();
        qInfo("%s", got.c_str());
        // "b" replaces the end of "ih" and the whole "g" and starts "aa" later; "p" (in the leading pause),
        // "m" (in the pause) and the second "b" (over the words' own "m") are left out.
        QCOMPARE(QString::fromStdString(got),
                 QStringLiteral("pau@0.00-0.20 ih@0.20-0.28 b@0.28-0.36 aa@0.36-0.50 t@0.50-0.55 "
                                "pau@0.55-0.80 m@0.80-0.90 ae@0.90-1.00 "));
    }

    // A rounded sound that the phone loop and the acoustic analysis both hear goes into the words' track
    // over the time both hear it; one heard by the loop alone, or in the words' pauses, or where the words
    // already round the lips, changes nothing, and closures are closuresAdded's (above).
    void roundingBothReadingsHearIsAdded() {
        const std::vector<Phone> words = {{"pau", "pau", 0.0, 0.2}, {"ih", "ih", 0.2, 0.4},
                                          {"t", "t", 0.4, 0.5},     {"pau", "pau", 0.5, 0.8},
                                          {"ae", "ae", 0.8, 1.0},   {"uw", "uw", 1.0, 1.2}};
        const std::vector<Phone> heard = {{"pau", "pau", 0.0, 0.2}, {"uw", "uw", 0.22, 0.38},
                                          {"m", "m", 0.42, 0.48},   {"w", "w", 0.6, 0.7},
                                          {"uw", "uw", 0.85, 0.95}, {"w", "w", 1.0, 1.1}};
        const std::vector<Phone> measured = {{"pau", "pau", 0.0, 0.25}, {"uw", "uw", 0.25, 0.4},
                                             {"m", "m", 0.4, 0.46},     {"uw", "uw", 0.46, 0.8},
                                             {"aa", "aa", 0.8, 1.0},    {"uw", "uw", 1.0, 1.2}};
        std::string got;
        for (const Phone& p : HeardPhones::roundingAdded(words, heard, measured))
            got += p.arpabet + QString::asprintf("@%.2f-%.2f ", p.start, p.end).toStdString();
        qInfo("%s", got.c_str());
        QCOMPARE(QString::fromStdString(got),
                 QStringLiteral("pau@0.00-0.20 ih@0.20-0.25 uw@0.25-0.38 ih@0.38-0.40 t@0.40-0.50 "
                                "pau@0.50-0.80 ae@0.80-1.00 uw@1.00-1.20 "));
    }

    // A long recording is recognised in chunks cut at pauses: progress rises every second of sound, speech
    // is found through every chunk up to the end, and cancelling mid-way stops it there.
    void longRecordingsGoInChunksWithProgressAndCancel() {
        const Speech line =
            TextToSpeech().synthesize("Maybe people will pay more for a map of the moon.", "flite:kal16");
        Speech spoken;
        while (spoken.duration() < 2.2 * SphinxRecognizer::kChunkSeconds) {
            spoken.append(line);
            spoken.append(Speech::silence(line.sampleRate, 0.6));
        }
        const std::vector<float> samples = bench::toFloat(spoken.samples);
        std::vector<double> reports;
        const std::vector<Phone> phones = SphinxRecognizer().recognize(
            samples, spoken.sampleRate, CancelToken{}, [&](double f) { reports.push_back(f); });
        QVERIFY(reports.size() >= std::size_t(spoken.duration()));
        QVERIFY(std::is_sorted(reports.begin(), reports.end()));
        QCOMPARE(reports.back(), 1.0);
        // Speech against pause per 10 ms, through the whole recording (a lost chunk would be all pause).
        const auto pauseAt = [](const std::vector<Phone>& list, double t) {
            for (const Phone& p : list)
                if (p.start <= t && t < p.end)
                    return p.arpabet == "pau";
            return true;
        };
        for (double from = 0; from + 10 < spoken.duration(); from += 10) {
            int same = 0, frames = 0;
            for (double t = from + 0.005; t < from + 10; t += 0.01, ++frames)
                same += pauseAt(spoken.phones, t) == pauseAt(phones, t);
            qInfo("%.0f s: pause/speech agree on %d of %d frames", from, same, frames);
            QVERIFY(same >= 0.85 * frames);
        }

        CancelToken cancel;
        double last = 0;
        const Error e = errorOf([&] {
            SphinxRecognizer().recognize(samples, spoken.sampleRate, cancel, [&](double f) {
                last = f;
                if (f >= 0.3)
                    cancel.cancel();
            });
        });
        QCOMPARE(int(e.code()), int(ErrorCode::Cancelled));
        QVERIFY(last >= 0.3 && last < 0.35);
    }
};

QTEST_GUILESS_MAIN(TstVoice)
#include "tst_voice.moc"
