#include "voice/Recording.h"

#include "core/Error.h"
#include "media/AudioDecoder.h"
#include "tts/TextToSpeech.h"
#include "voice/AcousticPhones.h"
#include "voice/HeardPhones.h"
#include "voice/NoiseReducer.h"
#include "voice/PeakLimiter.h"
#include "voice/SphinxRecognizer.h"
#include "voice/TranscriptAligner.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>

namespace avatar {

namespace {

// `sentences` spoken one after the other by the alignment voice: the words and phones a transcript of them
// has (only their order and pace matter to the alignment, so the sound is dropped). A sentence the
// synthesiser refuses is left out; the alignment skips what it cannot find.
Speech spoken(const std::vector<std::string>& sentences) {
    const TextToSpeech tts;
    Speech all;
    double at = 0;
    for (const std::string& sentence : sentences) {
        Speech one;
        try {
            one = tts.synthesize(sentence, Recording::kAlignmentVoice);
        } catch (const Error&) {
            continue;
        }
        for (Phone p : one.phones) {
            p.start += at;
            p.end += at;
            all.phones.push_back(std::move(p));
        }
        for (Word w : one.words) {
            w.start += at;
            w.end += at;
            all.words.push_back(std::move(w));
        }
        at += one.duration();
        all.sampleRate = one.sampleRate;
    }
    return all;
}

// `samples` with white noise `snrDb` under the loudness of their audible part (a fixed seed: the same file
// gives the same words, and the cache's key holds). PocketSphinx's word search missed a third of the words of
// espeak's clean voice (its words lasted 66-84 % of the speech the phone loop heard, against 91-106 % for
// every other voice and disguise on avatar-bench --suite align) and heard nearly all of them with such noise
// at 30 dB: the same noise took 5-20 points of frames from the flite voices, so it is only a second try.
std::vector<float> masked(const std::vector<float>& samples, double snrDb) {
    double power = 0;
    std::size_t audible = 0;
    for (const float v : samples)
        if (std::abs(v) > 1e-3f) {
            power += double(v) * double(v);
            ++audible;
        }
    const double sigma =
        std::sqrt(power / double(std::max<std::size_t>(audible, 1))) * std::pow(10.0, -snrDb / 20.0);
    std::mt19937 random(20261206);
    std::normal_distribution<float> gauss(0.0f, float(sigma));
    std::vector<float> out = samples;
    for (float& v : out)
        v += gauss(random);
    return out;
}

} // namespace

Speech Recording::load(const std::filesystem::path& path, const CancelToken& cancel,
                       const ProgressCallback& progress, RecordingInfo* info, const Speech* transcript,
                       PhoneMethod method, const SphinxRecognizer::Settings& decoders) {
    // Decoding and phone recognition take about as long as each other.
    constexpr double kDecodeShare = 0.5;
    AudioDecoder::Options options;
    options.sampleRate = kSampleRate;
    options.maxSeconds = kMaxSeconds;
    DecodedAudio audio = AudioDecoder::decode(path, options, cancel, [&](double fraction) {
        if (progress)
            progress(kDecodeShare * fraction);
    });
    if (audio.samples.empty() || audio.loudness < kSilentLufs || audio.peak < 1e-4)
        throw Error(ErrorCode::InvalidInput,
                    "The recording '" + path.string() +
                        "' is silent: nothing in it is loud enough to be speech (check the microphone).");

    // One gain for the whole file keeps the speaker's own dynamics; the few peaks it would push over the
    // ceiling are limited (speech peaks 15-20 dB above its loudness, more than -16 LUFS leaves room for).
    // Limiting lowers the loudness a little, so the gain is corrected once by what the meter then says.
    const std::vector<float> source = audio.samples;
    double gainDb = kTargetLufs - audio.loudness;
    double loudness = audio.loudness;
    for (int pass = 0; pass < 2; ++pass) {
        const auto gain = static_cast<float>(std::pow(10.0, gainDb / 20.0));
        for (std::size_t i = 0; i < source.size(); ++i)
            audio.samples[i] = source[i] * gain;
        PeakLimiter(kPeakCeilingDb, audio.sampleRate).apply(audio.samples);
        cancel.throwIfCancelled();
        loudness = AudioDecoder::loudness(audio.samples, audio.sampleRate);
        if (std::abs(loudness - kTargetLufs) < 0.2)
            break;
        gainDb += kTargetLufs - loudness;
    }

    Speech speech;
    speech.sampleRate = audio.sampleRate;
    speech.samples.resize(audio.samples.size());
    std::transform(audio.samples.begin(), audio.samples.end(), speech.samples.begin(), [](float s) {
        return static_cast<std::int16_t>(std::lround(std::clamp(s, -1.0f, 1.0f) * 32767.0f));
    });
    const auto analysing = [&](double fraction) {
        if (progress)
            progress(kDecodeShare + (1.0 - kDecodeShare) * fraction);
    };
    const bool sphinx =
        method == PhoneMethod::Sphinx || (method == PhoneMethod::Auto && SphinxRecognizer::available());
    std::string found = "acoustic";
    if (transcript && method != PhoneMethod::Acoustic) {
        std::optional<Speech> timed;
        if (sphinx) {
            // A hiss makes the forced alignment squeeze short words too (tst_render_e2e's astronaut row:
            // "blue" lost its vowel to a closure 250 ms long in a loud stretch); through NoiseReducer it
            // keeps them. avatar-bench --suite align: noise-20db 85.3 -> 87.0 % of frames, the other
            // disguises never reach the reducer (docs/PERFORMANCE.md).
            const bool hiss = NoiseReducer::wanted(audio.samples, audio.sampleRate);
            timed = SphinxRecognizer().align(hiss ? NoiseReducer::reduced(audio.samples, audio.sampleRate)
                                                  : audio.samples,
                                             audio.sampleRate, *transcript, cancel, analysing);
        }
        found = timed ? "sphinx-aligned" : "warp-aligned";
        if (!timed && method == PhoneMethod::Sphinx)
            throw Error(ErrorCode::InvalidInput, "The recording '" + path.string() +
                                                     "' does not follow its transcript: check that the text "
                                                     "is what is spoken.");
        if (!timed)
            timed = TranscriptAligner().align(audio.samples, audio.sampleRate, *transcript, cancel);
        speech.phones = std::move(timed->phones);
        speech.words = std::move(timed->words);
    } else if (sphinx) {
        // Without a transcript, `Auto` hears the words too (PocketSphinx's model is US English: the pipeline
        // asks for `Acoustic` in other languages): 72.2 % of avatar-bench's frames get the true shape over
        // its two paragraphs (the acoustic analysis alone: 28 % on the first) (docs/PERFORMANCE.md). The
        // words heard, spoken by the alignment voice and aligned like a transcript: the phones then come from
        // words (with the reductions of running speech), not from a phone loop that hears any sequence
        // (avatar-bench --suite align: docs/PERFORMANCE.md). The phone loop fills the alignment's long
        // pauses, adds the rounded sounds the acoustic analysis also hears, and stands in where no word was
        // heard or the alignment fails.
        const SphinxRecognizer recognizer(decoders);
        const auto share = [&](double from, double width) {
            return [&analysing, from, width](double fraction) { analysing(from + width * fraction); };
        };
        // The order matters: the loop's phones depend on what its decoder heard before (the front end's
        // noise estimate carries over), and after the alignment they were measured the better (a tst_voice
        // case: 79.5 % of frames against 77.0 % with the loop first).
        // A hiss (white noise at 20 dB SNR on avatar-bench) made the word search hear fricatives and lose
        // closures: it hears such a recording through NoiseReducer. Here the alignment of the words heard and
        // the phone loop hear the recording as it is (given the reduced one too, they lost what the words
        // gained; a transcript's alignment, above, gains from it).
        const bool hiss = NoiseReducer::wanted(audio.samples, audio.sampleRate);
        const std::vector<float> reduced =
            hiss ? NoiseReducer::reduced(audio.samples, audio.sampleRate) : std::vector<float>();
        // The speaker's vocal tract: PocketSphinx's model hears a voice best whose formants lie near its
        // average speaker's, and a woman's or a child's lie higher (flite:slt's words heard with every
        // frequency 8 % lower: 61.2 -> 67.6 % of frames on its clean, noisy and reverberant recordings of
        // avatar-bench, the men's voices 0-15 points lower). So the word search hears the recording at the
        // scale of its frequencies that the phone loop finds likeliest (vocal tract length normalisation by
        // maximum likelihood; SphinxRecognizer::likelihood counts the same frames at every scale, without
        // which stretched sound scored better per frame and men's voices heard against a music bed were
        // scaled too): flite:slt 62.9 -> 72.8 %, all 60 recordings 67.5 -> 69.7 % (docs/PERFORMANCE.md).
        // Scales above 1 are left out: the model's average speaker is a man. The scoring reports no
        // progress (three passes of the phone loop, about a fifth of the time); it checks `cancel`.
        constexpr double kScales[] = {0.88, 0.92, 1.0};
        double warp = 1.0, likeliest = -std::numeric_limits<double>::infinity();
        for (const double scale : kScales) {
            const double likelihood =
                SphinxRecognizer::likelihood(hiss ? reduced : audio.samples, audio.sampleRate, scale, cancel);
            if (likelihood > likeliest) {
                likeliest = likelihood;
                warp = scale;
            }
        }
        // The sound resampled as if recorded at this rate has its frequencies (and tempo) scaled by `warp`.
        const int warpedRate = static_cast<int>(std::lround(audio.sampleRate * warp));
        // The words heard in `samples` at that scale; `wordSeconds` in the recording's time.
        const auto transcribed = [&](const std::vector<float>& samples,
                                     const SphinxRecognizer::ProgressCallback& p, double* wordSeconds) {
            std::vector<std::string> words =
                recognizer.transcribe(samples, warpedRate, cancel, p, wordSeconds);
            *wordSeconds *= warp;
            return words;
        };
        double wordSeconds = 0;
        std::vector<std::string> heard =
            transcribed(hiss ? reduced : audio.samples, share(0.0, 0.45), &wordSeconds);
        std::optional<Speech> timed;
        if (!heard.empty())
            timed =
                recognizer.align(audio.samples, audio.sampleRate, spoken(heard), cancel, share(0.45, 0.2));
        // Where the words heard through the reducer do not align (flite:slt with noise on avatar-bench, twice
        // in 60 recordings: the phone loop alone then got 39-42 % of frames against 44-57 % for the words
        // heard without it), the recording's own words, as before.
        if (hiss && !timed) {
            heard = transcribed(audio.samples, {}, &wordSeconds);
            if (!heard.empty())
                timed = recognizer.align(audio.samples, audio.sampleRate, spoken(heard), cancel, {});
        }
        // The loop hears the recording as it is: heard at the words' scale, it found espeak's clean voice
        // speaking less, which took its second word search away (36 recordings: 66.9 -> 66.5 % of frames).
        std::vector<Phone> heardPhones =
            recognizer.recognize(audio.samples, audio.sampleRate, cancel, share(0.65, 0.1));
        double speaking = 0; // how long the phone loop hears speech
        for (const Phone& p : heardPhones)
            speaking += p.arpabet == "pau" ? 0.0 : p.end - p.start;
        // Words lasting much less than the speech: the search missed words (espeak's voice); once more with
        // masking noise, kept (and aligned) where its words cover more of the speech.
        constexpr double kMissedWords = 0.88, kMaskSnrDb = 30.0;
        if (wordSeconds < kMissedWords * speaking) {
            double maskedSeconds = 0;
            std::vector<std::string> again =
                transcribed(masked(audio.samples, kMaskSnrDb), share(0.75, 0.15), &maskedSeconds);
            if (maskedSeconds > 1.1 * wordSeconds) {
                std::optional<Speech> retimed =
                    recognizer.align(audio.samples, audio.sampleRate, spoken(again), cancel, share(0.9, 0.1));
                if (retimed)
                    timed = std::move(retimed);
            }
        }
        if (timed) {
            // Rounded sounds that the loop and the acoustic analysis both hear outvote the words (white noise
            // and reverberation: the words miss them); where the loop fills the words' pauses, what the
            // acoustic analysis hears as a pause stays one. The loop's closures stay out
            // (HeardPhones::closuresAdded): they gained on the bench's paragraph, dense in m, b and p, and
            // lost more on ordinary prose (docs/PERFORMANCE.md, "an ordinary paragraph").
            const std::vector<Phone> measured =
                AcousticPhones().analyze(audio.samples, audio.sampleRate, cancel);
            speech.phones = HeardPhones::roundingAdded(
                HeardPhones::pausesFilled(timed->phones, heardPhones, measured), heardPhones, measured);
            found = "sphinx-words";
        } else {
            speech.phones = std::move(heardPhones);
            found = "sphinx-phones";
        }
    } else
        speech.phones = AcousticPhones().analyze(audio.samples, audio.sampleRate, cancel);
    speech.normalizeTimeline();
    if (info) {
        info->codec = audio.codec;
        info->sourceRate = audio.sourceRate;
        info->sourceChannels = audio.sourceChannels;
        info->duration = audio.duration();
        info->sourceLoudness = audio.loudness;
        info->gainDb = gainDb;
        info->loudness = loudness;
        info->phones = found;
    }
    if (progress)
        progress(1.0);
    return speech;
}

} // namespace avatar
