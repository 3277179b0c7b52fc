#include "RenderPipeline.h"

#include "RenderCache.h"
#include "Script.h"
#include "SegmentRenderer.h"
#include "assets/DefaultAssets.h"
#include "captions/Caption.h"
#include "captions/CaptionBurner.h"
#include "captions/SubtitleWriter.h"
#include "core/Error.h"
#include "core/Fallback.h"
#include "core/ImageIO.h"
#include "core/ThreadPool.h"
#include "facenet/FaceNet.h"
#include "lipsync/BlinkTrack.h"
#include "lipsync/HeadMotion.h"
#include "lipsync/LoudnessShaping.h"
#include "lipsync/MouthAnimator.h"
#include "lipsync/VisemeRules.h"
#include "media/Mp4Encoder.h"
#include "profile/ProfileMacros.h"
#include "profile/ProfileZone.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <future>
#include <iterator>
#include <unistd.h>

namespace avatar {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Share of the whole job given to each stage in progress reports (measured on the benchmark script: frames
// dominate).
constexpr double kTtsShare = 0.08;
constexpr double kFaceShare = 0.04;
constexpr double kAnimateShare = 0.01;

// The portrait file's bytes, for its content hash.
std::vector<std::uint8_t> readBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail())
        throw Error(ErrorCode::Unreadable, "The image '" + path.string() + "' could not be read to the end.");
    return bytes;
}

// Every face the face-api models find (--face-backend torch), largest first: the order --face counts in. The
// models load per job (well under a second; a render takes many), as a process-wide instance would outlive
// LibTorch's own statics at exit.
std::vector<FaceLandmarks> facesWithFaceNet(const Image& portrait) {
    const FaceNet net;
    FaceNet::Options options;
    options.descriptors = options.expressions = options.ageGender = false; // the scene needs landmarks only
    std::vector<FaceNetFace> faces = net.analyze(portrait, options);
    std::stable_sort(faces.begin(), faces.end(), [](const FaceNetFace& a, const FaceNetFace& b) {
        return a.width * a.height > b.width * b.height;
    });
    std::vector<FaceLandmarks> out;
    for (const FaceNetFace& f : faces)
        out.push_back(f.toFaceLandmarks());
    return out;
}

// A face backend's own failure (its model or plugin missing or corrupt, an error inside LibTorch or dlib), as
// opposed to an answer about the input or the job: the next backend is tried for the former only.
bool isBackendFault(std::exception_ptr failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const Error& e) {
        return e.code() != ErrorCode::NoFace && e.code() != ErrorCode::InvalidInput &&
               e.code() != ErrorCode::Cancelled;
    } catch (...) {
        return true;
    }
}

// Face `index` of `faces` (largest first), or the error that says what there is.
FaceLandmarks pickFace(const std::vector<FaceLandmarks>& faces, int index, const std::string& name,
                       bool torch) {
    if (faces.empty())
        throw Error(ErrorCode::NoFace,
                    torch ? "No face was found in '" + name +
                                "' by the face-api detector (--face-backend torch). Use a portrait where the "
                                "face is clearly visible."
                          : "No face was found in '" + name +
                                "'. Use a front-facing portrait where the face is at least 40 pixels wide.");
    if (index >= static_cast<int>(faces.size()))
        throw Error(ErrorCode::InvalidInput,
                    "Face " + std::to_string(index) + " was asked for, but '" + name + "' has " +
                        (faces.size() == 1
                             ? std::string("only one face (number 0)")
                             : "only " + std::to_string(faces.size()) + " faces (numbered 0 to " +
                                   std::to_string(faces.size() - 1) + ", largest first)") +
                        ".");
    return faces[static_cast<std::size_t>(index)];
}

Speech silenceSamples(int rate, std::size_t count) {
    Speech s;
    s.sampleRate = rate;
    s.samples.assign(count, 0);
    if (count > 0)
        s.phones.push_back({"pau", "pau", 0.0, s.duration()});
    return s;
}

} // namespace

