#pragma once

#include "BatchTypes.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace avatar {

// The batcher's counters. Not synchronised: the Batcher updates and reads it under its own lock.
class BatchMetrics {
public:
    void onSubmitted() { ++m_requests; }
    void onCancelled(std::size_t count) { m_cancellations += count; }
    void onAnswered(std::size_t completed, std::size_t failed) {
        m_completed += completed;
        m_failed += failed;
    }
    void onBatch(std::size_t size);
    void onQueueWait(std::chrono::nanoseconds wait);

    // Fills the counters, the histogram and the wait percentiles; the caller adds the live fields.
    BatchMetricsSnapshot snapshot() const;

private:
    // Percentiles come from the most recent waits: enough for a stable p95, bounded memory.
    static constexpr std::size_t kWaitWindow = 4096;

    std::uint64_t m_requests = 0;
    std::uint64_t m_completed = 0;
    std::uint64_t m_failed = 0;
    std::uint64_t m_cancellations = 0;
    std::uint64_t m_batches = 0;
    std::uint64_t m_batchedRequests = 0;
    std::vector<std::uint64_t> m_histogram;
    std::vector<double> m_waitsMs; // ring of kWaitWindow
    std::size_t m_waitNext = 0;
};

// The q-quantile (0..1) of `values` by nearest rank; 0 for none. Takes a copy: it sorts.
double batchPercentile(std::vector<double> values, double q);

} // namespace avatar
