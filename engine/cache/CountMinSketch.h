#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace avatar::cache {

// A count-min sketch of 4-bit counters (TinyLFU's frequency filter): four rows, each indexed by a different
// mix of the key's 64-bit hash; the estimate is the smallest of the four counters, so collisions only ever
// overestimate. Counters saturate at 15. After `sampleSize` increments every counter is halved ("aging"), so
// that the sketch follows recent popularity instead of all history.
class CountMinSketch {
public:
    static constexpr unsigned kMaxCount = 15;

    // width: counters per row, rounded up to a power of two (at least 64). sampleSize 0 means 10 x width,
    // the proportion the TinyLFU paper uses.
    explicit CountMinSketch(std::size_t width, std::size_t sampleSize = 0);

    void increment(std::uint64_t keyHash);
    unsigned estimate(std::uint64_t keyHash) const;
    void halve();

    std::size_t width() const { return m_width; }
    std::size_t sampleSize() const { return m_sampleSize; }
    // The aging period should follow how many entries the cache holds (TinyLFU uses 10x that); a
    // byte-bounded cache only knows that as it fills, so its owner updates it.
    void setSampleSize(std::size_t sampleSize) { m_sampleSize = sampleSize > 0 ? sampleSize : 1; }
    std::size_t agingCount() const { return m_agings; } // how many times halve() ran

private:
    static constexpr std::size_t kRows = 4;
    std::size_t index(std::uint64_t keyHash, std::size_t row) const;
    unsigned counter(std::size_t cell) const;

    std::size_t m_width;
    std::size_t m_sampleSize;
    std::size_t m_additions = 0;
    std::size_t m_agings = 0;
    std::vector<std::uint64_t> m_words; // kRows x m_width counters, 16 per word
};

} // namespace avatar::cache
