#pragma once

#include "Baseline.h"
#include "Bottleneck.h"
#include "CriticalPath.h"
#include "LatencyHistogram.h"
#include "ProfileData.h"
#include "Recommendations.h"
#include "core/ResilienceCounters.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace avatar {

class Profiler;

struct ReportOptions {
    std::string title = "Avatar Studio profile";
    RunSettings settings;
    std::optional<Baseline> baseline;  // compared when given
    double regressionThreshold = 0.10; // flag stages more than 10% slower at p50 or p95
    std::vector<std::string> stages = pipelineStages();
    // The engine's recovery decisions (EngineServices::resilience), reported as is.
    ResilienceCounts resilience{};
};

// The latency distribution of every zone name (and so of every stage).
struct NamedHistogram {
    std::string name;
    LatencyHistogram histogram; // nanoseconds
};

// Everything the profiler knows about a run: the raw data and what the analyses made of it. Exports:
// exportReport(path) by extension, or the to*() functions for the text itself.
struct ProfileReport {
    std::string title;
    RunSettings settings;
    ProfileData data;
    std::int64_t wallNs = 0;                 // extent of the recorded data
    std::vector<NamedHistogram> histograms;  // per zone name, largest total first
    std::vector<CriticalPath> criticalPaths; // one per job id (0: zones recorded outside a job scope)
    Measurements measurements;               // per-stage shares and resources, input of the two below
    Bottleneck bottleneck;
    std::vector<Recommendation> recommendations;
    std::vector<Regression> regressions; // empty without a baseline
    bool hasBaseline = false;
    ResilienceCounts resilience{}; // retries, breakers, fallbacks, watchdog stops, replaced workers

    static ProfileReport build(ProfileData data, const ReportOptions& options);
    static ProfileReport build(const Profiler& profiler, const ReportOptions& options);
    // With default options. (Overloads, not default arguments: GCC 12 warns about the temporary's strings.)
    static ProfileReport build(ProfileData data);
    static ProfileReport build(const Profiler& profiler);

    const NamedHistogram* histogram(std::string_view name) const;
    // The p50/p95 of every histogram, to save as the next baseline.
    Baseline toBaseline() const;

    // Writes the report in the format its extension names (.json: Chrome trace events, .html, .csv, .pdf),
    // atomically. Throws Error(InvalidInput) for another extension, Error(Io) when it cannot be written.
    void exportReport(const std::filesystem::path& path) const;
    std::string toChromeTrace() const;
    std::string toHtml() const;
    std::string toCsv() const;
    std::string toPdf() const;
};

} // namespace avatar
