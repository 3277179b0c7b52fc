#pragma once

#include "CircuitBreaker.h"
#include "Error.h"
#include "ResilienceCounters.h"

#include <algorithm>
#include <exception>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace avatar {

// One way of doing a piece of work (a face backend, a GPU or a CPU path), guarded by its breaker.
template <class T> struct FallbackBackend {
    CircuitBreaker* breaker = nullptr;
    std::function<T()> run;
};

// Does the work with the first backend, in order, whose breaker allows it and that succeeds: graceful
// degradation (face-api → dlib, GPU → CPU). `isFault` tells a backend's own failure (a missing or corrupt
// model, a device error: counted against its breaker, the next backend tried) from an answer about the input
// (no face in the photo: thrown at once, another backend would not be fairer). Each degradation is counted
// and described in `notes` (shown to the user as warnings). When every backend failed, the last failure is
// thrown; when every breaker was open, Error(Unreadable) says so.
template <class T>
T runWithFallback(std::span<const FallbackBackend<T>> backends, const std::string& what,
                  const std::function<bool(std::exception_ptr)>& isFault, ResilienceCounters* counters,
                  std::vector<std::string>* notes) {
    std::exception_ptr lastFault;
    std::string passed; // the backends not used, and why, for the note of the one that did the work
    std::string names;
    for (const FallbackBackend<T>& backend : backends) {
        const std::string& name = backend.breaker->name();
        names += (names.empty() ? "" : ", ") + name;
        if (!backend.breaker->allow()) {
            passed += (passed.empty() ? "" : "; ") + name + " is out of use after repeated failures";
            continue;
        }
        try {
            T result = backend.run();
            backend.breaker->recordSuccess();
            if (!passed.empty()) {
                countResilience(counters, ResilienceEvent::Fallback);
                if (notes)
                    notes->push_back("The " + what + " " + name + " was used instead (" + passed + ").");
            }
            return result;
        } catch (...) {
            const std::exception_ptr failure = std::current_exception();
            if (!isFault(failure)) {
                backend.breaker->recordSuccess(); // it worked: the input was the problem
                throw;
            }
            backend.breaker->recordFailure();
            lastFault = failure;
            std::string why = "failed";
            try {
                std::rethrow_exception(failure);
            } catch (const std::exception& e) {
                // One line: some libraries' messages (dlib's) end in line breaks.
                std::string text = e.what();
                std::replace(text.begin(), text.end(), '\n', ' ');
                text.erase(text.find_last_not_of(' ') + 1);
                why = "failed: " + text;
            } catch (...) {
            }
            passed += (passed.empty() ? "" : "; ") + name + " " + why;
        }
    }
    if (lastFault)
        std::rethrow_exception(lastFault);
    throw Error(ErrorCode::Unreadable,
                "Every " + what + " (" + names +
                    ") failed repeatedly and is out of use for a while; try again later.");
}

} // namespace avatar
