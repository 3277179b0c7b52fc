#pragma once

#include "ResilienceCounters.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace avatar {

// Notices work that stopped making progress. Each watched task (a job) holds a Lease and beats it with the
// name of its current stage at every sign of progress (a sentence spoken, a frame drawn); a lease not beaten
// for `stallTimeout` is reported once to `onStall` with its stage, and counted. The owner decides what to do
// (the job queue cancels the job and fails it with a message naming the stage). The checks run on a thread of
// their own (`watchdog`), or only when checkNow() is called (`Options::thread = false`, for tests, which also
// inject the clock).
class Watchdog {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;
    using OnStall =
        std::function<void(std::uint64_t id, const std::string& stage, std::chrono::milliseconds idle)>;
    struct Options {
        std::chrono::milliseconds stallTimeout{300'000};
        std::chrono::milliseconds checkInterval{1'000};
        bool thread = true;
    };

    class Lease {
    public:
        Lease() = default;
        ~Lease();
        Lease(Lease&& other) noexcept;
        Lease& operator=(Lease&& other) noexcept;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        void beat(const char* stage); // cheap: one lock, no allocation unless the stage changed

    private:
        friend class Watchdog;
        Lease(Watchdog* owner, std::uint64_t key) : m_owner(owner), m_key(key) {}
        Watchdog* m_owner = nullptr;
        std::uint64_t m_key = 0;
    };

    Watchdog(Options options, OnStall onStall, Clock clock = {}, ResilienceCounters* counters = nullptr);
    ~Watchdog();
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    // Starts watching task `id` in `stage`; it stops when the lease goes. Leases must not outlive the
    // watchdog.
    Lease watch(std::uint64_t id, const char* stage);
    // Reports every lease idle for longer than the timeout (each once). The callbacks run without the lock.
    void checkNow();

private:
    struct Watched {
        std::uint64_t id = 0;
        std::string stage;
        std::chrono::steady_clock::time_point lastBeat;
        bool reported = false;
    };
    void beat(std::uint64_t key, const char* stage);
    void release(std::uint64_t key);
    void loop();

    Options m_options;
    OnStall m_onStall;
    Clock m_clock;
    ResilienceCounters* m_counters;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<std::uint64_t, Watched> m_watched; // by lease key
    std::uint64_t m_nextKey = 1;
    bool m_stopping = false;
    std::thread m_thread; // last: started once everything above exists
};

} // namespace avatar
