#pragma once

#include "Speech.h"

#include <string>
#include <vector>

namespace avatar {

class EspeakLibrary;

// espeak-ng's installed languages as voices "espeak:<language>" ("espeak:en", "espeak:en-us",
// "espeak:de", ...; the language part is the voice file's name, lower case). espeak-ng keeps its voice,
// parameters and output callback in process-wide globals, so all EspeakSynth objects share one EspeakLibrary
// (defined in EspeakSynth.cpp) and every call into espeak-ng holds its lock: calls are safe from any thread,
// but run one at a time. When espeak-ng cannot be initialised (no data installed), voices() is empty.
class EspeakSynth {
public:
    EspeakSynth();

    const std::vector<VoiceInfo>& voices() const { return m_voices; }
    bool hasVoice(const std::string& voiceId) const;
    // Throws Error(NotFound) when voiceId is not one of voices(), Error(Codec) when espeak-ng fails.
    Speech synthesize(const std::string& text, const std::string& voiceId,
                      const SynthesisOptions& options = {}) const;

private:
    EspeakLibrary& m_library;
    std::vector<VoiceInfo> m_voices;
};

} // namespace avatar
