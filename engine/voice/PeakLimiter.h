#pragma once

#include <vector>

namespace avatar {

// A look-ahead peak limiter: the gain dips smoothly around each sample that would pass the ceiling, and is 1
// elsewhere. The needed gain of every sample is taken as the least over ±5 ms (a minimum filter), then
// averaged over 5 ms: each averaged value is at most the need of every sample it covers, so nothing passes
// the ceiling, and the gain moves in 5 ms ramps instead of jumping (no clicks).
class PeakLimiter {
public:
    PeakLimiter(double ceilingDb, int sampleRate, double lookahead = 0.005);
    void apply(std::vector<float>& samples) const;

private:
    float m_ceiling;
    std::size_t m_half; // samples of look-ahead
};

} // namespace avatar
