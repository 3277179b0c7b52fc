#pragma once

#include "core/CancelToken.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace avatar {

// A recording decoded to mono float at one sample rate, with its loudness as FFmpeg's EBU R128 meter
// (libavfilter's ebur128) measured it on that mono mix.
struct DecodedAudio {
    int sampleRate = 0;
    std::vector<float> samples; // mono, full scale = 1
    double loudness = -70.0;    // integrated loudness in LUFS (-70 and below: gated out, i.e. silence)
    double peak = 0.0;          // the largest |sample|
    std::string codec;          // FFmpeg's name of the source codec, e.g. "mp3"
    int sourceRate = 0;
    int sourceChannels = 0;

    double duration() const { return sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0; }
};

// Decodes the best audio stream of any file FFmpeg reads (WAV, FLAC, MP3, M4A/AAC, OGG/Opus, a video's
// sound), resampled to `sampleRate` and mixed to mono in one libavfilter graph that also meters its loudness.
class AudioDecoder {
public:
    struct Options {
        int sampleRate = 48000;
        double maxSeconds = 4 * 3600.0; // longer recordings are refused before (or while) decoding
    };
    // Called with the fraction of the file decoded, 0..1 (on the caller's thread).
    using ProgressCallback = std::function<void(double fraction)>;

    // Throws Error(NotFound) for a missing file, Error(Unreadable) for one FFmpeg cannot read or decode,
    // Error(InvalidInput) for a file without sound or longer than maxSeconds, Error(Cancelled).
    static DecodedAudio decode(const std::filesystem::path& path, const Options& options,
                               const CancelToken& cancel, const ProgressCallback& progress = {});
    // The integrated loudness (LUFS, EBU R128, FFmpeg's ebur128 filter) of mono float samples.
    static double loudness(const std::vector<float>& samples, int rate);
};

} // namespace avatar
