#include "ResilienceCounters.h"

namespace avatar {

std::string_view ResilienceCounts::name(ResilienceEvent e) {
    switch (e) {
    case ResilienceEvent::Retry:
        return "retries";
    case ResilienceEvent::RetryExhausted:
        return "retries_exhausted";
    case ResilienceEvent::BreakerOpened:
        return "breaker_opened";
    case ResilienceEvent::BreakerSkipped:
        return "breaker_skipped";
    case ResilienceEvent::Fallback:
        return "fallbacks";
    case ResilienceEvent::WatchdogStopped:
        return "watchdog_stopped";
    case ResilienceEvent::WorkerReplaced:
        return "workers_replaced";
    }
    return "unknown";
}

std::string_view ResilienceCounts::label(ResilienceEvent e) {
    switch (e) {
    case ResilienceEvent::Retry:
        return "Retries after a transient failure";
    case ResilienceEvent::RetryExhausted:
        return "Retries given up";
    case ResilienceEvent::BreakerOpened:
        return "Backends taken out of use (breaker opened)";
    case ResilienceEvent::BreakerSkipped:
        return "Calls past an open breaker";
    case ResilienceEvent::Fallback:
        return "Work done by a fallback backend";
    case ResilienceEvent::WatchdogStopped:
        return "Stuck stages stopped by the watchdog";
    case ResilienceEvent::WorkerReplaced:
        return "Dead worker threads replaced";
    }
    return "unknown";
}

} // namespace avatar
