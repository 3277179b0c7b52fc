#include "CircuitBreaker.h"

namespace avatar {

CircuitBreaker::CircuitBreaker(std::string name, Options options, Clock clock, ResilienceCounters* counters)
    : m_name(std::move(name)), m_options(options), m_clock(std::move(clock)), m_counters(counters) {
    if (!m_clock)
        m_clock = [] { return std::chrono::steady_clock::now(); };
    if (m_options.failureThreshold < 1)
        m_options.failureThreshold = 1;
}

bool CircuitBreaker::allow() {
    std::lock_guard lock(m_mutex);
    if (m_state == State::Open && m_clock() - m_openedAt >= m_options.coolDown) {
        m_state = State::HalfOpen;
        m_trialInFlight = false;
    }
    bool allowed = m_state == State::Closed;
    if (m_state == State::HalfOpen && !m_trialInFlight) {
        m_trialInFlight = true; // one trial at a time: the others still skip until it reports
        allowed = true;
    }
    if (!allowed)
        countResilience(m_counters, ResilienceEvent::BreakerSkipped);
    return allowed;
}

void CircuitBreaker::recordSuccess() {
    std::lock_guard lock(m_mutex);
    m_state = State::Closed;
    m_failures = 0;
    m_trialInFlight = false;
}

void CircuitBreaker::recordFailure() {
    std::lock_guard lock(m_mutex);
    m_trialInFlight = false;
    if (m_state == State::Open)
        return; // a call let through before the breaker opened: it is open already
    if (m_state == State::HalfOpen || ++m_failures >= m_options.failureThreshold) {
        m_state = State::Open;
        m_openedAt = m_clock();
        m_failures = 0;
        countResilience(m_counters, ResilienceEvent::BreakerOpened);
    }
}

CircuitBreaker::State CircuitBreaker::state() const {
    std::lock_guard lock(m_mutex);
    return m_state;
}

const char* CircuitBreaker::stateName(State state) {
    switch (state) {
    case State::Closed:
        return "closed";
    case State::Open:
        return "open";
    case State::HalfOpen:
        return "half-open";
    }
    return "closed";
}

} // namespace avatar
