#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace avatar {

// Per-stage latency of a run that is known to be good, to compare later runs against. Stored as JSON:
// {"version":1,"unit":"ns","stages":{"render.frame":{"p50":4100000,"p95":5200000}, ...}}
struct StageBaseline {
    double p50Ns = 0.0;
    double p95Ns = 0.0;
};

struct Baseline {
    std::map<std::string, StageBaseline> stages;

    // Throws Error(NotFound) for a missing file, Error(InvalidInput) for one that is not a baseline.
    static Baseline load(const std::filesystem::path& path);
    // Atomic (temporary file + rename); throws Error(Io).
    void save(const std::filesystem::path& path) const;
    std::string toJson() const;
    static Baseline fromJson(const std::string& text);
};

struct Regression {
    std::string stage;
    std::string metric; // "p50" or "p95"
    double baselineNs = 0.0;
    double currentNs = 0.0;
    double change = 0.0;    // current / baseline - 1: +0.25 is 25% slower
    bool regressed = false; // change > threshold and the difference is at least minDeltaNs
};

// One entry per stage and metric found in both; stages missing on either side are skipped. The absolute floor
// keeps microsecond-scale stages from flagging on scheduler noise.
std::vector<Regression> compareToBaseline(const Baseline& baseline, const Baseline& current,
                                          double threshold = 0.10, double minDeltaNs = 100'000.0);

} // namespace avatar
