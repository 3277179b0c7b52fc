#pragma once

#include "cache/CacheKey.h"
#include "cache/CacheTypes.h"
#include "face/FaceLandmarks.h"
#include "media/AacTrackEncoder.h"
#include "media/EncodedSegment.h"
#include "render/Framing.h"
#include "tts/Speech.h"
#include "voice/Recording.h"

#include <filesystem>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace avatar {

namespace cache {
class Cache;
}

// The pipeline's view of the two-level cache (issue #6): the keys of what it caches and their byte forms.
// A null cache turns every lookup into a miss and every store into nothing. Cache trouble never fails a
// render: a damaged entry reads as a miss (and is then overwritten), and errors while storing are dropped.
class RenderCache {
public:
    explicit RenderCache(cache::Cache* cache) : m_cache(cache) {}
    bool enabled() const { return m_cache != nullptr; }

    // Speech of one sentence: the text with whitespace collapsed, the voice, speed and pitch, and the
    // version of the synthesis code.
    static cache::CacheKey speechKey(const std::string& text, const std::string& voice, double speed,
                                     double pitch);
    // A recording's analysis (issue #13): the SHA-256 of the file's bytes and the version of the loading and
    // analysis code, the transcript it is aligned with (empty: none) and how its phones are found (the
    // PhoneMethod's name). The same sound under another name is a hit; a changed portrait does not touch it.
    static cache::CacheKey recordingKey(const std::filesystem::path& file, const std::string& transcript = {},
                                        const std::string& method = {});
    // Recordings longer than this are not cached (their samples would crowd the memory level).
    static constexpr double kMaxCachedRecordingSeconds = 600.0;
    // Landmarks of one portrait: the SHA-256 of its file's bytes and the version of the face model.
    static cache::CacheKey faceKey(std::span<const std::uint8_t> portraitBytes);

    // What the still frame of a job depends on, the "scene" of its video segments' keys: the face entry's key
    // (portrait bytes, face backend, face index) and the framing. A re-render with another framing or face
    // never reuses the old segments.
    static cache::Sha256::Digest sceneKey(const cache::Sha256::Digest& faceKey, Framing framing);

    // One part of a video's encoded sound (a sentence and its pause, AacTrackEncoder::Parts): the SHA-256 of
    // its samples, their rate, the bit rate and the encoder's version. A part is encoded from its own samples
    // alone, so after an edit only the edited sentence's sound is encoded again. The last part is cut to end
    // with the track, so its key also holds where it starts and the track's length (`last`: both, in
    // samples).
    static cache::CacheKey audioPartKey(std::span<const std::int16_t> samples, int rate, int bitrate,
                                        std::optional<std::pair<std::size_t, std::size_t>> last);

    // The sound of `audio` cut at `starts` (the first 0, increasing, inside the track) for AacTrackEncoder:
    // each part keyed by audioPartKey, taken from this cache when its samples were encoded before and stored
    // when encoded anew (on the encoder's thread; the cache is thread-safe). Without a cache the parts are
    // still encoded one by one. nullopt when `starts` do not cut the track: it is then encoded whole.
    std::optional<AacTrackEncoder::Parts> audioParts(const AudioTrack& audio, std::vector<std::size_t> starts,
                                                     int bitrate) const;

    std::optional<Speech> speech(const cache::CacheKey& key) const;
    void put(const cache::CacheKey& key, const Speech& speech) const;
    std::optional<std::pair<Speech, RecordingInfo>> recording(const cache::CacheKey& key) const;
    void put(const cache::CacheKey& key, const Speech& speech, const RecordingInfo& info) const;
    std::optional<FaceLandmarks> face(const cache::CacheKey& key) const;
    void put(const cache::CacheKey& key, const FaceLandmarks& face) const;
    std::optional<EncodedSegment> segment(const cache::CacheKey& key) const;
    void put(const cache::CacheKey& key, const EncodedSegment& segment) const;
    std::optional<EncodedAudio> audio(const cache::CacheKey& key) const;
    void put(const cache::CacheKey& key, const EncodedAudio& audio) const;

    // The byte forms, public for tests. The decoders return nullopt for anything malformed.
    static std::vector<std::uint8_t> encode(const Speech& speech);
    static std::optional<Speech> decodeSpeech(std::span<const std::uint8_t> bytes);
    static std::vector<std::uint8_t> encode(const FaceLandmarks& face);
    static std::optional<FaceLandmarks> decodeFace(std::span<const std::uint8_t> bytes);
    static std::vector<std::uint8_t> encode(const EncodedAudio& audio);
    static std::optional<EncodedAudio> decodeAudio(std::span<const std::uint8_t> bytes);