void RenderPipeline::checkOutputWritable(const std::filesystem::path& output) {
    namespace fs = std::filesystem;
    if (output.empty())
        throw Error(ErrorCode::InvalidInput, "No output file was given.");
    std::error_code ec;
    if (fs::is_directory(output, ec))
        throw Error(ErrorCode::Io, "Cannot write '" + output.string() + "': it is a folder.");
    // Devices, pipes and sockets are never replaced by a video (as root, "-o /dev/null" would otherwise
    // replace /dev/null).
    const fs::file_status status = fs::status(output, ec);
    if (fs::exists(status) && !fs::is_regular_file(status))
        throw Error(ErrorCode::Io,
                    "Cannot write '" + output.string() + "': it exists and is not a regular file.");
    const fs::path dir = output.has_parent_path() ? output.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec))
        throw Error(ErrorCode::Io, "Cannot write '" + output.string() + "': the folder '" + dir.string() +
                                       "' does not exist.");
    // Probe by creating a file beside the output: permissions, read-only mounts and full disks all show up
    // here, before any work is done. An unnamed file (O_TMPFILE) first: it never has a name, so a process
    // killed at this moment leaves nothing behind. File systems without unnamed files get a named probe,
    // removed at once.
    const auto notWritable = [&] {
        return Error(ErrorCode::Io, "Cannot write '" + output.string() + "': the folder '" + dir.string() +
                                        "' is not writable.");
    };
    const int unnamed = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (unnamed >= 0) {
        ::close(unnamed);
        return;
    }
    if (errno == EACCES || errno == EPERM || errno == EROFS || errno == ENOSPC || errno == EDQUOT)
        throw notWritable();
    std::string probe = (dir / (std::string(kProbePrefix) + "XXXXXX")).string();
    const int fd = ::mkostemp(probe.data(), O_CLOEXEC);
    if (fd < 0)
        throw notWritable();
    ::close(fd);
    fs::remove(probe, ec);
}

void RenderPipeline::validateSize(int width, int height) {
    if (width < kMinSide || height < kMinSide || width > kMaxWidth || height > kMaxHeight || width % 2 ||
        height % 2)
        throw Error(ErrorCode::InvalidInput,
                    "The size " + std::to_string(width) + "x" + std::to_string(height) +
                        " is not supported: use even numbers from " + std::to_string(kMinSide) + "x" +
                        std::to_string(kMinSide) + " to " + std::to_string(kMaxWidth) + "x" +
                        std::to_string(kMaxHeight) + ".");
}

std::filesystem::path RenderPipeline::resolveOutput(const std::filesystem::path& output) {
    // Writing through a symbolic link means replacing its target, not the link.
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path path = output;
    for (int hops = 0; hops < 16 && fs::is_symlink(path, ec); ++hops) {
        const fs::path target = fs::read_symlink(path, ec);
        if (ec)
            break;
        path = target.is_absolute() ? target : path.parent_path() / target;
    }
    return path;
}

std::vector<std::filesystem::path> RenderPipeline::captionFiles(const RenderSpec& spec) {
    std::vector<std::filesystem::path> files;
    if (spec.captionsSrt)
        files.push_back(SubtitleWriter::sidecar(spec.output, "srt"));
    if (spec.captionsVtt)
        files.push_back(SubtitleWriter::sidecar(spec.output, "vtt"));
    return files;
}

