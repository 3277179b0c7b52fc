#pragma once

#include "ProfileClock.h"
#include "ProfileData.h"
#include "ThreadBuffer.h"
#include "core/Tier.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace avatar {

struct ProfilerOptions {
    bool enabled = true;
    ProfilingLevel level = ProfilingLevel::Basic;
    std::size_t maxEventsPerThread = std::size_t{1}
                                     << 21; // 64 MiB a thread at most; beyond, events are dropped
};

namespace profile_detail {
// The calling thread's buffer for the profiler it last recorded into. Initial-exec TLS: the engine is
// compiled as position-independent code, and the default model would call __tls_get_addr on every zone.
struct TlsSlot {
    std::uint64_t owner = 0; // Profiler id; ids are never reused, so a dead profiler's slot never matches
    ThreadBuffer* buffer = nullptr;
};
[[gnu::tls_model("initial-exec")]] inline thread_local constinit TlsSlot tlsSlot{};
} // namespace profile_detail

// Records zones (timed scopes, see ProfileZone and ProfileMacros.h), counters and markers from any thread.
// Owned by the engine's services and passed by reference; not a global. Recording is lock-free (each thread
// writes its own buffer); registering a thread, interning a name, markers and snapshots take a mutex.
//
// What is recorded is decided twice: at compile time by AVATAR_PROFILING (the macros vanish when it is 0), at
// run time by setEnabled() and the level. Each zone and counter carries the least level it needs: Basic for
// one zone per stage of a job, Moderate for per-sentence or per-batch zones, Detailed for per-frame zones,
// UltraDetailed for per-frame counters.
class Profiler {
public:
    explicit Profiler(ProfilerOptions options = {});
    ~Profiler();
    Profiler(const Profiler&) = delete;
    Profiler& operator=(const Profiler&) = delete;

    void setEnabled(bool enabled);
    bool enabled() const;
    void setLevel(ProfilingLevel level); // e.g. from tierSettings(tier).profiling when the tier changes
    ProfilingLevel level() const;
    // The one check on every zone: a relaxed load and a compare.
    bool records(ProfilingLevel level) const noexcept {
        return static_cast<int>(level) <= m_gate.load(std::memory_order_relaxed);
    }

    // The current time in ticks, for zones measured by hand (recordZone).
    static ProfileTick now() noexcept { return profileTicks(); }

    // A zone on the calling thread between two now() readings taken earlier, e.g. a queue wait from the time
    // a task was submitted to the time a worker picked it up ("queue.render").
    void recordZone(const char* name, ProfileTick start, ProfileTick end,
                    ProfilingLevel level = ProfilingLevel::Basic);
    // A sample of a named value (bytes, depth, utilisation) at the current time.
    void counter(const char* name, double value, ProfilingLevel level = ProfilingLevel::Basic);
    // An instant with a message, e.g. a scaler decision. Rare events: takes the mutex.
    void mark(std::string_view category, std::string_view message);
    // Names the calling thread in the exports (threads otherwise keep their pthread name, e.g. "render-3").
    void setThreadName(std::string_view name);
    // A stable copy of a dynamic name for zones and counters (string literals need none).
    const char* intern(std::string_view name);

    // Forgets everything recorded so far (events already in buffers are hidden, not freed).
    void reset();
    // Everything recorded, converted to nanoseconds since the profiler was made. Safe while threads record;
    // zones still open are not included.
    ProfileData snapshot() const;
    std::uint64_t droppedEvents() const;

    // The calling thread's buffer; registers the thread on first use. Used by ProfileZone.
    ThreadBuffer& threadBuffer() {
        profile_detail::TlsSlot& slot = profile_detail::tlsSlot;
        if (slot.owner == m_id) [[likely]]
            return *slot.buffer;
        return registerThread();
    }

private:
    struct RawMarker {
        ProfileTick tick;
        const ThreadBuffer* thread;
        std::string category;
        std::string message;
    };

    ThreadBuffer& registerThread();
    void updateGate();

    const std::uint64_t m_id;
    const std::size_t m_maxEventsPerThread;
    std::atomic<int> m_gate{-1}; // the highest level recorded; -1 when disabled
    std::atomic<bool> m_enabled;
    std::atomic<ProfilingLevel> m_level;
    mutable std::mutex m_mutex;
    mutable TickCalibration m_clock;
    ProfileTick m_cutoff = 0; // reset(): earlier events are hidden
    std::vector<std::unique_ptr<ThreadBuffer>> m_threads;
    std::unordered_set<std::string> m_names;
    std::vector<RawMarker> m_markers;
};

} // namespace avatar
