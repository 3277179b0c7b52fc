#include "ProjectRenderer.h"

#include "ProjectFile.h"

#include "SceneCompositor.h"
#include "cache/CacheKey.h"
#include "core/AtomicFile.h"
#include "core/Error.h"
#include "media/MediaReader.h"
#include "media/MusicMixer.h"
#include "media/SegmentEncoder.h"
#include "media/SegmentJoiner.h"
#include "pipeline/RenderCache.h"
#include "pipeline/RenderPipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <span>

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

EncoderSettings encoderSettings(const Project& project, Tier tier) {
    EncoderSettings settings;
    settings.width = project.output.width;
    settings.height = project.output.height;
    settings.fps = project.output.fps;
    settings.crf = project.output.crf;
    settings.preset = effectiveEncoderPreset(project.output.preset, tier);
    return settings;
}

// A scene's video in the joined stream's encoding: the rendered file's packets as they are when their
// sequence headers match the other segments' (the pipeline's cached, stitchable segments do), else decoded
// and encoded again (a render without the cache encodes the whole video in one piece, with other headers).
EncodedSegment asSegment(const fs::path& video, const EncoderSettings& settings,
                         const SegmentEncoder& reference, const CancelToken& cancel) {
    MediaReader reader(video);
    EncodedSegment segment = reader.readEncodedVideo();
    if (segment.headers == reference.headers() && segment.reorderDepth == reference.reorderDepth())
        return segment;
    SegmentEncoder encoder(settings);
    Image frame;
    while (reader.readVideoFrame(frame)) {
        cancel.throwIfCancelled();
        encoder.writeFrame(frame, frame.rect());
    }
    return encoder.finish();
}

// The cache key of one composed group of pictures: what the presenter's frames were (the group's encoded
// bytes), the layout, what the canvas was drawn from, the overlays and the brand they are drawn with. The
// composition is the same for every frame (a static canvas and overlays), so a group's place in the scene is
// not part of its key.
cache::CacheKey composedKey(const Scene& scene, const Brand& brand, const EncodedSegment& presenter,
                            std::span<const EncodedSegment::Packet> group, const EncoderSettings& settings) {
    cache::Sha256 frames;
    frames.update(std::span<const std::uint8_t>(presenter.headers));
    for (const EncodedSegment::Packet& packet : group) {
        const std::int64_t order[2] = {packet.pts - group.front().pts, packet.key ? 1 : 0};
        frames.update(std::span(reinterpret_cast<const std::uint8_t*>(order), sizeof order));
        frames.update(std::span<const std::uint8_t>(presenter.data).subspan(packet.offset, packet.size));
    }
    cache::CacheKey::Builder key("composed-scene");
    key.version("compose/2")
        .digest("presenter", frames.finish())
        .text("layout", layoutName(scene.layout))
        .integer("width", settings.width)
        .integer("height", settings.height)
        .integer("fps", settings.fps)
        .integer("crf", settings.crf)
        .text("preset", settings.preset)
        .integer("background", static_cast<int>(scene.background.kind))
        .text("color", scene.background.color)
        .text("color2", scene.background.color2);
    for (const auto& [name, ref] :
         {std::pair{"slide", &scene.slide}, {"image", &scene.background.image}, {"logo", &brand.logo}})
        key.text(name, ref->empty() ? std::string() : ProjectFile::hashFile(ref->path));
    key.text("logo-corner", cornerName(brand.logoCorner)).integer("overlays", std::ssize(scene.overlays));
    if (!scene.overlays.empty())
        key.text("font", brand.font).text("primary", brand.primaryColor).text("accent", brand.accentColor);
    for (const TextOverlay& o : scene.overlays)
        key.integer("kind", static_cast<int>(o.kind)).text("text", o.text).text("detail", o.detail);
    return key.build();
}

