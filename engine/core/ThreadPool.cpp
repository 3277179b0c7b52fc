#include "ThreadPool.h"

#include <cerrno>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <pthread.h>

namespace avatar {

ThreadPool::ThreadPool(std::size_t threads, std::string name, int niceness)
    : m_name(std::move(name)), m_niceness(niceness) {
    resize(std::max<std::size_t>(1, threads));
}

ThreadPool::~ThreadPool() {
    std::deque<std::function<void()>> dropped; // destroyed after the lock: their captures may run code
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        dropped.swap(m_queue); // futures of dropped tasks see broken_promise instead of hanging
    }
    m_wake.notify_all();
    for (auto& w : m_workers)
        if (w->thread.joinable())
            w->thread.join();
}

std::size_t ThreadPool::hardwareThreads() {
    return std::max(1u, std::thread::hardware_concurrency());
}

void ThreadPool::enqueue(std::function<void()> job) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void ThreadPool::resize(std::size_t threads) {
    threads = std::max<std::size_t>(1, threads);
    std::vector<std::thread> toJoin;
    {
        std::lock_guard lock(m_mutex);
        reapFinishedLocked(toJoin);
        std::size_t live = 0;
        for (auto& w : m_workers)
            live += w->retired ? 0 : 1;
        // Shrink: retire the newest live workers; each leaves once its current task is done.
        for (auto it = m_workers.rbegin(); it != m_workers.rend() && live > threads; ++it) {
            if (!(*it)->retired) {
                (*it)->retired = true;
                --live;
            }
        }
        // Grow.
        while (live < threads) {
            auto worker = std::make_unique<Worker>();
            Worker* raw = worker.get();
            const std::size_t index = m_nextIndex++;
            worker->thread = std::thread([this, raw, index] { workerLoop(raw, index); });
            m_workers.push_back(std::move(worker));
            ++live;
        }
        m_target = threads;
    }
    m_wake.notify_all();
    for (auto& t : toJoin)
        t.join();
}

void ThreadPool::reapFinishedLocked(std::vector<std::thread>& toJoin) {
    auto it = std::remove_if(m_workers.begin(), m_workers.end(), [&](std::unique_ptr<Worker>& w) {
        if (!w->finished)
            return false;
        toJoin.push_back(std::move(w->thread));
        return true;
    });
    m_workers.erase(it, m_workers.end());
}

void ThreadPool::lowerCurrentThreadPriority(int niceness) {
    if (niceness <= 0)
        return;
    // On Linux the nice value belongs to the thread (its TID), and threads it creates inherit it.
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        ::setpriority(PRIO_PROCESS, tid, std::min(19, current + niceness));
}

void ThreadPool::workerLoop(Worker* self, std::size_t index) {
    // Linux limits thread names to 15 characters.
    const std::string threadName = (m_name + "-" + std::to_string(index)).substr(0, 15);
    pthread_setname_np(pthread_self(), threadName.c_str());
    lowerCurrentThreadPriority(m_niceness);

    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [&] { return m_stopping || self->retired || !m_queue.empty(); });
        if (m_stopping || self->retired)
            break;
        auto job = std::move(m_queue.front());
        m_queue.pop_front();
        ++m_active;
        lock.unlock();
        job(); // packaged_task stores exceptions in the future
        lock.lock();
        --m_active;
    }
    self->finished = true;
}

std::size_t ThreadPool::size() const {
    std::lock_guard lock(m_mutex);
    return m_target;
}

std::size_t ThreadPool::pendingTasks() const {
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

std::size_t ThreadPool::activeTasks() const {
    std::lock_guard lock(m_mutex);
    return m_active;
}

std::size_t ThreadPool::clearPending() {
    std::deque<std::function<void()>> dropped;
    {
        std::lock_guard lock(m_mutex);
        dropped.swap(m_queue);
    }
    return dropped.size(); // destroyed outside the lock: their promises break here
}

} // namespace avatar
