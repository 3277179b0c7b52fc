#pragma once

#include "core/CancelToken.h"
#include "tts/Speech.h"
#include "voice/SphinxRecognizer.h"

#include <filesystem>
#include <functional>
#include <string>

namespace avatar {

// What loading a recording found and did, for the job's result and the CLI's summary.
struct RecordingInfo {
    std::string codec;  // FFmpeg's name of the source codec
    int sourceRate = 0; // Hz
    int sourceChannels = 0;
    double duration = 0.0;       // seconds
    double sourceLoudness = 0.0; // LUFS as decoded (mono mix)
    double gainDb = 0.0;         // applied to reach the target, limited by the peak ceiling
    double loudness = 0.0;       // LUFS after the gain
    // How the phones were found: "sphinx-aligned", "warp-aligned", "sphinx-words" (words recognised, then
    // aligned), "sphinx-phones" or "acoustic".
    std::string phones;
};

// Where a recording's phones come from. Auto: with a transcript, PocketSphinx's forced alignment, falling
// back on the warping aligner when the model is missing or its search fails; without one, PocketSphinx's
// phone recognition (US English), or the acoustic analysis when the model is missing. Acoustic: the acoustic
// analysis for any language (a transcript is then ignored). Sphinx and Warp force one aligner, for
// measurements.
enum class PhoneMethod { Auto, Acoustic, Sphinx, Warp };

// A narration recorded by the user (issue #13): any file FFmpeg decodes, brought to mono 48 kHz at the
// loudness of online video (EBU R128, -16 LUFS integrated, peaks at most -1 dBFS), as a Speech whose phone
// timeline comes from the acoustic analysis (AcousticPhones).
class Recording {
public:
    static constexpr int kSampleRate = 48000;      // the MP4's AAC rate: no second resampling
    static constexpr double kTargetLufs = -16.0;   // online video (YouTube, podcasts: AES TD1004)
    static constexpr double kPeakCeilingDb = -1.0; // headroom for the AAC encoder's overshoot
    static constexpr double kSilentLufs = -60.0;   // quieter than this is a silent file, not a narration
    static constexpr double kMaxSeconds = 4 * 3600.0;
    // The voice that speaks a transcript, or the words recognised without one, for the alignment.
    static constexpr const char* kAlignmentVoice = "flite:slt";

    // Called with the fraction of the loading done (decoding, then analysis), on the caller's thread.
    using ProgressCallback = std::function<void(double fraction)>;

    // With `transcript` (the recording's words spoken by a synthesiser), the phones and words are the
    // transcript's, aligned to the recording (SphinxRecognizer or TranscriptAligner); without, phones are
    // recognised (SphinxRecognizer) or come from the acoustic analysis, and there are no words (`method`).
    // Throws Error(NotFound | Unreadable | InvalidInput | Cancelled) with one sentence for the user: no
    // audio stream, a damaged or silent file, one over four hours (with a transcript the forced alignment
    // cannot follow, over ten minutes: the warping aligner's limit). `decoders`: the word search's and the
    // phone loop's decoder settings over the shipped ones (SphinxRecognizer), for measurements.
    static Speech load(const std::filesystem::path& path, const CancelToken& cancel,
                       const ProgressCallback& progress = {}, RecordingInfo* info = nullptr,
                       const Speech* transcript = nullptr, PhoneMethod method = PhoneMethod::Auto,
                       const SphinxRecognizer::Settings& decoders = {});
};

} // namespace avatar