// The presenter's video in closed groups of pictures (each starts at an IDR frame, in decoding order). With
// the cache, every sentence of a scene is its own segment and so its own groups: a batch row that changes one
// sentence composes only that sentence's groups again.
std::vector<std::span<const EncodedSegment::Packet>> groupsOf(const EncodedSegment& video) {
    std::vector<std::span<const EncodedSegment::Packet>> groups;
    const std::span<const EncodedSegment::Packet> packets(video.packets);
    std::size_t start = 0;
    for (std::size_t i = 1; i <= packets.size(); ++i)
        if (i == packets.size() || packets[i].key) {
            groups.push_back(packets.subspan(start, i - start));
            start = i;
        }
    return groups;
}

// A composed scene (SceneCompositor::needed): the canvas drawn once, the presenter's decoded frames pasted
// into their box under the overlays and the logo, each group of pictures encoded as its own segment (only the
// compositor's dirty part is converted after a group's first frame) and cached by composedKey. Frames of
// groups found in the cache are decoded (in order) but neither composed nor encoded.
std::vector<EncodedSegment> composeScene(const Scene& scene, const Brand& brand,
                                         const fs::path& presenterVideo, const EncoderSettings& settings,
                                         const RenderCache& cache, const CancelToken& cancel,
                                         ProjectRenderResult& result) {
    MediaReader reader(presenterVideo);
    const EncodedSegment presenter = reader.readEncodedVideo();
    const auto groups = groupsOf(presenter);
    std::vector<cache::CacheKey> keys;
    std::vector<std::optional<EncodedSegment>> composed;
    for (const auto& group : groups) {
        keys.push_back(composedKey(scene, brand, presenter, group, settings));
        composed.push_back(cache.segment(keys.back()));
    }
    const auto missing = std::count(composed.begin(), composed.end(), std::nullopt);
    result.groupsComposed += static_cast<int>(missing);
    result.groupsFromCache += static_cast<int>(std::ssize(groups) - missing);
    if (missing == 0) {
        ++result.composedFromCache;
    } else {
        ++result.scenesComposed;
        const SceneCompositor compositor(scene, brand, settings.width, settings.height);
        Image frame = compositor.canvas();
        Image picture;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            std::optional<SegmentEncoder> encoder;
            if (!composed[g])
                encoder.emplace(settings);
            for (std::size_t f = 0; f < groups[g].size(); ++f) {
                cancel.throwIfCancelled();
                if (!reader.readVideoFrame(picture))
                    throw Error(ErrorCode::Internal, "A rendered scene has fewer frames than packets.");
                if (!encoder)
                    continue;
                compositor.compose(picture, frame);
                encoder->writeFrame(frame, f == 0 ? frame.rect() : compositor.layout().presenter);
            }
            if (encoder) {
                composed[g] = encoder->finish();
                cache.put(keys[g], *composed[g]);
            }
        }
    }
    std::vector<EncodedSegment> segments;
    for (std::optional<EncodedSegment>& segment : composed)
        segments.push_back(std::move(*segment));
    return segments;
}

} // namespace

