#include "EspeakSynth.h"

#include "Arpabet.h"
#include "LibcRandom.h"
#include "core/Error.h"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <mutex>

namespace avatar {

namespace {
constexpr double kDefaultRate = 175.0; // espeak-ng's default speaking rate, words per minute
} // namespace

namespace {

// Milliseconds of audio per callback. Only the number of callbacks depends on it, not the result.
constexpr int kBufferMs = 200;
// espeak reports event times in whole milliseconds; half of one is the tolerance when comparing them.
constexpr double kHalfMs = 0.0005;

struct RawPhone {
    std::string mnemonic;
    int ms = 0;
};

struct RawWord {
    int charPosition = 0; // 1-based, in characters (code points), not bytes
    int charLength = 0;
    int ms = 0;
};

// What one espeak_Synth() call produced; the callback fills it through the call's user_data.
struct Capture {
    int sampleRate = 0;
    std::vector<std::int16_t> samples;
    std::vector<RawPhone> phones;
    std::vector<RawWord> words;
    bool failed = false;
};

// Runs on the synthesising thread (synchronous mode), under the library lock. Must not throw into C.
int onSynth(short* wav, int count, espeak_EVENT* events) {
    Capture* capture = nullptr;
    for (const espeak_EVENT* event = events; event != nullptr; ++event) {
        if (event->user_data != nullptr) {
            capture = static_cast<Capture*>(event->user_data);
        }
        if (event->type == espeakEVENT_LIST_TERMINATED) {
            break; // the terminator carries user_data too, so even an event-less block finds its capture
        }
    }
    if (capture == nullptr) {
        return 1; // not our call: abort rather than lose audio silently
    }
    try {
        if (wav != nullptr && count > 0) {
            capture->samples.insert(capture->samples.end(), wav, wav + count);
        }
        for (const espeak_EVENT* event = events;
             event != nullptr && event->type != espeakEVENT_LIST_TERMINATED; ++event) {
            switch (event->type) {
            case espeakEVENT_PHONEME:
                // id.string is not terminated when the name fills all 8 bytes.
                capture->phones.push_back(
                    {std::string(event->id.string, strnlen(event->id.string, sizeof event->id.string)),
                     event->audio_position});
                break;
            case espeakEVENT_WORD:
                capture->words.push_back({event->text_position, event->length, event->audio_position});
                break;
            case espeakEVENT_SAMPLERATE:
                capture->sampleRate = event->id.number;
                break;
            default:
                break;
            }
        }
    } catch (...) {
        capture->failed = true;
        return 1;
    }
    return 0;
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// "en-gb-x-rp" -> "en-GB-x-rp", "sr-latn" -> "sr-Latn": regions upper case, scripts title case, private
// use subtags as they are.
std::string toBcp47(const std::string& code) {
    std::string result;
    bool privateUse = false;
    std::size_t begin = 0;
    for (int index = 0; begin <= code.size(); ++index) {
        const std::size_t end = std::min(code.find('-', begin), code.size());
        std::string subtag = lowercase(code.substr(begin, end - begin));
        if (index > 0 && !privateUse) {
            if (subtag.size() == 2) {
                std::transform(subtag.begin(), subtag.end(), subtag.begin(),
                               [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            } else if (subtag.size() == 4) {
                subtag[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(subtag[0])));
            }
        }
        privateUse = privateUse || subtag == "x";
        result += (index > 0 ? "-" : "") + subtag;
        begin = end + 1;
    }
    return result;
}

// Byte offset of every character (code point) of UTF-8 text, plus one past the end, because espeak counts
// text positions in characters.
std::vector<std::size_t> characterOffsets(const std::string& text) {
    std::vector<std::size_t> offsets;
    offsets.reserve(text.size() + 1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            offsets.push_back(i);
        }
    }
    offsets.push_back(text.size());
    return offsets;
}

// espeak reports where each phoneme starts; it lasts until the next one does.
void buildPhones(const Capture& capture, Speech& speech) {
    std::vector<RawPhone> raw;
    raw.reserve(capture.phones.size());
    // "(en)", "(grc)": a switch of language inside the text (a foreign word) is reported as a phoneme, but it
    // is only a marker. Dropped, the sound before it simply lasts until the next real phoneme.
    std::copy_if(
        capture.phones.begin(), capture.phones.end(), std::back_inserter(raw),
        [](const RawPhone& phone) { return phone.mnemonic.empty() || phone.mnemonic.front() != '('; });
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const double start = raw[i].ms / 1000.0;
        const double end = i + 1 < raw.size() ? raw[i + 1].ms / 1000.0 : speech.duration();
        speech.phones.push_back({raw[i].mnemonic, arpabet::fromEspeak(raw[i].mnemonic), start, end});
    }
    speech.normalizeTimeline();
}

// A word spans the non-pause phones that start between its event and the next word's event. espeak places
// a word's event before any pause that precedes it, so the event time alone would start the word early.
void buildWords(const Capture& capture, const std::string& text, Speech& speech) {
    const std::vector<std::size_t> offsets = characterOffsets(text);
    const std::size_t characters = offsets.size() - 1;
    for (std::size_t i = 0; i < capture.words.size(); ++i) {
        const RawWord& raw = capture.words[i];
        if (raw.charPosition < 1 || std::size_t(raw.charPosition) > characters || raw.charLength <= 0) {
            continue;
        }
        const std::size_t first = std::size_t(raw.charPosition) - 1;
        const std::size_t last = std::min(characters, first + std::size_t(raw.charLength));
        Word word{text.substr(offsets[first], offsets[last] - offsets[first]), raw.ms / 1000.0,
                  raw.ms / 1000.0};

        const double from = word.start - kHalfMs;
        const double until = i + 1 < capture.words.size() ? capture.words[i + 1].ms / 1000.0 - kHalfMs
                                                          : std::numeric_limits<double>::infinity();
        bool found = false;
        for (const Phone& phone : speech.phones) {
            if (phone.arpabet == "pau" || phone.start < from || phone.start >= until) {
                continue;
            }
            if (!found) {
                word.start = phone.start;
                found = true;
            }
            word.end = phone.end;
        }
        word.start = std::clamp(word.start, 0.0, speech.duration());
        word.end = std::clamp(word.end, word.start, speech.duration());
        speech.words.push_back(std::move(word));
    }
}

} // namespace

// espeak-ng is one process-wide library: espeak_Initialize(), the output callback, the current voice and
// all parameters are globals. This object stands for it. It is created once per process by
// espeakLibrary() below and is reachable only from this file; the C library's state is global whatever we
// do, so pretending otherwise with per-object instances would only hide the sharing.
class EspeakLibrary {
public:
    struct Voice {
        VoiceInfo info;
        std::string identifier; // the voice file, e.g. "gmw/en-US", which espeak_SetVoiceByName accepts
    };

