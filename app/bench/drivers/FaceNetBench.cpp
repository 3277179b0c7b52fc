#include "FaceNetBench.h"

#include "core/Error.h"
#include "facenet/FaceNet.h"
#include "facenet/FaceNetBackend.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
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

double iou(const FaceNetFace& a, const FaceNetFace& b) {
    const double x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
    const double x1 = std::min(a.x + a.width, b.x + b.width), y1 = std::min(a.y + a.height, b.y + b.height);
    const double inter = std::max(0.0, x1 - x0) * std::max(0.0, y1 - y0);
    return inter / (a.width * a.height + b.width * b.height - inter);
}

} // namespace

FaceNetDeviation compareFaceNets(const FaceNet& reference, const FaceNet& other,
                                 std::span<const Image> images) {
    FaceNetDeviation d;
    double sumDescriptor = 0;
    for (const Image& image : images) {
        const std::vector<FaceNetFace> ours = reference.analyze(image), theirs = other.analyze(image);
        for (const FaceNetFace& f : ours) {
            ++d.faces;
            const FaceNetFace* best = nullptr;
            double bestIou = 0.5;
            for (const FaceNetFace& g : theirs)
                if (const double v = iou(f, g); v >= bestIou) {
                    bestIou = v;
                    best = &g;
                }
            if (!best) {
                ++d.unmatched;
                continue;
            }
            const FaceNetFace& g = *best;
            d.boxPx = std::max({d.boxPx, std::hypot(f.x - g.x, f.y - g.y),
                                std::hypot(f.x + f.width - g.x - g.width, f.y + f.height - g.y - g.height)});
            for (std::size_t i = 0; i < f.landmarks.size(); ++i) {
                const double shift =
                    std::hypot(f.landmarks[i].x - g.landmarks[i].x, f.landmarks[i].y - g.landmarks[i].y);
                d.landmarkPx = std::max(d.landmarkPx, shift);
                d.landmarkOfBox = std::max(d.landmarkOfBox, shift / f.width);
            }
            const double distance = FaceNet::distance(f.descriptor, g.descriptor);
            d.descriptor = std::max(d.descriptor, distance);
            sumDescriptor += distance;
            for (std::size_t i = 0; i < f.expressions.size(); ++i)
                d.expression = std::max(d.expression, double(std::abs(f.expressions[i] - g.expressions[i])));
            d.age = std::max(d.age, std::abs(f.age - g.age));
            d.maleProbability = std::max(d.maleProbability, std::abs(f.maleProbability - g.maleProbability));
            d.score = std::max(d.score, std::abs(f.score - g.score));
        }
    }
    if (d.faces > d.unmatched)
        d.meanDescriptor = sumDescriptor / double(d.faces - d.unmatched);
    return d;
}

double sgemmPeakGflops(int threads) {
    constexpr double kSize = 1024; // the plugin's workload: `threads` products of 1024^3 multiply-adds
    threads = std::max(1, threads);
    const FaceNetPluginApi& torch = faceNetPlugin();
    const std::function<void()> round = torch.matrixWorkload(threads);
    const int previous = torch.threads();
    torch.setThreads(threads);
    const double ms = medianMs(5, round);
    torch.setThreads(previous);
    return 2.0 * kSize * kSize * kSize * threads / (ms * 1e6);
}

FaceNetBenchResult runFaceNetBench(const FaceNet& net, const Image& portrait, int threads, int repeats,
                                   std::size_t crops) {
    const FaceNetPluginApi& torch = faceNetPlugin();
    if (threads > 0)
        torch.setThreads(threads);
    FaceNetBenchResult r;
    r.threads = torch.threads();
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
        cuts.push_back(portrait.cropped({static_cast<int>(f.x) + d, static_cast<int>(f.y) - d,
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