    // Bumped when the code that produces a kind of entry changes what it produces, so that old entries are
    // no longer found.
    static constexpr const char* kSpeechVersion = "speech/1 flite+espeak-ng";
    static constexpr const char* kRecordingVersion =
        "recording/3 ebur128 -16 LUFS limiter/1 acoustic/1 dtw/1 pocketsphinx/1 heard/2";
    static constexpr const char* kFaceVersion = "face/1 dlib-hog+shape_predictor_68";
    // renderer/5: the pucker's lip light (LipShading), the open mouth's warm corners and the risen lip's
    // grain (2026-12-07) changed the drawn pixels; renderer/6: a sharp photo's open lips without a
    // pen-line along the teeth (uncrease(), the atlas' top and the shade under the upper lip); renderer/7:
    // the lower lip out of the closed upper lip's shadow, the tongue and the shade under the teeth on a sharp
    // photo (rim16); renderer/8: with it, a pucker sealed at its sides around a small drawn oval
    // (FaceRig::sealSides, MouthInterior_pucker.cpp; each branch had bumped to renderer/7 on its own);
    // renderer/9: a sharp photo's space between rows well apart in deep shade, the tongue's sides behind the
    // lower row (MouthInterior::deepenCavity); and the pucker's opening with an upper half, a thin upper lip
    // drawn over it, no seal line into it and its rim in the lips' own hue (pucker17; both bumped to 9);
    // renderer/10: a sharp photo's own smile, its upper teeth ending on an arc and a soft shade under them
    // (MouthInterior_smile.cpp, smile17); renderer/11: on a sharp photo with atlas teeth, rows a little
    // apart in deep shade too and the lower row darker than the upper (sixteenth pass); renderer/12: with
    // it, the pucker's opening centred between the corners, its rim wider, the lips round it creased, its
    // teeth dimmer (FaceRig::sealSides, MouthInterior_pucker.cpp; pucker18, which had bumped to 11);
    // renderer/13: a sharp photo's own smile opened wide, its gap a cavity deepest in the middle with the
    // tongue's front low in it (MouthInterior::openSmile; own18, which had bumped to 11).
    // animation/4: lip closures start with their P or B instead of 40-120 ms into the vowel before, last at
    // least 40 ms instead of 80, and seal by their middle (VisemeRules, MouthAnimator), which changed the
    // poses.
    // renderer/14: a sharp photo's own smile: no lip-pink tab ending the row, a soft seam when closed.
    // renderer/15: the pucker's oval fades in only over the seal's last stretch (no grey blob over the teeth
    // on the way into an "oo"; MouthInterior::paint).
    // renderer/16 (the seventeenth passes, landed together): the pucker's opening lit from above with a rim
    // that turns into its shade, the photo's seam filled at its sides and no red glow under it
    // (MouthInterior_pucker.cpp, pucker20); atlas teeth on a sharp photo: graded corners (the buccal
    // corridor) and no lit strip along the lower row with the tongue raised (MouthInterior_corners.cpp,
    // tongue20); an open smile with her own teeth pinched towards the canines and taller in the middle, an
    // enlarged photo's shaded as a cavity too (MouthInterior::shade, openSmile; own20).
    // renderer/17 (the eighteenth passes, landed together): an enlarged photo's own smile: the rows nearly
    // touching meet on a soft, broken shade (softSlit), the lower row opened wide a warm ivory with its
    // crowns (lowerRowInShade; smile21); atlas teeth reaching on into the corners, a brown-grey shade between
    // rows a little apart, no pale lower tips under a raised tongue (MouthInterior_corners.cpp; atlas21); the
    // pucker's drawn-out lower lip without long streaks, its opening flatter under the upper lip and
    // blotched, an enlarged photo's seam filled wider at the corners (MouthInterior_pucker.cpp; puck21).
    static constexpr const char* kSegmentVersion = "segment/1 renderer/17 animation/4";

private:
    cache::BlobPtr get(const cache::CacheKey& key) const;
    void store(const cache::CacheKey& key, std::vector<std::uint8_t> bytes) const;

    cache::Cache* m_cache;
};

} // namespace avatar
