#include "Watchdog.h"

#include <pthread.h>
#include <utility>
#include <vector>

namespace avatar {

Watchdog::Lease::~Lease() {
    if (m_owner)
        m_owner->release(m_key);
}

Watchdog::Lease::Lease(Lease&& other) noexcept
    : m_owner(std::exchange(other.m_owner, nullptr)), m_key(other.m_key) {}

Watchdog::Lease& Watchdog::Lease::operator=(Lease&& other) noexcept {
    if (this != &other) {
        if (m_owner)
            m_owner->release(m_key);
        m_owner = std::exchange(other.m_owner, nullptr);
        m_key = other.m_key;
    }
    return *this;
}

void Watchdog::Lease::beat(const char* stage) {
    if (m_owner)
        m_owner->beat(m_key, stage);
}

Watchdog::Watchdog(Options options, OnStall onStall, Clock clock, ResilienceCounters* counters)
    : m_options(options), m_onStall(std::move(onStall)), m_clock(std::move(clock)), m_counters(counters) {
    if (!m_clock)
        m_clock = [] { return std::chrono::steady_clock::now(); };
    if (m_options.thread)
        m_thread = std::thread([this] { loop(); });
}

Watchdog::~Watchdog() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

Watchdog::Lease Watchdog::watch(std::uint64_t id, const char* stage) {
    std::lock_guard lock(m_mutex);
    const std::uint64_t key = m_nextKey++;
    m_watched[key] = Watched{id, stage, m_clock(), false};
    return Lease(this, key);
}

void Watchdog::beat(std::uint64_t key, const char* stage) {
    const auto now = m_clock();
    std::lock_guard lock(m_mutex);
    const auto it = m_watched.find(key);
    if (it == m_watched.end())
        return;
    it->second.lastBeat = now;
    if (it->second.stage != stage)
        it->second.stage = stage;
}

void Watchdog::release(std::uint64_t key) {
    std::lock_guard lock(m_mutex);
    m_watched.erase(key);
}

void Watchdog::checkNow() {
    struct Stall {
        std::uint64_t id;
        std::string stage;
        std::chrono::milliseconds idle;
    };
    std::vector<Stall> stalls;
    {
        const auto now = m_clock();
        std::lock_guard lock(m_mutex);
        for (auto& [key, w] : m_watched) {
            const auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(now - w.lastBeat);
            if (w.reported || idle < m_options.stallTimeout)
                continue;
            w.reported = true;
            stalls.push_back({w.id, w.stage, idle});
        }
    }
    for (const Stall& s : stalls) {
        countResilience(m_counters, ResilienceEvent::WatchdogStopped);
        if (m_onStall)
            m_onStall(s.id, s.stage, s.idle);
    }
}

void Watchdog::loop() {
    pthread_setname_np(pthread_self(), "watchdog");
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, m_options.checkInterval, [this] { return m_stopping; });
        if (m_stopping)
            break;
        lock.unlock();
        checkNow();
        lock.lock();
    }
}

} // namespace avatar