void RenderPipeline::validate(const RenderSpec& spec) const {
    if (!spec.audio.empty()) {
        std::error_code ec;
        if (!std::filesystem::exists(spec.audio, ec))
            throw Error(ErrorCode::NotFound, "The recording '" + spec.audio.string() + "' does not exist.");
        if (std::filesystem::is_directory(spec.audio, ec))
            throw Error(ErrorCode::InvalidInput,
                        "The recording '" + spec.audio.string() + "' is a folder, not a sound file.");
        // Caption times come from the transcript's words, aligned to the recording.
        if ((spec.captionsBurn || spec.captionsSrt || spec.captionsVtt) &&
            Script::normalized(spec.text).empty())
            throw Error(ErrorCode::InvalidInput, "Captions of a recording need its transcript: give it with "
                                                 "--text or --script, or render without --captions.");
    } else if (Script::normalized(spec.text).empty())
        throw Error(ErrorCode::InvalidInput, "The script is empty: give some text to speak.");
    if (spec.text.size() > kMaxScriptBytes)
        throw Error(ErrorCode::InvalidInput, "The script is too long (" + std::to_string(spec.text.size()) +
                                                 " bytes; at most " + std::to_string(kMaxScriptBytes) +
                                                 "): split it into several videos.");
    Script::items(spec.text); // throws for a malformed <break>
    TextToSpeech::validate(SynthesisOptions{spec.speed, spec.pitch});
    validateSize(spec.width, spec.height);
    spec.fps.require();
    if (!spec.preset.empty() && !isX264Preset(spec.preset))
        throw Error(ErrorCode::InvalidInput,
                    "Unknown x264 preset '" + spec.preset + "': use " + x264PresetChoices() + ".");
    if (spec.crf < 0 || spec.crf > 51)
        throw Error(ErrorCode::InvalidInput, "The quality (CRF) must be between 0 and 51.");
    if (spec.faceIndex < 0 || spec.faceIndex > kMaxFaceIndex)
        throw Error(ErrorCode::InvalidInput, "The face number " + std::to_string(spec.faceIndex) +
                                                 " is not supported: use 0 (the largest face) to " +
                                                 std::to_string(kMaxFaceIndex) + ".");
    if (spec.audio.empty())
        m_services.tts.voice(spec.voice); // throws NotFound for an unknown voice
    checkOutputWritable(resolveOutput(spec.output));
    if (spec.captionsBurn && (spec.width < kMinBurnWidth || spec.height < kMinBurnHeight))
        throw Error(ErrorCode::InvalidInput,
                    "Burned-in captions need a frame of at least " + std::to_string(kMinBurnWidth) + "x" +
                        std::to_string(kMinBurnHeight) +
                        " to stay readable; use --captions srt or vtt for smaller videos.");
    if (spec.captionsBurn)
        spec.captionStyle.validate();
    // Caption files sit beside the video under its name: they must not be the video, nor anything but a
    // writable regular file.
    const auto video = std::filesystem::weakly_canonical(resolveOutput(spec.output));
    for (const std::filesystem::path& file : captionFiles(spec)) {
        const std::filesystem::path target = resolveOutput(file);
        if (std::filesystem::weakly_canonical(target) == video)
            throw Error(ErrorCode::InvalidInput,
                        "The captions '" + file.string() +
                            "' would replace the video: give the video a .mp4 name.");
        checkOutputWritable(target);
    }
}

Image RenderPipeline::loadPortrait(const RenderSpec& spec) const {
    if (spec.avatar.empty())
        return ImageIO::decode(DefaultAssets::portraitPng(), DefaultAssets::portraitName());
    return ImageIO::load(spec.avatar);
}

cache::CacheKey RenderPipeline::faceKey(const RenderSpec& spec) {
    cache::CacheKey key = spec.avatar.empty() ? RenderCache::faceKey(DefaultAssets::portraitPng())
                                              : RenderCache::faceKey(readBytes(spec.avatar));
    // The other backend's landmarks differ, and so do the video segments keyed by this digest.
    if (spec.faceBackend == FaceBackend::Torch)
        key = cache::CacheKey::Builder("face")
                  .digest("dlib-key", key.digest())
                  .text("backend", "face-api 1.7.15 torch")
                  .build();
    // Another face of the same portrait is another entry (the largest keeps the key it always had).
    if (spec.faceIndex != 0)
        key = cache::CacheKey::Builder("face")
                  .digest("portrait-key", key.digest())
                  .integer("index", spec.faceIndex)
                  .build();
    return key;
}

std::shared_ptr<const Scene> RenderPipeline::preparedScene(const RenderSpec& spec, CacheUse* use,
                                                           cache::Sha256::Digest* sceneKey,
                                                           std::vector<std::string>* warnings) const {
    const RenderCache cache(spec.useCache ? m_services.cache : nullptr);
    if (!cache.enabled())
        return prepareScene(spec, use, sceneKey, warnings);
    // A portrait that cannot be read gets prepareScene's own message (not found, unreadable).
    std::error_code ec;
    if (!spec.avatar.empty() && !std::filesystem::is_regular_file(spec.avatar, ec))
        return prepareScene(spec, use, sceneKey, warnings);
    const cache::CacheKey face = faceKey(spec);
    const std::string id = face.id() + " " + framingName(spec.framing) + " " + std::to_string(spec.width) +
                           "x" + std::to_string(spec.height);
    // A kept Scene stands for the cache's landmarks of this portrait: used only while the cache holds them,
    // so that a cleared or another cache counts and behaves as before (a miss analyses the portrait).
    std::optional<PreparedScenes::Entry> kept = m_services.scenes.find(id);
    if (kept && cache.face(face)) {
        if (use)
            ++use->faceHits;
        if (sceneKey)
            *sceneKey = RenderCache::sceneKey(face.digest(), spec.framing);
        if (warnings)
            warnings->insert(warnings->end(), kept->warnings.begin(), kept->warnings.end());
        return kept->scene;
    }
    std::vector<std::string> said;
    bool keepable = false;
    std::shared_ptr<const Scene> scene = buildScene(spec, &face, &keepable, use, sceneKey, &said);
    // Kept only when it stands on the asked-for backend's landmarks (those the cache holds): a scene built on
    // a fallback's landmarks would outlive the fault that caused it.
    if (keepable)
        m_services.scenes.put(id, {scene, said});
    if (warnings)
        warnings->insert(warnings->end(), said.begin(), said.end());
    return scene;
}

