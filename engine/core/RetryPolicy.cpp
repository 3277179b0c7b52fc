#include "RetryPolicy.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

namespace avatar {

RetryPolicy::RetryPolicy(Options options, Sleeper sleeper, Random random)
    : m_options(options), m_sleep(std::move(sleeper)), m_random(std::move(random)) {
    m_options.attempts = std::max(1, m_options.attempts);
    if (!m_sleep)
        m_sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
    if (!m_random)
        // The system's generator for each (rare) retry, not a thread_local engine: the engine library is
        // opened with dlopen (avatar-render's core), where 2.5 KB of thread-local state does not fit the
        // static TLS that is left.
        m_random = [] {
            std::random_device device;
            return std::uniform_real_distribution<double>(0.0, 1.0)(device);
        };
}

std::chrono::milliseconds RetryPolicy::delayBefore(int retry) const {
    // In doubles: base x 2^n overflows an integer long before it stops mattering against the cap.
    const double exponential =
        static_cast<double>(m_options.base.count()) * std::exp2(std::max(0, retry - 1));
    const double ceiling = std::min(static_cast<double>(m_options.cap.count()), exponential);
    const double r = std::clamp(m_random(), 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(std::floor(r * ceiling)));
}

bool RetryPolicy::run(const std::function<bool()>& attempt, ResilienceCounters* counters) const {
    for (int n = 1;; ++n) {
        if (attempt())
            return true;
        if (n >= m_options.attempts) {
            countResilience(counters, ResilienceEvent::RetryExhausted);
            return false;
        }
        countResilience(counters, ResilienceEvent::Retry);
        m_sleep(delayBefore(n));
    }
}

} // namespace avatar
