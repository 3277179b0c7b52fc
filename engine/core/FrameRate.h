#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace avatar {

// A video frame rate as an exact fraction of whole numbers, kept reduced: 25/1, 30000/1001 (29.97),
// 24000/1001 (23.976). NTSC's rates are not decimals, and a rate stored as a double or rounded to an int
// either cannot be written into the MP4 exactly or drifts from the sound over a long video, so every frame
// time is computed from the fraction and the frame's index, never accumulated.
//
// A FrameRate may hold any fraction (0/1 from a damaged file, 121 from a typo) so that the one check,
// `require()`, can name it in its message; everything that renders calls `require()` first.
class FrameRate {
public:
    // The one range for every output (pipeline, encoder, composer, CLI, job rows, project files, cues, batch,
    // avatar-bench). 1 fps is the low end because long reliability renders run at 5 fps and tests at 5 and
    // 7; 60 is the high end because nothing the engine draws moves faster than a display shows (mouth
    // shapes change at most every 40 ms) and every common output rate (59.94 included) is within it.
    static constexpr int kMinFps = 1;
    static constexpr int kMaxFps = 60;
    // Whole rates, decimals of up to three places and NTSC's N×1000/1001 all reduce to a denominator of at
    // most 1001; a longer one is a typo, and would only make the MP4's time base odd.
    static constexpr int kMaxDenominator = 1001;

    constexpr FrameRate() = default;
    // Whole frames a second; implicit, as integer rates were everywhere before.
    constexpr FrameRate(int wholeFps) : m_num(wholeFps) {}
    // num/den, reduced; a negative or zero denominator gives 0/1 (no rate at all, refused by require()).
    FrameRate(std::int64_t num, std::int64_t den);

    // "25", "29.97", "23.976", "59.94", "12.5", "30000/1001". A decimal that is a whole N divided by 1.001,
    // rounded to the digits written, is NTSC's N×1000/1001 exactly ("29.97" → 30000/1001, "23.98" →
    // 24000/1001); any other decimal is taken as written ("12.5" → 25/2). nullopt for anything else
    // (empty, signs, spaces, "30fps", a zero denominator). The range is not checked here.
    static std::optional<FrameRate> parse(std::string_view text);
    // parse() and require() in one: the rate, or Error(InvalidInput) with message(text).
    static FrameRate parseSupported(std::string_view text);
    // The one message for a malformed or out-of-range rate, naming what was given.
    static std::string message(std::string_view given);

    int num() const { return m_num; }
    int den() const { return m_den; }
    bool isWhole() const { return m_den == 1; }
    // Within kMinFps..kMaxFps with a denominator of at most kMaxDenominator.
    bool supported() const;
    // Throws Error(InvalidInput) with message(toString()) unless supported().
    void require() const;

    // The canonical form, which parse() reads back exactly: "25", "30000/1001", "25/2".
    std::string toString() const;
    // For people: the rate to three decimals without trailing zeros ("29.97", "23.976", "25").
    std::string label() const;
    double toDouble() const { return m_den > 0 ? double(m_num) / m_den : 0.0; }

    // Where frame `frame` starts, in seconds: frame × den / num.
    double seconds(std::int64_t frame) const { return double(frame) * m_den / m_num; }
    // The middle of frame `frame`, in seconds, where poses and captions are sampled.
    double middle(std::int64_t frame) const { return (double(frame) + 0.5) * m_den / m_num; }
    // Frames whose duration matches `seconds` of sound: rounded to the nearest, at least 1.
    std::int64_t framesFor(double seconds) const;
    // The fewest whole frames that cover `samples` at `sampleRate` (rounded up).
    std::int64_t framesCovering(std::int64_t samples, int sampleRate) const;
    // The sample (at `sampleRate`) where frame `frame` starts, rounded to the nearest (halves up).
    std::int64_t sampleAt(std::int64_t frame, int sampleRate) const;
    // A key frame every two seconds: 2 × rate, rounded (60 at 29.97).
    int framesInTwoSeconds() const;

    friend bool operator==(const FrameRate&, const FrameRate&) = default;

private:
    int m_num = 25;
    int m_den = 1;
};

} // namespace avatar
