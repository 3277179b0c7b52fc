#pragma once

#include "Profiler.h"

namespace avatar {

// A timed scope: opens in the constructor, is recorded when it closes. Use it through AVATAR_ZONE so that it
// compiles away with AVATAR_PROFILING=0. The name must outlive the profiler's data: a literal or intern().
class ProfileZone {
public:
    ProfileZone(Profiler& profiler, const char* name, ProfilingLevel level = ProfilingLevel::Basic) {
        if (profiler.records(level)) {
            m_buffer = &profiler.threadBuffer();
            m_name = name;
            m_depth = m_buffer->depth++;
            m_start = profileTicks();
        }
    }
    ~ProfileZone() {
        if (m_buffer) {
            const ProfileTick end = profileTicks();
            --m_buffer->depth;
            m_buffer->push(RawEvent{m_start, end, m_name, m_buffer->job, m_depth, EventKind::Zone, 0});
        }
    }
    ProfileZone(const ProfileZone&) = delete;
    ProfileZone& operator=(const ProfileZone&) = delete;

private:
    ThreadBuffer* m_buffer = nullptr;
    const char* m_name = nullptr;
    ProfileTick m_start = 0;
    std::uint16_t m_depth = 0;
};

// Tags the calling thread's zones and counters with a job id while it lives (the job's thread for its stages,
// a worker for the task it runs), so that the report can find each job's critical path. Restores the previous
// id.
class ProfileJobScope {
public:
    ProfileJobScope(Profiler& profiler, std::uint32_t job) : m_buffer(&profiler.threadBuffer()) {
        m_previous = m_buffer->job;
        m_buffer->job = job;
    }
    ~ProfileJobScope() { m_buffer->job = m_previous; }
    ProfileJobScope(const ProfileJobScope&) = delete;
    ProfileJobScope& operator=(const ProfileJobScope&) = delete;

private:
    ThreadBuffer* m_buffer;
    std::uint32_t m_previous = 0;
};

} // namespace avatar
