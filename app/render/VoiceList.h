#pragma once

#include "tts/TextToSpeech.h"

namespace avatar::cli {

// `avatar-render voices [--json]`: one line per voice (id, language, gender, name), or a JSON array. Used by
// the launcher's fast path and by the full program, so both print the same.
int listVoices(const TextToSpeech& tts, bool json);

} // namespace avatar::cli
