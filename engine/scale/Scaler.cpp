#include "Scaler.h"

#include "core/ThreadPool.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <pthread.h>

namespace avatar {
namespace {

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

std::string targetText(double base, double multiplier) {
    return multiplier == 1.0 ? number(base) : number(base) + " x " + number(multiplier);
}

} // namespace

Scaler::Scaler(ScalerMetricsSource& source, ScalerOptions options, const MonotonicClock* clock)
    : m_source(source), m_options(std::move(options)), m_clock(clock ? clock : &m_steady),
      m_start(m_clock->now()), m_forecast(m_options.holtAlpha, m_options.holtBeta) {
    if (m_options.maxWorkers == 0)
        m_options.maxWorkers = ThreadPool::hardwareThreads();
    m_options.minWorkers = std::max<std::size_t>(1, m_options.minWorkers);
    m_options.maxWorkers = std::max(m_options.maxWorkers, m_options.minWorkers);
    m_current = std::clamp(m_options.initialWorkers ? m_options.initialWorkers : m_options.minWorkers,
                           m_options.minWorkers, m_options.maxWorkers);
    // The window starts full of "keep what we have", so nothing scales down before a whole window passed.
    m_recommendations.emplace_back(m_start, m_current);
}

Scaler::~Scaler() {
    stop();
}

void Scaler::attachPool(ThreadPool& pool) {
    std::lock_guard lock(m_mutex);
    m_current = std::clamp(pool.size(), m_options.minWorkers, m_options.maxWorkers);
    m_recommendations.clear();
    m_recommendations.emplace_back(m_clock->now(), m_current);
    m_resize.push_back([&pool](std::size_t n) { pool.resize(n); });
}

void Scaler::addResizeCallback(ResizeFn fn) {
    std::lock_guard lock(m_mutex);
    m_resize.push_back(std::move(fn));
}

void Scaler::addListener(ListenerFn fn) {
    std::lock_guard lock(m_mutex);
    m_listeners.push_back(std::move(fn));
}

void Scaler::setTier(const TierSettings& tier) {
    std::lock_guard lock(m_mutex);
    m_multiplier = tier.scalerThresholdMultiplier;
}

std::size_t Scaler::workers() const {
    std::lock_guard lock(m_mutex);
    return m_current;
}

std::vector<ScalerDecision> Scaler::history() const {
    std::lock_guard lock(m_mutex);
    return {m_history.begin(), m_history.end()};
}

std::string Scaler::lastReason() const {
    std::lock_guard lock(m_mutex);
    return m_lastReason;
}

Scaler::Wanted Scaler::desired(const ScalerSample& s, std::size_t current, double multiplier) const {
    const ScalerTargets& t = m_options.targets;
    Wanted best{current, "all metrics within " + number(m_options.tolerance * 100) + " % of target", false};
    bool anyMetric = false;
    std::size_t lowest = m_options.maxWorkers + 1; // when every metric asks for less: the largest of those
    std::string lowestWhy;
    // `perWorker`: the metric is a total that the workers share (the queue), so it is compared per worker
    // (KEDA's AverageValue) and desired = ceil(total / target); the others are already averages (HPA's
    // Utilization). Without that, a queue that has not drained yet would multiply the count every tick.
    auto consider = [&](const std::optional<double>& value, double base, const char* name, bool perWorker) {
        if (!value || base <= 0.0)
            return;
        const double target = base * multiplier;
        const double ratio = *value / (perWorker ? target * double(current) : target);
        anyMetric = true;
        if (std::abs(ratio - 1.0) <= m_options.tolerance)
            return; // inside the band: asks for the current count
        const auto want = static_cast<std::size_t>(std::ceil(double(current) * ratio - 1e-9));
        const std::string why = std::string(name) + " " + number(*value) +
                                (perWorker ? " (" + number(*value / double(current)) + "/worker)" : "") +
                                (ratio > 1.0 ? " > " : " < ") + "target " + targetText(base, multiplier) +
                                (perWorker ? "/worker" : "");
        if (want > best.workers) {
            best = {want, why, false};
        } else if (want < current && (lowest > m_options.maxWorkers || want > lowest)) {
            lowest = want;
            lowestWhy = why;
        }
    };
    consider(s.queueDepth, t.queueDepth, "queue depth", true);
    consider(s.latencyP95Ms, t.latencyP95Ms, "latency p95 ms", false);
    consider(s.cpuUtilisation, t.cpuUtilisation, "cpu", false);
    consider(s.gpuUtilisation, t.gpuUtilisation, "gpu", false);
    if (!anyMetric)
        return {current, "no metric to act on", false};
    // Scale down only when no metric wants to keep the current count: every present metric was below.
    if (best.workers == current && lowest <= m_options.maxWorkers) {
        bool allBelow = true;
        auto below = [&](const std::optional<double>& value, double base, double workers) {
            if (value && base > 0.0 && *value / (base * multiplier * workers) >= 1.0 - m_options.tolerance)
                allBelow = false;
        };
        below(s.queueDepth, t.queueDepth, double(current));
        below(s.latencyP95Ms, t.latencyP95Ms, 1.0);
        below(s.cpuUtilisation, t.cpuUtilisation, 1.0);
        below(s.gpuUtilisation, t.gpuUtilisation, 1.0);
        if (allBelow)
            best = {lowest, lowestWhy, false};
    }
    // Predictive: the queue Holt expects `horizon` ticks ahead.
    if (m_options.forecastHorizonTicks > 0.0 && m_forecast.started() && t.queueDepth > 0.0 && s.queueDepth) {
        const double ahead = m_forecast.forecast(m_options.forecastHorizonTicks);
        const double target = t.queueDepth * multiplier;
        if (ahead / (target * double(current)) > 1.0 + m_options.tolerance) {
            const auto want = static_cast<std::size_t>(std::ceil(ahead / target - 1e-9));
            if (want > best.workers)
                best = {want,
                        "queue depth forecast " + number(ahead) + " in " +
                            number(m_options.forecastHorizonTicks) + " s > target " +
                            targetText(t.queueDepth, multiplier) + "/worker (now " + number(*s.queueDepth) +
                            ", predictive)",
                        true};
        }
    }
    best.workers = std::clamp(best.workers, m_options.minWorkers, m_options.maxWorkers);
    return best;
}

std::optional<ScalerDecision> Scaler::tick() {
    const ScalerSample sample = m_source.sample();
    std::optional<ScalerDecision> decision;
    std::vector<ResizeFn> resize;
    std::vector<ListenerFn> listeners;
    {
        std::lock_guard lock(m_mutex);
        const auto now = m_clock->now();
        if (sample.queueDepth)
            m_forecast.update(*sample.queueDepth);
        const std::size_t current = m_current;
        Wanted want = desired(sample, current, m_multiplier);

        const ScalerTargets& t = m_options.targets;
        if (want.workers > current && t.memoryCeilingBytes > 0.0 && sample.rssBytes &&
            *sample.rssBytes > t.memoryCeilingBytes) {
            want = {current,
                    "memory " + number(*sample.rssBytes / 1048576.0) + " MiB above the ceiling: holds",
                    false};
        }

        m_recommendations.emplace_back(now, want.workers);
        while (!m_recommendations.empty() && now - m_recommendations.front().first > m_options.stabilisation)
            m_recommendations.pop_front();
        std::size_t stabilised = 0;
        for (const auto& r : m_recommendations)
            stabilised = std::max(stabilised, r.second);

        const auto sinceChange = [&] {
            return m_lastChange ? now - *m_lastChange : MonotonicClock::Duration::max();
        };
        std::size_t next = current;
        std::string reason = want.why + " → hold at " + std::to_string(current);
        if (want.workers > current) {
            if (sinceChange() >= m_options.upCooldown)
                next = want.workers;
            else
                reason = want.why + " → up-cooldown holds " + std::to_string(current);
        } else if (want.workers < current) {
            if (stabilised >= current)
                reason = want.why + " → window max " + std::to_string(stabilised) + " holds " +
                         std::to_string(current);
            else if (sinceChange() < m_options.downCooldown)
                reason = want.why + " → down-cooldown holds " + std::to_string(current);
            else {
                next = stabilised;
                want.why += " (max desired over " + std::to_string(m_options.stabilisation.count()) +
                            " s: " + std::to_string(stabilised) + ")";
            }
        }
        if (next != current) {
            ScalerDecision d;
            d.when = now;
            d.secondsSinceStart = std::chrono::duration<double>(now - m_start).count();
            d.from = current;
            d.to = next;
            d.metrics = sample;
            d.predictive = want.predictive && next > current;
            d.reason = want.why + " → " + std::to_string(current) + " → " + std::to_string(next) + " workers";
            reason = d.reason;
            m_current = next;
            m_lastChange = now;
            m_history.push_back(d);
            while (m_history.size() > std::max<std::size_t>(1, m_options.historySize))
                m_history.pop_front();
            decision = d;
            resize = m_resize;
            listeners = m_listeners;
        }
        m_lastReason = reason;
    }
    // Outside the lock: a callback may read the scaler.
    if (decision) {
        for (const ResizeFn& fn : resize)
            fn(decision->to);
        for (const ListenerFn& fn : listeners)
            fn(*decision);
    }
    return decision;
}

void Scaler::start() {
    if (m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_loopMutex);
        m_stopLoop = false;
    }
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "scaler");
        std::unique_lock lock(m_loopMutex);
        auto next = std::chrono::steady_clock::now() + m_options.period;
        while (!m_stopLoop) {
            if (m_loopWake.wait_until(lock, next, [&] { return m_stopLoop; }))
                break;
            next += m_options.period;
            lock.unlock();
            tick();
            lock.lock();
        }
    });
}

void Scaler::stop() {
    {
        std::lock_guard lock(m_loopMutex);
        m_stopLoop = true;
    }
    m_loopWake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace avatar
