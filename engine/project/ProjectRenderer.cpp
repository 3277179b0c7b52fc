#include "ProjectRenderer.h"

#include "core/Error.h"
#include "media/MediaReader.h"
#include "media/SegmentJoiner.h"
#include "media/TemporaryFile.h"
#include "pipeline/RenderPipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

namespace avatar::project {

namespace fs = std::filesystem;

namespace {

// A scene's sound, cut or padded with silence to its video's length, so that the scenes after it stay in
// step with their pictures. `rate` receives the decoded sample rate (the same in every scene: the encoder's).
void appendSceneSound(const fs::path& video, long long frames, int fps, AudioTrack& track) {
    MediaReader reader(video);
    int rate = 0;
    const std::vector<float> sound = reader.readAudioMono(&rate);
    if (rate <= 0)
        throw Error(ErrorCode::Internal, "A rendered scene has no sound.");
    if (track.sampleRate == 0)
        track.sampleRate = rate;
    if (track.sampleRate != rate)
        throw Error(ErrorCode::Internal, "The rendered scenes' sounds differ in sample rate.");
    const auto length = static_cast<std::size_t>(std::llround(double(frames) * rate / fps));
    const std::size_t base = track.samples.size();
    track.samples.resize(base + length, 0);
    const std::size_t copied = std::min(length, sound.size());
    for (std::size_t i = 0; i < copied; ++i)
        track.samples[base + i] =
            static_cast<std::int16_t>(std::lround(std::clamp(sound[i], -1.0f, 1.0f) * 32767.0f));
}

} // namespace

std::vector<RenderSpec> ProjectRenderer::sceneSpecs(const Project& project, const fs::path& output) {
    if (project.scenes.empty())
        throw Error(ErrorCode::InvalidInput, "The project has no scenes: add a scene with a script.");
    std::vector<RenderSpec> specs;
    for (std::size_t i = 0; i < project.scenes.size(); ++i) {
        const Scene& scene = project.scenes[i];
        const std::string which =
            "Scene " + std::to_string(i + 1) + (scene.name.empty() ? "" : " (" + scene.name + ")");
        if (scene.script.find_first_not_of(" \t\r\n") == std::string::npos)
            throw Error(ErrorCode::InvalidInput, which + " has no script: write what the presenter says.");
        const Presenter& p = scene.presenter;
        std::error_code ec;
        if (!p.portrait.empty() && !fs::is_regular_file(p.portrait.path, ec))
            throw Error(ErrorCode::NotFound, which + "'s portrait '" + p.portrait.path.string() +
                                                 "' is missing: it was moved or deleted; choose it again.");
        RenderSpec spec;
        spec.text = scene.script;
        spec.avatar = p.portrait.path;
        spec.voice = p.voice;
        spec.speed = p.speed;
        spec.pitch = p.pitch;
        spec.framing = p.framing;
        spec.faceIndex = p.faceIndex;
        spec.expression = p.expression;
        spec.width = project.output.width;
        spec.height = project.output.height;
        spec.fps = project.output.fps;
        spec.crf = project.output.crf;
        spec.preset = project.output.preset;
        spec.captionsBurn = project.output.captionsBurn;
        spec.output = output;
        specs.push_back(std::move(spec));
    }
    return specs;
}

ProjectRenderResult ProjectRenderer::run(const Project& project, const fs::path& output,
                                         const CancelToken& cancel, const ProgressCallback& progress) const {
    const auto started = std::chrono::steady_clock::now();
    std::vector<RenderSpec> specs = sceneSpecs(project, output);
    const RenderPipeline pipeline(m_services);
    for (const RenderSpec& spec : specs) // every scene's mistakes before any scene renders
        pipeline.validate(spec);

    // Progress is shared out by script length, the best cheap guess of a scene's share of the work.
    std::vector<double> weights;
    double total = 0.0;
    for (const RenderSpec& spec : specs)
        total += weights.emplace_back(static_cast<double>(spec.text.size()) + 1.0);

    ProjectRenderResult result;
    result.output = RenderPipeline::resolveOutput(output);
    std::vector<std::unique_ptr<TemporaryFile>> parts;
    double done = 0.0;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        RenderSpec& spec = specs[i];
        if (specs.size() > 1) {
            // Hidden beside the output, so that the joiner's rename stays on one file system.
            std::string name = ".";
            name += result.output.filename().string();
            name += ".scene";
            name += std::to_string(i + 1);
            parts.push_back(std::make_unique<TemporaryFile>(result.output.parent_path() / name));
            spec.output = parts.back()->path();
        }
        const double share = weights[i] / total;
        RenderResult scene = pipeline.run(spec, cancel, [&](const Progress& p) {
            if (!progress)
                return;
            Progress scaled = p;
            scaled.fraction = std::min(0.99, done + share * p.fraction);
            progress(scaled);
        });
        done += share;
        for (const std::string& w : scene.warnings)
            result.warnings.push_back("scene " + std::to_string(i + 1) + ": " + w);
        result.frames += scene.frames;
        result.scenes.push_back(std::move(scene));
    }

    if (specs.size() > 1) {
        cancel.throwIfCancelled();
        AudioTrack sound;
        for (std::size_t i = 0; i < parts.size(); ++i)
            appendSceneSound(parts[i]->path(), result.scenes[i].frames, project.output.fps, sound);
        EncoderSettings settings;
        settings.width = project.output.width;
        settings.height = project.output.height;
        settings.fps = project.output.fps;
        SegmentJoiner joiner(result.output, settings, std::move(sound));
        for (const auto& part : parts) {
            cancel.throwIfCancelled();
            joiner.append(MediaReader(part->path()).readEncodedVideo());
        }
        joiner.finish();
    }
    result.duration = double(result.frames) / project.output.fps;
    result.totalSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (progress) {
        Progress end;
        end.stage = Stage::Done;
        end.fraction = 1.0;
        end.framesDone = end.framesTotal = result.frames;
        progress(end);
    }
    return result;
}

} // namespace avatar::project
