#include "FaceNetBench.h"

#include "FaceNet.h"
#include "core/Error.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <chrono>
#include <vector>

namespace avatar {
namespace {

template <class Fn> double medianMs(int repeats, Fn fn) {
    std::vector<double> ms;
    fn(); // warm-up: first calls allocate LibTorch's buffers
    for (int i = 0; i < std::max(1, repeats); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

Image cut(const Image& image, Rect r) {
    r = r.intersected(image.rect());
    Image out(r.width, r.height);
    for (int y = 0; y < r.height; ++y)
        std::copy_n(image.row(r.y + y) + 3 * r.x, 3 * r.width, out.row(y));
    return out;
}

} // namespace

FaceNetBenchResult runFaceNetBench(const FaceNet& net, const Image& portrait, int threads, int repeats,
                                   std::size_t crops) {
    if (threads > 0)
        at::set_num_threads(threads);
    FaceNetBenchResult r;
    r.threads = at::get_num_threads();
    FaceNet::Options portraitOptions;
    portraitOptions.expressions = false;
    portraitOptions.ageGender = false;
    r.portraitMs = medianMs(repeats, [&] { net.analyze(portrait, portraitOptions); });

    const std::vector<FaceNetFace> faces = net.analyze(portrait, portraitOptions);
    if (faces.empty())
        throw Error(ErrorCode::NoFace, "The benchmark portrait has no face.");
    const FaceNetFace& f = faces.front();
    std::vector<Image> cuts;
    for (std::size_t i = 0; i < crops; ++i) {
        const int d = static_cast<int>(i % 5) - 2; // a few pixels of jitter, as detections of video frames
        cuts.push_back(cut(portrait, {static_cast<int>(f.x) + d, static_cast<int>(f.y) - d,
                                      static_cast<int>(f.width) + 2 * d, static_cast<int>(f.height)}));
    }
    r.crops = cuts.size();
    FaceNet::Options single;
    single.maxBatch = 1;
    FaceNet::Options batched;
    batched.maxBatch = crops;
    r.oneByOneMs = medianMs(repeats, [&] {
        for (const Image& c : cuts)
            net.analyzeCrops(std::span<const Image>(&c, 1), single);
    });
    r.batchedMs = medianMs(repeats, [&] { net.analyzeCrops(cuts, batched); });
    return r;
}

} // namespace avatar
