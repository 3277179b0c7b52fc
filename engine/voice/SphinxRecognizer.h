#pragma once

#include "core/CancelToken.h"
#include "tts/Speech.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace avatar {

// A recording's phones from PocketSphinx's US English acoustic model (issue #13): forced alignment of a
// transcript's phones, or, without a transcript, phone recognition with the model's phonetic language model
// (Rhubarb Lip Sync's approach). PocketSphinx itself stays inside SphinxRecognizer.cpp.
class SphinxRecognizer {
public:
    static constexpr int kRate = 16000;         // the acoustic model's rate
    static constexpr double kChunkSeconds = 30; // both searches decode one utterance per chunk
    using ProgressCallback = std::function<void(double fraction)>;
    // Decoder settings by PocketSphinx's names and values, e.g. {{"-lw", "5"}, {"-wip", "0.2"}}.
    using DecoderSettings = std::vector<std::pair<std::string, std::string>>;

    // Settings over the shipped ones, for measurements (avatar-bench --word-search, --phone-loop).
    struct Settings {
        // `transcribe`'s decoder; a name PocketSphinx does not know makes `transcribe` throw
        // Error(InvalidInput).
        DecoderSettings wordSearch;
        // `recognize`'s phone loop, over the shipped language weight of 0.5: numeric settings only (-lw,
        // -wip, -uw, -beam, -pbeam: what the all-phone search reads); the alignment on the same decoder keeps
        // its own. Anything else: Error(InvalidInput) from the constructor.
        DecoderSettings phoneLoop;
    };

    // Throws Error(Unavailable) when the model files are missing (the pocketsphinx-en-us package).
    explicit SphinxRecognizer(Settings settings = {});
    ~SphinxRecognizer();
    SphinxRecognizer(const SphinxRecognizer&) = delete;
    SphinxRecognizer& operator=(const SphinxRecognizer&) = delete;

    // Whether the US English model is installed.
    static bool available();

    // How likely the phone loop finds `samples` (mono, `rate` Hz) with every frequency scaled by `scale`
    // (0.9: 10 % lower): its best path's score per frame. The sound is resampled as if recorded at `rate` x
    // `scale`, which scales its time too, and frames are taken at 100 x `scale` per second so that every
    // scale has as many frames and phone transitions per frame. Throws Error(Cancelled).
    static double likelihood(const std::vector<float>& samples, int rate, double scale,
                             const CancelToken& cancel);

    // `reference`: the transcript synthesised (its words and their phones, which come from the synthesiser's
    // lexicon and letter-to-sound rules). Each word may be said as the synthesiser says it or as the CMU
    // dictionary cites it; the recording is searched for the words in order, each word skippable (at a
    // cost), with optional pauses and breaths between words; where narrow beams find no path, once more with
    // wide ones. Returns the phones (labelled as the pronunciation chosen gives them) and words timed on
    // `samples` (mono, `rate` Hz), or nothing when the search does not reach the transcript's end (the wrong
    // text, or a recording too far from the model), for the caller to fall back on. Throws Error(Cancelled).
    // Recordings over 40 s are searched in chunks of kChunkSeconds, each cut at a pause (or between words)
    // in its first 25 s, the rest searched again with the next chunk: memory stays bounded for any length.
    // `joins` (optional) receives the times where one chunk's result ends and the next one's begins.
    std::optional<Speech> align(const std::vector<float>& samples, int rate, const Speech& reference,
                                const CancelToken& cancel, const ProgressCallback& progress = {},
                                std::vector<double>* joins = nullptr) const;

    // Phone recognition, in chunks of about kChunkSeconds cut at the quietest moment near each chunk's end
    // (memory stays bounded for any length), reporting progress per second of audio and checking `cancel`
    // as often. Phones are lower-case ARPAbet, "pau" for silence and noise. `score` (optional) receives the
    // best path's score (the model's log scale) per 10 ms of the sound as resampled. Throws Error(Cancelled).
    std::vector<Phone> recognize(const std::vector<float>& samples, int rate, const CancelToken& cancel,
                                 const ProgressCallback& progress = {}, double* score = nullptr) const;

    // Word recognition with the model's dictionary and word language model (Rhubarb Lip Sync's approach), in
    // chunks as `recognize`: the words heard, as sentences (a pause of 300 ms or more, or a chunk's end,
    // ends one), lower case, for a synthesiser to speak and `align` to time. Empty when nothing was heard.
    // `wordSeconds` (optional) receives how long the words heard last in all (fillers and pauses left out),
    // which tells a recogniser that missed words from one that heard them. Throws Error(Cancelled).
    std::vector<std::string> transcribe(const std::vector<float>& samples, int rate,
                                        const CancelToken& cancel, const ProgressCallback& progress = {},
                                        double* wordSeconds = nullptr) const;

private:
    struct Decoder;
    explicit SphinxRecognizer(int frameRate);
    static std::unique_ptr<Decoder> makeDecoder(const char* beam, int frameRate);
    static std::unique_ptr<Decoder> makeWordDecoder(const DecoderSettings& settings);
    std::unique_ptr<Decoder> m_decoder;
    Settings m_settings;
    // Wider beams, made on the first alignment whose search fails with m_decoder's.
    mutable std::unique_ptr<Decoder> m_wideDecoder;
    // The whole dictionary and the word language model, made on the first recognition.
    mutable std::unique_ptr<Decoder> m_wordDecoder;
};

} // namespace avatar
