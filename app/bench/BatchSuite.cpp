// avatar-bench --suite batch: a personalised batch (issue #14). 100 CSV rows of a three-scene project in
// which only the greeting sentence names the row, rendered one after the other with one cache, against one
// cold render of the same project: batch_per_video_ratio (batch time / rows / cold time), videos per minute,
// and the process's resident memory after row 10 against after row 100 (docs/PERFORMANCE.md).
#include "SoakReport.h"
#include "Suites.h"

#include "cache/Cache.h"
#include "core/ImageIO.h"
#include "core/Json.h"
#include "project/BatchPlan.h"
#include "project/ProjectRenderer.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

namespace avatar::bench {

namespace {

constexpr int kRows = 100;

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double mib(std::uint64_t bytes) {
    return double(bytes) / (1 << 20);
}

double growth(std::uint64_t from, std::uint64_t to) {
    return from ? double(to) / double(from) - 1.0 : 0.0;
}

std::unique_ptr<cache::Cache> freshCache(const std::filesystem::path& folder) {
    std::filesystem::create_directories(folder);
    cache::CacheOptions o;
    o.memory.capacityBytes = std::size_t{256} << 20;
    o.disk.path = folder / "cache.db";
    return std::make_unique<cache::Cache>(std::move(o));
}

project::Project threeScenes(const RenderSpec& spec, const std::filesystem::path& dir) {
    Image slide(800, 600);
    slide.fill(240, 236, 225);
    for (int y = 0; y < 110; ++y)
        for (int x = 0; x < 800; ++x) {
            std::uint8_t* px = slide.row(y) + x * 3;
            px[0] = 30, px[1] = 58, px[2] = 138;
        }
    ImageIO::save(slide, dir / "slide.png");
    project::Project p;
    p.output.width = spec.width;
    p.output.height = spec.height;
    p.output.fps = spec.fps;
    p.output.preset = spec.preset;
    project::Scene greeting;
    greeting.script = "Hello {{name}}. Welcome to the quarterly update from the studio team. "
                      "We have good news to share with you today.";
    greeting.overlays = {{project::TextOverlay::Kind::Title, "Quarterly update", {}}};
    project::Scene slideScene;
    slideScene.script = "Revenue grew by twelve percent this quarter. We opened two new markets. "
                        "And renders are faster than ever.";
    slideScene.layout = project::Layout::PresenterRight;
    slideScene.slide.path = dir / "slide.png";
    slideScene.background.kind = project::Background::Kind::Gradient;
    project::Scene goodbye;
    goodbye.script = "Thanks for watching. See you next quarter.";
    goodbye.layout = project::Layout::Circle;
    goodbye.slide.path = dir / "slide.png";
    p.scenes = {greeting, slideScene, goodbye};
    return p;
}

} // namespace

int runBatchSuite(const RenderSpec& spec, const std::filesystem::path& dir) {
    const project::Project base = threeScenes(spec, dir);
    std::string csv = "name\n";
    for (int i = 0; i < kRows; ++i)
        csv += "Customer " + std::to_string(i + 1) + "\n";
    const project::BatchPlan plan = project::BatchPlan::make(base, project::CsvTable::parse(csv, "bench.csv"),
                                                             (dir / "{{name}}.mp4").string());
    if (!plan.valid())
        throw Error(ErrorCode::Internal, "The benchmark's batch is invalid: " + plan.report().front());

    // One cold render: the first row's project with an empty cache (the models loaded, as in a long-running
    // process).
    double cold = 0.0;
    {
        auto cache = freshCache(dir / "cold-cache");
        EngineServices services;
        services.faces.load();
        services.cache = cache.get();
        const auto start = std::chrono::steady_clock::now();
        project::ProjectRenderer(services).run(plan.rows[0].project, dir / "cold.mp4");
        cold = seconds(start);
    }

    auto cache = freshCache(dir / "batch-cache");
    EngineServices services;
    services.faces.load();
    services.cache = cache.get();
    const project::ProjectRenderer renderer(services);
    // At rows 10 and 100: the process's RSS, the bytes the cache's memory level holds (it may fill up to its
    // 256 MiB capacity over the batch: bounded, not a leak) and malloc's bytes in use.
    SoakSample at10;
    SoakSample at100;
    long long framesDrawn = 0;
    long long frames = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const project::BatchRow& row : plan.rows) {
        const project::ProjectRenderResult r = renderer.run(row.project, row.output);
        for (const RenderResult& scene : r.scenes)
            framesDrawn += scene.cache.framesRendered;
        frames += r.frames;
        std::error_code ec;
        std::filesystem::remove(row.output, ec); // 100 videos need not sit on disk
        if (row.number == 10)
            at10 = takeSoakSample(cache->stats().l1.bytes);
        if (row.number == kRows)
            at100 = takeSoakSample(cache->stats().l1.bytes);
    }
    const double batch = seconds(start);

    const double perVideo = batch / kRows;
    JsonWriter w;
    w.beginObject()
        .field("suite", "batch")
        .field("rows", kRows)
        .field("scenes", static_cast<int>(base.scenes.size()))
        .field("width", spec.width)
        .field("height", spec.height)
        .field("cold_seconds", cold)
        .field("batch_seconds", batch)
        .field("seconds_per_video", perVideo)
        .field("batch_per_video_ratio", perVideo / cold)
        .field("videos_per_minute", 60.0 / perVideo)
        .field("frames", frames)
        .field("frames_drawn", framesDrawn)
        .field("rss_after_row_10_mb", mib(at10.rss))
        .field("rss_after_row_100_mb", mib(at100.rss))
        .field("rss_growth", growth(at10.rss, at100.rss))
        .field("memory_cache_after_row_10_mb", mib(at10.cacheBytes))
        .field("memory_cache_after_row_100_mb", mib(at100.cacheBytes))
        .field("rss_growth_less_memory_cache", growth(at10.rss - std::min(at10.rss, at10.cacheBytes),
                                                      at100.rss - std::min(at100.rss, at100.cacheBytes)))
        .field("heap_after_row_10_mb", mib(at10.heapBytes))
        .field("heap_after_row_100_mb", mib(at100.heapBytes))
        .endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace avatar::bench