std::vector<RenderSpec> ProjectRenderer::sceneSpecs(const Project& project, const fs::path& output) {
    if (project.scenes.empty())
        throw Error(ErrorCode::InvalidInput, "The project has no scenes: add a scene with a script.");
    const Brand& brand = project.brand;
    std::error_code missing;
    for (const auto& [ref, role] : {std::pair{&brand.logo, "logo"}, {&project.sound.music, "music"}})
        if (!ref->empty() && !fs::is_regular_file(ref->path, missing))
            throw Error(ErrorCode::NotFound, std::string("The ") + role + " '" + ref->path.string() +
                                                 "' is missing: it was moved or deleted; choose it again.");
    for (const std::string& color : {brand.primaryColor, brand.accentColor})
        if (!SceneCompositor::parseColor(color))
            throw Error(ErrorCode::InvalidInput,
                        "The brand colour '" + color + "' is not a colour: write it as #rrggbb.");
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
        for (const auto& [ref, role] :
             {std::pair{&scene.slide, "slide"}, {&scene.background.image, "background image"}})
            if (!ref->empty() && !fs::is_regular_file(ref->path, ec))
                throw Error(ErrorCode::NotFound,
                            which + "'s " + role + " '" + ref->path.string() +
                                "' is missing: it was moved or deleted; choose it again.");
        for (const std::string& color : {scene.background.color, scene.background.color2})
            if (!SceneCompositor::parseColor(color))
                throw Error(ErrorCode::InvalidInput, which + "'s background colour '" + color +
                                                         "' is not a colour: write it as #rrggbb.");
        const Rect box =
            SceneCompositor::geometry(scene.layout, project.output.width, project.output.height).presenter;
        RenderSpec spec;
        spec.text = scene.script;
        spec.avatar = p.portrait.path;
        spec.voice = p.voice;
        spec.speed = p.speed;
        spec.pitch = p.pitch;
        spec.framing = p.framing;
        spec.faceIndex = p.faceIndex;
        spec.expression = p.expression;
        spec.width = box.width; // the whole frame in the Full layout, else the presenter's box
        spec.height = box.height;
        spec.fps = project.output.fps;
        spec.crf = project.output.crf;
        spec.preset = project.output.preset;
        spec.captionsBurn = project.output.captionsBurn;
        spec.captionStyle = project.output.captionStyle;
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
    std::vector<std::unique_ptr<AtomicFile>> parts;
    double done = 0.0;
    // One scene with nothing to compose renders straight to the output; anything else is joined.
    const bool joined = specs.size() > 1 || SceneCompositor::needed(project.scenes[0], project.brand) ||
                        !project.sound.music.empty();
    for (std::size_t i = 0; i < specs.size(); ++i) {
        RenderSpec& spec = specs[i];
        if (joined) {
            // Hidden beside the output, so that the joiner's rename stays on one file system.
            std::string name = ".";
            name += result.output.filename().string();
            name += ".scene";
            name += std::to_string(i + 1);
            parts.push_back(std::make_unique<AtomicFile>(result.output.parent_path() / name));
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

    if (joined) {
        cancel.throwIfCancelled();
        AudioTrack sound;
        std::vector<std::size_t> sceneStarts;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            sceneStarts.push_back(sound.samples.size());
            appendSceneSound(parts[i]->path(), result.scenes[i].frames, project.output.fps, sound);
        }
        const EncoderSettings settings = encoderSettings(project, m_services.tier());
        const SegmentEncoder reference(settings); // the headers every joined segment must have
        const RenderCache cache(specs[0].useCache ? m_services.cache : nullptr);
        // Each scene's sound is encoded on its own and cached by its samples, so that a batch row re-encodes
        // only the scenes whose sound changed. The scenes meet in the pause that ends each one, where both
        // encoders saw silence (AacTrackEncoder::Parts); under music they would not, so music is encoded
        // whole.
        std::optional<AacTrackEncoder::Parts> audioParts;
        if (!project.sound.music.empty())
            sound = mixMusicUnderSpeech(sound, project.sound.music.path, {project.sound.musicGainDb});
        else if (cache.enabled())
            audioParts = cache.audioParts(sound, std::move(sceneStarts), settings.audioBitrate);
        SegmentJoiner joiner(result.output, settings, std::move(sound), std::move(audioParts));
        for (std::size_t i = 0; i < parts.size(); ++i) {
            cancel.throwIfCancelled();
            const Scene& scene = project.scenes[i];
            if (SceneCompositor::needed(scene, project.brand)) {
                for (const EncodedSegment& segment :
                     composeScene(scene, project.brand, parts[i]->path(), settings, cache, cancel, result))
                    joiner.append(segment);
            } else {
                joiner.append(asSegment(parts[i]->path(), settings, reference, cancel));
            }
        }
        joiner.finish();
        if (const AacTrackEncoder* audio = joiner.audio())
            result.soundPartsFromCache =
                static_cast<int>(std::count(audio->partsReused().begin(), audio->partsReused().end(), true));
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
