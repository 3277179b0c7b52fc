#include "FliteSynth.h"

#include "Arpabet.h"
#include "LibcRandom.h"
#include "core/Error.h"

#include <flite/flite.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <memory>
#include <mutex>
#include <vector>

// The voices' entry points: each lives in its own libflite_cmu_us_*.so and no Flite header declares them.
extern "C" {
cst_voice* register_cmu_us_slt(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_kal16(const char* voxdir);
cst_voice* register_cmu_us_kal(const char* voxdir);
}

namespace avatar {

namespace {

struct VoiceSpec {
    const char* id;
    const char* name;
    const char* language;
    const char* gender;
    cst_voice* (*registerVoice)(const char*);
};

const VoiceSpec kVoiceSpecs[] = {
    {"flite:slt", "Flite SLT (US English, female)", "en-US", "female", register_cmu_us_slt},
    {"flite:awb", "Flite AWB (Scottish English, male)", "en-GB", "male", register_cmu_us_awb},
    {"flite:rms", "Flite RMS (US English, male)", "en-US", "male", register_cmu_us_rms},
    {"flite:kal16", "Flite KAL16 (US English, male)", "en-US", "male", register_cmu_us_kal16},
    {"flite:kal", "Flite KAL (US English, male, 8 kHz)", "en-US", "male", register_cmu_us_kal},
};

struct UtteranceDeleter {
    void operator()(cst_utterance* utterance) const { delete_utterance(utterance); }
};
using UtterancePtr = std::unique_ptr<cst_utterance, UtteranceDeleter>;

// Flite reports fatal errors through cst_error(), which exit()s the whole process unless the global
// cst_errjmp points at a jmp_buf. This frame owns no C++ objects, so the longjmp skips no destructors; what
// Flite had allocated for the failed utterance leaks, which beats losing the process. Returns nullptr on
// failure. The caller holds the library lock, which also protects cst_errjmp.
cst_utterance* synthesizeGuarded(const char* text, cst_voice* voice) {
    std::jmp_buf env;
    std::jmp_buf* const previous = cst_errjmp;
    cst_utterance* volatile utterance = nullptr;
    if (setjmp(env) == 0) {
        cst_errjmp = &env;
        utterance = flite_synth_text(text, voice);
    }
    cst_errjmp = previous;
    return utterance;
}

// Applies speed and pitch to a Flite voice for one synthesis and puts the voice back as it was afterwards.
// Flite reads "duration_stretch" (every voice), "int_f0_target_mean" (Hz; the diphone voices kal and kal16
// carry it) and otherwise "f0_shift" (a multiplier; clustergen voices slt, awb, rms). A feature the voice
// does not carry is never invented with a guessed value (clustergen would take a made-up mean literally), and
// is removed again.
class VoiceTuning {
public:
    VoiceTuning(cst_voice* voice, const SynthesisOptions& options) : m_features(voice->features) {
        const double factor = std::pow(2.0, options.pitch / 12.0);
        scale("duration_stretch", 1.0 / options.speed, true);
        // Diphone voices set their pitch by target mean; clustergen voices by shift (both would compound).
        if (feat_present(m_features, "int_f0_target_mean"))
            scale("int_f0_target_mean", factor, false);
        else
            scale("f0_shift", factor, true);
    }
    ~VoiceTuning() {
        for (auto it = m_saved.rbegin(); it != m_saved.rend(); ++it) {
            if (it->present)
                feat_set_float(m_features, it->name, it->value);
            else
                feat_remove(m_features, it->name);
        }
    }
    VoiceTuning(const VoiceTuning&) = delete;
    VoiceTuning& operator=(const VoiceTuning&) = delete;

private:
    struct Saved {
        const char* name;
        bool present;
        float value;
    };

    // Multiplies a feature (taken as 1.0 when absent and `createIfAbsent`), remembering how to undo it.
    void scale(const char* name, double factor, bool createIfAbsent) {
        const bool present = feat_present(m_features, name) != 0;
        if (!present && !createIfAbsent)
            return;
        const float value = present ? feat_float(m_features, name) : 1.0f;
        m_saved.push_back({name, present, value});
        feat_set_float(m_features, name, static_cast<float>(value * factor));
    }

    cst_features* m_features;
    std::vector<Saved> m_saved;
};

// Mono int16 at the voice's own rate. Flite already produces that, but the conversion costs nothing when it
// is not needed and keeps the promise if a voice ever differs.
std::vector<std::int16_t> readSamples(cst_utterance* utterance, int sampleRate) {
    cst_wave* wave = utt_wave(utterance);
    if (wave == nullptr || wave->samples == nullptr || wave->num_samples <= 0) {
        return {};
    }
    if (wave->sample_rate != sampleRate && wave->sample_rate > 0) {
        cst_wave_resample(wave, sampleRate);
    }
    const int channels = std::max(1, wave->num_channels);
    std::vector<std::int16_t> samples(static_cast<std::size_t>(wave->num_samples));
    for (std::size_t i = 0; i < samples.size(); ++i) {
        int sum = 0;
        for (int c = 0; c < channels; ++c) {
            sum += wave->samples[i * channels + c];
        }
        samples[i] = static_cast<std::int16_t>(sum / channels);
    }
    return samples;
}

// Phones from the Segment relation (each carries its end time; it starts where the previous one ended) and
// words from each segment's syllable-structure parent. Words are grouped by item, not by name, so that
// "twenty twenty" stays two words. Only the accessors that tolerate missing features are used: the plain
// item_feat_* ones call cst_error() on a miss.
void readTimeline(cst_utterance* utterance, Speech& speech) {
    cst_relation* segments = utt_relation(utterance, "Segment");
    double previousEnd = 0.0;
    const cst_item* currentWord = nullptr;
    for (cst_item* segment = segments ? relation_head(segments) : nullptr; segment != nullptr;
         segment = item_next(segment)) {
        const std::string name = ffeature_string(segment, "name");
        const double end = item_feat_present(segment, "end")
                               ? std::max(previousEnd, double(ffeature_float(segment, "end")))
                               : previousEnd;
        speech.phones.push_back({name, arpabet::fromFlite(name), previousEnd, end});

        const cst_item* word = flite_path_to_item(segment, "R:SylStructure.parent.parent");
        if (word == nullptr) {
            currentWord = nullptr;
        } else if (word != currentWord) {
            speech.words.push_back({ffeature_string(word, "name"), previousEnd, end});
            currentWord = word;
        } else {
            speech.words.back().end = end;
        }
        previousEnd = end;
    }
}

} // namespace

// Flite is one process-wide library: flite_init() fills global tables, the voices and their lexicons are
// globals, and so is the error handler. This object stands for it. It is created once per process by
// fliteLibrary() below and is reachable only from this file; the C library's state is global whatever we
// do, so pretending otherwise with per-object instances would only hide the sharing.
class FliteLibrary {
public:
    struct Voice {
        VoiceInfo info;
        cst_voice* voice = nullptr;
    };

    FliteLibrary() {
        flite_init();
        for (const VoiceSpec& spec : kVoiceSpecs) {
            cst_voice* voice = spec.registerVoice(nullptr);
            if (voice == nullptr) {
                continue; // a voice that does not load is simply not offered
            }
            const int sampleRate = get_param_int(voice->features, "sample_rate", 16000);
            m_voices.push_back(
                {{spec.id, "flite", spec.name, spec.language, spec.gender, sampleRate}, voice});
        }
    }
    FliteLibrary(const FliteLibrary&) = delete;
    FliteLibrary& operator=(const FliteLibrary&) = delete;

    const std::vector<Voice>& voices() const { return m_voices; }
    const Voice* find(const std::string& voiceId) const {
        const auto it = std::find_if(m_voices.begin(), m_voices.end(),
                                     [&voiceId](const Voice& v) { return v.info.id == voiceId; });
        return it == m_voices.end() ? nullptr : &*it;
    }
    std::mutex& mutex() { return m_mutex; }

private:
    std::mutex m_mutex;
    std::vector<Voice> m_voices; // written only by the constructor
};

namespace {

// A function-local static: C++ guarantees its one-time, thread-safe construction, which is exactly the
// call_once that flite_init() and the voice registration need.
FliteLibrary& fliteLibrary() {
    static FliteLibrary library;
    return library;
}

} // namespace

FliteSynth::FliteSynth() : m_library(fliteLibrary()) {
    for (const FliteLibrary::Voice& voice : m_library.voices()) {
        m_voices.push_back(voice.info);
    }
}

bool FliteSynth::hasVoice(const std::string& voiceId) const {
    return m_library.find(voiceId) != nullptr;
}

Speech FliteSynth::synthesize(const std::string& text, const std::string& voiceId,
                              const SynthesisOptions& options) const {
    const FliteLibrary::Voice* voice = m_library.find(voiceId);
    if (voice == nullptr) {
        throw Error(ErrorCode::NotFound, "Unknown Flite voice '" + voiceId + "'.");
    }

    Speech speech;
    speech.sampleRate = voice->info.sampleRate;
    {
        // Declared before the utterance so that the utterance is freed while the lock is still held.
        std::lock_guard lock(m_library.mutex());
        // The clustergen voices' excitation noise from a fixed seed: the same text, the same samples.
        const LibcRandom random;
        // Speed and pitch are features of the (shared) voice: set for this call, restored after it.
        const VoiceTuning tuning(voice->voice, options);
        UtterancePtr utterance(synthesizeGuarded(text.c_str(), voice->voice));
        if (!utterance) {
            throw Error(ErrorCode::Codec,
                        "Flite could not synthesise the text with voice '" + voiceId + "'.");
        }
        speech.samples = readSamples(utterance.get(), speech.sampleRate);
        readTimeline(utterance.get(), speech);
    }
    speech.normalizeTimeline();
    return speech;
}

} // namespace avatar
