#include "Speech.h"

#include "core/Error.h"

#include <algorithm>
#include <cmath>

namespace avatar {

namespace {

// Far below one sample at any rate we produce; differences smaller than this are rounding, not gaps.
constexpr double kEpsilon = 1e-6;
// Synthesisers round their own end times, so the audio often runs a few milliseconds past the last phone.
// Such a sliver is given to the last phone; anything longer is real silence and becomes its own pause, so
// that a mouth does not hang open on a vowel through trailing silence.
constexpr double kMaxAbsorbedTail = 0.02;

bool isPause(const Phone& phone) {
    return phone.arpabet == "pau";
}

} // namespace

Speech Speech::silence(int sampleRate, double seconds) {
    Speech speech;
    speech.sampleRate = sampleRate;
    const auto count = static_cast<std::size_t>(std::lround(std::max(0.0, seconds) * sampleRate));
    speech.samples.assign(count, 0);
    if (count > 0)
        speech.phones.push_back({"pau", "pau", 0.0, speech.duration()});
    return speech;
}

void Speech::append(const Speech& other) {
    if (other.samples.empty()) {
        return; // nothing audible, and its timeline can only be empty or degenerate
    }
    if (sampleRate == 0 && samples.empty()) {
        sampleRate = other.sampleRate;
    } else if (other.sampleRate != sampleRate) {
        throw Error(ErrorCode::Internal, "Cannot join speech at " + std::to_string(other.sampleRate) +
                                             " Hz to speech at " + std::to_string(sampleRate) + " Hz.");
    }
    // Computed before the samples grow: this is exactly where our last phone ends, so the first appended
    // phone (which starts at 0) starts exactly there too.
    const double offset = duration();
    samples.insert(samples.end(), other.samples.begin(), other.samples.end());
    phones.reserve(phones.size() + other.phones.size());
    for (const Phone& phone : other.phones) {
        phones.push_back({phone.symbol, phone.arpabet, phone.start + offset, phone.end + offset});
    }
    words.reserve(words.size() + other.words.size());
    for (const Word& word : other.words) {
        words.push_back({word.text, word.start + offset, word.end + offset});
    }
}

void Speech::normalizeTimeline() {
    const double total = duration();
    std::stable_sort(phones.begin(), phones.end(),
                     [](const Phone& a, const Phone& b) { return a.start < b.start; });

    std::vector<Phone> tiled;
    tiled.reserve(phones.size() + 2);
    // Each appended phone starts where the previous one ended, so gaps and overlaps cannot arise; an overlap
    // is resolved in favour of the earlier phone.
    auto appendUntil = [&tiled](const std::string& symbol, const std::string& arpabet, double end) {
        const double start = tiled.empty() ? 0.0 : tiled.back().end;
        if (end - start <= kEpsilon) {
            return;
        }
        if (arpabet == "pau" && !tiled.empty() && isPause(tiled.back())) {
            tiled.back().end = end;
            return;
        }
        tiled.push_back({symbol, arpabet, start, end});
    };
    for (const Phone& phone : phones) {
        const double start = std::clamp(phone.start, 0.0, total);
        const double end = std::clamp(phone.end, 0.0, total);
        appendUntil("pau", "pau", start); // a no-op unless there is a gap before this phone
        appendUntil(phone.symbol, phone.arpabet, end);
    }

    const double tiledEnd = tiled.empty() ? 0.0 : tiled.back().end;
    if (total - tiledEnd > kEpsilon) {
        if (!tiled.empty() && (isPause(tiled.back()) || total - tiledEnd <= kMaxAbsorbedTail)) {
            tiled.back().end = total;
        } else {
            tiled.push_back({"pau", "pau", tiledEnd, total});
        }
    }
    if (!tiled.empty()) {
        tiled.back().end = total; // exactly, so that append() can join timelines without a seam
    }
    phones = std::move(tiled);

    for (Word& word : words) {
        word.start = std::clamp(word.start, 0.0, total);
        word.end = std::clamp(word.end, word.start, total);
    }
    std::stable_sort(words.begin(), words.end(),
                     [](const Word& a, const Word& b) { return a.start < b.start; });
}

} // namespace avatar
