#include "CountMinSketch.h"

#include "Hashing.h"

#include <algorithm>
#include <bit>

namespace avatar::cache {

namespace {
// Per-row seeds: odd constants, so each row sees an independent-looking permutation of the hash.
constexpr std::uint64_t kRowSeeds[] = {0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL, 0x165667b19e3779f9ULL,
                                       0x27d4eb2f165667c5ULL};
} // namespace

CountMinSketch::CountMinSketch(std::size_t width, std::size_t sampleSize)
    : m_width(std::bit_ceil(std::max<std::size_t>(width, 64))),
      m_sampleSize(sampleSize > 0 ? sampleSize : 10 * m_width), m_words(kRows * m_width / 16, 0) {}

std::size_t CountMinSketch::index(std::uint64_t keyHash, std::size_t row) const {
    return row * m_width + (mix64(keyHash * kRowSeeds[row] + row) & (m_width - 1));
}

unsigned CountMinSketch::counter(std::size_t cell) const {
    return static_cast<unsigned>((m_words[cell / 16] >> (4 * (cell % 16))) & 0xF);
}

void CountMinSketch::increment(std::uint64_t keyHash) {
    // Conservative update: only the counters equal to the current minimum grow, which keeps the
    // overestimate of colliding keys down.
    std::size_t cells[kRows];
    unsigned minimum = kMaxCount;
    for (std::size_t row = 0; row < kRows; ++row) {
        cells[row] = index(keyHash, row);
        minimum = std::min(minimum, counter(cells[row]));
    }
    if (minimum < kMaxCount) {
        for (const std::size_t cell : cells) {
            if (counter(cell) == minimum)
                m_words[cell / 16] += std::uint64_t{1} << (4 * (cell % 16));
        }
    }
    if (++m_additions >= m_sampleSize)
        halve();
}

unsigned CountMinSketch::estimate(std::uint64_t keyHash) const {
    unsigned minimum = kMaxCount;
    for (std::size_t row = 0; row < kRows; ++row)
        minimum = std::min(minimum, counter(index(keyHash, row)));
    return minimum;
}

void CountMinSketch::halve() {
    // Shifting the whole word right by one halves all 16 nibbles at once; the mask drops the bit that each
    // nibble would otherwise receive from its neighbour.
    for (std::uint64_t& word : m_words)
        word = (word >> 1) & 0x7777777777777777ULL;
    m_additions /= 2;
    ++m_agings;
}

} // namespace avatar::cache
