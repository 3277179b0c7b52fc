#pragma once

#include "Speech.h"

#include <memory>
#include <string>
#include <vector>

namespace avatar {

class FliteSynth;
class EspeakSynth;

// Facade over the offline synthesisers (Flite and espeak-ng). Both keep global state inside their C
// libraries, so every call into one of them is serialised by that backend; distinct TextToSpeech objects are
// safe to use from different threads.
class TextToSpeech {
public:
    TextToSpeech();
    ~TextToSpeech();
    TextToSpeech(const TextToSpeech&) = delete;
    TextToSpeech& operator=(const TextToSpeech&) = delete;

    // Every voice that can be used here: the Flite voices linked in, and espeak-ng's installed languages.
    std::vector<VoiceInfo> voices() const;
    bool hasVoice(const std::string& voiceId) const;
    // Throws Error(NotFound) naming the voice and how to list voices.
    VoiceInfo voice(const std::string& voiceId) const;

    // Synthesises one piece of text (a sentence or a few). Throws Error(InvalidInput) for empty text or
    // options out of range, Error(NotFound) for an unknown voice, Error(Codec) when the synthesiser fails.
    Speech synthesize(const std::string& text, const std::string& voiceId,
                      const SynthesisOptions& options = {}) const;
    // Throws Error(InvalidInput) unless speed is 0.5..2.0 and pitch -12..+12 semitones.
    static void validate(const SynthesisOptions& options);

private:
    std::unique_ptr<FliteSynth> m_flite;
    std::unique_ptr<EspeakSynth> m_espeak;
};

} // namespace avatar
