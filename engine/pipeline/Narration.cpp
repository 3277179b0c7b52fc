#include "Narration.h"

#include <cmath>

namespace avatar {

void Narration::append(Speech part, bool question, FrameRate fps) {
    if (part.samples.empty())
        return; // nothing audible: no frames
    const int rate = part.sampleRate;
    const long long firstFrame = frames();
    // Frames that cover the part: the last one may be partly silent.
    const auto count = static_cast<unsigned long long>(part.samples.size());
    const auto covering = static_cast<long long>(fps.framesCovering(static_cast<std::int64_t>(count), rate));
    const std::size_t firstSample = speech.samples.size();
    speech.append(part);
    const auto end = static_cast<std::size_t>(fps.sampleAt(firstFrame + covering, rate));
    if (end > speech.samples.size()) {
        Speech pad;
        pad.sampleRate = rate;
        pad.samples.assign(end - speech.samples.size(), 0);
        pad.phones.push_back({"pau", "pau", 0.0, pad.duration()});
        speech.append(pad);
    }
    // The timeline stays with the part, the sound with the narration (`= {}` would keep the capacity).
    std::vector<std::int16_t>().swap(part.samples);
    parts.push_back({std::move(part), firstFrame, covering, question, firstSample, std::size_t(count)});
}

Speech Narration::partSpeech(const NarrationPart& part) const {
    Speech whole = part.speech;
    const auto first = speech.samples.begin() + static_cast<std::ptrdiff_t>(part.firstSample);
    whole.samples.assign(first, first + static_cast<std::ptrdiff_t>(part.sampleCount));
    return whole;
}

} // namespace avatar
