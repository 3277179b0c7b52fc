// avatar-bench --suite faces: the LibTorch face models on the default portrait: detect + landmarks +
// descriptor for one portrait, and a batch of crops against the same crops one call each
// (docs/PERFORMANCE.md, "Face models").
#include "Suites.h"

#include "assets/DefaultAssets.h"
#include "core/ImageIO.h"
#include "core/Json.h"
#include "facenet/FaceNet.h"
#include "facenet/FaceNetBench.h"

#include <iostream>

namespace avatar::bench {

int runFacesSuite(const RenderSpec& spec, const std::filesystem::path& /*dir*/) {
    const FaceNet net;
    const Image portrait = ImageIO::decode(DefaultAssets::portraitPng(), "the default portrait");
    const int threads = spec.threads > 0 ? spec.threads : 2;
    const FaceNetBenchResult r = runFaceNetBench(net, portrait, threads, 5, 16);
    JsonWriter w;
    w.beginObject()
        .field("suite", "faces")
        .field("threads", r.threads)
        .field("portrait_ms", r.portraitMs)
        .field("crops", static_cast<long long>(r.crops))
        .field("one_by_one_ms", r.oneByOneMs)
        .field("batched_ms", r.batchedMs)
        .field("batch_speedup", r.speedup())
        .endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace avatar::bench
