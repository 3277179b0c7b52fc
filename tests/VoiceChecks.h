#pragma once
// Helpers shared by the recording suites (tst_voice: decoding, loudness, forced alignment; tst_voice_heard:
// recognition without a transcript).
#include "core/Error.h"
#include "tts/TextToSpeech.h"

#include <QString>
#include <filesystem>

namespace avatar::test {

inline std::filesystem::path pathOf(const QString& path) {
    return std::filesystem::path(path.toStdString());
}

// flite:kal16 is bit-exact from call to call.
inline const Speech& sentence() {
    static const Speech speech =
        TextToSpeech().synthesize("Maybe people will pay more for a map of the moon.", "flite:kal16");
    return speech;
}

// Runs `f` and returns the Error it throws (code Internal and an empty message when it throws none).
template <class F> Error errorOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    return Error(ErrorCode::Internal, "");
}

} // namespace avatar::test
