// avatar-bench: measures the pipeline on a fixed ~60 s script and, in the same run, an encode-only baseline
// (the same number of frames through the same encoder settings), so that the pipeline's overhead is a ratio
// that does not depend on the machine. Prints one JSON line.
#include "Suites.h"
#include "assets/DefaultAssets.h"
#include "core/Error.h"
#include "core/Json.h"
#include "core/ThreadPool.h"
#include "media/Mp4Encoder.h"
#include "pipeline/RenderPipeline.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

struct BenchOptions {
    std::string suite = "render";
    avatar::RenderSpec spec;
    std::filesystem::path keep; // keep the rendered video here
    avatar::bench::RealismOptions realism;
};

[[noreturn]] void usageAndExit(int code) {
    std::fprintf(code ? stderr : stdout,
                 "Usage: avatar-bench [--suite render|engine|cache|encoder|faces|realism|align|ui] [--json] "
                 "[--size WxH]\n"
                 "                    [--fps N] [--preset NAME] [--threads N] [--voice ID] [--keep FILE]\n"
                 "                    [--sheets DIR] [--every N] [--portraits N]\n"
                 "Prints one JSON line.\n"
                 "  render  the fixed benchmark script against an encode-only baseline (default)\n"
                 "  engine  memory pool vs malloc, profiler zone cost, batched vs one-by-one, scaler\n"
                 "          reaction, and the demo script rendered at every tier\n"
                 "  cache   two-level cache vs plain LRU on a creator trace and a Zipf trace with scans,\n"
                 "          L1 operations per second with 1-8 threads\n"
                 "  encoder x264 presets on the same rendered frames: speed, size, PSNR\n"
                 "  faces   the LibTorch face models: one portrait, 16 crops batched vs one by one\n"
                 "  realism the demo script on several portraits, decoded and judged by face-api: mouth\n"
                 "          interior against photographs, identity, mesh stretch (docs/QUALITY.md);\n"
                 "          --sheets DIR also writes realism-shapes.png and realism-word.png there,\n"
                 "          --every N analyses every Nth frame (3), --portraits N renders N of 4 (3)\n"
                 "  ui      the studio's window offscreen while two jobs render: GUI-thread latency p95\n");
    std::exit(code);
}

BenchOptions parse(int argc, char** argv) {
    BenchOptions o;
    o.spec.text = avatar::DefaultAssets::benchmarkScript();
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                usageAndExit(2);
            return argv[++i];
        };
        if (a == "--json") {
            // JSON is the only output format; accepted for symmetry with the other tools.
        } else if (a == "--suite") {
            o.suite = value();
            if (o.suite != "render" && o.suite != "engine" && o.suite != "cache" && o.suite != "encoder" &&
                o.suite != "ui" && o.suite != "faces" && o.suite != "realism" && o.suite != "align") {
                std::fprintf(stderr,
                             "avatar-bench: unknown suite '%s': use render, engine, cache, encoder, faces, "
                             "realism, align or ui.\n",
                             o.suite.c_str());
                std::exit(2);
            }
        } else if (a == "--size") {
            const std::string s = value();
            const auto x = s.find('x');
            if (x == std::string::npos)
                usageAndExit(2);
            o.spec.width = std::atoi(s.substr(0, x).c_str());
            o.spec.height = std::atoi(s.substr(x + 1).c_str());
        } else if (a == "--fps") {
            o.spec.fps = std::atoi(value().c_str());
        } else if (a == "--preset") {
            o.spec.preset = value();
        } else if (a == "--threads") {
            o.spec.threads = std::atoi(value().c_str());
        } else if (a == "--voice") {
            o.spec.voice = value();
        } else if (a == "--keep") {
            o.keep = value();
        } else if (a == "--sheets") {
            o.realism.sheets = value();
        } else if (a == "--every") {
            o.realism.every = std::atoi(value().c_str());
        } else if (a == "--portraits") {
            o.realism.portraits = static_cast<std::size_t>(std::max(1, std::atoi(value().c_str())));
        } else if (a == "-h" || a == "--help") {
            usageAndExit(0);
        } else {
            usageAndExit(2);
        }
    }
    return o;
}

} // namespace

