#include "voice/PeakLimiter.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace avatar {

PeakLimiter::PeakLimiter(double ceilingDb, int sampleRate, double lookahead)
    : m_ceiling(static_cast<float>(std::pow(10.0, ceilingDb / 20.0))),
      m_half(std::max<std::size_t>(1, static_cast<std::size_t>(lookahead * sampleRate))) {}

void PeakLimiter::apply(std::vector<float>& x) const {
    const std::size_t n = x.size();
    const bool over = std::any_of(x.begin(), x.end(), [&](float s) { return std::fabs(s) > m_ceiling; });
    if (!over)
        return;
    std::vector<float> need(n);
    for (std::size_t i = 0; i < n; ++i)
        need[i] = std::min(1.0f, m_ceiling / std::max(std::fabs(x[i]), 1e-9f));
    // Minimum over [i - half, i + half] with a monotonic queue of indices.
    std::vector<float> least(n);
    std::deque<std::size_t> queue;
    for (std::size_t j = 0; j < n + m_half; ++j) {
        if (j < n) {
            while (!queue.empty() && need[queue.back()] >= need[j])
                queue.pop_back();
            queue.push_back(j);
        }
        if (j >= m_half) {
            const std::size_t i = j - m_half;
            while (queue.front() + m_half < i)
                queue.pop_front();
            least[i] = need[queue.front()];
        }
    }
    // Average over [i - half/2, i + half/2]: every term's window contains i, so the mean stays <= need[i].
    const std::size_t h = m_half / 2;
    double sum = 0;
    std::size_t lo = 0, hi = 0; // the window [lo, hi)
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t a = i >= h ? i - h : 0, b = std::min(n, i + h + 1);
        while (hi < b)
            sum += least[hi++];
        while (lo < a)
            sum -= least[lo++];
        x[i] *= static_cast<float>(sum / double(hi - lo));
    }
}

} // namespace avatar
