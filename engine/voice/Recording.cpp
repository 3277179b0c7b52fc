#include "voice/Recording.h"

#include "core/Error.h"
#include "media/AudioDecoder.h"
#include "tts/TextToSpeech.h"
#include "voice/AcousticPhones.h"
#include "voice/PeakLimiter.h"
#include "voice/SphinxRecognizer.h"
#include "voice/TranscriptAligner.h"

#include <algorithm>
#include <cmath>
#include <optional>

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

// `aligned` with each of its pauses over 150 ms replaced by what `heard` (the phone loop's phones, tiling the
// same time) has in it: the alignment skips a misheard word and gives its time to a pause, which left the
// mouth at rest through whole phrases of espeak's voice (avatar-bench --suite align); where the phone loop
// also hears a pause, it stays one.
std::vector<Phone> pausesFilled(const std::vector<Phone>& aligned, const std::vector<Phone>& heard) {
    constexpr double kLongPause = 0.15;
    std::vector<Phone> out;
    for (const Phone& p : aligned) {
        if (p.arpabet != "pau" || p.end - p.start <= kLongPause) {
            out.push_back(p);
            continue;
        }
        double at = p.start;
        for (const Phone& h : heard)
            if (h.end > at && h.start < p.end) {
                out.push_back({h.arpabet, h.arpabet, at, std::min(h.end, p.end)});
                at = out.back().end;
            }
        if (at < p.end)
            out.push_back({"pau", "pau", at, p.end});
    }
    return out;
}

} // namespace

Speech Recording::load(const std::filesystem::path& path, const CancelToken& cancel,
                       const ProgressCallback& progress, RecordingInfo* info, const Speech* transcript,
                       PhoneMethod method) {
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
        if (sphinx)
            timed = SphinxRecognizer().align(audio.samples, audio.sampleRate, *transcript, cancel, analysing);
        found = timed ? "sphinx-aligned" : "warp-aligned";
        if (!timed && method == PhoneMethod::Sphinx)
            throw Error(ErrorCode::InvalidInput, "The recording '" + path.string() +
                                                     "' does not follow its transcript: check that the text "
                                                     "is what is spoken.");
        if (!timed)
            timed = TranscriptAligner().align(audio.samples, audio.sampleRate, *transcript, cancel);
        speech.phones = std::move(timed->phones);
        speech.words = std::move(timed->words);
    } else if (method == PhoneMethod::Sphinx) {
        // The words heard, spoken by the alignment voice and aligned like a transcript: the phones then come
        // from words (with the reductions of running speech), not from a phone loop that hears any sequence
        // (avatar-bench --suite align: docs/PERFORMANCE.md). The phone loop fills the alignment's long
        // pauses, and stands in where no word was heard or the alignment fails.
        const SphinxRecognizer recognizer;
        const auto share = [&](double from, double width) {
            return [&analysing, from, width](double fraction) { analysing(from + width * fraction); };
        };
        std::optional<Speech> timed;
        const std::vector<std::string> heard =
            recognizer.transcribe(audio.samples, audio.sampleRate, cancel, share(0.0, 0.6));
        if (!heard.empty())
            timed =
                recognizer.align(audio.samples, audio.sampleRate, spoken(heard), cancel, share(0.6, 0.25));
        std::vector<Phone> heardPhones =
            recognizer.recognize(audio.samples, audio.sampleRate, cancel, share(0.85, 0.15));
        if (timed) {
            speech.phones = pausesFilled(timed->phones, heardPhones);
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