    EspeakLibrary() {
        // DONT_EXIT: without it espeak-ng exit()s the process when its data is missing.
        m_sampleRate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, kBufferMs, nullptr,
                                         espeakINITIALIZE_PHONEME_EVENTS | espeakINITIALIZE_DONT_EXIT);
        if (m_sampleRate <= 0) {
            return; // unusable: offer no voices
        }
        espeak_SetSynthCallback(&onSynth);
        for (const espeak_VOICE* const* it = espeak_ListVoices(nullptr); it != nullptr && *it != nullptr;
             ++it) {
            addVoice(**it);
        }
    }
    EspeakLibrary(const EspeakLibrary&) = delete;
    EspeakLibrary& operator=(const EspeakLibrary&) = delete;

    int sampleRate() const { return m_sampleRate; }
    const std::vector<Voice>& voices() const { return m_voices; }
    const Voice* find(const std::string& voiceId) const {
        const auto it = std::find_if(m_voices.begin(), m_voices.end(),
                                     [&voiceId](const Voice& v) { return v.info.id == voiceId; });
        return it == m_voices.end() ? nullptr : &*it;
    }
    std::mutex& mutex() { return m_mutex; }

private:
    void addVoice(const espeak_VOICE& voice) {
        if (voice.identifier == nullptr || voice.languages == nullptr || voice.languages[0] == '\0') {
            return;
        }
        const std::string identifier = voice.identifier;
        // MBROLA voices need an external program and diphone databases that we do not ship.
        if (identifier.rfind("mb/", 0) == 0) {
            return;
        }
        const std::string file = identifier.substr(identifier.rfind('/') + 1);
        const std::string id = "espeak:" + lowercase(file);
        if (find(id) != nullptr) {
            return;
        }
        // `languages` is a list of (priority byte, NUL-terminated name); the first is the voice's own.
        const std::string language = toBcp47(voice.languages + 1);
        std::string name = voice.name != nullptr ? voice.name : file;
        name.erase(name.find_last_not_of(' ') + 1);
        const char* gender = voice.gender == 1 ? "male" : voice.gender == 2 ? "female" : "";
        m_voices.push_back({{id, "espeak", name, language, gender, m_sampleRate}, identifier});
    }

