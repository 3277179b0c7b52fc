#pragma once

#include "EngineServices.h"
#include "RenderSpec.h"
#include "core/CancelToken.h"
#include "core/Image.h"
#include "face/FaceLandmarks.h"
#include "lipsync/MouthParams.h"
#include "lipsync/Viseme.h"
#include "render/Scene.h"
#include "tts/Speech.h"

#include <memory>
#include <string>
#include <vector>

namespace avatar {

// Runs one render job: validate → TTS per sentence → face analysis → visemes and mouth curve → frames
// rendered in parallel (face region only) → H.264/AAC MP4 written to a temporary file and renamed on success.
// Throws avatar::Error with a user-facing message; on any error or cancellation no file is left at the
// output.
class RenderPipeline {
public:
    explicit RenderPipeline(EngineServices& services) : m_services(services) {}

    RenderResult run(const RenderSpec& spec, const CancelToken& cancel = {},
                     const ProgressCallback& progress = {}, const RunHooks& hooks = {}) const;

    // The cheap checks, done before any work: text, size, fps, preset, voice and the output path.
    void validate(const RenderSpec& spec) const;

    // The stages, public so that tools (the benchmark, tests) can run and time them one by one.
    Image loadPortrait(const RenderSpec& spec) const;
    // Loads the portrait, finds its face (Error(NoFace) when there is none) and lays out the frame.
    std::unique_ptr<Scene> prepareScene(const RenderSpec& spec) const;
    Speech synthesize(const RenderSpec& spec, const CancelToken& cancel) const;
    static std::vector<MouthParams> animate(const Speech& speech, int fps, long long frames,
                                            VisemeTrack* track);

    // Scripts longer than this are refused (about 4 hours of speech).
    static constexpr std::size_t kMaxScriptBytes = 200000;
    // Below this frame size burned-in captions cannot be read (a 42-character line needs about 8 px a
    // letter).
    static constexpr int kMinBurnWidth = 320;
    static constexpr int kMinBurnHeight = 180;

    // The caption files a job writes: beside the output, with its base name (out.mp4 → out.srt, out.vtt).
    static std::vector<std::filesystem::path> captionFiles(const RenderSpec& spec);

    // Throws Error(InvalidInput) unless width and height are even and within 64x64..7680x4320.
    static void validateSize(int width, int height);
    // `output` with symbolic links followed: the file that will really be replaced.
    static std::filesystem::path resolveOutput(const std::filesystem::path& output);
    // Throws Error(Io) unless a file can be created next to `output` (and `output` is not a folder).
    static void checkOutputWritable(const std::filesystem::path& output);

private:
    EngineServices& m_services;
};

} // namespace avatar
