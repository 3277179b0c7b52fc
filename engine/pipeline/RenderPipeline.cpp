#include "RenderPipeline.h"

#include "Script.h"
#include "assets/DefaultAssets.h"
#include "captions/Caption.h"
#include "captions/CaptionBurner.h"
#include "captions/SubtitleWriter.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "core/ThreadPool.h"
#include "lipsync/BlinkTrack.h"
#include "lipsync/HeadMotion.h"
#include "lipsync/LoudnessShaping.h"
#include "lipsync/MouthAnimator.h"
#include "lipsync/VisemeRules.h"
#include "media/Mp4Encoder.h"
#include "memory/PoolBuffer.h"
#include "profile/ProfileMacros.h"
#include "profile/ProfileZone.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <fcntl.h>
#include <future>
#include <unistd.h>

namespace avatar {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr std::array<const char*, 10> kPresets = {"ultrafast", "superfast", "veryfast", "faster",
                                                  "fast",      "medium",    "slow",     "slower",
                                                  "veryslow",  "placebo"};

// Share of the whole job given to each stage in progress reports (measured on the benchmark script: frames
// dominate).
constexpr double kTtsShare = 0.08;
constexpr double kFaceShare = 0.04;
constexpr double kAnimateShare = 0.01;

constexpr std::size_t kFrameRingBudget = 256u << 20; // bytes of frames in flight at most

} // namespace

const char* stageName(Stage stage) {
    switch (stage) {
    case Stage::Validate:
        return "validate";
    case Stage::Tts:
        return "tts";
    case Stage::Face:
        return "face";
    case Stage::Animate:
        return "animate";
    case Stage::Render:
        return "render";
    case Stage::Encode:
        return "encode";
    case Stage::Done:
        return "done";
    }
    return "unknown";
}

void RenderPipeline::checkOutputWritable(const std::filesystem::path& output) {
    namespace fs = std::filesystem;
    if (output.empty())
        throw Error(ErrorCode::InvalidInput, "No output file was given.");
    std::error_code ec;
    if (fs::is_directory(output, ec))
        throw Error(ErrorCode::Io, "Cannot write '" + output.string() + "': it is a folder.");
    // Devices, pipes and sockets are never replaced by a video (as root, "-o /dev/null" would otherwise
    // replace /dev/null).
    const fs::file_status status = fs::status(output, ec);
    if (fs::exists(status) && !fs::is_regular_file(status))
        throw Error(ErrorCode::Io,
                    "Cannot write '" + output.string() + "': it exists and is not a regular file.");
    const fs::path dir = output.has_parent_path() ? output.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec))
        throw Error(ErrorCode::Io, "Cannot write '" + output.string() + "': the folder '" + dir.string() +
                                       "' does not exist.");
    // Probe by creating (and removing) a file beside the output: permissions, read-only mounts and full
    // disks all show up here, before any work is done.
    std::string probe = (dir / (".avatar-probe-XXXXXX")).string();
    const int fd = ::mkstemp(probe.data());
    if (fd < 0)
        throw Error(ErrorCode::Io, "Cannot write '" + output.string() + "': the folder '" + dir.string() +
                                       "' is not writable.");
    ::close(fd);
    fs::remove(probe, ec);
}

void RenderPipeline::validateSize(int width, int height) {
    if (width < 64 || height < 64 || width > 7680 || height > 4320 || width % 2 || height % 2)
        throw Error(ErrorCode::InvalidInput,
                    "The size " + std::to_string(width) + "x" + std::to_string(height) +
                        " is not supported: use even numbers from 64x64 to 7680x4320.");
}

std::filesystem::path RenderPipeline::resolveOutput(const std::filesystem::path& output) {
    // Writing through a symbolic link means replacing its target, not the link.
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path path = output;
    for (int hops = 0; hops < 16 && fs::is_symlink(path, ec); ++hops) {
        const fs::path target = fs::read_symlink(path, ec);
        if (ec)
            break;
        path = target.is_absolute() ? target : path.parent_path() / target;
    }
    return path;
}

std::vector<std::filesystem::path> RenderPipeline::captionFiles(const RenderSpec& spec) {
    std::vector<std::filesystem::path> files;
    if (spec.captionsSrt)
        files.push_back(SubtitleWriter::sidecar(spec.output, "srt"));
    if (spec.captionsVtt)
        files.push_back(SubtitleWriter::sidecar(spec.output, "vtt"));
    return files;
}

