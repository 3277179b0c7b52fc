#pragma once

#include "Error.h"

#include <atomic>
#include <memory>

static_assert(std::atomic_bool::is_always_lock_free, "signal handlers need a lock-free flag");

namespace avatar {

// A shared cancel flag. Copies share the flag, so a job, its stage tasks and the UI that owns the job all see
// one cancellation. Stages call throwIfCancelled() at checkpoints (per sentence, per frame batch).
class CancelToken {
public:
    CancelToken() : m_flag(std::make_shared<std::atomic_bool>(false)) {}

    void cancel() noexcept { m_flag->store(true, std::memory_order_relaxed); }
    // The flag itself, for a signal handler (a lock-free atomic store is async-signal-safe; copying the
    // token is not). Valid while any copy of the token lives.
    std::atomic_bool* flag() const noexcept { return m_flag.get(); }
    bool isCancelled() const noexcept {
        return m_flag->load(std::memory_order_relaxed) ||
               (m_parent && m_parent->load(std::memory_order_relaxed));
    }
    // A token that is cancelled with this one, and can also be cancelled on its own without touching it:
    // one stage of a job stopping another (a failed face analysis stopping the speech that runs beside it)
    // while the job's own token stays as the user left it.
    CancelToken child() const {
        CancelToken c;
        c.m_parent = m_flag;
        return c;
    }
    void throwIfCancelled() const {
        if (isCancelled())
            throw Error(ErrorCode::Cancelled, "The job was cancelled.");
    }

private:
    std::shared_ptr<std::atomic_bool> m_flag;
    std::shared_ptr<std::atomic_bool> m_parent; // null but for a child()
};

} // namespace avatar