int main(int argc, char** argv) {
    using namespace avatar;
    BenchOptions options = parse(argc, argv);
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("avatar-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    struct Cleanup {
        std::filesystem::path dir;
        ~Cleanup() {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    } cleanup{dir};

    try {
        if (options.suite == "engine") {
            RenderSpec spec = options.spec;
            spec.text = DefaultAssets::defaultScript();
            return bench::runEngineSuite(spec, dir);
        }
        if (options.suite == "realism")
            return bench::runRealismSuite(options.spec, dir, options.realism);
        if (options.suite == "align")
            return bench::runAlignSuite(options.spec, dir);
        if (options.suite == "faces")
            return bench::runFacesSuite(options.spec, dir);
        if (options.suite == "cache")
            return bench::runCacheSuite(options.spec, dir);
        if (options.suite == "ui") // the studio's GUI-thread latency while two jobs render
#ifdef AVATAR_BENCH_UI
            return bench::runUiSuite(argc, argv, options.spec, dir);
#else
            throw Error(ErrorCode::InvalidInput, "--suite ui needs a build with AVATAR_BUILD_UI=ON.");
#endif
        if (options.suite == "encoder") {
            RenderSpec spec = options.spec;
            spec.text = DefaultAssets::defaultScript();
            return bench::runEncoderSuite(spec, dir);
        }
        EngineServices services;
        services.faces.load(); // as a long-running studio has them: renders are timed without the model load
        RenderPipeline pipeline(services);
        RenderSpec& spec = options.spec;
        if (spec.preset.empty())
            spec.preset = tierEncoderPreset(services.tier());
        spec.output = options.keep.empty() ? dir / "bench.mp4" : options.keep;

        // 1. The whole pipeline.
        const RenderResult r = pipeline.run(spec);

        // 2. Encode-only baseline: the same frame count and encoder settings. Its frames are real rendered
        //    frames (a cycle of 50 distinct mouth poses) so that x264 sees the same kind of content; they are
        //    rendered before the clock starts.
        const std::unique_ptr<Scene> scene = pipeline.prepareScene(spec);
        const Speech speech = pipeline.synthesize(spec, CancelToken{});
        const std::vector<MouthParams> poses = RenderPipeline::animate(speech, spec.fps, r.frames, nullptr);
        const std::size_t cycle = std::min<std::size_t>(50, poses.size());
        std::vector<Image> frames(cycle, scene->background);
        for (std::size_t i = 0; i < cycle; ++i)
            scene->renderer.render(poses[i * poses.size() / cycle], frames[i]);
        EncoderSettings enc;
        enc.width = spec.width;
        enc.height = spec.height;
        enc.fps = spec.fps;
        enc.preset = spec.preset;
        enc.crf = spec.crf;
        const auto t = Clock::now();
        {
            Mp4Encoder encoder(dir / "baseline.mp4", enc, AudioTrack{speech.sampleRate, speech.samples});
            for (long long f = 0; f < r.frames; ++f)
                encoder.writeFrame(frames[static_cast<std::size_t>(f) % cycle], scene->renderer.dirtyRect());
            encoder.finish();
        }
        const double encodeOnly = secondsSince(t);

        JsonWriter w;
        w.beginObject()
            .field("suite", "render")
            .field("width", spec.width)
            .field("height", spec.height)
            .field("fps", spec.fps)
            .field("preset", spec.preset)
            .field("voice", spec.voice)
            .field("threads",
                   spec.threads > 0 ? spec.threads : static_cast<int>(ThreadPool::hardwareThreads()))
            .field("audio_seconds", r.duration)
            .field("frames", r.frames);
        w.key("seconds")
            .beginObject()
            .field("tts", r.seconds.tts)
            .field("face", r.seconds.face)
            .field("animate", r.seconds.animate)
            .field("render_cpu", r.seconds.render)
            .field("encode", r.seconds.encode)
            .endObject();
        w.field("total_seconds", r.totalSeconds)
            .field("frames_per_second", double(r.frames) / r.totalSeconds)
            .field("realtime_factor", r.duration / r.totalSeconds)
            .field("render_ms_per_frame", 1000.0 * r.seconds.render / double(r.frames))
            .field("encode_only_seconds", encodeOnly)
            .field("encode_only_fps", double(r.frames) / encodeOnly)
            .field("pipeline_over_encode_only", r.totalSeconds / encodeOnly)
            .endObject();
        std::cout << w.str() << std::endl;
        return 0;
    } catch (const Error& e) {
        std::fprintf(stderr, "avatar-bench: %s\n", e.what());
        return 1;
    }
}
