// Issue #13, item 3: recordings without a transcript. The words PocketSphinx hears, aligned, give the mouth
// shapes of disguised recordings (noise, a music bed, a pitch and tempo change, a woman's voice), with the
// noise front end, the second word search under masking noise, the phone loop's closures and rounding, the
// word search's settings, and long recordings recognised in chunks with progress and cancellation.
#include "AlignMetrics.h"
#include "VoiceChecks.h"
#include "core/Error.h"
#include "lipsync/VisemeRules.h"
#include "tts/TextToSpeech.h"
#include "voice/AcousticPhones.h"
#include "voice/HeardPhones.h"
#include "voice/NoiseReducer.h"
#include "voice/Recording.h"
#include "voice/SphinxRecognizer.h"

#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <random>

using namespace avatar;
using avatar::test::errorOf;
using avatar::test::pathOf;
using avatar::test::sentence;

class TstVoiceHeard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Without a transcript, the words recognised and aligned give the mouth shapes of a disguised recording
    // (the acoustic analysis gets about 30 % of frames right on the bench, the phone loop of the old code
    // printed beside it for comparison).
    void recognitionWithoutTranscriptFindsTheShapes_data() {
        QTest::addColumn<QString>("voice");
        QTest::addColumn<int>("disguise");
        QTest::addColumn<double>("least");
        QTest::addColumn<double>("closedLeast"); // the truth's closures (A frames) found closed
        // The figures in the comments below were scored with VisemeRules before 2026-12-07 (branch sync15),
        // whose lip closures took 40-120 ms of the vowel before and lasted 80 ms or more. Since then a
        // closure starts with its P or B and lasts 40 ms or more, so the truth has fewer closed frames and a
        // closure found a few ms off turns its one frame more often. With the same phones found (the
        // recognition did not change), the rows below went 94.8 -> 93.1 %, 36/36 -> 25/26 closed;
        // 73.8 -> 70.5 %, 33/43 -> 21/31; 62.4 -> 60.8 %, 27/43 -> 18/31; 78.8 -> 76.9 %, 27/36 -> 19/28;
        // 80.2 -> 78.1 %, 28/34 -> 19/26 (the closed frames missed: 0, 10, 16, 9, 6 before; 1, 10, 13, 9, 7
        // after). The floors moved with the scoring.
        QTest::newRow("flite:rms, pitch and tempo +8 %")
            << QStringLiteral("flite:rms") << int(bench::Disguise::PitchTempo) << 0.91 << 0.0;
        // The words heard miss closures under a music bed: 73.8 % of frames and 33 of 43 closed frames
        // closed; with the phone loop's closures put in (HeardPhones::closuresAdded, in the merge until they
        // were measured on a second, ordinary paragraph: docs/PERFORMANCE.md) 79.5 % and 36 of 43.
        // flite:kal16 is bit-exact from call to call, and so is what PocketSphinx makes of it.
        QTest::newRow("flite:kal16, music bed")
            << QStringLiteral("flite:kal16") << int(bench::Disguise::MusicBed) << 0.69 << 0.65;
        // White noise at 20 dB SNR: the word search hears it through NoiseReducer. Without it 52.8 % of
        // frames and 19 of 43 closed frames closed, with it 59.2 % and 27 of 43 (on the same sentence
        // flite:awb went from 54.5 to 56.3 % and flite:kal16 from 55.7 to 51.6 %: a gain on the whole, not on
        // every voice). With the rounded vowels that the phone loop and the acoustic analysis both hear
        // (HeardPhones::roundingAdded): 59.2 -> 62.4 %.
        QTest::newRow("flite:rms, white noise")
            << QStringLiteral("flite:rms") << int(bench::Disguise::Noise) << 0.59 << 0.55;
        // A woman's voice, and the same 8 % higher: the word search hears the recording with its
        // frequencies scaled down to the model's average speaker (the likeliest of 0.88, 0.92 and 1 to the
        // phone loop). Heard as it is: 66.3 % of frames and 25 of 36 closed frames closed, 46.9 % and 17 of
        // 34 with the higher pitch; scaled: 80.8 % and 30 of 36, 81.3 % and 29 of 34. (Above, flite:rms 8 %
        // higher went from 92.2 to 94.8 %; the music bed and white noise rows heard unscaled, as before.)
        // Without the loop's closures (this sentence is dense in m, b and p): 78.8 % and 27 of 36, 80.2 % and
        // 28 of 34.
        QTest::newRow("flite:slt, clean")
            << QStringLiteral("flite:slt") << int(bench::Disguise::Clean) << 0.75 << 0.65;
        QTest::newRow("flite:slt, pitch and tempo +8 %")
            << QStringLiteral("flite:slt") << int(bench::Disguise::PitchTempo) << 0.75 << 0.70;
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
            const std::vector<std::string> sentences =
                SphinxRecognizer({settings, {}})
                    .transcribe(samples, spoken.sampleRate, CancelToken{}, {}, &seconds);
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

    // The phone loop takes settings of its own (for avatar-bench --phone-loop): with its language model
    // weightless and near-greedy beams it hears more sounds (53 -> 57); the alignment made on the same
    // decoder afterwards keeps the shipped settings, the same phones to the sample as a decoder given none
    // (with the loop's beams left in force it lost a phone); a setting the loop does not take is one clear
    // error.
    void phoneLoopTakesDecoderSettings() {
        const std::string text =
            "My brother Bob bought a big blue map of the moon. People pay more for maps.";
        const Speech spoken = TextToSpeech().synthesize(text, "flite:kal16");
        const Speech reference =
            TextToSpeech().synthesize(text, "flite:slt"); // as the alignment voice says it
        const std::vector<float> samples = bench::toFloat(spoken.samples);
        const auto sounds = [](const std::vector<Phone>& phones) {
            return std::count_if(phones.begin(), phones.end(),
                                 [](const Phone& p) { return p.arpabet != "pau"; });
        };
        const SphinxRecognizer shipped;
        const SphinxRecognizer given({{}, {{"-lw", "0.01"}, {"-beam", "1e-2"}, {"-pbeam", "1e-2"}}});
        const auto heard = sounds(shipped.recognize(samples, spoken.sampleRate, CancelToken{}));
        const auto heardGiven = sounds(given.recognize(samples, spoken.sampleRate, CancelToken{}));
        qInfo("the loop heard %td sounds, with the settings %td", heard, heardGiven);
        QVERIFY(heard > 20);
        QVERIFY(heardGiven > heard);
        const std::optional<Speech> aligned =
            shipped.align(samples, spoken.sampleRate, reference, CancelToken{});
        const std::optional<Speech> alignedGiven =
            given.align(samples, spoken.sampleRate, reference, CancelToken{});
        QVERIFY(aligned && alignedGiven);
        QCOMPARE(alignedGiven->phones.size(), aligned->phones.size());
        for (std::size_t i = 0; i < aligned->phones.size(); ++i) {
            QCOMPARE(alignedGiven->phones[i].arpabet, aligned->phones[i].arpabet);
            QCOMPARE(alignedGiven->phones[i].start, aligned->phones[i].start);
            QCOMPARE(alignedGiven->phones[i].end, aligned->phones[i].end);
        }
        for (const SphinxRecognizer::DecoderSettings& wrong : std::vector<SphinxRecognizer::DecoderSettings>{
                 {{"-no-such-setting", "1"}}, {{"-lw", "heavy"}}, {{"-dict", "/dev/null"}}}) {
            const Error e = errorOf([&] {
                static_cast<void>(SphinxRecognizer(SphinxRecognizer::Settings{{}, wrong}));
            });
            QCOMPARE(e.code(), ErrorCode::InvalidInput);
            QVERIFY(std::string(e.what()).find(wrong.front().first) != std::string::npos);
        }
    }

    // The phone loop's phonetic language model weighs 0.5, a quarter of the decoder's (and Rhubarb Lip
    // Sync's) 2.0, which the alignment keeps: the shipped loop hears what the loop given "-lw 0.5" hears, not
    // what it hears at 2.0 (docs/PERFORMANCE.md: the decoders' remaining settings).
    void phoneLoopWeighsItsLanguageModelLightly() {
        const Speech spoken = TextToSpeech().synthesize(
            "My brother Bob bought a big blue map of the moon. People pay more for maps.", "flite:kal16");
        const std::vector<float> samples = bench::toFloat(spoken.samples);
        const auto heard = [&](const SphinxRecognizer::DecoderSettings& loop) {
            std::string phones;
            for (const Phone& p :
                 SphinxRecognizer({{}, loop}).recognize(samples, spoken.sampleRate, CancelToken{}))
                phones += p.arpabet + ' ';
            return phones;
        };
        const std::string shipped = heard({}), light = heard({{"-lw", "0.5"}}),
                          rhubarb = heard({{"-lw", "2.0"}});
        qInfo("shipped: %s\nat 2.0:  %s", shipped.c_str(), rhubarb.c_str());
        QCOMPARE(shipped, light);
        QVERIFY(shipped != rhubarb);
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

    // The loop's closures need a dip in the speech band's level (real audio: a closed mouth silences the
    // voice); one heard over a steady vowel stays out. In the words' short pauses they need none.
    void closuresNeedADipInTheVoice() {
        const Speech& s = sentence();
        const std::vector<double> level =
            HeardPhones::speechBandLevel(bench::toFloat(s.samples), s.sampleRate);
        QCOMPARE(level.size(), s.samples.size() / std::size_t(s.sampleRate / 100));
        // The words with every m, b, p opened (ah); the loop hears the true closures and an "m" in the middle
        // of every long vowel.
        std::vector<Phone> words, heard, steady;
        for (std::size_t i = 0; i < s.phones.size(); ++i) {
            const Phone& p = s.phones[i];
            const bool closed = p.arpabet == "m" || p.arpabet == "b" || p.arpabet == "p";
            words.push_back(closed ? Phone{"ah", "ah", p.start, p.end} : p);
            if (closed && i > 0 && s.phones[i - 1].arpabet != "pau")
                heard.push_back(p);
            else if (p.arpabet.find_first_of("aeiou") == 0 && p.end - p.start > 0.12) // a vowel
                steady.push_back({"m", "m", 0.5 * (p.start + p.end) - 0.03, 0.5 * (p.start + p.end) + 0.03});
        }
        const auto kept = [](const std::vector<Phone>& out, const std::vector<Phone>& wanted) {
            int n = 0;
            for (const Phone& w : wanted)
                for (const Phone& p : out)
                    n += p.arpabet == w.arpabet && p.start == w.start && p.end == w.end;
            return n;
        };
        std::vector<Phone> all = heard;
        all.insert(all.end(), steady.begin(), steady.end());
        const std::vector<Phone> out = HeardPhones::closuresAdded(words, all, level);
        qInfo("closures kept %d of %d, steady vowels' m kept %d of %d", kept(out, heard), int(heard.size()),
              kept(out, steady), int(steady.size()));
        QVERIFY(heard.size() >= 4 && steady.size() >= 3);
        QCOMPARE(kept(out, heard), int(heard.size()));
        QVERIFY(2 * kept(out, steady) < int(steady.size())); // 1 of 4 (a 136 ms vowel: a dip at its edge)
        QCOMPARE(kept(HeardPhones::closuresAdded(words, steady), steady), int(steady.size())); // no level
        // A closure heard in a pause of 120 ms goes in.
        const std::vector<Phone> paused = {
            {"ae", "ae", 0.0, 0.2}, {"pau", "pau", 0.2, 0.32}, {"ae", "ae", 0.32, 0.5}};
        QCOMPARE(kept(HeardPhones::closuresAdded(paused, {{"p", "p", 0.22, 0.3}}), {{"p", "p", 0.22, 0.3}}),
                 1);
    }

    // Where the word search heard nothing, the loop's phones fill the words' pause, but what the acoustic
    // analysis hears as a pause stays one (real audio: the sentence twice, half a second of silence before,
    // between and after, with white noise 20 dB under the voice, in which the loop hears phones).
    void filledPausesKeepWhatIsSilent() {
        const Speech& line = sentence();
        Speech spoken = Speech::silence(line.sampleRate, 0.5);
        spoken.append(line);
        spoken.append(Speech::silence(line.sampleRate, 0.5));
        spoken.append(line);
        spoken.append(Speech::silence(line.sampleRate, 0.5));
        spoken.normalizeTimeline();
        const std::vector<float> samples = bench::disguise(bench::toFloat(spoken.samples), spoken.sampleRate,
                                                           bench::Disguise::Noise, 7, nullptr);
        const double end = spoken.duration();
        const std::vector<Phone> words = {{"pau", "pau", 0.0, end}}; // no word heard
        const std::vector<Phone> heard = {{"ah", "ah", 0.0, end}};   // the loop hears a sound throughout
        const std::vector<Phone> measured =
            AcousticPhones().analyze(samples, spoken.sampleRate, CancelToken{});
        const auto pauseAt = [](const std::vector<Phone>& list, double t) {
            for (const Phone& p : list)
                if (p.start <= t && t < p.end)
                    return p.arpabet == "pau";
            return true;
        };
        const auto agreement = [&](const std::vector<Phone>& out, bool pauses) {
            int same = 0, frames = 0;
            for (double t = 0.005; t < end; t += 0.01)
                if (pauseAt(spoken.phones, t) == pauses) {
                    ++frames;
                    same += pauseAt(out, t) == pauses;
                }
            return double(same) / std::max(frames, 1);
        };
        const std::vector<Phone> before = HeardPhones::pausesFilled(words, heard);
        const std::vector<Phone> after = HeardPhones::pausesFilled(words, heard, measured);
        qInfo(
            "truth's pauses kept: %.2f without the measured pauses, %.2f with; its speech filled: %.2f, %.2f",
            agreement(before, true), agreement(after, true), agreement(before, false),
            agreement(after, false));
        QCOMPARE(agreement(before, true), 0.0);
        QVERIFY(agreement(after, true) >= 0.9);
        // Most of the speech keeps the loop's phones (0.69: the holds of its stops and its weak consonants
        // are quiet under the hiss too).
        QVERIFY(agreement(after, false) >= 0.6);
        // Phones the measured pauses cut stay in time order and tile the words' pause.
        for (std::size_t i = 1; i < after.size(); ++i)
            QCOMPARE(after[i].start, after[i - 1].end);
        QCOMPARE(after.front().start, 0.0);
        QCOMPARE(after.back().end, end);
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

QTEST_GUILESS_MAIN(TstVoiceHeard)
#include "tst_voice_heard.moc"
