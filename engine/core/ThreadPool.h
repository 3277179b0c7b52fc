#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace avatar {

// A resizable worker pool. Threads are named "<name>-<n>" so that they show up in debuggers and the profiler.
// resize() grows at once; shrinking lets surplus workers finish their current task and leave. Tasks are plain
// callables; cancellation is cooperative (tasks check a CancelToken), and clearPending() drops queued work,
// whose futures then report std::future_errc::broken_promise.
class ThreadPool {
public:
    // `niceness` > 0 runs the workers below normal priority (Linux nice, per thread): bulk work such as
    // rendering frames then yields the CPU to interactive threads (the studio's GUI thread) at once.
    explicit ThreadPool(std::size_t threads, std::string name = "worker", int niceness = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    template <class F> auto submit(F&& fn) -> std::future<std::invoke_result_t<std::decay_t<F>>> {
        using R = std::invoke_result_t<std::decay_t<F>>;
        auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(fn));
        std::future<R> result = task->get_future();
        enqueue([task] { (*task)(); });
        return result;
    }

    void resize(std::size_t threads);
    std::size_t size() const;         // the target number of workers
    std::size_t pendingTasks() const; // queued, not yet started
    std::size_t activeTasks() const;  // running now
    std::size_t clearPending();       // drops queued tasks; returns how many
    const std::string& name() const { return m_name; }

    // A sensible default for CPU-bound work: the hardware's thread count, at least 1.
    static std::size_t hardwareThreads();
    // Lowers the calling thread's priority by `niceness` (no effect for 0); failures are ignored (a
    // container may forbid it), the work runs either way.
    static void lowerCurrentThreadPriority(int niceness);

private:
    struct Worker {
        std::thread thread;
        bool retired = false; // set under m_mutex when a shrink asks this worker to leave
        bool finished = false;
    };

    void enqueue(std::function<void()> job);
    void workerLoop(Worker* self, std::size_t index);
    void reapFinishedLocked(std::vector<std::thread>& toJoin);

    std::string m_name;
    int m_niceness = 0;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_queue;
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::size_t m_target = 0;
    std::size_t m_active = 0;
    std::size_t m_nextIndex = 0;
    bool m_stopping = false;
};

} // namespace avatar