std::unique_ptr<Scene> RenderPipeline::prepareScene(const RenderSpec& spec, CacheUse* use,
                                                    cache::Sha256::Digest* sceneKey,
                                                    std::vector<std::string>* warnings) const {
    return buildScene(spec, nullptr, nullptr, use, sceneKey, warnings);
}

std::unique_ptr<Scene> RenderPipeline::buildScene(const RenderSpec& spec, const cache::CacheKey* knownKey,
                                                  bool* keepable, CacheUse* use,
                                                  cache::Sha256::Digest* sceneKey,
                                                  std::vector<std::string>* warnings) const {
    const Image portrait = loadPortrait(spec);
    const std::string name = spec.avatar.empty() ? DefaultAssets::portraitName() : spec.avatar.string();
    const bool torch = spec.faceBackend == FaceBackend::Torch;
    // The backend asked for first, the other when it fails or its breaker is open (a warning says so); only
    // the asked-for backend's landmarks are cached under its key.
    bool degraded = false;
    auto analyze = [&] {
        bool usedTorch = torch;
        const FallbackBackend<std::vector<FaceLandmarks>> dlib{&m_services.dlibFaceBreaker, [&] {
                                                                   usedTorch = false;
                                                                   return m_services.faces.detectAll(
                                                                       portrait);
                                                               }};
        const FallbackBackend<std::vector<FaceLandmarks>> faceApi{&m_services.faceApiBreaker, [&] {
                                                                      usedTorch = true;
                                                                      return facesWithFaceNet(portrait);
                                                                  }};
        const std::array backends = torch ? std::array{faceApi, dlib} : std::array{dlib, faceApi};
        std::vector<FaceLandmarks> faces = runWithFallback<std::vector<FaceLandmarks>>(
            backends, "face backend", isBackendFault, &m_services.resilience, warnings);
        degraded = usedTorch != torch;
        return pickFace(faces, spec.faceIndex, name, usedTorch);
    };
    auto build = [&](const FaceLandmarks& face) {
        auto scene = std::make_unique<Scene>(portrait, face, spec.width, spec.height, spec.framing);
        if (warnings && scene->layout.soft())
            warnings->push_back(
                softPortraitWarning(spec, portrait.width(), portrait.height(), scene->layout));
        return scene;
    };
    const RenderCache cache(spec.useCache ? m_services.cache : nullptr);
    if (!cache.enabled())
        return build(analyze());
    const cache::CacheKey key = knownKey ? *knownKey : faceKey(spec); // the portrait read and hashed once
    if (sceneKey)
        *sceneKey = RenderCache::sceneKey(key.digest(), spec.framing);
    std::optional<FaceLandmarks> face = cache.face(key);
    if (face) {
        if (use)
            ++use->faceHits;
    } else {
        face = analyze();
        if (!degraded)
            cache.put(key, *face);
        if (use)
            ++use->faceMisses;
    }
    if (keepable)
        *keepable = !degraded;
    return build(*face);
}

std::string RenderPipeline::softPortraitWarning(const RenderSpec& spec, int portraitWidth, int portraitHeight,
                                                const PortraitLayout& layout) {
    // The smallest portrait of the same proportions that the framing would enlarge no more than kSoftUpscale.
    const double grow = layout.scale / PortraitLayout::kSoftUpscale;
    const auto need = [&](int side) { return std::to_string(static_cast<int>(std::ceil(side * grow))); };
    char factor[16];
    std::snprintf(factor, sizeof factor, "%.1f", layout.scale);
    const std::string framing = spec.framing == Framing::Head        ? "head"
                                : spec.framing == Framing::Shoulders ? "head-and-shoulders"
                                                                     : "as-is";
    return "the portrait is small for a " + std::to_string(spec.width) + "x" + std::to_string(spec.height) +
           " " + framing + " frame: it is enlarged " + factor +
           "x and will look soft; use a portrait of at least " + need(portraitWidth) + "x" +
           need(portraitHeight) + " pixels, a smaller size" +
           (spec.framing == Framing::AsIs ? "" : " or the as-is framing") + ".";
}

