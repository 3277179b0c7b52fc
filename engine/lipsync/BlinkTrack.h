#pragma once

#include "MouthParams.h"

#include <cstdint>
#include <vector>

namespace avatar {

// Natural blinking: a blink every 2–6 s (uniformly random), each lasting 100–200 ms, closing in the first 40
// % of it and opening more slowly. Random but reproducible: the same seed gives the same blinks, so a
// re-render of the same job looks the same.
class BlinkTrack {
public:
    struct Blink {
        double start = 0.0; // seconds
        double duration = 0.0;
    };
    struct Timing {
        double minInterval = 2.0;
        double maxInterval = 6.0;
        double minDuration = 0.10;
        double maxDuration = 0.20;
        double firstAfter = 0.8; // no blink in the first moments of a video
    };

    BlinkTrack(double seconds, std::uint64_t seed) : BlinkTrack(seconds, seed, Timing{}) {}
    BlinkTrack(double seconds, std::uint64_t seed, const Timing& timing);

    const std::vector<Blink>& blinks() const { return m_blinks; }
    // Eyelid closure at time t: 0 open .. 1 closed.
    double closureAt(double t) const;
    // Sets `blink` in each pose (one per frame at `fps`, sampled at frame centres).
    void apply(std::vector<MouthParams>& poses, double fps) const;

private:
    std::vector<Blink> m_blinks;
};

} // namespace avatar
