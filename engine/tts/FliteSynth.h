#pragma once

#include "Speech.h"

#include <string>
#include <vector>

namespace avatar {

class FliteLibrary;

// The Flite voices linked into the binary ("flite:slt", "flite:awb", "flite:rms", "flite:kal16",
// "flite:kal"). Flite keeps its voices, lexicons and error handler in process-wide globals, so all FliteSynth
// objects share one FliteLibrary (defined in FliteSynth.cpp) and every call into Flite holds its lock:
// calls are safe from any thread, but run one at a time.
class FliteSynth {
public:
    FliteSynth();

    const std::vector<VoiceInfo>& voices() const { return m_voices; }
    bool hasVoice(const std::string& voiceId) const;
    // Throws Error(NotFound) when voiceId is not one of voices(), Error(Codec) when Flite fails.
    Speech synthesize(const std::string& text, const std::string& voiceId,
                      const SynthesisOptions& options = {}) const;

private:
    FliteLibrary& m_library;
    std::vector<VoiceInfo> m_voices;
};

} // namespace avatar
