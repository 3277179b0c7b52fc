#include "FrameRing.h"

#include "EngineServices.h"
#include "RenderSpec.h"
#include "captions/CaptionBurner.h"
#include "memory/PoolBuffer.h"
#include "profile/ProfileMacros.h"
#include "profile/ProfileZone.h"
#include "render/Scene.h"

#include <algorithm>
#include <chrono>

namespace avatar {

FrameRing::FrameRing(EngineServices& services, const Source& source, std::vector<long long> frames,
                     int threads, std::uint32_t jobTag)
    : m_services(services), m_source(source), m_frames(std::move(frames)), m_jobTag(jobTag) {
    // More workers than hardware threads never help, and every worker keeps two frames in flight.
    ThreadPool& pool = m_services.renderPool;
    m_hardware = ThreadPool::hardwareThreads();
    const std::size_t workers =
        std::min(threads > 0 ? std::size_t(threads) : std::max<std::size_t>(1, pool.size()), m_hardware);
    const std::size_t frameBytes = m_source.scene.background.byteSize();
    const std::size_t byBudget =
        std::max<std::size_t>(3, kBudgetBytes / std::max<std::size_t>(1, frameBytes));
    const std::size_t ring = std::min({2 * workers + 2, byBudget, m_frames.size()});
    m_buffers.reserve(ring);
    const int width = m_source.scene.background.width();
    const int height = m_source.scene.background.height();
    for (std::size_t i = 0; i < ring; ++i) {
        auto block = std::make_shared<PoolBuffer>(m_services.memory.acquire(Workload::Video, frameBytes));
        auto* pixels = reinterpret_cast<std::uint8_t*>(block->data());
        m_buffers.emplace_back(width, height, pixels, std::move(block));
        m_buffers.back() = m_source.scene.background;
    }
    m_inFlight.resize(ring);
    for (; m_submitted < ring; ++m_submitted)
        submit(m_submitted);
}

FrameRing::~FrameRing() {
    m_aborted->store(true);
    for (auto& f : m_inFlight)
        if (f.valid())
            f.wait(); // the workers hold references to the ring's buffers
}

void FrameRing::submit(std::size_t position) {
    const std::size_t slot = position % m_buffers.size();
    Image& buffer = m_buffers[slot];
    const long long frame = m_frames[position];
    const ProfileTick queued = Profiler::now();
    Profiler& profiler = m_services.profiler;
    const Source& src = m_source;
    m_inFlight[slot] = m_services.renderPool.submit(
        [&src, &buffer, &profiler, aborted = m_aborted, frame, queued, tag = m_jobTag] {
            if (aborted->load())
                return 0.0;
            AVATAR_PROFILE_JOB(profiler, tag);
            profiler.recordZone("queue.render", queued, Profiler::now(), ProfilingLevel::Detailed);
            AVATAR_ZONE_LEVEL(profiler, "render.frame", ProfilingLevel::Detailed);
            const auto start = std::chrono::steady_clock::now();
            if (src.burner)
                buffer.copyRect(src.scene.background, src.burner->area()); // wipe the previous caption
            if (src.overlay)
                buffer.copyRect(src.scene.background, src.overlay->area); // blended again below, not twice
            src.scene.renderer.render(src.poses[static_cast<std::size_t>(frame)], buffer);
            if (src.burner)
                src.burner->draw(src.fps.middle(frame), buffer);
            if (src.overlay)
                src.overlay->draw(buffer);
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        });
}

const Image& FrameRing::next() {
    // The buffer handed out last time is free again: it gets the next frame of the list.
    if (m_returned > 0 && m_submitted < m_frames.size())
        submit(m_submitted++);
    const std::size_t slot = m_returned % m_buffers.size();
    m_seconds += m_inFlight[slot].get();
    sampleCounters(m_returned);
    ++m_returned;
    return m_buffers[slot];
}

void FrameRing::sampleCounters(std::size_t position) {
    // What the bottleneck detector and the report's charts read, a few times a second.
    Profiler& profiler = m_services.profiler;
    if (position % std::size_t(std::max(1, m_source.fps.num() / (5 * m_source.fps.den()))) != 0 ||
        !profiler.records(ProfilingLevel::Moderate))
        return;
    const MemoryStats mem = m_services.memory.stats();
    ThreadPool& pool = m_services.renderPool;
    profiler.counter("memory.bytes", double(mem.total.reservedBytes.current), ProfilingLevel::Moderate);
    profiler.counter("memory.cap.bytes", double(mem.capBytes), ProfilingLevel::Moderate);
    profiler.counter("pool.workers", double(pool.size()), ProfilingLevel::Moderate);
    profiler.counter("pool.cap", double(m_hardware), ProfilingLevel::Moderate);
    profiler.counter("queue.depth", double(pool.pendingTasks()), ProfilingLevel::Moderate);
}

} // namespace avatar