namespace {

// A sentence asks a question when its last mark, past closing quotes and brackets, is '?'.
bool isQuestion(const std::string& text) {
    for (auto it = text.rbegin(); it != text.rend(); ++it) {
        const char c = *it;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == ')')
            continue;
        return c == '?';
    }
    return false;
}

} // namespace

// Measures a voice's loud level: ordinary sentence stress, open and closed vowels, no shouting.
constexpr const char* kLoudnessPhrase = "The quick brown fox jumps over the lazy dog, and then it rests.";

Narration RenderPipeline::narrateRecording(const RenderSpec& spec, const CancelToken& cancel,
                                           RecordingInfo* info, CacheUse* use) const {
    const RenderCache cache(spec.useCache ? m_services.cache : nullptr);
    const bool transcribed = !Script::normalized(spec.text).empty();
    // PocketSphinx's model is US English: a recording in another language (the job's voice's) gets the
    // acoustic analysis, or the warping aligner with a transcript.
    const bool english = m_services.tts.voice(spec.voice).language.starts_with("en");
    const PhoneMethod method = english       ? PhoneMethod::Auto
                               : transcribed ? PhoneMethod::Warp
                                             : PhoneMethod::Acoustic;
    const cache::CacheKey key =
        cache.enabled() ? RenderCache::recordingKey(spec.audio, transcribed ? spec.text : std::string(),
                                                    english ? "auto" : "other language")
                        : cache::CacheKey{};
    Speech speech;
    RecordingInfo loaded;
    if (auto hit = cache.enabled() ? cache.recording(key) : std::nullopt) {
        speech = std::move(hit->first);
        loaded = hit->second;
        if (use)
            ++use->ttsHits;
    } else {
        std::optional<Speech> transcript;
        if (transcribed) {
            RenderSpec spoken = spec;
            spoken.audio.clear();
            spoken.voice = kAlignmentVoice;
            spoken.speed = 1.0;
            spoken.pitch = 0.0;
            transcript = narrate(spoken, cancel).speech;
        }
        speech =
            Recording::load(spec.audio, cancel, {}, &loaded, transcript ? &*transcript : nullptr, method);
        if (cache.enabled() && speech.duration() <= RenderCache::kMaxCachedRecordingSeconds) {
            cache.put(key, speech, loaded);
            if (use)
                ++use->ttsMisses;
        }
    }
    if (info)
        *info = loaded;
    // One part, padded to whole frames; the jaw is scaled against the recording's own loud level
    // (loudnessReference 0).
    Narration narration;
    narration.append(std::move(speech), false, spec.fps);
    return narration;
}

