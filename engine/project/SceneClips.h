#pragma once

#include "core/CancelToken.h"
#include "core/Image.h"
#include "media/EncodedSegment.h"
#include "media/Mp4Encoder.h"

#include <filesystem>
#include <string>

namespace avatar::project {

// The frames of a crossfade's `frames`: `from` dissolving into `to`, frame k (1..frames) weighted
// k / (frames + 1), so that neither end repeats the frames it joins. Encoded as one segment that the joiner
// puts between the two scenes' own segments.
EncodedSegment crossfadeSegment(const Image& from, const Image& to, int frames,
                                const EncoderSettings& settings, const CancelToken& cancel = {});

// An intro or outro clip as one segment: every picture of the file letterboxed to the output's size, at the
// output's frame rate (VideoClip, streamed). Throws Error(NotFound / Unreadable) naming `role`.
EncodedSegment clipSegment(const std::filesystem::path& file, const std::string& role,
                           const EncoderSettings& settings, const CancelToken& cancel = {});

// A clip's sound for `frames` output frames at `sampleRate` (cut or padded with silence), brought to
// `loudness` LUFS (the speech's, so that the clip is neither louder nor quieter than the presenter; a peak
// is never pushed past full scale). Silence when the file has no sound.
AudioTrack clipSound(const std::filesystem::path& file, long long frames, FrameRate fps, int sampleRate,
                     double loudness, const CancelToken& cancel = {});

} // namespace avatar::project