    std::mutex m_mutex;
    int m_sampleRate = 0;
    std::vector<Voice> m_voices; // written only by the constructor
};

namespace {

// A function-local static: C++ guarantees its one-time, thread-safe construction, which is exactly the
// call_once that espeak_Initialize() needs.
EspeakLibrary& espeakLibrary() {
    static EspeakLibrary library;
    return library;
}

} // namespace

EspeakSynth::EspeakSynth() : m_library(espeakLibrary()) {
    for (const EspeakLibrary::Voice& voice : m_library.voices()) {
        m_voices.push_back(voice.info);
    }
}

bool EspeakSynth::hasVoice(const std::string& voiceId) const {
    return m_library.find(voiceId) != nullptr;
}

Speech EspeakSynth::synthesize(const std::string& text, const std::string& voiceId,
                               const SynthesisOptions& options) const {
    const EspeakLibrary::Voice* voice = m_library.find(voiceId);
    if (voice == nullptr) {
        throw Error(ErrorCode::NotFound, "Unknown espeak-ng voice '" + voiceId + "'.");
    }

    Capture capture;
    {
        std::lock_guard lock(m_library.mutex());
        // espeak calls rand() too: from the fixed seed, and never in the middle of a Flite synthesis.
        const LibcRandom random;
        if (espeak_SetVoiceByName(voice->identifier.c_str()) != EE_OK) {
            throw Error(ErrorCode::Codec, "espeak-ng could not load the voice '" + voiceId + "'.");
        }
        // Set on every call: the parameters are process-wide and a previous call may have changed them.
        // espeak's rate is in words per minute (175 by default, 80..450 accepted); its pitch is 0..100 around
        // 50; measured here, five steps make about one semitone near the middle.
        espeak_SetParameter(espeakRATE, static_cast<int>(std::lround(kDefaultRate * options.speed)), 0);
        espeak_SetParameter(espeakPITCH,
                            std::clamp(static_cast<int>(std::lround(50 + 5.0 * options.pitch)), 0, 100), 0);
        // ENDPAUSE ends every piece with a sentence pause, as Flite does, so that joined pieces breathe.
        const espeak_ERROR result = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                                 espeakCHARS_UTF8 | espeakENDPAUSE, nullptr, &capture);
        if (result != EE_OK || capture.failed) {
            throw Error(ErrorCode::Codec,
                        "espeak-ng could not synthesise the text with voice '" + voiceId + "'.");
        }
    }

    Speech speech;
    speech.sampleRate = capture.sampleRate > 0 ? capture.sampleRate : m_library.sampleRate();
    speech.samples = std::move(capture.samples);
    buildPhones(capture, speech);
    buildWords(capture, text, speech);
    return speech;
}

} // namespace avatar
