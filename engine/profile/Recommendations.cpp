#include "Recommendations.h"

#include "core/Tier.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <utility>

namespace avatar {

namespace {

// Encode time of each of kX264Presets relative to medium, in that list's order (placebo is never advised).
constexpr std::array<double, 9> kRelativeTime = {0.12, 0.18, 0.28, 0.55, 0.75, 1.0, 1.6, 2.8, 6.0};
static_assert(kRelativeTime.size() + 1 == kX264Presets.size());

double amdahlGain(double share, double speedup) {
    if (speedup <= 1.0 || share <= 0.0)
        return 0.0;
    return std::clamp(share, 0.0, 1.0) * (1.0 - 1.0 / speedup);
}

std::string percent(double fraction) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", fraction * 100.0);
    return buf;
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string capitalised(const char* name) {
    std::string s = name;
    if (!s.empty())
        s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

// The next tier up (a larger memory fraction, larger batches, a lower scaler threshold), none above Quantum:
// a recommendation never points to the tier the run already had or a lower one.
std::optional<Tier> tierAbove(Tier tier) {
    switch (tier) {
    case Tier::Standard:
        return Tier::Advanced;
    case Tier::Advanced:
        return Tier::Ultra;
    case Tier::Ultra:
        return Tier::Quantum;
    case Tier::Quantum:
        break;
    }
    return std::nullopt;
}

const StageLoad* findStage(const Measurements& m, const std::string& name) {
    for (const StageLoad& s : m.stages)
        if (s.stage == name)
            return &s;
    return nullptr;
}

} // namespace

double x264PresetRelativeTime(const std::string& preset) {
    for (std::size_t i = 0; i < kRelativeTime.size(); ++i)
        if (preset == kX264Presets[i])
            return kRelativeTime[i];
    return -1.0;
}

std::vector<Recommendation> recommend(const Measurements& m) {
    std::vector<Recommendation> out;
    const RunSettings& settings = m.settings;

    // More workers for the parallel stage that holds the most of the path.
    const StageLoad* parallel = nullptr;
    for (const StageLoad& s : m.stages)
        if (s.parallel && s.stage != "queue" && (!parallel || s.share > parallel->share))
            parallel = &s;
    if (parallel && parallel->share >= 0.2 && settings.threads > 0 &&
        settings.hardwareThreads > settings.threads) {
        double k = static_cast<double>(settings.hardwareThreads) / settings.threads;
        const double cpu = m.resources.cpuUtilisation;
        if (cpu > 0.0)
            k = std::min(k, 1.0 / cpu);
        const double gain = amdahlGain(parallel->share, k);
        if (gain > 0.0)
            out.push_back({"Raise --threads to " + std::to_string(settings.hardwareThreads),
                           "--threads " + std::to_string(settings.hardwareThreads),
                           parallel->stage + " holds " + percent(parallel->share) + " of the wall time on " +
                               std::to_string(settings.threads) + " of " +
                               std::to_string(settings.hardwareThreads) + " hardware threads" +
                               (cpu > 0 ? " with the CPU at " + percent(cpu) : std::string()),
                           gain});
    }

    // A higher tier batches more per dispatch.
    if (settings.tier == Tier::Standard || settings.tier == Tier::Advanced || settings.tier == Tier::Ultra) {
        const Tier next = settings.tier == Tier::Ultra ? Tier::Quantum : Tier::Ultra;
        const double ratio = tierSettings(next).batchMultiplier / tierSettings(settings.tier).batchMultiplier;
        double share = 0.0;
        for (const char* name : {"face", "render"})
            if (const StageLoad* s = findStage(m, name))
                share += s->share;
        const double gain = amdahlGain(share, 1.0 + 0.5 * (ratio - 1.0));
        if (share >= 0.2 && gain > 0.0)
            out.push_back({"Switch to " + capitalised(tierName(next)) + ": batch multiplier " +
                               number(tierSettings(next).batchMultiplier),
                           std::string("--tier ") + tierName(next),
                           "face and render hold " + percent(share) + " of the wall time under " +
                               tierName(settings.tier) + " (batch multiplier " +
                               number(tierSettings(settings.tier).batchMultiplier) + ")",
                           gain});
    }

    // A faster x264 preset when encoding holds the path.
    if (const StageLoad* encode = findStage(m, "encode"); encode && encode->share >= 0.15) {
        const double current = x264PresetRelativeTime(settings.x264Preset);
        if (current > 0.0) {
            // Two steps faster at most: each step costs some compression at the same quality.
            std::size_t index = 0;
            while (kRelativeTime[index] < current)
                ++index;
            const std::size_t target = index >= 2 ? index - 2 : 0;
            if (target < index) {
                const double gain = amdahlGain(encode->share, current / kRelativeTime[target]);
                const std::string faster(kX264Presets[target]);
                out.push_back({"Lower the x264 preset to " + faster, "--preset " + faster,
                               "encode holds " + percent(encode->share) + " of the wall time at preset " +
                                   settings.x264Preset,
                               gain});
            }
        }
    }

    // Queue wait with the pool at its cap.
    double waitShare = 0.0;
    for (const StageLoad& s : m.stages)
        waitShare += s.waitShare;
    const bool poolAtCap = m.resources.poolCap > 0 && m.resources.poolWorkers >= 0.9 * m.resources.poolCap;
    const std::optional<Tier> above = tierAbove(settings.tier);
    if (waitShare >= 0.1 && poolAtCap)
        out.push_back({"Raise the worker pool's cap or use a tier with a lower scaler threshold",
                       above ? std::string("--tier ") + tierName(*above)
                             : "--threads " + std::to_string(settings.hardwareThreads),
                       "tasks waited " + percent(waitShare) +
                           " of the wall time in the queue with the pool at " + "its cap",
                       waitShare * 0.5});

    if (m.resources.memoryCapBytes > 0 && m.resources.memoryPeakBytes >= 0.9 * m.resources.memoryCapBytes)
        out.push_back({above ? "Lower the output size or use a tier with a larger memory fraction"
                             : "Lower the output size (no tier has a larger memory fraction)",
                       above ? std::string("--tier ") + tierName(*above) : std::string("--size"),
                       "memory peaked at " +
                           percent(m.resources.memoryPeakBytes / m.resources.memoryCapBytes) +
                           " of its cap (no speed gain: avoids out-of-memory failures)",
                       0.0});

    std::stable_sort(out.begin(), out.end(), [](const Recommendation& a, const Recommendation& b) {
        return a.estimatedGain > b.estimatedGain;
    });
    return out;
}

} // namespace avatar
