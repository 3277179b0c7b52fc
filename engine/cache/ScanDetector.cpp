#include "ScanDetector.h"

#include "Hashing.h"

#include <algorithm>
#include <unordered_set>

namespace avatar::cache {

namespace {
// The seen-filter: a 2^20-bit Bloom filter with two probes (128 KiB). Cleared when a quarter of its bits
// are set, which keeps false positives (a new key taken for a known one) under ~6%.
constexpr std::size_t kSeenBits = std::size_t{1} << 20;
} // namespace

ScanDetector::ScanDetector(ScanDetectorOptions options)
    : m_options(options), m_forest(100, 64, options.seed), m_seenBits(kSeenBits / 64, 0) {
    m_window.reserve(m_options.windowAccesses);
}

bool ScanDetector::seen(std::uint64_t keyHash) const {
    const std::uint64_t h = mix64(keyHash);
    const std::size_t a = h & (kSeenBits - 1);
    const std::size_t b = (h >> 32) & (kSeenBits - 1);
    return ((m_seenBits[a / 64] >> (a % 64)) & 1) && ((m_seenBits[b / 64] >> (b % 64)) & 1);
}

void ScanDetector::markSeen(std::uint64_t keyHash) {
    if (m_seenCount > kSeenBits / 4) {
        std::fill(m_seenBits.begin(), m_seenBits.end(), 0);
        m_seenCount = 0;
    }
    const std::uint64_t h = mix64(keyHash);
    for (const std::size_t bit : {static_cast<std::size_t>(h & (kSeenBits - 1)),
                                  static_cast<std::size_t>((h >> 32) & (kSeenBits - 1))}) {
        std::uint64_t& word = m_seenBits[bit / 64];
        const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
        if (!(word & mask)) {
            word |= mask;
            ++m_seenCount;
        }
    }
}

void ScanDetector::record(std::uint64_t keyHash) {
    const bool fresh = !seen(keyHash);
    m_newRun = fresh ? m_newRun + 1 : 0;
    m_windowNew.push_back(fresh);
    m_window.push_back(keyHash);
    markSeen(keyHash);
    if (m_window.size() >= m_options.windowAccesses)
        closeWindow();
}

FeatureVector ScanDetector::windowFeatures(const std::vector<std::uint64_t>& hashes,
                                           const std::vector<bool>& isNew) {
    if (hashes.empty())
        return {0.0, 0.0, 0.0};
    const std::unordered_set<std::uint64_t> distinct(hashes.begin(), hashes.end());
    std::size_t newKeys = 0;
    std::size_t run = 0;
    std::size_t longestRun = 0;
    for (const bool fresh : isNew) {
        newKeys += fresh ? 1 : 0;
        run = fresh ? run + 1 : 0;
        longestRun = std::max(longestRun, run);
    }
    const auto n = static_cast<double>(hashes.size());
    return {static_cast<double>(distinct.size()) / n, static_cast<double>(newKeys) / n,
            static_cast<double>(longestRun) / n};
}

void ScanDetector::closeWindow() {
    const FeatureVector features = windowFeatures(m_window, m_windowNew);
    m_window.clear();
    m_windowNew.clear();

    bool anomalous = false;
    if (m_forest.trained() && m_history.size() >= m_options.minHistory) {
        m_lastScore = m_forest.score(features);
        double meanNew = 0.0;
        for (const FeatureVector& past : m_history)
            meanNew += past[1];
        meanNew /= static_cast<double>(m_history.size());
        // Only the scan direction counts: a window with unusually *few* new keys is also rare, but harmless.
        anomalous = m_lastScore > m_options.threshold && features[1] > meanNew + 0.25;
    }
    if (anomalous) {
        ++m_anomalousWindows;
        if (!m_scanning)
            ++m_scans;
        m_scanning = true;
        ++m_anomalousRun;
    } else {
        m_scanning = false;
        m_anomalousRun = 0;
    }
    // Scans stay out of the training data, unless they last so long that they are the new normal.
    if (!anomalous || m_anomalousRun > m_options.historyWindows / 4) {
        m_history.push_back(features);
        if (m_history.size() > m_options.historyWindows)
            m_history.pop_front();
    }
    if (m_history.size() >= m_options.minHistory &&
        (!m_forest.trained() || ++m_windowsSinceFit >= m_options.retrainEvery)) {
        m_forest.fit(std::vector<FeatureVector>(m_history.begin(), m_history.end()));
        m_windowsSinceFit = 0;
    }
}

} // namespace avatar::cache
