#include "LatencyHistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace avatar {

namespace {
constexpr unsigned kSubBits = 7; // 128 sub-buckets per power of two
constexpr std::uint64_t kSubCount = std::uint64_t{1} << kSubBits;
} // namespace

std::size_t LatencyHistogram::bucketIndex(std::uint64_t value) {
    if (value < 2 * kSubCount)
        return static_cast<std::size_t>(value);
    // value = sub << shift with sub in [128, 256): index = shift * 128 + sub continues the exact range.
    const unsigned shift = static_cast<unsigned>(std::bit_width(value)) - kSubBits - 1;
    return static_cast<std::size_t>(shift * kSubCount + (value >> shift));
}

std::uint64_t LatencyHistogram::bucketLower(std::size_t index) {
    if (index < 2 * kSubCount)
        return index;
    const std::uint64_t shift = index / kSubCount - 1;
    const std::uint64_t sub = index - shift * kSubCount;
    return sub << shift;
}

std::uint64_t LatencyHistogram::bucketWidth(std::size_t index) {
    if (index < 2 * kSubCount)
        return 1;
    return std::uint64_t{1} << (index / kSubCount - 1);
}

void LatencyHistogram::record(std::int64_t value, std::uint64_t times) {
    if (times == 0)
        return;
    value = std::max<std::int64_t>(value, 0);
    const std::size_t index = bucketIndex(static_cast<std::uint64_t>(value));
    if (index >= m_counts.size())
        m_counts.resize(index + 1, 0);
    m_counts[index] += times;
    m_min = m_count ? std::min(m_min, value) : value;
    m_max = m_count ? std::max(m_max, value) : value;
    m_count += times;
    m_total += static_cast<double>(value) * static_cast<double>(times);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    if (other.m_count == 0)
        return;
    if (other.m_counts.size() > m_counts.size())
        m_counts.resize(other.m_counts.size(), 0);
    for (std::size_t i = 0; i < other.m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_min = m_count ? std::min(m_min, other.m_min) : other.m_min;
    m_max = m_count ? std::max(m_max, other.m_max) : other.m_max;
    m_count += other.m_count;
    m_total += other.m_total;
}

double LatencyHistogram::percentile(double p) const {
    if (m_count == 0)
        return 0.0;
    p = std::clamp(p, 0.0, 100.0);
    const auto rank = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(m_count) - 1e-9)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        seen += m_counts[i];
        if (seen >= rank) {
            const double mid =
                static_cast<double>(bucketLower(i)) + (static_cast<double>(bucketWidth(i)) - 1.0) / 2.0;
            return std::clamp(mid, static_cast<double>(m_min), static_cast<double>(m_max));
        }
    }
    return static_cast<double>(m_max);
}

std::vector<LatencyHistogram::Bucket> LatencyHistogram::buckets() const {
    std::vector<Bucket> out;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        if (m_counts[i])
            out.push_back(Bucket{static_cast<std::int64_t>(bucketLower(i)),
                                 static_cast<std::int64_t>(bucketWidth(i)), m_counts[i]});
    }
    return out;
}

} // namespace avatar
