#pragma once

#include "EngineServices.h"
#include "Narration.h"
#include "RenderSpec.h"
#include "cache/CacheKey.h"
#include "cache/Sha256.h"
#include "core/CancelToken.h"
#include "core/Image.h"
#include "face/FaceLandmarks.h"
#include "lipsync/FaceMotion.h"
#include "lipsync/MouthParams.h"
#include "lipsync/Viseme.h"
#include "media/Mp4Encoder.h"
#include "pipeline/FrameRing.h"
#include "render/Scene.h"
#include "tts/Speech.h"

#include <memory>
#include <string>
#include <vector>

namespace avatar {

// Runs one render job: validate → TTS per sentence → face analysis → visemes and mouth curve → frames
// rendered in parallel (face region only) → H.264/AAC MP4 written to a temporary file and renamed on success.
// Throws avatar::Error with a user-facing message; on any error or cancellation no file is left at the
// output.
class RenderPipeline {
public:
    explicit RenderPipeline(EngineServices& services) : m_services(services) {}

    RenderResult run(const RenderSpec& spec, const CancelToken& cancel = {},
                     const ProgressCallback& progress = {}, const RunHooks& hooks = {}) const;

    // The cheap checks, done before any work: text, size, fps, preset, voice and the output path.
    void validate(const RenderSpec& spec) const;

    // The stages, public so that tools (the benchmark, tests) can run and time them one by one.
    Image loadPortrait(const RenderSpec& spec) const;
    // Loads the portrait, finds its faces (Error(NoFace) when there is none), takes face spec.faceIndex
    // (largest first; Error(InvalidInput) when there are fewer) and lays out the frame in spec.framing. With
    // a cache, the landmarks are looked up by the portrait's content hash and the face index first; `use`
    // counts the hit or miss and `sceneKey` receives the digest the video segments are keyed by (portrait,
    // face backend, face index, framing). `warnings` receives softPortraitWarning when the portrait is
    // enlarged more than PortraitLayout::kSoftUpscale.
    std::unique_ptr<Scene> prepareScene(const RenderSpec& spec, CacheUse* use = nullptr,
                                        cache::Sha256::Digest* sceneKey = nullptr,
                                        std::vector<std::string>* warnings = nullptr) const;
    // prepareScene through EngineServices::scenes: with a cache, a Scene built for the same portrait, face,
    // backend, framing and size by an earlier job is used again (counted as a face hit, its warnings said
    // again).
    std::shared_ptr<const Scene> preparedScene(const RenderSpec& spec, CacheUse* use = nullptr,
                                               cache::Sha256::Digest* sceneKey = nullptr,
                                               std::vector<std::string>* warnings = nullptr) const;
    // The cache key of a portrait's landmarks: its content, the face backend and the face's index.
    static cache::CacheKey faceKey(const RenderSpec& spec);
    // One sentence (no "avatar-render:" prefix, lower-case start) saying that the portrait will look soft
    // and what to do about it.
    static std::string softPortraitWarning(const RenderSpec& spec, int portraitWidth, int portraitHeight,
                                           const PortraitLayout& layout);
    // The script as parts (a sentence and the pauses after it), each synthesised (or, with a cache, looked
    // up) on its own and padded with silence to whole frames at spec.fps. Throws Error(InvalidInput) when
    // nothing in the script can be spoken.
    Narration narrate(const RenderSpec& spec, const CancelToken& cancel, CacheUse* use = nullptr) const;
    // The narration of a job with a recording (RenderSpec::audio): the recording, loudness-normalised, as one
    // part padded to whole frames, with phones and words from its transcript (spec.text, spoken by
    // kAlignmentVoice and aligned) or, without one, phones from its acoustic analysis. With a cache,
    // recordings up to RenderCache::kMaxCachedRecordingSeconds are looked up by their content (`use` counts
    // the hit or miss as speech). Speaks a recording's transcript for the alignment: a clear voice whose
    // timeline is exact.
    static constexpr const char* kAlignmentVoice = Recording::kAlignmentVoice;
    Narration narrateRecording(const RenderSpec& spec, const CancelToken& cancel,
                               RecordingInfo* info = nullptr, CacheUse* use = nullptr) const;
    // narrate(spec).speech: the job's whole sound track.
    Speech synthesize(const RenderSpec& spec, const CancelToken& cancel) const;
    // One pose per frame of the narration: each part animated on its own (animate below), back to back.
    static std::vector<MouthParams> animate(const Narration& narration, FrameRate fps,
                                            Expression expression = Expression::Neutral);
    // Mouth, blinks and head motion for one stretch of speech, `frames` poses at `fps`. Blinks and head
    // motion are seeded from its phones, so the same sentence moves the same way in every render and wherever
    // it sits in the video; the head comes to rest at both ends, so that stretches animated apart join
    // smoothly.
    // Brows, gaze and expression (FaceMotion) are seeded the same way; `face` says whether the sentence is a
    // question and which expression the job asked for.
    static std::vector<MouthParams> animate(const Speech& speech, FrameRate fps, long long frames,
                                            VisemeTrack* track, double loudnessReference = 0.0,
                                            const FaceMotion::Options& face = {});

