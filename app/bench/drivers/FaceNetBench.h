#pragma once

#include "core/Image.h"

#include <cstddef>
#include <span>

namespace avatar {

class FaceNet;

struct FaceNetBenchResult {
    int threads = 0;       // LibTorch's intra-op threads during the run
    double portraitMs = 0; // detect + landmarks + descriptor on the portrait, median of the repeats
    std::size_t crops = 0; // crops per batch
    double oneByOneMs = 0; // those crops one call each (landmarks, descriptor, expression, age/gender)
    double batchedMs = 0;  // the same crops as one batch
    double speedup() const { return batchedMs > 0 ? oneByOneMs / batchedMs : 0; }
};

// How far one FaceNet's answers are from another's (bf16 against float32) over some images: faces paired by
// the best box overlap; the worst case of each output over all pairs.
struct FaceNetDeviation {
    std::size_t faces = 0;     // faces of the reference
    std::size_t unmatched = 0; // reference faces without an overlapping face (IoU < 0.5) in the other
    double boxPx = 0;          // largest box corner shift, pixels
    double landmarkPx = 0;     // largest landmark shift, pixels
    double landmarkOfBox = 0;  // largest landmark shift as a fraction of the face's box width
    double descriptor = 0;     // largest descriptor distance (FaceNet::distance)
    double meanDescriptor = 0; // mean descriptor distance
    double expression = 0;     // largest expression probability difference
    double age = 0;            // years
    double maleProbability = 0;
    double score = 0; // detector confidence
};
FaceNetDeviation compareFaceNets(const FaceNet& reference, const FaceNet& other,
                                 std::span<const Image> images);

// The multiply-add throughput the CPU reaches on large matrix products with `threads` threads, each on its
// own product (no synchronisation: the most a batch of crops could get), GFLOP/s. The yardstick for the face
// models' figures in docs/PERFORMANCE.md.
double sgemmPeakGflops(int threads);

// Times the face models for avatar-bench and PERFORMANCE.md. `threads` > 0 sets LibTorch's thread count
// for the run (and leaves it so: LibTorch has one process-wide pool). The crops are `crops` slightly
// different cut-outs of the portrait's first face.
FaceNetBenchResult runFaceNetBench(const FaceNet& net, const Image& portrait, int threads = 2,
                                   int repeats = 5, std::size_t crops = 16);

} // namespace avatar
