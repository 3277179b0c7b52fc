#pragma once

#include "media/Mp4Encoder.h"

#include <filesystem>

namespace avatar {

// Music under a whole video's speech, with FFmpeg's filters (libavfilter): the music file (any audio FFmpeg
// reads) is looped to the speech's length and set `musicGainDb` below its own level; a sidechain compressor
// keyed by the speech ducks it while someone speaks; the two are summed and the mix brought to `targetLufs`
// integrated loudness (loudnorm, true peak at most -1.5 dBTP), the level streaming platforms play speech at.
struct MusicMix {
    double musicGainDb = -14.0;
    double targetLufs = -16.0;
};

// Returns the mix, mono at the speech's sample rate and exactly its length. Throws Error(NotFound /
// Unreadable) for a music file that cannot be read or has no sound, Error(Codec) when FFmpeg lacks a filter.
AudioTrack mixMusicUnderSpeech(const AudioTrack& speech, const std::filesystem::path& music,
                               const MusicMix& mix = {});

// The integrated loudness of a track in LUFS (EBU R128, FFmpeg's ebur128 filter); -70 or less for silence.
double integratedLoudness(const AudioTrack& track);

} // namespace avatar
