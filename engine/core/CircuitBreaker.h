#pragma once

#include "ResilienceCounters.h"

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

namespace avatar {

struct CircuitBreakerOptions {
    int failureThreshold = 3;
    std::chrono::milliseconds coolDown{60'000};
};

// Keeps a backend that keeps failing out of use for a while, so that every job does not pay for its failure
// again (resilience4j's states): Closed (in use) → Open after `failureThreshold` failures in a row → after
// `coolDown`, HalfOpen: one trial call goes through; its success closes the breaker, its failure opens it
// again for another cool-down. The clock is injectable so that tests step time instead of sleeping.
// Thread-safe.
class CircuitBreaker {
public:
    enum class State { Closed, Open, HalfOpen };
    using Options = CircuitBreakerOptions; // at namespace scope: GCC 12 rejects `= {}` for a nested one
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit CircuitBreaker(std::string name, Options options = {}, Clock clock = {},
                            ResilienceCounters* counters = nullptr);
    CircuitBreaker(const CircuitBreaker&) = delete;
    CircuitBreaker& operator=(const CircuitBreaker&) = delete;

    // Whether the backend may be called now; false (counted as a skip) while the breaker is open, and while
    // another caller's half-open trial is in flight.
    bool allow();
    void recordSuccess();
    void recordFailure();

    State state() const;
    const std::string& name() const { return m_name; }
    static const char* stateName(State state); // "closed", "open", "half-open"

private:
    std::string m_name;
    Options m_options;
    Clock m_clock;
    ResilienceCounters* m_counters;
    mutable std::mutex m_mutex;
    State m_state = State::Closed;
    int m_failures = 0;
    bool m_trialInFlight = false;
    std::chrono::steady_clock::time_point m_openedAt{};
};

} // namespace avatar
