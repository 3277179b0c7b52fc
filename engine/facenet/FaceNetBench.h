#pragma once

#include "core/Image.h"

#include <cstddef>

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

// Times the face models for avatar-bench and PERFORMANCE.md. `threads` > 0 sets LibTorch's thread count
// for the run (and leaves it so: LibTorch has one process-wide pool). The crops are `crops` slightly
// different cut-outs of the portrait's first face.
FaceNetBenchResult runFaceNetBench(const FaceNet& net, const Image& portrait, int threads = 2,
                                   int repeats = 5, std::size_t crops = 16);

} // namespace avatar
