#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace avatar {

class FaceAnalyzer;

// Batched vs one-by-one on real engine work: preview frames of a portrait (the studio's live preview, or a
// stateless preview service). A request is one mouth pose for one portrait at one output size; serving it
// needs the portrait's Scene (fit, blurred cover-fill background, face rig: the per-call fixed cost) and
// then one FrameRenderer::render of the face region. One-by-one builds the Scene per request; the batch
// function builds it once per batch (every request of the batch is for the same portrait) and renders each
// pose. Both paths run on one executor thread, so the comparison is per core.
struct BatchBenchOptions {
    int frameWidth = 1280;
    int frameHeight = 720;
    std::size_t throughputRequests = 96; // closed-loop phase: all queued at once
    std::size_t latencyRequests = 160;   // open-loop phase: Poisson arrivals
    // Arrival rate of the latency phase as a fraction of the one-by-one path's measured capacity.
    double load = 0.7;
    std::size_t maxBatch = 8;
    std::uint32_t seed = 5;
};

struct BatchBenchResult {
    std::string workload;
    double sceneSetupMs = 0.0;       // the per-call fixed cost, measured alone
    double renderMs = 0.0;           // one render, measured alone
    double oneByOneThroughput = 0.0; // requests per second
    double batchedThroughput = 0.0;
    double batchSpeedup = 0.0; // batched / one-by-one throughput
    double arrivalRate = 0.0;  // of the latency phase, requests per second
    double oneByOneP95Ms = 0.0;
    double batchedP95Ms = 0.0;
    double batchP95Ratio = 0.0; // batched / one-by-one p95 latency
    double batchedMeanBatch = 0.0;
};

// Takes a few seconds. `faces` finds the landmarks of the default portrait once.
BatchBenchResult runBatchBench(const FaceAnalyzer& faces, const BatchBenchOptions& options = {});

} // namespace avatar
