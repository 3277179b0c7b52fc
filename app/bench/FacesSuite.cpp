// avatar-bench --suite faces: the LibTorch face models on the default portrait: detect + landmarks +
// descriptor for one portrait, and a batch of crops against the same crops one call each, in float32 and in
// bf16 (with bf16's deviation from float32 on the portrait), and the CPU's matrix-product peak as the
// yardstick (docs/PERFORMANCE.md, "Face models").
#include "Suites.h"

#include "FaceNetBench.h"
#include "assets/DefaultAssets.h"
#include "core/ImageIO.h"
#include "core/Json.h"
#include "facenet/FaceNet.h"

#include <iostream>

namespace avatar::bench {

int runFacesSuite(const RenderSpec& spec, const std::filesystem::path& /*dir*/) {
    const FaceNet net;
    const Image portrait = ImageIO::decode(DefaultAssets::portraitPng(), "the default portrait");
    const int threads = spec.threads > 0 ? spec.threads : 2;
    const FaceNetBenchResult r = runFaceNetBench(net, portrait, threads, 5, 16);
    const FaceNet bf16(FaceNet::Precision::BFloat16);
    const FaceNetBenchResult b = runFaceNetBench(bf16, portrait, threads, 5, 16);
    const FaceNetDeviation d = compareFaceNets(net, bf16, std::span<const Image>(&portrait, 1));
    const double peak = sgemmPeakGflops(threads);
    JsonWriter w;
    w.beginObject()
        .field("suite", "faces")
        .field("threads", r.threads)
        .field("portrait_ms", r.portraitMs)
        .field("crops", static_cast<long long>(r.crops))
        .field("one_by_one_ms", r.oneByOneMs)
        .field("batched_ms", r.batchedMs)
        .field("batch_speedup", r.speedup())
        .field("sgemm_peak_gflops", peak)
        .field("bf16_portrait_ms", b.portraitMs)
        .field("bf16_one_by_one_ms", b.oneByOneMs)
        .field("bf16_batched_ms", b.batchedMs)
        .field("bf16_batch_speedup", b.speedup())
        .field("bf16_box_px", d.boxPx)
        .field("bf16_landmark_px", d.landmarkPx)
        .field("bf16_descriptor_distance", d.descriptor)
        .field("bf16_expression_diff", d.expression)
        .field("bf16_age_diff", d.age)
        .field("bf16_male_diff", d.maleProbability)
        .endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace avatar::bench
