#include "ScalerBench.h"

#include "core/ThreadPool.h"
#include "scale/Scaler.h"
#include "scale/SystemMetricsSource.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace avatar {

ScalerReaction measureScalerReaction(double idleSeconds, double limitSeconds) {
    using Clock = std::chrono::steady_clock;
    std::atomic<double> depth{0.0};
    SystemMetricsSource source([&] { return EngineLoad{depth.load(), std::nullopt}; });
    ScalerOptions options;
    options.minWorkers = 1;
    options.maxWorkers = 8; // the decision, not the machine, is measured: room to grow even on 2 cores
    options.targets.queueDepth = 8.0;
    options.targets.cpuUtilisation = 0.0; // the queue is the load; a busy machine must not muddy the step
    options.targets.gpuUtilisation = 0.0;
    ThreadPool pool(1, "bench-scaled");
    Scaler scaler(source, options);
    scaler.attachPool(pool);

    std::mutex mutex;
    std::condition_variable decided;
    std::optional<ScalerDecision> first;
    scaler.addListener([&](const ScalerDecision& d) {
        std::lock_guard lock(mutex);
        if (!first && d.to > d.from) {
            first = d;
            decided.notify_all();
        }
    });
    scaler.start();
    std::this_thread::sleep_for(std::chrono::duration<double>(idleSeconds));
    const auto step = Clock::now();
    depth = 4.0 * options.targets.queueDepth;
    ScalerReaction r;
    std::unique_lock lock(mutex);
    if (decided.wait_for(lock, std::chrono::duration<double>(limitSeconds),
                         [&] { return first.has_value(); })) {
        r.seconds = std::chrono::duration<double>(first->when - step).count();
        r.predictive = first->predictive;
        r.workersBefore = static_cast<int>(first->from);
        r.workersAfter = static_cast<int>(first->to);
    }
    lock.unlock();
    scaler.stop();
    return r;
}

} // namespace avatar
