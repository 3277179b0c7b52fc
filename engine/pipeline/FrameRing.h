#pragma once

#include "core/FrameRate.h"
#include "core/Image.h"
#include "lipsync/MouthParams.h"

#include <atomic>
#include <cstdint>
#include <future>
#include <memory>
#include <vector>

namespace avatar {

class CaptionBurner;
struct EngineServices;
struct FrameOverlay;
struct Scene;

// Draws a list of frames on the engine's shared render pool into a ring of buffers that already hold the
// background (only the face region and the caption band are redrawn), and hands them back in order, so that
// the caller encodes one frame while the workers draw the next ones. The ring's buffers come from the memory
// manager's video pool and are bounded by 2×workers+2 and a byte budget (8K frames fit).
class FrameRing {
public:
    struct Source {
        const Scene& scene;
        const std::vector<MouthParams>& poses; // one per frame of the video
        const CaptionBurner* burner;           // null: no burned captions
        FrameRate fps = 25;
        const FrameOverlay* overlay = nullptr; // drawn last (RunHooks::overlay)
    };

    // `frames`: indices into `poses`, in the order they are wanted. `threads` caps the workers used (0: the
    // pool's size); `jobTag` tags the profiler zones.
    FrameRing(EngineServices& services, const Source& source, std::vector<long long> frames, int threads,
              std::uint32_t jobTag);
    // Tasks not started yet return at once; the ones running are waited for (they write into the ring).
    ~FrameRing();
    FrameRing(const FrameRing&) = delete;
    FrameRing& operator=(const FrameRing&) = delete;

    bool done() const { return m_returned >= m_frames.size(); }
    // The next frame of the list once drawn; valid until the following call. Rethrows a worker's error.
    const Image& next();
    // Seconds the workers spent drawing, summed (CPU seconds).
    double renderSeconds() const { return m_seconds; }

    static constexpr std::size_t kBudgetBytes = 256u << 20; // bytes of frames in flight at most

private:
    void submit(std::size_t position);
    void sampleCounters(std::size_t position);

    EngineServices& m_services;
    Source m_source;
    std::vector<long long> m_frames;
    std::uint32_t m_jobTag;
    std::size_t m_hardware = 1;
    std::vector<Image> m_buffers;
    std::vector<std::future<double>> m_inFlight;
    std::shared_ptr<std::atomic<bool>> m_aborted = std::make_shared<std::atomic<bool>>(false);
    std::size_t m_submitted = 0;
    std::size_t m_returned = 0;
    double m_seconds = 0.0;
};

} // namespace avatar
