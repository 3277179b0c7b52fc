#pragma once

#include "IsolationForest.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace avatar::cache {

struct ScanDetectorOptions {
    std::size_t windowAccesses = 64;  // accesses summarised into one feature vector
    std::size_t historyWindows = 256; // normal windows the forest is trained on
    std::size_t minHistory = 16;      // no verdicts before this many windows
    std::size_t retrainEvery = 16;    // windows between refits
    double threshold = 0.60;          // anomaly score above which a scan-like window is a scan
    std::uint64_t seed = 7;
};

// Detects scans (a batch render of a new script, an import touching every file once) in the access stream.
// Every window of accesses becomes three features: the share of distinct keys, the share of keys never seen
// before, and the longest run of consecutive never-seen keys (sequentiality). An isolation forest trained on
// past windows scores each new one; a high score in the scan direction (more new keys than usual) starts
// scan mode, the next ordinary window ends it. Not thread-safe: the cache calls it under its learning lock.
class ScanDetector {
public:
    explicit ScanDetector(ScanDetectorOptions options = {});

    void record(std::uint64_t keyHash);
    bool scanning() const { return m_scanning; }
    // How many never-seen keys in a row the stream ends with. A scan is a long run of them; a creator's
    // freshly edited sentence is a short one (its TTS and its segment) between keys seen before.
    std::size_t newRun() const { return m_newRun; }
    // Whether the key was seen before this detector's last reset of its seen-filter (approximate: a small
    // false-positive rate, never a false negative within the filter's lifetime).
    bool seen(std::uint64_t keyHash) const;

    std::uint64_t scansDetected() const { return m_scans; }
    std::uint64_t anomalousWindows() const { return m_anomalousWindows; }
    double lastScore() const { return m_lastScore; }
    // The features of a window, exposed for tests.
    static FeatureVector windowFeatures(const std::vector<std::uint64_t>& hashes,
                                        const std::vector<bool>& isNew);

private:
    void closeWindow();
    void markSeen(std::uint64_t keyHash);

    ScanDetectorOptions m_options;
    IsolationForest m_forest;
    std::vector<std::uint64_t> m_seenBits;
    std::size_t m_seenCount = 0;
    std::vector<std::uint64_t> m_window;
    std::vector<bool> m_windowNew;
    std::deque<FeatureVector> m_history;
    std::size_t m_windowsSinceFit = 0;
    std::size_t m_anomalousRun = 0;
    std::size_t m_newRun = 0;
    bool m_scanning = false;
    std::uint64_t m_scans = 0;
    std::uint64_t m_anomalousWindows = 0;
    double m_lastScore = 0.5;
};

} // namespace avatar::cache