void RenderPipeline::validate(const RenderSpec& spec) const {
    if (Script::normalized(spec.text).empty())
        throw Error(ErrorCode::InvalidInput, "The script is empty: give some text to speak.");
    if (spec.text.size() > kMaxScriptBytes)
        throw Error(ErrorCode::InvalidInput, "The script is too long (" + std::to_string(spec.text.size()) +
                                                 " bytes; at most " + std::to_string(kMaxScriptBytes) +
                                                 "): split it into several videos.");
    Script::items(spec.text); // throws for a malformed <break>
    TextToSpeech::validate(SynthesisOptions{spec.speed, spec.pitch});
    validateSize(spec.width, spec.height);
    if (spec.fps < 1 || spec.fps > 60)
        throw Error(ErrorCode::InvalidInput,
                    "The frame rate " + std::to_string(spec.fps) + " is not supported: use 1 to 60.");
    if (!spec.preset.empty() && std::find(kPresets.begin(), kPresets.end(), spec.preset) == kPresets.end())
        throw Error(ErrorCode::InvalidInput,
                    "Unknown x264 preset '" + spec.preset +
                        "': use ultrafast, superfast, veryfast, faster, fast, medium, slow, "
                        "slower or veryslow.");
    if (spec.crf < 0 || spec.crf > 51)
        throw Error(ErrorCode::InvalidInput, "The quality (CRF) must be between 0 and 51.");
    m_services.tts.voice(spec.voice); // throws NotFound for an unknown voice
    checkOutputWritable(resolveOutput(spec.output));
    if (spec.captionsBurn && (spec.width < kMinBurnWidth || spec.height < kMinBurnHeight))
        throw Error(ErrorCode::InvalidInput,
                    "Burned-in captions need a frame of at least " + std::to_string(kMinBurnWidth) + "x" +
                        std::to_string(kMinBurnHeight) +
                        " to stay readable; use --captions srt or vtt for smaller videos.");
    // Caption files sit beside the video under its name: they must not be the video, nor anything but a
    // writable regular file.
    const auto video = std::filesystem::weakly_canonical(resolveOutput(spec.output));
    for (const std::filesystem::path& file : captionFiles(spec)) {
        const std::filesystem::path target = resolveOutput(file);
        if (std::filesystem::weakly_canonical(target) == video)
            throw Error(ErrorCode::InvalidInput,
                        "The captions '" + file.string() +
                            "' would replace the video: give the video a .mp4 name.");
        checkOutputWritable(target);
    }
}

Image RenderPipeline::loadPortrait(const RenderSpec& spec) const {
    if (spec.avatar.empty())
        return ImageIO::decode(DefaultAssets::portraitPng(), DefaultAssets::portraitName());
    return ImageIO::load(spec.avatar);
}

std::unique_ptr<Scene> RenderPipeline::prepareScene(const RenderSpec& spec) const {
    const Image portrait = loadPortrait(spec);
    const std::string name = spec.avatar.empty() ? DefaultAssets::portraitName() : spec.avatar.string();
    const FaceLandmarks face = m_services.faces.analyzeLargest(portrait, name);
    return std::make_unique<Scene>(portrait, face, spec.width, spec.height);
}

Speech RenderPipeline::synthesize(const RenderSpec& spec, const CancelToken& cancel) const {
    const SynthesisOptions options{spec.speed, spec.pitch};
    const int sampleRate = m_services.tts.voice(spec.voice).sampleRate;
    Speech speech;
    for (const ScriptItem& item : Script::items(spec.text)) {
        cancel.throwIfCancelled();
        if (item.text.empty())
            speech.append(
                Speech::silence(speech.sampleRate > 0 ? speech.sampleRate : sampleRate, item.pause));
        else
            speech.append(m_services.tts.synthesize(item.text, spec.voice, options));
    }
    const bool spoken = std::any_of(speech.phones.begin(), speech.phones.end(),
                                    [](const Phone& p) { return p.arpabet != "pau"; });
    if (speech.samples.empty() || !spoken)
        throw Error(ErrorCode::InvalidInput,
                    "The script has nothing the voice '" + spec.voice +
                        "' can speak: it needs words (pauses, punctuation and symbols "
                        "alone are not spoken).");
    return speech;
}

