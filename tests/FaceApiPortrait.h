#pragma once

// A face of one of face-api's sample photos, prepared as `avatar-render shapes --face N --framing head` draws
// it (the mouth tests' sharp portraits: sample6's face 1 with its mouth closed, sample3's face 0 and
// sample6's face 3 smiling with their own teeth). Needs AVATAR_FACEAPI_DIR, the npm package's folder.

#include "pipeline/RenderPipeline.h"
#include "render/Scene.h"

#include <filesystem>
#include <memory>

namespace avatar::test {

inline std::unique_ptr<Scene> faceApiPortrait(const char* photo, int face, int width, int height) {
    EngineServices services;
    RenderPipeline pipeline(services);
    RenderSpec spec;
    spec.avatar = std::filesystem::path(AVATAR_FACEAPI_DIR) / "demo" / photo;
    spec.faceIndex = face;
    spec.framing = Framing::Head;
    spec.width = width;
    spec.height = height;
    return pipeline.prepareScene(spec);
}

} // namespace avatar::test
