#pragma once
// The audio side of SphinxRecognizer, kept apart from PocketSphinx: a recording brought to the model's 16 kHz
// 16-bit samples, and cut into utterances at the speaker's pauses so that a search's memory is bounded.

#include "voice/SphinxRecognizer.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace avatar::sphinxaudio {

// How many 16 kHz samples `samples` at `rate` make.
std::size_t modelRateLength(const std::vector<float>& samples, int rate);

// Samples [first, last) of `samples` at 16 kHz as 16-bit PCM (a windowed-sinc low-pass at 7.2 kHz). A range,
// so that a long recording is converted a chunk at a time (the same samples as whole).
std::vector<std::int16_t> toModelRate(const std::vector<float>& samples, int rate, std::size_t first,
                                      std::size_t last);

// The energy of `samples` per 10 ms (PocketSphinx's frame), to cut long recordings where the speaker pauses.
std::vector<float> energyPerHop(const std::vector<float>& samples, int rate);

// Where a chunk starting at 16 kHz sample `from` ends: the middle of the quietest 300 ms between two thirds
// and four thirds of `chunk` samples on (the caller keeps chunks of over four thirds for this).
std::size_t quietestCut(const std::vector<float>& energy, std::size_t from, std::size_t chunk);

// A recording of `length` 16 kHz samples (`energy` per 10 ms) as utterances of about kChunkSeconds, each cut
// at the quietest 300 ms between 20 and 40 s on, so that a search's memory is bounded for any length:
// `each(from, to)` per chunk, in order.
template <typename Each>
void forEachChunk(std::size_t length, const std::vector<float>& energy, Each&& each) {
    const auto chunk = static_cast<std::size_t>(SphinxRecognizer::kChunkSeconds * SphinxRecognizer::kRate);
    for (std::size_t from = 0; from < length;) {
        const std::size_t to = length - from > chunk * 4 / 3 ? quietestCut(energy, from, chunk) : length;
        each(from, to);
        from = to;
    }
}

} // namespace avatar::sphinxaudio
