#pragma once

#include "core/CircuitBreaker.h"
#include "core/ResilienceCounters.h"
#include "core/ThreadPool.h"
#include "core/Tier.h"
#include "face/FaceAnalyzer.h"
#include "memory/MemoryManager.h"
#include "pipeline/EncoderHeaderMemo.h"
#include "pipeline/PreparedScenes.h"
#include "profile/Profiler.h"
#include "tts/TextToSpeech.h"

#include <atomic>
#include <filesystem>

namespace avatar {

namespace cache {
class Cache;
}

// The long-lived, expensive parts of the engine (the landmark model takes about a second to load, on first
// use), built once per process by its owner (the CLI's main, the studio's window, a test) and shared by every
// job: speech, faces, the frame memory pools, the profiler and the render pool that the scaler resizes.
struct EngineServices {
    explicit EngineServices(const std::filesystem::path& landmarkModel = FaceAnalyzer::defaultModelPath())
        : faces(landmarkModel), speechPool(2, "speech", kBulkNiceness),
          renderPool(ThreadPool::hardwareThreads(), "render", kBulkNiceness) {
        profiler.setLevel(tierSettings(Tier::Standard).profiling);
    }

    // Applies a tier live: the memory cap and the profiler's level now, batch sizes and scaler thresholds
    // through their owners (JobQueue), the encoder preset for jobs that did not name one.
    void setTier(Tier t) {
        m_tier.store(t);
        memory.setTier(t);
        profiler.setLevel(tierSettings(t).profiling);
        scenes.setCapacity(static_cast<std::size_t>(tierSettings(t).modelCacheSize));
    }
    Tier tier() const { return m_tier.load(); }

    // Render workers and job threads (with the encoder threads they start) run this much below normal
    // priority: a render still uses every idle cycle, but a desktop (the studio's GUI thread) never waits
    // for a core (measured: docs/PERFORMANCE.md, "Studio responsiveness").
    static constexpr int kBulkNiceness = 5;

    // Every recovery decision of this engine (retries, breakers, fallbacks, watchdog, replaced workers):
    // shown in the profiler report, `--json` and the studio's health view. Declared first: the parts below
    // count into it.
    ResilienceCounters resilience;
    // One breaker per face backend: a backend that failed three jobs in a row (a corrupt model, a plugin that
    // does not load) is skipped for the other for a minute (RenderPipeline::prepareScene).
    CircuitBreaker dlibFaceBreaker{"dlib", {}, {}, &resilience};
    CircuitBreaker faceApiBreaker{"face-api", {}, {}, &resilience};
    TextToSpeech tts;
    FaceAnalyzer faces;
    MemoryManager memory;
    Profiler profiler;
    // Optional: TTS, face analysis and encoded segments are cached when the owner sets one (#6).
    cache::Cache* cache = nullptr;
    EncoderHeaderMemo encoderHeaders; // part of the segments' cache keys
    // Portraits prepared for drawing, kept between jobs (with a cache set: they are keyed by its face keys);
    // as many as the tier's model cache size.
    PreparedScenes scenes{static_cast<std::size_t>(tierSettings(Tier::Standard).modelCacheSize)};
    // Declared last: their workers are joined before anything they may use goes away.
    // A job's speech runs here beside its face analysis (RenderPipeline::run). Long-lived threads, so that
    // each registers its profiler buffer once rather than once per job; two, so that one job's cache hits
    // need not wait for another's synthesis (the synthesisers themselves take one sentence at a time).
    ThreadPool speechPool;
    ThreadPool renderPool;

private:
    std::atomic<Tier> m_tier{Tier::Standard};
};

} // namespace avatar
