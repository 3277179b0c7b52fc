#pragma once

#include "face/FaceAnalyzer.h"
#include "tts/TextToSpeech.h"

#include <filesystem>

namespace avatar {

// The long-lived, expensive parts of the engine (the landmark model takes about a second to load), built once
// per process by its owner (the CLI's main, the studio's window, a test) and shared by every job.
struct EngineServices {
    explicit EngineServices(const std::filesystem::path& landmarkModel = FaceAnalyzer::defaultModelPath())
        : faces(landmarkModel) {}

    TextToSpeech tts;
    FaceAnalyzer faces;
};

} // namespace avatar