Narration RenderPipeline::narrate(const RenderSpec& spec, const CancelToken& cancel, CacheUse* use) const {
    if (!spec.audio.empty())
        return narrateRecording(spec, cancel);
    const SynthesisOptions options{spec.speed, spec.pitch};
    const int voiceRate = m_services.tts.voice(spec.voice).sampleRate;
    const RenderCache cache(spec.useCache ? m_services.cache : nullptr);
    // A part is a sentence and the pauses after it: a pause stays exactly as long as asked, and the
    // padding to whole frames comes after it. A pause before the first sentence is a part of its own. Pauses
    // longer than kMaxPartPause go on in parts of silence of their own, so that no part (its animation, its
    // segment, its AAC) grows with the video: a script of nothing but breaks is hours long.
    // The parts are planned first (a sentence's speech and its pauses as sample counts) and joined after,
    // into a track reserved at its final size: the silence exists once, in the track, and the track never
    // holds an old and a new copy of itself while growing.
    struct Planned {
        Speech sentence;                 // empty for a part of silence
        std::vector<std::size_t> pauses; // one per <break/> (or its piece), in samples
        int rate = 0;
        bool question = false;
    };
    std::vector<Planned> planned;
    std::size_t pause = 0; // samples of pause in the last part
    auto startPart = [&](Speech sentence, bool question) {
        const int rate = sentence.sampleRate > 0 ? sentence.sampleRate : voiceRate;
        planned.push_back({std::move(sentence), {}, rate, question});
        pause = 0;
    };
    for (const ScriptItem& item : Script::items(spec.text)) {
        cancel.throwIfCancelled();
        if (item.text.empty()) {
            if (planned.empty())
                startPart({}, false);
            const auto most = static_cast<std::size_t>(kMaxPartPause * planned.back().rate);
            // As many samples as Speech::silence gives this break.
            auto left =
                static_cast<std::size_t>(std::lround(std::max(0.0, item.pause) * planned.back().rate));
            while (left > 0) {
                if (pause == most)
                    startPart({}, false);
                const std::size_t take = std::min(left, most - pause);
                planned.back().pauses.push_back(take);
                pause += take;
                left -= take;
            }
            continue;
        }
        const cache::CacheKey key = RenderCache::speechKey(item.text, spec.voice, spec.speed, spec.pitch);
        std::optional<Speech> speech = cache.speech(key);
        if (speech) {
            if (use)
                ++use->ttsHits;
        } else {
            speech = m_services.tts.synthesize(item.text, spec.voice, options);
            cache.put(key, *speech);
            if (use && cache.enabled())
                ++use->ttsMisses;
        }
        startPart(std::move(*speech), isQuestion(item.text));
    }
    Narration narration;
    std::size_t samples = 0;
    for (const Planned& part : planned) { // its speech, its pauses and its padding (less than a frame)
        samples += part.sentence.samples.size() +
                   std::size_t(part.rate) * std::size_t(spec.fps.den()) / std::size_t(spec.fps.num()) + 1;
        for (const std::size_t p : part.pauses)
            samples += p;
    }
    narration.speech.samples.reserve(samples);
    for (Planned& part : planned) {
        cancel.throwIfCancelled();
        Speech whole = std::move(part.sentence);
        for (const std::size_t p : part.pauses)
            whole.append(silenceSamples(part.rate, p));
        narration.append(std::move(whole), part.question, spec.fps);
    }
    planned.clear();
    // The voice's loud level, from a fixed phrase in the job's voice, speed and pitch (cached like any
    // sentence): the jaw of every sentence is scaled against the voice, not against its neighbours.
    {
        const cache::CacheKey key =
            RenderCache::speechKey(kLoudnessPhrase, spec.voice, spec.speed, spec.pitch);
        std::optional<Speech> reference = cache.speech(key);
        if (!reference) {
            reference = m_services.tts.synthesize(kLoudnessPhrase, spec.voice, options);
            cache.put(key, *reference);
        }
        narration.loudnessReference = LoudnessShaping::loudLevel(*reference);
    }
    const Speech& speech = narration.speech;
    const bool spoken = std::any_of(speech.phones.begin(), speech.phones.end(),
                                    [](const Phone& p) { return p.arpabet != "pau"; });
    if (speech.samples.empty() || !spoken)
        throw Error(ErrorCode::InvalidInput,
                    "The script has nothing the voice '" + spec.voice +
                        "' can speak: it needs words (pauses, punctuation and symbols "
                        "alone are not spoken).");
    return narration;
}

Speech RenderPipeline::synthesize(const RenderSpec& spec, const CancelToken& cancel) const {
    return narrate(spec, cancel).speech;
}

std::vector<MouthParams> RenderPipeline::animate(const Narration& narration, FrameRate fps,
                                                 Expression expression) {
    std::vector<MouthParams> poses;
    poses.reserve(static_cast<std::size_t>(narration.frames()));
    for (const NarrationPart& part : narration.parts) {
        const std::vector<MouthParams> own =
            animate(narration.partSpeech(part), fps, part.frames, nullptr, narration.loudnessReference,
                    {part.question, expression});
        poses.insert(poses.end(), own.begin(), own.end());
    }
    return poses;
}

