#include "VoiceList.h"

#include "core/Json.h"

#include <cstdio>
#include <iostream>

namespace avatar::cli {

int listVoices(const TextToSpeech& tts, bool json) {
    const auto voices = tts.voices();
    if (json) {
        JsonWriter w;
        w.beginArray();
        for (const auto& v : voices) {
            w.beginObject()
                .field("id", v.id)
                .field("engine", v.engine)
                .field("name", v.name)
                .field("language", v.language)
                .field("gender", v.gender)
                .field("sample_rate", v.sampleRate)
                .endObject();
        }
        w.endArray();
        std::cout << w.str() << '\n';
        return 0;
    }
    for (const auto& v : voices)
        std::printf("%-22s %-10s %-8s %s\n", v.id.c_str(), v.language.c_str(), v.gender.c_str(),
                    v.name.c_str());
    return 0;
}

} // namespace avatar::cli
