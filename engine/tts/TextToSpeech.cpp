#include "TextToSpeech.h"

#include "EspeakSynth.h"
#include "FliteSynth.h"
#include "core/Error.h"

#include <algorithm>
#include <cctype>

namespace avatar {

namespace {

// Voice ids are lower case; accepting any case lets users type "espeak:en-US" as espeak spells it.
std::string normalizedId(const std::string& voiceId) {
    std::string id = voiceId;
    std::transform(id.begin(), id.end(), id.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return id;
}

bool isBlank(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

} // namespace

TextToSpeech::TextToSpeech()
    : m_flite(std::make_unique<FliteSynth>()), m_espeak(std::make_unique<EspeakSynth>()) {}

TextToSpeech::~TextToSpeech() = default;

std::vector<VoiceInfo> TextToSpeech::voices() const {
    std::vector<VoiceInfo> all = m_flite->voices();
    const std::vector<VoiceInfo>& espeak = m_espeak->voices();
    all.insert(all.end(), espeak.begin(), espeak.end());
    return all;
}

bool TextToSpeech::hasVoice(const std::string& voiceId) const {
    const std::string id = normalizedId(voiceId);
    return m_flite->hasVoice(id) || m_espeak->hasVoice(id);
}

VoiceInfo TextToSpeech::voice(const std::string& voiceId) const {
    const std::string id = normalizedId(voiceId);
    for (const std::vector<VoiceInfo>* list : {&m_flite->voices(), &m_espeak->voices()}) {
        const auto it =
            std::find_if(list->begin(), list->end(), [&id](const VoiceInfo& v) { return v.id == id; });
        if (it != list->end()) {
            return *it;
        }
    }
    throw Error(ErrorCode::NotFound,
                "Unknown voice '" + voiceId + "'. Run 'avatar-render voices' to list the voices.");
}

void TextToSpeech::validate(const SynthesisOptions& options) {
    if (!(options.speed >= 0.5 && options.speed <= 2.0))
        throw Error(ErrorCode::InvalidInput, "The speed must be between 0.5 and 2.0.");
    if (!(options.pitch >= -12.0 && options.pitch <= 12.0))
        throw Error(ErrorCode::InvalidInput, "The pitch must be between -12 and +12 semitones.");
}

Speech TextToSpeech::synthesize(const std::string& text, const std::string& voiceId,
                                const SynthesisOptions& options) const {
    const VoiceInfo info = voice(voiceId);
    if (isBlank(text)) {
        throw Error(ErrorCode::InvalidInput, "The script is empty.");
    }
    validate(options);
    return info.engine == "flite" ? m_flite->synthesize(text, info.id, options)
                                  : m_espeak->synthesize(text, info.id, options);
}

} // namespace avatar