std::vector<MouthParams> RenderPipeline::animate(const Speech& speech, FrameRate rate, long long frames,
                                                 VisemeTrack* trackOut, double loudnessReference,
                                                 const FaceMotion::Options& face) {
    // Each pose is sampled at its frame's middle, (f + 0.5) / fps, from its index: nothing accumulates, so
    // the double is exact enough at 29.97 over any length (and exactly as before at whole rates).
    const double fps = rate.toDouble();
    const VisemeTrack track = VisemeRules().fromPhones(speech.phones);
    std::vector<MouthParams> poses = MouthAnimator().sample(track, fps, frames);
    LoudnessShaping::Options shaping;
    shaping.reference = loudnessReference;
    LoudnessShaping(speech, shaping).apply(poses, fps, track);
    // Blinks and head motion are seeded from the phone sequence (FNV-1a), so the same sentence and voice move
    // the same way in every render, and a different sentence differently.
    std::uint64_t seed = 1469598103934665603ull;
    for (const Phone& p : speech.phones)
        for (const char c : p.arpabet)
            seed = (seed ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    BlinkTrack(speech.duration(), seed).apply(poses, fps);
    HeadMotion(speech, seed ^ 0x9e3779b97f4a7c15ull).apply(poses, fps);
    HeadMotion::easeToRest(poses, fps);
    FaceMotion(speech, seed ^ 0xc2b2ae3d27d4eb4full, face).apply(poses, fps);
    if (trackOut)
        *trackOut = track;
    return poses;
}

void RenderPipeline::encodeWhole(const RenderSpec& spec, AudioTrack sound, const FrameRing::Source& source,
                                 const Rect& dirty, const EncoderSettings& settings,
                                 const CancelToken& cancel,
                                 const std::function<void(const Image*, long long)>& onFrame,
                                 std::uint32_t jobTag, RenderResult& result) const {
    Profiler& profiler = m_services.profiler;
    Mp4Encoder encoder(resolveOutput(spec.output), settings, std::move(sound));
    std::vector<long long> frames(static_cast<std::size_t>(result.frames));
    for (std::size_t f = 0; f < frames.size(); ++f)
        frames[f] = static_cast<long long>(f);
    // Workers draw ahead while this thread encodes in order, so both overlap.
    FrameRing ring(m_services, source, std::move(frames), spec.threads, jobTag);
    for (long long f = 0; f < result.frames; ++f) {
        const Image& frame = ring.next();
        cancel.throwIfCancelled();
        const auto t = Clock::now();
        {
            AVATAR_ZONE_LEVEL(profiler, "encode.frame", ProfilingLevel::Moderate);
            encoder.writeFrame(frame, dirty);
        }
        result.seconds.encode += secondsSince(t);
        if (onFrame)
            onFrame(&frame, f);
    }
    result.seconds.render += ring.renderSeconds();
    const auto t = Clock::now();
    {
        AVATAR_ZONE(profiler, "encode");
        encoder.finish();
    }
    result.seconds.encode += secondsSince(t);
    result.cache.framesRendered = result.frames;
}

RenderResult RenderPipeline::run(const RenderSpec& spec, const CancelToken& cancel,
                                 const ProgressCallback& progress, const RunHooks& hooks) const {
    Profiler& profiler = m_services.profiler;
    AVATAR_PROFILE_JOB(profiler, static_cast<std::uint32_t>(hooks.jobId));
    const auto jobStart = Clock::now();
    const ResilienceCounts resilienceAtStart = m_services.resilience.snapshot();
    auto report = [&](Stage stage, double fraction, long long done = 0, long long total = 0) {
        if (progress)
            progress(Progress{stage, std::clamp(fraction, 0.0, 1.0), done, total});
    };
    RenderResult result;
    result.width = spec.width;
    result.height = spec.height;
    result.fps = spec.fps;
    result.voice = spec.audio.empty() ? spec.voice : "recording"; // a recorded narration has no voice id
    result.framing = spec.framing;
    result.faceIndex = spec.faceIndex;
    result.expression = spec.expression;

    report(Stage::Validate, 0.0);
    validate(spec);

    // The face and the speech at once: the speech on a thread of the speech pool, the face here. They share
    // nothing, and either can be the longer (a first dlib analysis loads its models for about 0.7 s; a long
    // script's speech takes seconds; a re-render's landmarks come from the cache in 20 ms). A portrait
    // without a face is the likeliest bad input: its error is the one reported, at once, and stops the speech
    // at its next sentence.
    report(Stage::Face, 0.0);
    CancelToken speechStop = cancel.child();
    CacheUse speechUse;
    double ttsSeconds = 0.0;
    std::future<Narration> speechTask = m_services.speechPool.submit([&, job = hooks.jobId] {
        AVATAR_PROFILE_JOB(profiler, static_cast<std::uint32_t>(job));
        const auto start = Clock::now();
        AVATAR_ZONE(profiler, "tts");
        Narration n = spec.audio.empty() ? narrate(spec, speechStop, &speechUse)
                                         : narrateRecording(spec, speechStop, &result.recording, &speechUse);
        ttsSeconds = secondsSince(start);
        return n;
    });
    auto t = Clock::now();
    std::shared_ptr<const Scene> scene;
    cache::Sha256::Digest sceneKey{};
    try {
        AVATAR_ZONE(profiler, "face");
        scene = preparedScene(spec, &result.cache, &sceneKey, &result.warnings);
        result.seconds.face = secondsSince(t);
        cancel.throwIfCancelled();
    } catch (...) {
        speechStop.cancel();
        speechTask.wait();
        throw;
    }
    const FrameRenderer& renderer = scene->renderer;

    report(Stage::Tts, kFaceShare);
    Narration narration = speechTask.get(); // rethrows the speech's own error (nothing speakable, cancelled)
    result.cache.ttsHits = speechUse.ttsHits;
    result.cache.ttsMisses = speechUse.ttsMisses;
    const Speech& speech = narration.speech;
    result.seconds.tts = ttsSeconds;
    result.duration = speech.duration();
    result.frames = narration.frames();

    report(Stage::Animate, kFaceShare + kTtsShare);
    t = Clock::now();
    std::vector<MouthParams> poses;
    {
        AVATAR_ZONE(profiler, "animate");
        poses = animate(narration, spec.fps, spec.expression);
    }
    result.seconds.animate = secondsSince(t);
    cancel.throwIfCancelled();

    // Captions are timed from the synthesiser's words, spelled as in the script.
    std::vector<CaptionCue> cues;
    std::unique_ptr<CaptionBurner> burner;
    if (spec.captionsBurn || spec.captionsSrt || spec.captionsVtt)
        cues = CaptionBuilder().build(speech.words, spec.text); // drops <break/> tags itself
    if (spec.captionsBurn && !cues.empty())
        burner = std::make_unique<CaptionBurner>(cues, spec.width, spec.height, spec.captionStyle);
    // What changes between frames: the face region and, with burned captions, the caption band.
    Rect dirty = renderer.dirtyRect();
    if (burner && !burner->area().isEmpty()) {
        const Rect c = burner->area();
        const int x0 = std::min(dirty.x, c.x), y0 = std::min(dirty.y, c.y);
        dirty = {x0, y0, std::max(dirty.right(), c.right()) - x0, std::max(dirty.bottom(), c.bottom()) - y0};
    }

    EncoderSettings enc;
    enc.width = spec.width;
    enc.height = spec.height;
    enc.fps = spec.fps;
    // No preset named: the tier's (measured speed/quality trade-off, docs/PERFORMANCE.md).
    enc.preset = effectiveEncoderPreset(spec.preset, m_services.tier());
    enc.crf = spec.crf;

    const double frameShareStart = kFaceShare + kTtsShare + kAnimateShare;
    long long done = 0;
    auto onFrame = [&](const Image* frame, long long index) {
        if (frame && hooks.onFrame)
            hooks.onFrame(*frame, index);
        done = index + 1;
        report(Stage::Render,
               frameShareStart + (1.0 - frameShareStart) * double(done) / double(result.frames), done,
               result.frames);
    };
    const FrameRing::Source source{*scene, poses, burner.get(), spec.fps, hooks.overlay.get()};
    const ProfileTick renderStart = Profiler::now();
    const RenderCache cache(spec.useCache ? m_services.cache : nullptr);
    // The sound track moves to the encoder: everything timed against it (poses, captions) is done.
    AudioTrack sound{speech.sampleRate, std::move(narration.speech.samples)};
    if (cache.enabled()) {
        const SegmentRenderer::Job job{spec,  narration, source,   burner ? &cues : nullptr,
                                       dirty, enc,       sceneKey, static_cast<std::uint32_t>(hooks.jobId)};
        SegmentRenderer(m_services, cache)
            .run(job, std::move(sound), resolveOutput(spec.output), cancel, onFrame, result);
    } else {
        encodeWhole(spec, std::move(sound), source, dirty, enc, cancel, onFrame,
                    static_cast<std::uint32_t>(hooks.jobId), result);
    }
    report(Stage::Encode, 1.0, result.frames, result.frames);
    // The render stage as one zone per job (frames are zones of their own at the detailed level).
    profiler.recordZone("render", renderStart, Profiler::now());

    // Caption files last: they describe the finished video. Their paths were checked before any work; should
    // writing still fail, the job fails whole, the video included, as any failed job leaves nothing.
    try {
        for (const std::filesystem::path& file : captionFiles(spec)) {
            const bool srt = file.extension() == ".srt";
            SubtitleWriter::write(srt ? SubtitleWriter::srt(cues) : SubtitleWriter::vtt(cues), file);
            result.captionFiles.push_back(file);
        }
    } catch (...) {
        std::error_code ec;
        for (const auto& file : result.captionFiles)
            std::filesystem::remove(resolveOutput(file), ec);
        std::filesystem::remove(resolveOutput(spec.output), ec);
        throw;
    }

    result.output = spec.output;
    result.totalSeconds = secondsSince(jobStart);
    result.resilience = m_services.resilience.snapshot().since(resilienceAtStart);
    report(Stage::Done, 1.0, result.frames, result.frames);
    return result;
}

} // namespace avatar
