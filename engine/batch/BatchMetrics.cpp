#include "BatchMetrics.h"

#include <algorithm>
#include <cmath>

namespace avatar {

void BatchMetrics::onBatch(std::size_t size) {
    if (m_histogram.size() <= size)
        m_histogram.resize(size + 1, 0);
    ++m_histogram[size];
    ++m_batches;
    m_batchedRequests += size;
}

void BatchMetrics::onQueueWait(std::chrono::nanoseconds wait) {
    const double ms = std::chrono::duration<double, std::milli>(wait).count();
    if (m_waitsMs.size() < kWaitWindow) {
        m_waitsMs.push_back(ms);
    } else {
        m_waitsMs[m_waitNext] = ms;
        m_waitNext = (m_waitNext + 1) % kWaitWindow;
    }
}

BatchMetricsSnapshot BatchMetrics::snapshot() const {
    BatchMetricsSnapshot s;
    s.requests = m_requests;
    s.completed = m_completed;
    s.failed = m_failed;
    s.cancellations = m_cancellations;
    s.batches = m_batches;
    s.batchSizeHistogram = m_histogram;
    s.meanBatchSize = m_batches > 0 ? double(m_batchedRequests) / double(m_batches) : 0.0;
    s.queueWaitP50Ms = batchPercentile(m_waitsMs, 0.50);
    s.queueWaitP95Ms = batchPercentile(m_waitsMs, 0.95);
    return s;
}

double batchPercentile(std::vector<double> values, double q) {
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * double(values.size()));
    const std::size_t index = rank < 1.0 ? 0 : static_cast<std::size_t>(rank) - 1;
    return values[std::min(index, values.size() - 1)];
}

} // namespace avatar
