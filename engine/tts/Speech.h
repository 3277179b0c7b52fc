#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace avatar {

// One phone as the synthesiser placed it. `symbol` is the synthesiser's own name for it; `arpabet` is the
// canonical lower-case ARPAbet phone the lip-sync rules use ("pau" for silence).
struct Phone {
    std::string symbol;
    std::string arpabet;
    double start = 0.0; // seconds from the start of the Speech
    double end = 0.0;
};

struct Word {
    std::string text;
    double start = 0.0;
    double end = 0.0;
};

// Synthesised speech: mono 16-bit PCM plus the synthesiser's own timeline. Phones tile [0, duration()]
// without gaps or overlaps; the last phone ends at the end of the audio (within one sample block).
struct Speech {
    int sampleRate = 0;
    std::vector<std::int16_t> samples;
    std::vector<Phone> phones;
    std::vector<Word> words;

    double duration() const { return sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0; }
    // Appends `other` (same sample rate) after this speech, shifting its timeline. Appending to a default
    // constructed (empty) Speech adopts `other`'s sample rate. Throws Error(Internal) on a rate mismatch.
    void append(const Speech& other);
    // Restores the invariants above after a synthesiser filled `phones` and `words`: sorts phones, fills
    // gaps and the edges with "pau", drops empty phones, merges neighbouring pauses, makes the last phone
    // end exactly at duration(), and clamps words into [0, duration()].
    void normalizeTimeline();
    // `seconds` of silence at `sampleRate`, one "pau" phone long: what a <break/> in a script becomes.
    static Speech silence(int sampleRate, double seconds);
};

// How a voice speaks. The synthesisers' own timelines stay exact under both: they are made at the new pace.
struct SynthesisOptions {
    double speed = 1.0; // 0.5 (half speed) .. 2.0 (twice as fast)
    double pitch = 0.0; // semitones up (+) or down (-), -12 .. +12
};

struct VoiceInfo {
    std::string id;       // "flite:slt", "espeak:en-us", ...
    std::string engine;   // "flite" or "espeak"
    std::string name;     // human readable
    std::string language; // BCP-47-ish: "en-US", "de", ...
    std::string gender;   // "female", "male" or ""
    int sampleRate = 0;
};

} // namespace avatar
