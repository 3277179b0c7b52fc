#pragma once

#include "Bottleneck.h"

#include <string>
#include <vector>

namespace avatar {

// A change of tier or setting with the share of wall time it is expected to save.
//
// The model is Amdahl's law on the measured shares: speeding up a stage that holds share s of the wall time
// by a factor k saves s x (1 - 1/k). Each rule derives k from the measurements and the tier table:
// - threads: a parallel stage (s >= 0.2) with fewer workers than hardware threads; k = hardware / threads,
//   capped by the CPU headroom 1 / utilisation when utilisation was measured.
// - tier: the batched stages (face, render) with s >= 0.2 under a lower tier; batching amortises per-dispatch
//   overhead, which we take as half of the stage's time, so k = 1 + 0.5 x (new multiplier / old - 1)
//   (Standard -> Ultra: 1.25, i.e. 20% of the stage).
// - preset: encode with s >= 0.15; k = encode time of the current x264 preset / that of the suggested one,
//   from x264's relative preset speeds (approximate, measured on 1080p talking-head material).
// - queue: queue wait on the path (waitShare >= 0.1) with the pool at its cap; raising the cap (or a tier
// with a
//   lower scaler threshold) is assumed to remove half of that wait.
// - memory: peak >= 90% of the cap; no speed gain (0), it prevents out-of-memory failures.
struct Recommendation {
    std::string action; // "Switch to Ultra (batch multiplier 1.5)"
    std::string
        setting; // what to change, as the CLI spells it: "--tier ultra", "--threads 16", "--preset fast"
    std::string reason;         // the measurement behind it
    double estimatedGain = 0.0; // fraction of the wall time saved, 0..1
};

// Sorted by estimated gain, largest first.
std::vector<Recommendation> recommend(const Measurements& m);

// x264's presets from fastest to slowest and their encode time relative to "medium" (1.0); -1 for an unknown
// name.
double x264PresetRelativeTime(const std::string& preset);

} // namespace avatar
