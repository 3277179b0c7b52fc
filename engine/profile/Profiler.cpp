#include "Profiler.h"

#include <algorithm>
#include <bit>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace avatar {

namespace {

// Ids tell a thread's cached buffer apart from one that belonged to an earlier profiler at the same address.
std::atomic<std::uint64_t> g_nextProfilerId{1};

std::string currentThreadName() {
    char name[64] = {};
    if (pthread_getname_np(pthread_self(), name, sizeof name) != 0)
        return {};
    return name;
}

std::uint64_t currentOsThreadId() {
    return static_cast<std::uint64_t>(syscall(SYS_gettid));
}

} // namespace

Profiler::Profiler(ProfilerOptions options)
    : m_id(g_nextProfilerId.fetch_add(1)), m_maxEventsPerThread(options.maxEventsPerThread),
      m_enabled(options.enabled), m_level(options.level) {
    updateGate();
}

Profiler::~Profiler() = default;

void Profiler::setEnabled(bool enabled) {
    m_enabled.store(enabled);
    updateGate();
}

bool Profiler::enabled() const {
    return m_enabled.load();
}

void Profiler::setLevel(ProfilingLevel level) {
    m_level.store(level);
    updateGate();
}

ProfilingLevel Profiler::level() const {
    return m_level.load();
}

void Profiler::updateGate() {
    std::lock_guard lock(m_mutex);
    m_gate.store(m_enabled.load() ? static_cast<int>(m_level.load()) : -1);
}

void Profiler::recordZone(const char* name, ProfileTick start, ProfileTick end, ProfilingLevel level) {
    if (!records(level))
        return;
    ThreadBuffer& buffer = threadBuffer();
    buffer.push(RawEvent{start, std::max(start, end), name, buffer.job, buffer.depth, EventKind::Zone, 0});
}

void Profiler::counter(const char* name, double value, ProfilingLevel level) {
    if (!records(level))
        return;
    ThreadBuffer& buffer = threadBuffer();
    buffer.push(RawEvent{profileTicks(), std::bit_cast<std::uint64_t>(value), name, buffer.job, buffer.depth,
                         EventKind::Counter, 0});
}

void Profiler::mark(std::string_view category, std::string_view message) {
    if (!records(ProfilingLevel::Basic))
        return;
    const ThreadBuffer* thread = &threadBuffer();
    std::lock_guard lock(m_mutex);
    m_markers.push_back(RawMarker{profileTicks(), thread, std::string(category), std::string(message)});
}

void Profiler::setThreadName(std::string_view name) {
    ThreadBuffer& buffer = threadBuffer();
    std::lock_guard lock(m_mutex);
    buffer.name = std::string(name);
}

const char* Profiler::intern(std::string_view name) {
    std::lock_guard lock(m_mutex);
    // Nodes of an unordered_set never move, so c_str() stays valid for the profiler's lifetime.
    return m_names.emplace(name).first->c_str();
}

ThreadBuffer& Profiler::registerThread() {
    const std::thread::id self = std::this_thread::get_id();
    std::lock_guard lock(m_mutex);
    auto it = std::find_if(m_threads.begin(), m_threads.end(),
                           [&](const std::unique_ptr<ThreadBuffer>& b) { return b->thread() == self; });
    if (it == m_threads.end()) {
        m_threads.push_back(std::make_unique<ThreadBuffer>(self, currentOsThreadId(), currentThreadName(),
                                                           m_maxEventsPerThread));
        it = std::prev(m_threads.end());
    }
    profile_detail::tlsSlot = profile_detail::TlsSlot{m_id, it->get()};
    return **it;
}

void Profiler::reset() {
    std::lock_guard lock(m_mutex);
    m_cutoff = profileTicks();
    m_markers.clear();
}

std::uint64_t Profiler::droppedEvents() const {
    std::lock_guard lock(m_mutex);
    std::uint64_t dropped = 0;
    for (const auto& buffer : m_threads)
        dropped += buffer->dropped();
    return dropped;
}

ProfileData Profiler::snapshot() const {
    std::lock_guard lock(m_mutex);
    m_clock.refine();
    ProfileData data;
    data.processId = static_cast<std::int64_t>(getpid());
    for (std::size_t t = 0; t < m_threads.size(); ++t) {
        const ThreadBuffer& buffer = *m_threads[t];
        data.threads.push_back(ThreadInfo{buffer.osThreadId(), buffer.name});
        data.droppedEvents += buffer.dropped();
        buffer.forEach([&](const RawEvent& e) {
            if (e.start < m_cutoff)
                return;
            if (e.kind == EventKind::Zone) {
                data.zones.push_back(
                    ZoneRecord{e.name, t, m_clock.toNs(e.start), m_clock.toNs(e.end), e.depth, e.job});
            } else {
                data.counters.push_back(
                    CounterSample{e.name, t, m_clock.toNs(e.start), std::bit_cast<double>(e.end)});
            }
        });
    }
    for (const RawMarker& m : m_markers) {
        const auto it =
            std::find_if(m_threads.begin(), m_threads.end(),
                         [&](const std::unique_ptr<ThreadBuffer>& b) { return b.get() == m.thread; });
        data.markers.push_back(MarkerRecord{m.category, m.message,
                                            static_cast<std::size_t>(std::distance(m_threads.begin(), it)),
                                            m_clock.toNs(m.tick)});
    }
    data.sortZones();
    std::sort(data.counters.begin(), data.counters.end(),
              [](const CounterSample& a, const CounterSample& b) { return a.timeNs < b.timeNs; });
    return data;
}

} // namespace avatar
