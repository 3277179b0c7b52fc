#include "ProjectRenderer.h"

#include "ProjectFile.h"

#include "SceneClips.h"
#include "SceneCompositor.h"
#include "cache/CacheKey.h"
#include "core/AtomicFile.h"
#include "core/Error.h"
#include "core/HeapTrim.h"
#include "media/AudioDecoder.h"
#include "media/MediaReader.h"
#include "media/MusicMixer.h"
#include "media/SegmentDecoder.h"
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

// A scene's sound, cut or padded with silence to where its video ends (`endFrame`, counted from the first
// scene), so that the scenes after it stay in step with their pictures: the end is computed from the frame
// count, not summed scene by scene, so a 29.97 fps project's sound never drifts. The track takes the decoded
// sample rate (the same in every scene: the encoder's).
void appendSceneSound(const fs::path& video, long long endFrame, FrameRate fps, AudioTrack& track) {
    MediaReader reader(video);
    int rate = 0;
    const std::vector<float> sound = reader.readAudioMono(&rate);
    if (rate <= 0)
        throw Error(ErrorCode::Internal, "A rendered scene has no sound.");
    if (track.sampleRate == 0)
        track.sampleRate = rate;
    if (track.sampleRate != rate)
        throw Error(ErrorCode::Internal, "The rendered scenes' sounds differ in sample rate.");
    const std::size_t base = track.samples.size();
    const auto length = static_cast<std::size_t>(
        std::max<std::int64_t>(0, fps.sampleAt(endFrame, rate) - std::int64_t(base)));
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

// A video background moves under the presenter, so the composition of a frame depends on its place in the
// scene; any other background is the same under every frame.
bool movingBackground(const Scene& scene) {
    return scene.background.kind == Background::Kind::Video && !scene.background.video.empty();
}

// The titles, lower thirds and logo of a scene, and the brand they are drawn in, into a cache key.
void addOverlays(cache::CacheKey::Builder& key, const Scene& scene, const Brand& brand) {
    key.text("logo", brand.logo.empty() ? std::string() : ProjectFile::hashFile(brand.logo.path))
        .text("logo-corner", cornerName(brand.logoCorner))
        .integer("overlays", std::ssize(scene.overlays));
    if (!scene.overlays.empty())
        key.text("font", brand.font).text("primary", brand.primaryColor).text("accent", brand.accentColor);
    for (const TextOverlay& o : scene.overlays)
        key.integer("kind", static_cast<int>(o.kind)).text("text", o.text).text("detail", o.detail);
}

// The cache key of one composed group of pictures: what the presenter's frames were (the group's encoded
// bytes), the layout, what the canvas was drawn from, the overlays and the brand they are drawn with. Over a
// still background the composition is the same for every frame, so a group's place in the scene (its first
// frame) is part of its key only over a video.
cache::CacheKey composedKey(const Scene& scene, const Brand& brand, const EncodedSegment& presenter,
                            std::span<const EncodedSegment::Packet> group, std::int64_t firstFrame,
                            const EncoderSettings& settings) {
    cache::Sha256 frames;
    frames.update(std::span<const std::uint8_t>(presenter.headers));
    for (const EncodedSegment::Packet& packet : group) {
        const std::int64_t order[2] = {packet.pts - group.front().pts, packet.key ? 1 : 0};
        frames.update(std::span(reinterpret_cast<const std::uint8_t*>(order), sizeof order));
        frames.update(std::span<const std::uint8_t>(presenter.data).subspan(packet.offset, packet.size));
    }
    cache::CacheKey::Builder key("composed-scene");
    key.version("compose/3")
        .digest("presenter", frames.finish())
        .text("layout", layoutName(scene.layout))
        .integer("width", settings.width)
        .integer("height", settings.height)
        .frameRate("fps", settings.fps)
        .integer("crf", settings.crf)
        .text("preset", settings.preset)
        .integer("background", static_cast<int>(scene.background.kind))
        .text("color", scene.background.color)
        .text("color2", scene.background.color2)
        .integer("first-frame", movingBackground(scene) ? firstFrame : 0);
    for (const auto& [name, ref] : {std::pair{"slide", &scene.slide},
                                    {"image", &scene.background.image},
                                    {"video", &scene.background.video}})
        key.text(name, ref->empty() ? std::string() : ProjectFile::hashFile(ref->path));
    addOverlays(key, scene, brand);
    return key.build();
}

// What a full-frame scene's titles and logo are drawn from (SceneCompositor::drawnOverPresenter): part of the
// key of every segment the pipeline draws them on.
std::string overlayKey(const Scene& scene, const Brand& brand, int width, int height) {
    cache::CacheKey::Builder key("scene-overlay");
    key.version("overlay/1").integer("width", width).integer("height", height);
    addOverlays(key, scene, brand);
    return key.build().id();
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

// A composed scene (SceneCompositor::needed, not drawnOverPresenter): the canvas drawn once, the presenter's
// decoded frames pasted into their box under the overlays and the logo, each group of pictures encoded as its
// own segment (only the compositor's dirty part is converted after a group's first frame) and cached by
// composedKey. Only the groups missing from the cache are decoded: each is closed (it starts at an IDR
// frame), so a batch row decodes its changed sentence and not the rest of the scene (at 1280x720 that
// decoding was about a sixth of a row).
std::vector<EncodedSegment> composeScene(const Scene& scene, const Brand& brand,
                                         const fs::path& presenterVideo, const EncoderSettings& settings,
                                         const RenderCache& cache, const CancelToken& cancel,
                                         ProjectRenderResult& result) {
    const EncodedSegment presenter = MediaReader(presenterVideo).readEncodedVideo();
    const auto groups = groupsOf(presenter);
    std::vector<cache::CacheKey> keys;
    std::vector<std::optional<EncodedSegment>> composed;
    std::int64_t firstFrame = 0;
    for (const auto& group : groups) {
        keys.push_back(composedKey(scene, brand, presenter, group, firstFrame, settings));
        composed.push_back(cache.segment(keys.back()));
        firstFrame += std::ssize(group);
    }
    const auto missing = std::count(composed.begin(), composed.end(), std::nullopt);
    result.groupsComposed += static_cast<int>(missing);
    result.groupsFromCache += static_cast<int>(std::ssize(groups) - missing);
    if (missing == 0) {
        ++result.composedFromCache;
    } else {
        ++result.scenesComposed;
        SceneCompositor compositor(scene, brand, settings.width, settings.height, settings.fps);
        SegmentDecoder decoder(presenter);
        Image frame = compositor.canvas();
        for (std::size_t g = 0; g < groups.size(); ++g) {
            if (composed[g]) {
                // A video background still moves on under a group taken from the cache.
                for (std::size_t f = 0; f < groups[g].size(); ++f)
                    if (g > 0 || f > 0)
                        compositor.nextBackground();
                continue;
            }
            SegmentEncoder encoder(settings);
            std::size_t f = 0;
            decoder.decodeGroup(static_cast<std::size_t>(groups[g].data() - presenter.packets.data()),
                                groups[g].size(), [&](const Image& picture) {
                                    cancel.throwIfCancelled();
                                    if (g > 0 || f > 0)
                                        compositor.nextBackground(); // a video background's next frame
                                    compositor.compose(picture, frame);
                                    encoder.writeFrame(frame, f == 0 || compositor.animated()
                                                                  ? frame.rect()
                                                                  : compositor.layout().presenter);
                                    ++f;
                                });
            composed[g] = encoder.finish();
            cache.put(keys[g], *composed[g]);
        }
    }
    std::vector<EncodedSegment> segments;
    for (std::optional<EncodedSegment>& segment : composed)
        segments.push_back(std::move(*segment));
    return segments;
}

// The segment cached under `key`, else make()'s, then cached. `fromCache` counts the hits.
template <class Make>
EncodedSegment cachedSegment(const RenderCache& cache, const cache::CacheKey& key, int& fromCache,
                             Make make) {
    if (std::optional<EncodedSegment> cached = cache.segment(key)) {
        ++fromCache;
        return std::move(*cached);
    }
    EncodedSegment segment = make();
    cache.put(key, segment);
    return segment;
}

// The crossfade from `before`'s last frame into `after`'s first, cached by the two segments' content (so a
// boundary is made again only when a scene beside it changed) and its length.
EncodedSegment crossfade(const EncodedSegment& before, const EncodedSegment& after, int frames,
                         const EncoderSettings& settings, const RenderCache& cache, const CancelToken& cancel,
                         ProjectRenderResult& result) {
    cache::Sha256 a;
    a.update(std::span<const std::uint8_t>(before.data));
    cache::Sha256 b;
    b.update(std::span<const std::uint8_t>(after.data));
    cache::CacheKey::Builder key("crossfade");
    key.version("crossfade/1")
        .digest("before", a.finish())
        .digest("after", b.finish())
        .integer("frames", frames)
        .integer("crf", settings.crf)
        .text("preset", settings.preset);
    return cachedSegment(cache, key.build(), result.clipsFromCache, [&] {
        return crossfadeSegment(SegmentDecoder::frame(before, -1), SegmentDecoder::frame(after, 0), frames,
                                settings, cancel);
    });
}

// The brand's intro or outro clip as a segment, cached by the file's content and the output settings.
EncodedSegment brandClip(const MediaRef& clip, const std::string& role, const EncoderSettings& settings,
                         const RenderCache& cache, const CancelToken& cancel, ProjectRenderResult& result) {
    cache::CacheKey::Builder key("brand-clip");
    key.version("clip/1")
        .text("file", ProjectFile::hashFile(clip.path))
        .integer("width", settings.width)
        .integer("height", settings.height)
        .frameRate("fps", settings.fps)
        .integer("crf", settings.crf)
        .text("preset", settings.preset);
    return cachedSegment(cache, key.build(), result.clipsFromCache,
                         [&] { return clipSegment(clip.path, role, settings, cancel); });
}

// A background video or a clip that is there but that FFmpeg cannot decode fails the job before any scene
// renders.
void requireVideo(const MediaRef& ref, const std::string& role) {
    if (ref.empty())
        return;
    try {
        if (MediaReader(ref.path).info().videoStreams == 0)
            throw Error(ErrorCode::Unreadable, "it has no pictures");
    } catch (const Error& e) {
        throw Error(ErrorCode::Unreadable, "The " + role + " '" + ref.path.string() +
                                               "' is not a video FFmpeg can decode (" + e.what() +
                                               "); choose another file.");
    }
}

int crossfadeFrames(const Transition& t, FrameRate fps) {
    return std::max(1, static_cast<int>(std::lround(t.seconds * fps.num() / fps.den())));
}

} // namespace

std::vector<RenderSpec> ProjectRenderer::sceneSpecs(const Project& project, const fs::path& output) {
    if (project.scenes.empty())
        throw Error(ErrorCode::InvalidInput, "The project has no scenes: add a scene with a script.");
    project.output.fps.require(); // before any scene is rendered: FrameRate's one message
    const Brand& brand = project.brand;
    std::error_code missing;
    for (const auto& [ref, role] : {std::pair{&brand.logo, "logo"},
                                    {&project.sound.music, "music"},
                                    {&brand.intro, "intro clip"},
                                    {&brand.outro, "outro clip"}})
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
        for (const auto& [ref, role] : {std::pair{&scene.slide, "slide"},
                                        {&scene.background.image, "background image"},
                                        {&scene.background.video, "background video"}})
            if (!ref->empty() && !fs::is_regular_file(ref->path, ec))
                throw Error(ErrorCode::NotFound,
                            which + "'s " + role + " '" + ref->path.string() +
                                "' is missing: it was moved or deleted; choose it again.");
        for (const std::string& color : {scene.background.color, scene.background.color2})
            if (!SceneCompositor::parseColor(color))
                throw Error(ErrorCode::InvalidInput, which + "'s background colour '" + color +
                                                         "' is not a colour: write it as #rrggbb.");
        const Transition& t = scene.transition;
        if (i > 0 && t.kind == Transition::Kind::Crossfade &&
            !(t.seconds >= Transition::kMinSeconds && t.seconds <= Transition::kMaxSeconds))
            throw Error(ErrorCode::InvalidInput, which + "'s crossfade of " + std::to_string(t.seconds) +
                                                     " s is not between 0.04 and 5 seconds long.");
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
    // Declared first, so it runs last, however the render ends: the pages that the project's frames, sound
    // and encoders freed go back to the system. A batch renders one project per row in one process, as the
    // job queue runs jobs, and like it needs this, or RSS creeps up in glibc's arenas (docs/PERFORMANCE.md).
    struct GiveBackFreedMemory {
        ~GiveBackFreedMemory() { returnFreedMemory(); }
    } giveBack;
    const auto started = std::chrono::steady_clock::now();
    std::vector<RenderSpec> specs = sceneSpecs(project, output);
    const RenderPipeline pipeline(m_services);
    for (const RenderSpec& spec : specs) // every scene's mistakes before any scene renders
        pipeline.validate(spec);
    for (std::size_t i = 0; i < project.scenes.size(); ++i)
        if (project.scenes[i].background.kind == Background::Kind::Video)
            requireVideo(project.scenes[i].background.video,
                         "background video of scene " + std::to_string(i + 1));
    requireVideo(project.brand.intro, "intro clip");
    requireVideo(project.brand.outro, "outro clip");

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
    const Brand& brand = project.brand;
    const auto composedAfter = [&](const Scene& scene) {
        return SceneCompositor::needed(scene, brand) && !SceneCompositor::drawnOverPresenter(scene, brand);
    };
    const bool joined = specs.size() > 1 || composedAfter(project.scenes[0]) ||
                        !project.sound.music.empty() || !brand.intro.empty() || !brand.outro.empty();
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
        // A full-frame scene's titles and logo are drawn by the pipeline over each frame it draws.
        RunHooks hooks;
        std::unique_ptr<SceneCompositor> over;
        if (SceneCompositor::drawnOverPresenter(project.scenes[i], brand)) {
            Scene bare = project.scenes[i]; // nothing of the canvas shows under a full-frame presenter
            bare.background = {};
            bare.slide = {};
            over = std::make_unique<SceneCompositor>(bare, brand, spec.width, spec.height, spec.fps);
            hooks.overlay = std::make_shared<const FrameOverlay>(
                FrameOverlay{[c = over.get()](Image& frame) { c->drawOver(frame); }, over->drawnOver(),
                             overlayKey(project.scenes[i], brand, spec.width, spec.height)});
        }
        RenderResult scene = pipeline.run(
            spec, cancel,
            [&](const Progress& p) {
                if (!progress)
                    return;
                Progress scaled = p;
                scaled.fraction = std::min(0.99, done + share * p.fraction);
                progress(scaled);
            },
            hooks);
        done += share;
        for (const std::string& w : scene.warnings)
            result.warnings.push_back("scene " + std::to_string(i + 1) + ": " + w);
        result.frames += scene.frames;
        result.scenes.push_back(std::move(scene));
    }

    if (joined) {
        cancel.throwIfCancelled();
        const FrameRate fps = project.output.fps;
        long long placed = 0; // frames of scenes and crossfades so far: where the sound must have reached
        const EncoderSettings settings = encoderSettings(project, m_services.tier());
        const SegmentEncoder reference(settings); // the headers every joined segment must have
        const RenderCache cache(specs[0].useCache ? m_services.cache : nullptr);
        // The scenes' sounds back to back, with silence where a crossfade runs between them: the speech is
        // not overlapped, so a fade never blurs or cuts a word.
        AudioTrack sound;
        std::vector<std::size_t> sceneStarts;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const Transition& t = project.scenes[i].transition;
            if (i > 0 && t.kind == Transition::Kind::Crossfade) {
                const int frames = crossfadeFrames(t, fps);
                placed += frames;
                sound.samples.resize(static_cast<std::size_t>(fps.sampleAt(placed, sound.sampleRate)));
                result.transitionFrames += frames;
            }
            sceneStarts.push_back(sound.samples.size());
            placed += result.scenes[i].frames;
            appendSceneSound(parts[i]->path(), placed, fps, sound);
        }
        // Without music or clips, each scene's sound is encoded on its own and cached by its samples, so that
        // a batch row re-encodes only the scenes whose sound changed. The scenes meet in the pause that ends
        // each one (or a crossfade's silence), where both encoders saw silence (AacTrackEncoder::Parts);
        // under music or at a clip's edge they would not, so such a sound is encoded whole.
        std::optional<AacTrackEncoder::Parts> audioParts;
        if (project.sound.music.empty() && brand.intro.empty() && brand.outro.empty() && cache.enabled())
            audioParts = cache.audioParts(sound, std::move(sceneStarts), settings.audioBitrate);
        std::optional<EncodedSegment> intro;
        std::optional<EncodedSegment> outro;
        if (!brand.intro.empty() || !brand.outro.empty()) {
            // The clips' sound at the speech's loudness, before the first scene's and after the last's.
            std::vector<float> speech(sound.samples.begin(), sound.samples.end());
            for (float& v : speech)
                v /= 32768.0f;
            double loudness = AudioDecoder::loudness(speech, sound.sampleRate);
            if (loudness <= -70.0)
                loudness = -16.0; // no speech to match: the level streaming platforms play speech at
            AudioTrack joinedSound;
            joinedSound.sampleRate = sound.sampleRate;
            const auto place = [&](const MediaRef& clip, const std::string& role,
                                   std::optional<EncodedSegment>& segment) {
                if (clip.empty())
                    return;
                segment = brandClip(clip, role, settings, cache, cancel, result);
                const AudioTrack part =
                    clipSound(clip.path, segment->frames(), fps, sound.sampleRate, loudness, cancel);
                joinedSound.samples.insert(joinedSound.samples.end(), part.samples.begin(),
                                           part.samples.end());
            };
            place(brand.intro, "intro clip", intro);
            joinedSound.samples.insert(joinedSound.samples.end(), sound.samples.begin(), sound.samples.end());
            place(brand.outro, "outro clip", outro);
            sound = std::move(joinedSound);
            result.introFrames = intro ? intro->frames() : 0;
            result.outroFrames = outro ? outro->frames() : 0;
        }
        if (!project.sound.music.empty())
            sound = mixMusicUnderSpeech(sound, project.sound.music.path, {project.sound.musicGainDb});
        SegmentJoiner joiner(result.output, settings, std::move(sound), std::move(audioParts));
        if (intro)
            joiner.append(*intro);
        EncodedSegment before;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            cancel.throwIfCancelled();
            const Scene& scene = project.scenes[i];
            // A composed scene comes in groups of pictures (only the changed ones composed again).
            std::vector<EncodedSegment> segments;
            if (composedAfter(scene))
                segments = composeScene(scene, brand, parts[i]->path(), settings, cache, cancel, result);
            else
                segments.push_back(asSegment(parts[i]->path(), settings, reference, cancel));
            if (i > 0 && scene.transition.kind == Transition::Kind::Crossfade)
                joiner.append(crossfade(before, segments.front(), crossfadeFrames(scene.transition, fps),
                                        settings, cache, cancel, result));
            for (const EncodedSegment& segment : segments)
                joiner.append(segment);
            before = std::move(segments.back());
        }
        if (outro)
            joiner.append(*outro);
        joiner.finish();
        if (const AacTrackEncoder* audio = joiner.audio())
            result.soundPartsFromCache =
                static_cast<int>(std::count(audio->partsReused().begin(), audio->partsReused().end(), true));
        result.frames += result.transitionFrames + result.introFrames + result.outroFrames;
    }
    result.duration = project.output.fps.seconds(result.frames);
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