    // Pauses after a sentence beyond this many seconds become parts of silence of their own, this long at
    // most (Narration): a part's animation, segment and AAC stay small however long the video is.
    static constexpr double kMaxPartPause = 30.0;
    // Scripts longer than this are refused (about 4 hours of speech).
    static constexpr std::size_t kMaxScriptBytes = 200000;
    // RenderSpec::faceIndex above this is refused before any work (a group photo has a few dozen faces).
    static constexpr int kMaxFaceIndex = 99;
    // Below this frame size burned-in captions cannot be read (a 42-character line needs about 8 px a
    // letter).
    static constexpr int kMinBurnWidth = 320;
    static constexpr int kMinBurnHeight = 180;

    // The caption files a job writes: beside the output, with its base name (out.mp4 → out.srt, out.vtt).
    static std::vector<std::filesystem::path> captionFiles(const RenderSpec& spec);

    // Throws Error(InvalidInput) unless width and height are even and within 64x64..7680x4320.
    static void validateSize(int width, int height);
    // validateSize's limits (the studio's custom size uses them too).
    static constexpr int kMinSide = 64;
    static constexpr int kMaxWidth = 7680;
    static constexpr int kMaxHeight = 4320;
    // `output` with symbolic links followed: the file that will really be replaced.
    static std::filesystem::path resolveOutput(const std::filesystem::path& output);
    // Throws Error(Io) unless a file can be created next to `output` (and `output` is not a folder).
    static void checkOutputWritable(const std::filesystem::path& output);
    // The name a named writability probe starts with, where the file system cannot create unnamed files: a
    // process killed between creating and removing it leaves one, which StaleFiles removes.
    static constexpr const char* kProbePrefix = ".avatar-probe-";

private:
    // The frame stage without a cache: one encoder for the whole video, given the sound track (moved out of
    // the narration: a long video's sound is held once).
    void encodeWhole(const RenderSpec& spec, AudioTrack sound, const FrameRing::Source& source,
                     const Rect& dirty, const EncoderSettings& settings, const CancelToken& cancel,
                     const std::function<void(const Image*, long long)>& onFrame, std::uint32_t jobTag,
                     RenderResult& result) const;

    // prepareScene with the portrait's face key when the caller has it (else computed here); `keepable`
    // receives whether the landmarks are the asked-for backend's (not a fallback's).
    std::unique_ptr<Scene> buildScene(const RenderSpec& spec, const cache::CacheKey* knownKey, bool* keepable,
                                      CacheUse* use, cache::Sha256::Digest* sceneKey,
                                      std::vector<std::string>* warnings) const;
    EngineServices& m_services;
};

} // namespace avatar
