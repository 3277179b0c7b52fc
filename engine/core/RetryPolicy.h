#pragma once

#include "ResilienceCounters.h"

#include <chrono>
#include <functional>

namespace avatar {

// Retries a transient failure (a database another process holds locked) with exponential backoff and full
// jitter: before retry n the caller sleeps a uniform random time in [0, min(cap, base x 2^(n-1))] (the AWS
// architecture blog's "full jitter", which spreads competing writers best). The sleeper and the random source
// are injectable so that tests neither sleep nor depend on chance.
class RetryPolicy {
public:
    struct Options {
        int attempts = 6; // calls in all, the first included
        std::chrono::milliseconds base{10};
        std::chrono::milliseconds cap{1000};
    };
    using Sleeper = std::function<void(std::chrono::milliseconds)>;
    using Random = std::function<double()>; // uniform in [0, 1)

    RetryPolicy() : RetryPolicy(Options{}) {}
    // Empty functions mean the real ones: std::this_thread::sleep_for and a per-thread Mersenne twister.
    explicit RetryPolicy(Options options, Sleeper sleeper = {}, Random random = {});

    // The pause before retry `retry` (1 for the first retry).
    std::chrono::milliseconds delayBefore(int retry) const;

    // Calls `attempt` until it returns true (done) or `attempts` calls returned false (transient failure),
    // pausing between them; each retry is counted, and so is giving up. Returns whether an attempt succeeded.
    // An exception from `attempt` is a permanent failure: it passes through at once.
    bool run(const std::function<bool()>& attempt, ResilienceCounters* counters = nullptr) const;

    const Options& options() const { return m_options; }

private:
    Options m_options;
    Sleeper m_sleep;
    Random m_random;
};

} // namespace avatar