std::vector<MouthParams> RenderPipeline::animate(const Speech& speech, int fps, long long frames,
                                                 VisemeTrack* trackOut) {
    const VisemeTrack track = VisemeRules().fromPhones(speech.phones);
    std::vector<MouthParams> poses = MouthAnimator().sample(track, fps, frames);
    LoudnessShaping(speech).apply(poses, fps, track);
    // Blinks and head motion are seeded from the phone sequence (FNV-1a), so the same script and voice move
    // the same way in every render, and a different script differently.
    std::uint64_t seed = 1469598103934665603ull;
    for (const Phone& p : speech.phones)
        for (const char c : p.arpabet)
            seed = (seed ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    BlinkTrack(speech.duration(), seed).apply(poses, fps);
    HeadMotion(speech, seed ^ 0x9e3779b97f4a7c15ull).apply(poses, fps);
    if (trackOut)
        *trackOut = track;
    return poses;
}

RenderResult RenderPipeline::run(const RenderSpec& spec, const CancelToken& cancel,
                                 const ProgressCallback& progress, const RunHooks& hooks) const {
    Profiler& profiler = m_services.profiler;
    AVATAR_PROFILE_JOB(profiler, static_cast<std::uint32_t>(hooks.jobId));
    const auto jobStart = Clock::now();
    auto report = [&](Stage stage, double fraction, long long done = 0, long long total = 0) {
        if (progress)
            progress(Progress{stage, std::clamp(fraction, 0.0, 1.0), done, total});
    };
    RenderResult result;
    result.width = spec.width;
    result.height = spec.height;
    result.fps = spec.fps;
    result.voice = spec.voice;

    report(Stage::Validate, 0.0);
    validate(spec);

    // Face first: a portrait without a face is the likeliest bad input, and it fails in well under a second.
    report(Stage::Face, 0.0);
    auto t = Clock::now();
    std::unique_ptr<Scene> scene;
    {
        AVATAR_ZONE(profiler, "face");
        scene = prepareScene(spec);
    }
    const FrameRenderer& renderer = scene->renderer;
    result.seconds.face = secondsSince(t);
    cancel.throwIfCancelled();

    report(Stage::Tts, kFaceShare);
    t = Clock::now();
    Speech speech;
    {
        AVATAR_ZONE(profiler, "tts");
        speech = synthesize(spec, cancel);
    }
    result.seconds.tts = secondsSince(t);
    result.duration = speech.duration();
    result.frames = Mp4Encoder::framesForDuration(speech.duration(), spec.fps);

    report(Stage::Animate, kFaceShare + kTtsShare);
    t = Clock::now();
    std::vector<MouthParams> poses;
    {
        AVATAR_ZONE(profiler, "animate");
        poses = animate(speech, spec.fps, result.frames, nullptr);
    }
    result.seconds.animate = secondsSince(t);
    cancel.throwIfCancelled();

    // Captions are timed from the synthesiser's words, spelled as in the script.
    std::vector<CaptionCue> cues;
    std::unique_ptr<CaptionBurner> burner;
    if (spec.captionsBurn || spec.captionsSrt || spec.captionsVtt)
        cues = CaptionBuilder().build(speech.words, spec.text); // drops <break/> tags itself
    if (spec.captionsBurn && !cues.empty())
        burner = std::make_unique<CaptionBurner>(cues, spec.width, spec.height);
    // What changes between frames: the face region and, with burned captions, the caption band.
    Rect dirty = renderer.dirtyRect();
    if (burner && !burner->area().isEmpty()) {
        const Rect c = burner->area();
        const int x0 = std::min(dirty.x, c.x), y0 = std::min(dirty.y, c.y);
        dirty = {x0, y0, std::max(dirty.right(), c.right()) - x0, std::max(dirty.bottom(), c.bottom()) - y0};
    }

    // Frames: workers render into a ring of buffers that already hold the background (only the face region
    // and the caption band are redrawn); this thread encodes them in order, so rendering and encoding
    // overlap.
    EncoderSettings enc;
    enc.width = spec.width;
    enc.height = spec.height;
    enc.fps = spec.fps;
    // No preset named: the tier's (measured speed/quality trade-off, docs/PERFORMANCE.md).
    enc.preset = spec.preset.empty() ? tierEncoderPreset(m_services.tier()) : spec.preset;
    enc.crf = spec.crf;
    Mp4Encoder encoder(resolveOutput(spec.output), enc, AudioTrack{speech.sampleRate, speech.samples});

    // Frames render on the engine's shared render pool (the scaler resizes it); more workers than hardware
    // threads never help, and every worker keeps two frames in flight. The ring's buffers come from the
    // memory manager's video pool (cached between jobs: no allocation per frame, little per job) and are
    // held to a budget so that 8K frames fit.
    ThreadPool& pool = m_services.renderPool;
    const std::size_t hardware = ThreadPool::hardwareThreads();
    const std::size_t workers = std::min(
        spec.threads > 0 ? std::size_t(spec.threads) : std::max<std::size_t>(1, pool.size()), hardware);
    const std::size_t frameBytes = scene->background.byteSize();
    const std::size_t byBudget =
        std::max<std::size_t>(3, kFrameRingBudget / std::max<std::size_t>(1, frameBytes));
    const std::size_t ring = std::min({2 * workers + 2, byBudget, static_cast<std::size_t>(result.frames)});
    std::vector<Image> buffers;
    buffers.reserve(ring);
    for (std::size_t i = 0; i < ring; ++i) {
        auto block = std::make_shared<PoolBuffer>(m_services.memory.acquire(Workload::Video, frameBytes));
        auto* pixels = reinterpret_cast<std::uint8_t*>(block->data());
        buffers.emplace_back(spec.width, spec.height, pixels, std::move(block));
        buffers.back() = scene->background;
    }
    // Tasks of this job that have not started yet return at once after a failure: the pool is shared with
    // other jobs, so its queue cannot simply be cleared.
    auto aborted = std::make_shared<std::atomic<bool>>(false);
    std::vector<std::future<double>> inFlight(ring);
    const std::uint32_t jobTag = static_cast<std::uint32_t>(hooks.jobId);
    auto submit = [&](long long frame) {
        Image& buffer = buffers[frame % ring];
        const ProfileTick queued = Profiler::now();
        inFlight[frame % ring] = pool.submit(
            [&renderer, &poses, &buffer, &burner, &scene, &spec, &profiler, aborted, frame, queued, jobTag] {
                if (aborted->load())
                    return 0.0;
                AVATAR_PROFILE_JOB(profiler, jobTag);
                profiler.recordZone("queue.render", queued, Profiler::now(), ProfilingLevel::Detailed);
                AVATAR_ZONE_LEVEL(profiler, "render.frame", ProfilingLevel::Detailed);
                const auto start = Clock::now();
                if (burner)
                    buffer.copyRect(scene->background, burner->area()); // wipe the previous frame's caption
                renderer.render(poses[static_cast<std::size_t>(frame)], buffer);
                if (burner)
                    burner->draw((static_cast<double>(frame) + 0.5) / spec.fps, buffer);
                return secondsSince(start);
            });
    };

    const double frameShareStart = kFaceShare + kTtsShare + kAnimateShare;
    const ProfileTick renderStart = Profiler::now();
    long long next = 0;
    for (; next < static_cast<long long>(ring); ++next)
        submit(next);
    try {
        for (long long f = 0; f < result.frames; ++f) {
            result.seconds.render += inFlight[f % ring].get();
            cancel.throwIfCancelled();
            t = Clock::now();
            {
                AVATAR_ZONE_LEVEL(profiler, "encode.frame", ProfilingLevel::Moderate);
                encoder.writeFrame(buffers[f % ring], dirty);
            }
            result.seconds.encode += secondsSince(t);
            if (hooks.onFrame)
                hooks.onFrame(buffers[f % ring], f);
            // What the bottleneck detector and the report's charts read, a few times a second.
            if (f % std::max(1, spec.fps / 5) == 0 && profiler.records(ProfilingLevel::Moderate)) {
                const MemoryStats mem = m_services.memory.stats();
                profiler.counter("memory.bytes", double(mem.total.reservedBytes.current),
                                 ProfilingLevel::Moderate);
                profiler.counter("memory.cap.bytes", double(mem.capBytes), ProfilingLevel::Moderate);
                profiler.counter("pool.workers", double(pool.size()), ProfilingLevel::Moderate);
                profiler.counter("pool.cap", double(hardware), ProfilingLevel::Moderate);
                profiler.counter("queue.depth", double(pool.pendingTasks()), ProfilingLevel::Moderate);
            }
            if (next < result.frames)
                submit(next++);
            report(Stage::Render, frameShareStart + (1.0 - frameShareStart) * double(f + 1) / result.frames,
                   f + 1, result.frames);
        }
    } catch (...) {
        aborted->store(true);
        for (auto& fut : inFlight)
            if (fut.valid())
                fut.wait(); // the workers hold references to this frame's buffers
        throw;
    }
    report(Stage::Encode, 1.0, result.frames, result.frames);
    t = Clock::now();
    {
        AVATAR_ZONE(profiler, "encode");
        encoder.finish();
    }
    result.seconds.encode += secondsSince(t);
    // The render stage as one zone per job (frames are zones of their own at the detailed level).
    profiler.recordZone("render", renderStart, Profiler::now());

    // Caption files last: they describe the finished video. Their paths were checked before any work; should
    // writing still fail, the job fails whole, the video included, as any failed job leaves nothing.
    try {
        for (const std::filesystem::path& file : captionFiles(spec)) {
            const bool srt = file.extension() == ".srt";
            SubtitleWriter::write(srt ? SubtitleWriter::srt(cues) : SubtitleWriter::vtt(cues), file);
            result.captionFiles.push_back(file);
        }
    } catch (...) {
        std::error_code ec;
        for (const auto& file : result.captionFiles)
            std::filesystem::remove(resolveOutput(file), ec);
        std::filesystem::remove(resolveOutput(spec.output), ec);
        throw;
    }

    result.output = spec.output;
    result.totalSeconds = secondsSince(jobStart);
    report(Stage::Done, 1.0, result.frames, result.frames);
    return result;
}

} // namespace avatar
