#pragma once

#include "HoltForecast.h"
#include "ScalerSample.h"
#include "core/MonotonicClock.h"
#include "core/Tier.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace avatar {

class ThreadPool;

// Targets per metric; 0 turns a metric off. The tier's scalerThresholdMultiplier multiplies the CPU, GPU,
// queue and latency targets (lower targets scale up earlier). Memory is a ceiling, not a driver: above it
// the scaler does not add workers.
struct ScalerTargets {
    double cpuUtilisation = 0.9;
    double gpuUtilisation = 0.85;
    double queueDepth = 8.0; // per worker: desired = ceil(queue depth / this)
    double latencyP95Ms = 0.0;
    double memoryCeilingBytes = 0.0;
};

struct ScalerOptions {
    std::size_t minWorkers = 1;
    std::size_t maxWorkers = 0;     // 0 = the hardware threads
    std::size_t initialWorkers = 0; // 0 = minWorkers (attachPool() uses the pool's size)
    std::chrono::milliseconds period{1000};
    double tolerance = 0.10;                // no change while every metric is within ±10 % of its target
    std::chrono::seconds stabilisation{30}; // scale down to the max desired over this window
    std::chrono::seconds upCooldown{0};     // after any change, before the next scale-up
    std::chrono::seconds downCooldown{15};  // after any change, before a scale-down
    double forecastHorizonTicks = 3.0;      // 0 turns the predictive scale-up off
    double holtAlpha = 0.5;
    double holtBeta = 0.3;
    std::size_t historySize = 256;
    ScalerTargets targets;
};

// One change of the worker count, for the GUI, the profiler and logs.
struct ScalerDecision {
    MonotonicClock::TimePoint when;
    double secondsSinceStart = 0.0;
    std::size_t from = 0;
    std::size_t to = 0;
    ScalerSample metrics;
    std::string reason; // "queue depth 40 (13.3/worker) > target 8 x 0.9/worker → 3 → 6 workers"
    bool predictive = false;
};

// The auto-scaler: once a period it samples the metrics, computes desired = ceil(current x value / target)
// per metric (for the queue, a total, value is the depth per worker, so desired = ceil(depth / target); the
// largest wins; a metric within the tolerance band asks for no change), scales up at once,
// scales down only to the largest desired count of the stabilisation window and after the cooldown, and
// scales up ahead of a queue that Holt's forecast sees crossing its target within the horizon. Each change
// calls the resize callbacks (the ThreadPool, the batchers), is kept in a bounded history and goes to the
// listeners. tick() does one step at a given time, so tests replay traces on a ManualMonotonicClock.
class Scaler {
public:
    using ResizeFn = std::function<void(std::size_t workers)>;
    using ListenerFn = std::function<void(const ScalerDecision&)>;

    // `source` and `clock` must outlive the scaler; clock nullptr = the real steady clock.
    Scaler(ScalerMetricsSource& source, ScalerOptions options, const MonotonicClock* clock = nullptr);
    ~Scaler();
    Scaler(const Scaler&) = delete;
    Scaler& operator=(const Scaler&) = delete;

    // Wiring; call before start(). attachPool() also takes the pool's size as the current count.
    void attachPool(ThreadPool& pool);
    void addResizeCallback(ResizeFn fn);
    void addListener(ListenerFn fn);

    void setTier(const TierSettings& tier);
    // The loop on its own thread ("scaler"), one tick per period, until stop() or destruction.
    void start();
    void stop();

    // One control step at the clock's now(); returns the decision when the count changed.
    std::optional<ScalerDecision> tick();

    std::size_t workers() const;
    std::vector<ScalerDecision> history() const;
    std::string lastReason() const; // also for ticks that changed nothing
    std::size_t maxWorkers() const { return m_options.maxWorkers; }

private:
    struct Wanted {
        std::size_t workers = 0;
        std::string why;
        bool predictive = false;
    };
    Wanted desired(const ScalerSample& s, std::size_t current, double multiplier) const;

    ScalerMetricsSource& m_source;
    ScalerOptions m_options;
    SteadyMonotonicClock m_steady;
    const MonotonicClock* m_clock;
    MonotonicClock::TimePoint m_start;

    mutable std::mutex m_mutex;
    std::size_t m_current;
    double m_multiplier = 1.0;
    HoltForecast m_forecast;
    std::deque<std::pair<MonotonicClock::TimePoint, std::size_t>> m_recommendations;
    std::optional<MonotonicClock::TimePoint> m_lastChange;
    std::deque<ScalerDecision> m_history;
    std::string m_lastReason;
    std::vector<ResizeFn> m_resize;
    std::vector<ListenerFn> m_listeners;

    std::mutex m_loopMutex;
    std::condition_variable m_loopWake;
    bool m_stopLoop = false;
    std::thread m_thread;
};

} // namespace avatar
