// avatar-render: the headless command line over the engine (for scripts, render farms and tests); the
// launcher (Launcher.cpp) opens this part as libavatar-render-core.so.
#include "BatchCommand.h"
#include "CliOptions.h"
#include "CuesCommand.h"
#include "FacesCommand.h"
#include "ProgressBar.h"
#include "QueueCommand.h"
#include "VoiceList.h"
#include "cache/Cache.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "core/Json.h"
#include "jobs/JobTypes.h"
#include "media/MediaReader.h"
#include "pipeline/RenderPipeline.h"
#include "profile/Baseline.h"
#include "profile/ProfileReport.h"
#include "project/ProjectFile.h"
#include "project/ProjectRenderer.h"
#include "render/ShapeSheet.h"

#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <unistd.h>

namespace {

// The cancel flag of the running job, for the SIGINT/SIGTERM handler: an interrupted render stops at the
// next frame and removes its temporary file instead of leaving it behind.
std::atomic_bool* g_cancelFlag = nullptr;
volatile std::sig_atomic_t g_signal = 0;

extern "C" void onTerminate(int sig) {
    g_signal = sig;
    if (g_cancelFlag)
        g_cancelFlag->store(true);
}

void installSignalHandlers(const avatar::CancelToken& token) {
    g_cancelFlag = token.flag();
    struct sigaction action {};
    action.sa_handler = onTerminate;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND; // a second Ctrl-C ends the process at once
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

// Writes a PNG/JPEG next to `output` under a temporary name and renames it into place, so a failed or
// interrupted write never leaves a partial image.
void saveImageAtomically(const avatar::Image& image, const std::filesystem::path& output) {
    namespace fs = std::filesystem;
    std::string ext = output.extension().string();
    for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".png" && ext != ".jpg" && ext != ".jpeg" && ext != ".bmp")
        throw avatar::Error(avatar::ErrorCode::InvalidInput,
                            "Cannot write '" + output.string() + "': use a .png, .jpg or .bmp file name.");
    const fs::path target = avatar::RenderPipeline::resolveOutput(output);
    avatar::RenderPipeline::checkOutputWritable(target);
    avatar::ImageIO::save(image, target); // beside the target, renamed into place (core/AtomicFile)
}

// Saves the first frame at or after `at` seconds: thumbnails, and looking at what a render produced.
int saveFrame(const avatar::cli::CliOptions& o) {
    avatar::MediaReader reader(o.video);
    avatar::Image frame;
    double pts = 0.0;
    bool found = false;
    while (reader.readVideoFrame(frame, &pts)) {
        found = true;
        if (pts + 1e-6 >= o.at)
            break;
    }
    if (!found)
        throw avatar::Error(avatar::ErrorCode::Unreadable, "'" + o.video + "' has no video frames.");
    saveImageAtomically(frame, o.spec.output);
    return 0;
}

// PROJECT.avatarproj: loads the project (a moved portrait is an error, a changed one a warning) and renders
// its scenes into one video.
int renderProject(const avatar::cli::CliOptions& o, avatar::EngineServices& services,
                  const avatar::CancelToken& cancel, std::optional<avatar::cli::ProgressBar>& bar) {
    using namespace avatar;
    const project::LoadedProject loaded = project::ProjectFile::load(o.project);
    for (const project::MediaNotice& notice : loaded.notices)
        if (notice.kind == project::MediaNotice::Kind::Changed)
            std::fprintf(stderr, "avatar-render: warning: %s.\n", notice.message().c_str());
    const project::ProjectRenderer renderer(services);
    const project::ProjectRenderResult result =
        renderer.run(loaded.project, o.spec.output, cancel, [&](const Progress& p) {
            if (bar)
                bar->update(p);
        });
    if (bar)
        bar->finish();
    for (const std::string& warning : result.warnings)
        std::fprintf(stderr, "avatar-render: warning: %s\n", warning.c_str());
    if (o.json) {
        JsonWriter w;
        w.beginObject().field("output", result.output.string()).field("duration", result.duration);
        w.field("frames", result.frames).field("seconds", result.totalSeconds);
        // The rate as a number and exactly ("30000/1001"), as a single render reports it.
        w.field("fps", loaded.project.output.fps.toDouble())
            .field("frame_rate", loaded.project.output.fps.toString());
        w.field("transition_frames", result.transitionFrames).field("intro_frames", result.introFrames);
        w.field("outro_frames", result.outroFrames);
        w.key("scenes").beginArray();
        for (const RenderResult& scene : result.scenes)
            w.beginObject()
                .field("duration", scene.duration)
                .field("frames", scene.frames)
                .field("frames_rendered", scene.cache.framesRendered)
                .field("segments_reused", scene.cache.segmentsReused)
                .endObject();
        w.endArray().key("warnings").beginArray();
        for (const std::string& warning : result.warnings)
            w.value(warning);
        w.endArray().endObject();
        std::cout << w.str() << std::endl;
    } else if (!o.quiet) {
        std::fprintf(stderr, "Wrote %s (%zu scenes, %.1f s, %lld frames) in %.1f s.\n", result.output.c_str(),
                     result.scenes.size(), result.duration, result.frames, result.totalSeconds);
    }
    return 0;
}

} // namespace

