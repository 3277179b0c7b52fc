#pragma once

#include "captions/CaptionStyle.h"
#include "core/FrameRate.h"
#include "core/Image.h"
#include "core/ResilienceCounters.h"
#include "lipsync/Expression.h"
#include "render/Framing.h"
#include "voice/Recording.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace avatar {

// Who finds the portrait's face and its 68 landmarks: dlib's HOG detector and shape predictor, or the
// face-api models on LibTorch (engine/facenet), which also find turned faces and faces under dlib's ~40 px
// minimum.
enum class FaceBackend { Dlib, Torch };

// What one render job asks for (the job's "params in"). Defaults are the CLI's defaults.
struct RenderSpec {
    std::string text; // the script; with `audio`, its transcript (may be empty)
    // A recorded narration (issue #13): any file FFmpeg decodes. When set it is the sound track instead of
    // the voice, and the mouth follows it.
    std::filesystem::path audio;
    std::filesystem::path avatar; // portrait; empty = the embedded default portrait
    std::string voice = "flite:slt";
    double speed = 1.0; // 0.5 .. 2.0
    double pitch = 0.0; // semitones, -12 .. +12
    int width = 1280;
    int height = 720;
    FrameRate fps = 25; // exact (30000/1001 for 29.97); FrameRate::kMinFps..kMaxFps
    std::string preset; // x264 preset; empty = the tier's (tierEncoderPreset)
    int crf = 20;
    std::filesystem::path output;
    // Captions: burned into the frames (libass, current word highlighted) and/or written beside the video
    // with its base name (out.mp4 → out.srt, out.vtt).
    bool captionsBurn = false;
    bool captionsSrt = false;
    bool captionsVtt = false;
    CaptionStyle captionStyle; // how burned captions look (font, size, position, colours)
    int threads = 0;           // render workers; 0 = one per hardware thread
    FaceBackend faceBackend = FaceBackend::Torch;
    // Framing (issue #12): how the portrait fills the frame. Head and shoulders by default, because a
    // presenter video is framed around the speaker; AsIs shows the whole picture with blurred bars.
    Framing framing = Framing::Shoulders;
    // Which face speaks when the portrait has several: 0 the largest, 1 the next in size, and so on.
    int faceIndex = 0;
    // false: this job neither reads nor writes the engine's cache (EngineServices::cache), e.g. a queued job
    // whose creator turned the cache off, or a benchmark that must render everything.
    bool useCache = true;
    // The presenter's resting expression (issue #12): neutral keeps the portrait's own face.
    Expression expression = Expression::Neutral;
};

enum class Stage { Validate, Tts, Face, Animate, Render, Encode, Done };
// "tts", "render", ... (not toString: see errorCodeName).
const char* stageName(Stage stage);

struct StageSeconds {
    double tts = 0.0;
    double face = 0.0;
    double animate = 0.0; // visemes and the per-frame mouth curve
    double render = 0.0;  // frame rendering, summed over the workers (CPU seconds)
    double encode = 0.0;  // time the encoder took on the job's thread, final flush included
};

// What the cache saved in one job (issue #6). Without a cache only framesRendered is set.
struct CacheUse {
    int ttsHits = 0; // sentences whose speech came from the cache
    int ttsMisses = 0;
    int faceHits = 0; // 1 when the portrait's landmarks came from the cache
    int faceMisses = 0;
    int segmentsReused = 0; // video segments (one per sentence) copied from the cache
    int segmentsRendered = 0;
    long long framesRendered = 0; // frames drawn and encoded in this job; the others came from the cache
    int audioPartsReused = 0;     // the sound's parts (one per sentence) whose AAC came from the cache
    int audioPartsEncoded = 0;
};

// What one render job produced (the job's "result out").
struct RenderResult {
    std::filesystem::path output;
    double duration = 0.0; // seconds of audio (= video within one frame)
    long long frames = 0;
    int width = 0;
    int height = 0;
    FrameRate fps = 0;
    std::string voice;
    Expression expression = Expression::Neutral;
    std::vector<std::filesystem::path> captionFiles;
    RecordingInfo recording;         // with RenderSpec::audio: its source, loudness and gain (else all zero)
    Framing framing = Framing::AsIs; // as rendered, with the face index
    int faceIndex = 0;
    // Things the user should know about a successful render, one sentence each (a portrait too small for
    // the framing).
    std::vector<std::string> warnings;
    StageSeconds seconds;
    CacheUse cache;
    // The engine's recovery decisions while the job ran (a retried database write, a face backend skipped
    // for the other, ...); with several jobs at once, the others' decisions are counted too.
    ResilienceCounts resilience{};
    double totalSeconds = 0.0; // wall clock
};

struct Progress {
    Stage stage = Stage::Validate;
    double fraction = 0.0; // of the whole job, 0..1
    long long framesDone = 0;
    long long framesTotal = 0;
};

// Called on the job's thread; keep it cheap (the CLI redraws a bar, the UI posts a queued signal).
using ProgressCallback = std::function<void(const Progress&)>;

// What is drawn over every frame after the presenter (and burned captions), before the frame is encoded: a
// project's titles and logo over a full-frame scene (ProjectRenderer), so that such a scene is drawn and
// encoded once rather than encoded, decoded, composed and encoded again. It is the same in every frame and
// changes only `area`, which is put back to the portrait's still frame before each frame is drawn. `key`
// names what it draws, for the segment cache. `draw` is called from several render workers at once.
struct FrameOverlay {
    std::function<void(Image& frame)> draw;
    Rect area;
    std::string key;
};

// Optional extras of one run.
struct RunHooks {
    std::int64_t jobId = 0; // tags the job's profiler zones (per-job critical path)
    // Called on the job's thread with every frame just encoded (the buffer is reused afterwards: copy what
    // you keep, e.g. a downscaled preview, and keep it cheap).
    std::function<void(const Image& frame, long long index)> onFrame;
    std::shared_ptr<const FrameOverlay> overlay; // none: the frames as drawn
};

} // namespace avatar
