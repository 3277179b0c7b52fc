#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace avatar {

// High skips the adaptive wait and is taken first; Low is taken after everything else (it can wait behind a
// sustained stream of Normal work: it is meant for prefetch and previews).
enum class BatchPriority { Low, Normal, High };

// What happens to queued requests on shutdown(): Drain runs them, Cancel answers them with
// Error(Cancelled). Batches already running always finish.
enum class BatchShutdown { Drain, Cancel };

struct BatchOptions {
    std::string name = "batch";   // executor threads are "<name>-<n>"
    std::size_t baseMaxBatch = 8; // x the tier's batchMultiplier
    std::chrono::microseconds minDelay{500};
    std::chrono::microseconds maxDelay{20000};
    // Executor threads that run batches. 0 = none: the owner calls runDue() (tests with a fake clock, or
    // a caller that wants batches on its own thread).
    std::size_t executors = 1;
};

struct BatchMetricsSnapshot {
    std::uint64_t requests = 0;      // submitted
    std::uint64_t completed = 0;     // answered with a response
    std::uint64_t failed = 0;        // answered with the batch function's error
    std::uint64_t cancellations = 0; // answered with Error(Cancelled), never run
    std::uint64_t batches = 0;       // batch function calls
    std::size_t queueDepth = 0;
    std::size_t maxBatchSize = 0;
    // batchSizeHistogram[n] = batches of n requests (index 0 unused).
    std::vector<std::uint64_t> batchSizeHistogram;
    double meanBatchSize = 0.0;
    // Time from submit() to the start of the request's batch, over the most recent requests.
    double queueWaitP50Ms = 0.0;
    double queueWaitP95Ms = 0.0;
    // The adaptive delay's inputs and its current choice.
    double arrivalRatePerSecond = 0.0;
    double batchServiceMs = 0.0;
    double currentDelayMs = 0.0;
};

} // namespace avatar
