#pragma once

#include "Project.h"
#include "core/CancelToken.h"
#include "pipeline/EngineServices.h"
#include "pipeline/RenderSpec.h"

#include <filesystem>
#include <string>
#include <vector>

namespace avatar::project {

// What rendering a project produced.
struct ProjectRenderResult {
    std::filesystem::path output;
    double duration = 0.0;
    long long frames = 0;
    std::vector<RenderResult> scenes; // one per scene, in order (their outputs were temporary files)
    std::vector<std::string> warnings;
    int scenesComposed = 0;         // boxed scenes whose frames were composed and encoded in this run
    int composedFromCache = 0;      // boxed scenes whose composed video came from the cache
    long long transitionFrames = 0; // crossfades' frames, between the scenes' own
    long long introFrames = 0;      // the brand's intro clip's frames, before the first scene
    long long outroFrames = 0;      // and its outro's, after the last
    int clipsFromCache = 0;         // crossfades, intros and outros whose video came from the cache
    // The groups of pictures of the boxed scenes (one or more per sentence) composed again and taken from
    // the cache: a batch row that changes one sentence composes only that sentence's groups.
    int groupsComposed = 0;
    int groupsFromCache = 0;
    // Scenes whose encoded sound came from the cache (without music, intro or outro, each scene's sound is
    // encoded on its own).
    int soundPartsFromCache = 0;
    double totalSeconds = 0.0;
};

// Renders a project: each scene is one RenderPipeline job (so, with a cache, a scene whose script,
// presenter and output settings did not change is copied from its cached segments, and an edited scene
// redraws only its changed sentences); the scenes are then joined by remuxing their video, with a cut or a
// crossfade segment between two scenes, after the brand's intro clip and before its outro, and the joined
// sound is re-encoded once. A one-scene project without clips renders straight to the output.
class ProjectRenderer {
public:
    explicit ProjectRenderer(EngineServices& services) : m_services(services) {}

    // The render job of each scene. Throws Error(InvalidInput) for a project without scenes or with a scene
    // without a script or a crossfade of an impossible length, Error(NotFound) for a portrait, an image, a
    // video or a clip that is missing (naming the scene).
    static std::vector<RenderSpec> sceneSpecs(const Project& project, const std::filesystem::path& output);

    // Throws avatar::Error like RenderPipeline::run; nothing is left at the output on error or cancellation.
    ProjectRenderResult run(const Project& project, const std::filesystem::path& output,
                            const CancelToken& cancel = {}, const ProgressCallback& progress = {}) const;

private:
    EngineServices& m_services;
};

} // namespace avatar::project
