#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace avatar {

// An HDR-style histogram of non-negative integer values (nanoseconds here): exact below 256, then 128 linear
// sub-buckets per power of two. A bucket [lo, lo + w) has w <= lo / 128, and a percentile is reported as its
// bucket's midpoint clamped to [min, max], so its relative error is at most 1/256 (0.4%); kMaxRelativeError
// states a looser 1% for callers. min, max, count and total are exact; mean is total / count.
class LatencyHistogram {
public:
    static constexpr double kMaxRelativeError = 0.01;

    void record(std::int64_t value, std::uint64_t times = 1);
    void merge(const LatencyHistogram& other);

    std::uint64_t count() const { return m_count; }
    double total() const { return m_total; }
    std::int64_t min() const { return m_count ? m_min : 0; }
    std::int64_t max() const { return m_count ? m_max : 0; }
    double mean() const { return m_count ? m_total / static_cast<double>(m_count) : 0.0; }
    // Nearest rank: the smallest recorded value v with at least p% of the values <= v (p in [0, 100]); 0 when
    // empty.
    double percentile(double p) const;

    // The buckets, for charts: lower bound, width and count of every non-empty bucket.
    struct Bucket {
        std::int64_t lower;
        std::int64_t width;
        std::uint64_t count;
    };
    std::vector<Bucket> buckets() const;

    static std::size_t bucketIndex(std::uint64_t value);
    static std::uint64_t bucketLower(std::size_t index);
    static std::uint64_t bucketWidth(std::size_t index);

private:
    std::vector<std::uint64_t> m_counts;
    std::uint64_t m_count = 0;
    double m_total = 0.0;
    std::int64_t m_min = 0;
    std::int64_t m_max = 0;
};

} // namespace avatar
