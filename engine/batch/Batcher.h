#pragma once

#include "AdaptiveDelay.h"
#include "BatchMetrics.h"
#include "BatchTypes.h"
#include "core/Error.h"
#include "core/MonotonicClock.h"
#include "core/Tier.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace avatar {

// A dynamic batcher for one kind of work (one instance per workload: face analysis, region warps, ...; each
// has its own batch function, limits and metrics). submit() queues a request and returns a future; executor
// threads take batches of up to maxBatchSize() requests, High first, then Normal, then Low, each in arrival
// order, and call the batch function once per batch. A batch runs when it is full, when it holds a High
// request, or when its oldest request has waited the AdaptiveDelay's time. The batch function's error
// reaches every request of that batch; a batch function that returns the wrong number of responses is a
// bug, reported to each request as Error(Internal).
//
// The executors are the batcher's own few threads rather than ThreadPool workers: they sleep until a
// batch is due, and a pool worker that sleeps is a render worker lost. With executors = 0 nothing runs by
// itself and the owner calls runDue(), which is how tests drive it with a ManualMonotonicClock.
template <class Request, class Response> class Batcher {
public:
    using BatchFunction = std::function<std::vector<Response>(std::vector<Request>&)>;
    using Duration = MonotonicClock::Duration;
    using TimePoint = MonotonicClock::TimePoint;

    struct Ticket {
        std::uint64_t id = 0;
        std::future<Response> result;
    };

    // `clock` must outlive the batcher; nullptr = the real steady clock.
    Batcher(BatchFunction fn, BatchOptions options, const MonotonicClock* clock = nullptr)
        : m_fn(std::move(fn)), m_options(std::move(options)), m_clock(clock ? clock : &m_steady),
          m_delay(m_options.minDelay, m_options.maxDelay),
          m_maxBatch(std::max<std::size_t>(1, m_options.baseMaxBatch)) {
        for (std::size_t i = 0; i < m_options.executors; ++i)
            m_threads.emplace_back([this, i] { executorLoop(i); });
    }

    ~Batcher() { shutdown(BatchShutdown::Cancel); }
    Batcher(const Batcher&) = delete;
    Batcher& operator=(const Batcher&) = delete;

    // After shutdown() the future answers Error(Cancelled) at once.
    Ticket submit(Request request, BatchPriority priority = BatchPriority::Normal) {
        Entry entry{std::move(request), {}, m_clock->now()};
        Ticket ticket;
        ticket.result = entry.promise.get_future();
        {
            std::lock_guard lock(m_mutex);
            ticket.id = ++m_lastId;
            m_metrics.onSubmitted();
            if (m_stopping) {
                m_metrics.onCancelled(1);
                entry.promise.set_exception(cancelledError("the batcher has shut down"));
                return ticket;
            }
            m_delay.onArrival(entry.enqueued);
            m_queues[index(priority)].emplace(ticket.id, std::move(entry));
        }
        m_wake.notify_one();
        return ticket;
    }

    // Removes a request that has not started; its future answers Error(Cancelled) and it never runs.
    // Returns false when it already runs, has finished, or was never queued.
    bool cancel(std::uint64_t id) {
        std::optional<Entry> removed;
        {
            std::lock_guard lock(m_mutex);
            for (auto& queue : m_queues) {
                auto it = queue.find(id);
                if (it != queue.end()) {
                    removed.emplace(std::move(it->second));
                    queue.erase(it);
                    m_metrics.onCancelled(1);
                    break;
                }
            }
        }
        if (!removed)
            return false;
        removed->promise.set_exception(cancelledError("the request was cancelled"));
        m_wake.notify_all(); // the oldest request may have changed, and with it the deadline
        return true;
    }

    // Max batch size = baseMaxBatch x tier.batchMultiplier (at least 1); applies to the next batch taken.
    void setTier(const TierSettings& tier) {
        {
            std::lock_guard lock(m_mutex);
            m_tierMultiplier = tier.batchMultiplier;
            m_maxBatch = computeMaxBatch();
        }
        m_wake.notify_all();
    }
    // The scaler's hook: a new base size (the tier multiplier still applies).
    void setBaseMaxBatch(std::size_t base) {
        {
            std::lock_guard lock(m_mutex);
            m_options.baseMaxBatch = std::max<std::size_t>(1, base);
            m_maxBatch = computeMaxBatch();
        }
        m_wake.notify_all();
    }
    std::size_t maxBatchSize() const {
        std::lock_guard lock(m_mutex);
        return m_maxBatch;
    }
    std::size_t queueDepth() const {
        std::lock_guard lock(m_mutex);
        return depthLocked();
    }

    BatchMetricsSnapshot metrics() const {
        std::lock_guard lock(m_mutex);
        BatchMetricsSnapshot s = m_metrics.snapshot();
        const TimePoint now = m_clock->now();
        s.queueDepth = depthLocked();
        s.maxBatchSize = m_maxBatch;
        s.arrivalRatePerSecond = m_delay.arrivalRate(now);
        if (auto service = m_delay.serviceTime())
            s.batchServiceMs = std::chrono::duration<double, std::milli>(*service).count();
        s.currentDelayMs =
            std::chrono::duration<double, std::milli>(m_delay.wait(depthLocked(), m_maxBatch, now)).count();
        return s;
    }

    // When the next batch is due by the clock (now if one is due already); nullopt when the queue is empty.
    std::optional<TimePoint> nextDueTime() const {
        std::lock_guard lock(m_mutex);
        return dueTimeLocked(m_clock->now());
    }

    // Runs, on the caller's thread, every batch that is due at the clock's current time. Returns how many
    // batches ran. Meant for executors = 0.
    std::size_t runDue() {
        std::size_t ran = 0;
        std::unique_lock lock(m_mutex);
        for (;;) {
            const TimePoint now = m_clock->now();
            const auto due = dueTimeLocked(now);
            if (!due || *due > now)
                return ran;
            std::vector<Entry> batch = takeBatchLocked(now);
            lock.unlock();
            runBatch(batch);
            ++ran;
            lock.lock();
        }
    }

    // Stops taking requests; Drain runs what is queued, Cancel answers it with Error(Cancelled). Returns
    // when the executors have finished (with executors = 0, Drain runs the queue on the caller's thread).
    void shutdown(BatchShutdown mode) {
        std::vector<Entry> dropped;
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
            if (mode == BatchShutdown::Cancel)
                dropped = takeAllLocked();
            m_metrics.onCancelled(dropped.size());
        }
        for (Entry& e : dropped)
            e.promise.set_exception(cancelledError("the batcher has shut down"));
        m_wake.notify_all();
        for (std::thread& t : m_threads)
            if (t.joinable())
                t.join();
        m_threads.clear();
        // No executors (or they left): whatever is still queued runs here.
        std::unique_lock lock(m_mutex);
        while (depthLocked() > 0) {
            std::vector<Entry> batch = takeBatchLocked(m_clock->now());
            lock.unlock();
            runBatch(batch);
            lock.lock();
        }
    }