// The program behind the launcher (Launcher.cpp), which opens this library for every command but the
// quickest ones.
extern "C" __attribute__((visibility("default"))) int avatar_render_main(int argc, char** argv) {
    using namespace avatar;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "queue") // the job database has its own flags (QueueCommand.cpp)
        return cli::runQueueCommand({args.begin() + 1, args.end()});
    if (!args.empty() && args[0] == "faces") // face detection and description (FacesCommand.cpp)
        return cli::runFacesCommand({args.begin() + 1, args.end()});
    if (!args.empty() && args[0] == "batch") { // one video per CSV row (BatchCommand.cpp)
        const CancelToken cancel;
        installSignalHandlers(cancel);
        return cli::runBatchCommand({args.begin() + 1, args.end()}, cancel);
    }
    cli::CliOptions options;
    try {
        options = cli::parse(args);
    } catch (const cli::UsageError& e) {
        std::fprintf(stderr, "avatar-render: %s\n", e.message.c_str());
        return 2;
    } catch (const Error& e) {
        std::fprintf(stderr, "avatar-render: %s\n", e.what());
        return 1;
    }
    if (options.command == cli::Command::Help) {
        std::cout << cli::usage();
        return 0;
    }
    if (options.command == cli::Command::Version) {
        std::cout << "avatar-render " AVATAR_VERSION "\n";
        return 0;
    }

    try {
        if (options.command == cli::Command::Frame)
            return saveFrame(options);
        EngineServices services;
        if (options.command == cli::Command::Voices)
            return cli::listVoices(services.tts, options.json);
        if (options.command == cli::Command::Cues)
            return cli::writeCues(services, options);

        RenderPipeline pipeline(services);
        if (options.command == cli::Command::Shapes) {
            RenderPipeline::validateSize(options.spec.width, options.spec.height);
            std::vector<std::string> warnings;
            const std::unique_ptr<Scene> scene =
                pipeline.prepareScene(options.spec, nullptr, nullptr, &warnings);
            for (const std::string& warning : warnings)
                std::fprintf(stderr, "avatar-render: warning: %s\n", warning.c_str());
            saveImageAtomically(ShapeSheet::render(*scene), options.spec.output);
            if (!options.quiet)
                std::fprintf(stderr, "Wrote %s\n", options.spec.output.c_str());
            return 0;
        }
        if (options.tier)
            services.setTier(*options.tier);
        // The services hold a plain pointer to the cache: it lives until the end of this block, past the run.
        std::unique_ptr<cache::Cache> cache;
        if (!options.noCache) {
            cache = cli::openCache(options.cacheDir.empty() ? cli::defaultCacheDir() : options.cacheDir,
                                   &services.resilience);
            services.cache = cache.get();
        }
        // A baseline is read before the render: a missing or broken one is an error before any work.
        std::optional<Baseline> baseline;
        if (!options.baseline.empty())
            baseline = Baseline::load(options.baseline);
        for (const auto& file : options.reports)
            RenderPipeline::checkOutputWritable(RenderPipeline::resolveOutput(file));
        if (!options.reports.empty())
            services.profiler.setLevel(std::max(services.profiler.level(), ProfilingLevel::Detailed));
        std::optional<cli::ProgressBar> bar;
        if (!options.quiet && ::isatty(STDERR_FILENO))
            bar.emplace(stderr);
        const CancelToken cancel;
        installSignalHandlers(cancel);
        if (options.command == cli::Command::Project)
            return renderProject(options, services, cancel, bar);
        const RenderResult result = pipeline.run(options.spec, cancel, [&](const Progress& p) {
            if (bar)
                bar->update(p);
        });
        if (bar)
            bar->finish();
        for (const std::string& warning : result.warnings) // also in --json's "warnings"
            std::fprintf(stderr, "avatar-render: warning: %s\n", warning.c_str());
        if (!options.reports.empty()) {
            ReportOptions ro;
            ro.title = "avatar-render: " + result.output.filename().string();
            ro.settings.tier = services.tier();
            ro.settings.threads = static_cast<int>(services.renderPool.size());
            ro.settings.hardwareThreads = static_cast<int>(ThreadPool::hardwareThreads());
            ro.settings.x264Preset = effectiveEncoderPreset(options.spec.preset, services.tier());
            ro.baseline = baseline;
            ro.resilience = services.resilience.snapshot();
            const ProfileReport report = ProfileReport::build(services.profiler, ro);
            for (const auto& file : options.reports) {
                report.exportReport(file);
                if (!options.quiet && !options.json)
                    std::fprintf(stderr, "Wrote profile report %s\n", file.c_str());
            }
        }
        if (options.json)
            std::cout << renderResultToJson(result) << std::endl;
        else if (!options.quiet)
            std::fprintf(stderr, "Wrote %s (%.1f s, %lld frames) in %.1f s.\n", result.output.c_str(),
                         result.duration, result.frames, result.totalSeconds);
        return 0;
    } catch (const Error& e) {
        if (e.code() == ErrorCode::Cancelled && g_signal != 0) {
            std::fprintf(stderr, "avatar-render: interrupted; no video was written.\n");
            return 128 + static_cast<int>(g_signal);
        }
        std::fprintf(stderr, "avatar-render: %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avatar-render: unexpected failure: %s\n", e.what());
        return 1;
    }
}
