#include "BatchBench.h"

#include "assets/DefaultAssets.h"
#include "batch/Batcher.h"
#include "core/ImageIO.h"
#include "face/FaceAnalyzer.h"
#include "lipsync/MouthParams.h"
#include "render/Scene.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <thread>

namespace avatar {
namespace {

using BenchClock = std::chrono::steady_clock;

struct PreviewRequest {
    MouthParams pose;
    BenchClock::time_point submitted;
};

struct PreviewResponse {
    std::uint64_t checksum = 0; // of the rendered region, so nothing is optimised away
    BenchClock::time_point done;
};

struct Portrait {
    Image image;
    FaceLandmarks face;
};

std::uint64_t regionChecksum(const Image& frame, const Rect& r) {
    std::uint64_t sum = 0;
    for (int y = r.y; y < r.bottom(); y += 4) {
        const std::uint8_t* row = frame.row(y);
        for (int x = r.x * 3; x < r.right() * 3; x += 7)
            sum = sum * 31 + row[x];
    }
    return sum;
}

// The batch function of both paths: one Scene for the whole batch, one render per pose.
std::vector<PreviewResponse> renderBatch(const Portrait& p, int width, int height,
                                         std::vector<PreviewRequest>& requests) {
    const Scene scene(p.image, p.face, width, height);
    Image frame = scene.background; // a frame buffer that already holds the background
    std::vector<PreviewResponse> out;
    out.reserve(requests.size());
    for (const PreviewRequest& r : requests) {
        scene.renderer.render(r.pose, frame);
        out.push_back({regionChecksum(frame, scene.rig.region()), BenchClock::now()});
    }
    return out;
}

std::vector<MouthParams> poses(std::size_t n, std::mt19937& rng) {
    std::vector<MouthParams> out;
    std::uniform_int_distribution<int> shape(0, 8);
    std::uniform_real_distribution<double> head(-0.02, 0.02);
    for (std::size_t i = 0; i < n; ++i) {
        MouthParams m = MouthParams::forShape(static_cast<Viseme>(shape(rng)));
        m.headX = head(rng);
        m.headY = head(rng);
        out.push_back(m);
    }
    return out;
}

BatchOptions pathOptions(const char* name, std::size_t maxBatch) {
    BatchOptions o;
    o.name = name;
    o.baseMaxBatch = maxBatch;
    o.executors = 1;
    if (maxBatch == 1) {
        o.minDelay = std::chrono::microseconds(0);
        o.maxDelay = std::chrono::microseconds(0);
    } else {
        o.minDelay = std::chrono::microseconds(200);
        o.maxDelay = std::chrono::milliseconds(40);
    }
    return o;
}

using PreviewBatcher = Batcher<PreviewRequest, PreviewResponse>;

// Closed loop: everything queued at once; requests per second until the last answer.
double throughput(const Portrait& p, const BatchBenchOptions& o, std::size_t maxBatch,
                  const std::vector<MouthParams>& work) {
    PreviewBatcher batcher(
        [&](std::vector<PreviewRequest>& r) { return renderBatch(p, o.frameWidth, o.frameHeight, r); },
        pathOptions(maxBatch == 1 ? "bench-one" : "bench-batch", maxBatch));
    const auto start = BenchClock::now();
    std::vector<std::future<PreviewResponse>> futures;
    for (const MouthParams& pose : work)
        futures.push_back(batcher.submit({pose, BenchClock::now()}).result);
    for (auto& f : futures)
        f.get();
    const double seconds = std::chrono::duration<double>(BenchClock::now() - start).count();
    return double(work.size()) / seconds;
}

// Open loop: Poisson arrivals at `rate`; p95 of submit-to-answer.
double p95Latency(const Portrait& p, const BatchBenchOptions& o, std::size_t maxBatch,
                  const std::vector<MouthParams>& work, double rate, double* meanBatch) {
    PreviewBatcher batcher(
        [&](std::vector<PreviewRequest>& r) { return renderBatch(p, o.frameWidth, o.frameHeight, r); },
        pathOptions(maxBatch == 1 ? "bench-one" : "bench-batch", maxBatch));
    std::mt19937 rng(o.seed + 1); // the same arrival times for both paths
    std::exponential_distribution<double> gap(rate);
    std::vector<std::future<PreviewResponse>> futures;
    std::vector<BenchClock::time_point> submitted;
    auto next = BenchClock::now();
    for (const MouthParams& pose : work) {
        next += std::chrono::duration_cast<BenchClock::duration>(std::chrono::duration<double>(gap(rng)));
        std::this_thread::sleep_until(next);
        submitted.push_back(BenchClock::now());
        futures.push_back(batcher.submit({pose, submitted.back()}).result);
    }
    std::vector<double> latencies;
    for (std::size_t i = 0; i < futures.size(); ++i)
        latencies.push_back(
            std::chrono::duration<double, std::milli>(futures[i].get().done - submitted[i]).count());
    if (meanBatch)
        *meanBatch = batcher.metrics().meanBatchSize;
    return batchPercentile(latencies, 0.95);
}

} // namespace

BatchBenchResult runBatchBench(const FaceAnalyzer& faces, const BatchBenchOptions& o) {
    Portrait p;
    p.image = ImageIO::decode(DefaultAssets::portraitPng(), DefaultAssets::portraitName());
    p.face = faces.analyzeLargest(p.image, DefaultAssets::portraitName());

    BatchBenchResult r;
    r.workload = "preview frames " + std::to_string(o.frameWidth) + "x" + std::to_string(o.frameHeight) +
                 ": Scene per call + FrameRenderer::render";
    std::mt19937 rng(o.seed);
    const std::vector<MouthParams> warm = poses(4, rng);
    {
        // Alone, for the report: one Scene, then renders of it.
        const auto t0 = BenchClock::now();
        const Scene scene(p.image, p.face, o.frameWidth, o.frameHeight);
        const auto t1 = BenchClock::now();
        Image frame = scene.background;
        for (const MouthParams& m : warm)
            scene.renderer.render(m, frame);
        const auto t2 = BenchClock::now();
        r.sceneSetupMs = std::chrono::duration<double, std::milli>(t1 - t0).count();
        r.renderMs = std::chrono::duration<double, std::milli>(t2 - t1).count() / double(warm.size());
    }

    const std::vector<MouthParams> closed = poses(o.throughputRequests, rng);
    r.oneByOneThroughput = throughput(p, o, 1, closed);
    r.batchedThroughput = throughput(p, o, o.maxBatch, closed);
    r.batchSpeedup = r.batchedThroughput / r.oneByOneThroughput;

    const std::vector<MouthParams> open = poses(o.latencyRequests, rng);
    r.arrivalRate = o.load * r.oneByOneThroughput;
    r.oneByOneP95Ms = p95Latency(p, o, 1, open, r.arrivalRate, nullptr);
    r.batchedP95Ms = p95Latency(p, o, o.maxBatch, open, r.arrivalRate, &r.batchedMeanBatch);
    r.batchP95Ratio = r.batchedP95Ms / r.oneByOneP95Ms;
    return r;
}

} // namespace avatar