private:
    struct Entry {
        Request request;
        std::promise<Response> promise;
        TimePoint enqueued;
    };
    using Queue = std::map<std::uint64_t, Entry>; // by id = arrival order; cancel finds by id

    static std::size_t index(BatchPriority p) {
        // Taken in this order: High, Normal, Low.
        switch (p) {
        case BatchPriority::High:
            return 0;
        case BatchPriority::Normal:
            return 1;
        case BatchPriority::Low:
            return 2;
        }
        return 1;
    }

    static std::exception_ptr cancelledError(const std::string& why) {
        return std::make_exception_ptr(Error(ErrorCode::Cancelled, "The request was not run: " + why + "."));
    }

    std::size_t computeMaxBatch() const {
        const double size = std::round(double(m_options.baseMaxBatch) * std::max(0.0, m_tierMultiplier));
        return std::max<std::size_t>(1, static_cast<std::size_t>(size));
    }

    std::size_t depthLocked() const { return m_queues[0].size() + m_queues[1].size() + m_queues[2].size(); }

    std::optional<TimePoint> dueTimeLocked(TimePoint now) const {
        const std::size_t depth = depthLocked();
        if (depth == 0)
            return std::nullopt;
        if (m_stopping || !m_queues[0].empty() || depth >= m_maxBatch)
            return now;
        TimePoint oldest = TimePoint::max();
        for (const Queue& q : m_queues)
            if (!q.empty())
                oldest = std::min(oldest, q.begin()->second.enqueued);
        return oldest + m_delay.wait(depth, m_maxBatch, now);
    }

    std::vector<Entry> takeBatchLocked(TimePoint now) {
        std::vector<Entry> batch;
        for (Queue& q : m_queues) {
            while (!q.empty() && batch.size() < m_maxBatch) {
                auto node = q.extract(q.begin());
                m_metrics.onQueueWait(now - node.mapped().enqueued);
                batch.push_back(std::move(node.mapped()));
            }
        }
        return batch;
    }

    std::vector<Entry> takeAllLocked() {
        std::vector<Entry> all;
        for (Queue& q : m_queues) {
            for (auto& [id, e] : q)
                all.push_back(std::move(e));
            q.clear();
        }
        return all;
    }

    void runBatch(std::vector<Entry>& batch) {
        if (batch.empty())
            return;
        std::vector<Request> requests;
        requests.reserve(batch.size());
        for (Entry& e : batch)
            requests.push_back(std::move(e.request));
        const TimePoint start = m_clock->now();
        std::exception_ptr error;
        std::vector<Response> responses;
        try {
            responses = m_fn(requests);
            if (responses.size() != batch.size())
                throw Error(ErrorCode::Internal, "The batch function of '" + m_options.name + "' returned " +
                                                     std::to_string(responses.size()) + " responses for " +
                                                     std::to_string(batch.size()) + " requests.");
        } catch (...) {
            error = std::current_exception();
        }
        const Duration service = m_clock->now() - start;
        {
            std::lock_guard lock(m_mutex);
            m_metrics.onBatch(batch.size());
            m_metrics.onAnswered(error ? 0 : batch.size(), error ? batch.size() : 0);
            m_delay.onBatchDone(service);
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (error)
                batch[i].promise.set_exception(error);
            else
                batch[i].promise.set_value(std::move(responses[i]));
        }
    }

    void executorLoop(std::size_t n) {
        const std::string thread = (m_options.name + "-" + std::to_string(n)).substr(0, 15);
        pthread_setname_np(pthread_self(), thread.c_str());
        std::unique_lock lock(m_mutex);
        for (;;) {
            const TimePoint now = m_clock->now();
            const auto due = dueTimeLocked(now);
            if (!due) {
                if (m_stopping)
                    return;
                m_wake.wait(lock);
                continue;
            }
            if (*due > now) {
                // The wait is measured on the batcher's clock but slept in real time: a fake clock is meant
                // for executors = 0, where nothing sleeps.
                m_wake.wait_for(lock, *due - now);
                continue;
            }
            std::vector<Entry> batch = takeBatchLocked(now);
            if (depthLocked() > 0)
                m_wake.notify_one(); // more is due: let another executor look
            lock.unlock();
            runBatch(batch);
            lock.lock();
        }
    }

    BatchFunction m_fn;
    BatchOptions m_options;
    SteadyMonotonicClock m_steady;
    const MonotonicClock* m_clock;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::array<Queue, 3> m_queues; // High, Normal, Low
    AdaptiveDelay m_delay;
    BatchMetrics m_metrics;
    double m_tierMultiplier = 1.0;
    std::size_t m_maxBatch;
    std::uint64_t m_lastId = 0;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace avatar
