#include "ProfileReport.h"

#include "Profiler.h"

#include <algorithm>
#include <map>
#include <set>

namespace avatar {

namespace {

struct CounterStats {
    double sum = 0.0;
    double max = 0.0;
    std::size_t count = 0;
    double mean() const { return count ? sum / static_cast<double>(count) : 0.0; }
};

std::map<std::string, CounterStats, std::less<>> counterStats(const ProfileData& data) {
    std::map<std::string, CounterStats, std::less<>> stats;
    for (const CounterSample& c : data.counters) {
        CounterStats& s = stats[c.name];
        s.max = s.count ? std::max(s.max, c.value) : c.value;
        s.sum += c.value;
        ++s.count;
    }
    return stats;
}

// The stage a zone's time is charged to: "queue.render" waits for render.
std::string chargedStage(std::string_view zoneName) {
    const std::string_view stage = stageOf(zoneName);
    if (stage == "queue" && zoneName.size() > stage.size() + 1)
        return std::string(stageOf(zoneName.substr(stage.size() + 1)));
    return std::string(stage);
}

Measurements measure(const ProfileData& data, const std::vector<CriticalPath>& paths,
                     const ReportOptions& options) {
    Measurements m;
    m.settings = options.settings;

    // Busy time: a zone nested in a zone of the same stage on its thread is already counted by its parent.
    struct StageAcc {
        double busyNs = 0.0;
        double serviceSum = 0.0;
        std::size_t serviceCount = 0;
        double waitSum = 0.0;
        std::size_t waitCount = 0;
        std::set<std::size_t> threads;
    };
    std::map<std::string, StageAcc> acc;
    for (const std::string& stage : options.stages)
        acc[stage];
    std::vector<const ZoneRecord*>
        open; // the stack of the current thread (data.zones is sorted by thread, start)
    for (const ZoneRecord& z : data.zones) {
        while (!open.empty() && (open.back()->thread != z.thread || open.back()->endNs <= z.startNs))
            open.pop_back();
        const std::string_view stage = stageOf(z.name);
        const bool nested = std::any_of(open.begin(), open.end(),
                                        [&](const ZoneRecord* p) { return stageOf(p->name) == stage; });
        open.push_back(&z);
        if (nested || std::find(options.stages.begin(), options.stages.end(), stage) == options.stages.end())
            continue;
        if (stage == "queue") {
            StageAcc& target = acc[chargedStage(z.name)];
            target.waitSum += static_cast<double>(z.durationNs());
            ++target.waitCount;
            continue;
        }
        StageAcc& a = acc[std::string(stage)];
        a.busyNs += static_cast<double>(z.durationNs());
        a.serviceSum += static_cast<double>(z.durationNs());
        ++a.serviceCount;
        a.threads.insert(z.thread);
    }

    // Shares of the wall time come from the critical paths.
    std::map<std::string, double> critical;
    std::map<std::string, double> criticalWait;
    double wall = 0.0;
    for (const CriticalPath& path : paths) {
        wall += static_cast<double>(path.wallNs());
        for (const CriticalSegment& s : path.segments) {
            if (s.stage == "queue")
                criticalWait[chargedStage(s.zone)] += static_cast<double>(s.durationNs());
            else
                critical[s.stage] += static_cast<double>(s.durationNs());
        }
    }
    m.wallNs = wall > 0 ? wall : static_cast<double>(data.endNs() - data.beginNs());

    for (const auto& [name, a] : acc) {
        if (name == "queue")
            continue;
        StageLoad s;
        s.stage = name;
        s.busyNs = a.busyNs;
        s.serviceNs = a.serviceCount ? a.serviceSum / static_cast<double>(a.serviceCount) : 0.0;
        s.waitNs = a.waitCount ? a.waitSum / static_cast<double>(a.waitCount) : 0.0;
        s.parallel = a.threads.size() > 1;
        if (m.wallNs > 0) {
            s.share = wall > 0 ? critical[name] / m.wallNs : std::min(1.0, a.busyNs / m.wallNs);
            s.waitShare = criticalWait[name] / m.wallNs;
        }
        m.stages.push_back(s);
    }
    // Pipeline order for the tables.
    std::stable_sort(m.stages.begin(), m.stages.end(), [&](const StageLoad& x, const StageLoad& y) {
        auto rank = [&](const std::string& n) {
            return std::find(options.stages.begin(), options.stages.end(), n) - options.stages.begin();
        };
        return rank(x.stage) < rank(y.stage);
    });

    const auto counters = counterStats(data);
    auto mean = [&](std::string_view name, double fallback) {
        const auto it = counters.find(name);
        return it == counters.end() ? fallback : it->second.mean();
    };
    auto max = [&](std::string_view name) {
        const auto it = counters.find(name);
        return it == counters.end() ? 0.0 : it->second.max;
    };
    m.resources.cpuUtilisation = mean("cpu.utilisation", -1.0);
    m.resources.poolWorkers = mean("pool.workers", 0.0);
    m.resources.poolCap = max("pool.cap");
    m.resources.queueDepth = mean("queue.depth", 0.0);
    m.resources.memoryPeakBytes = max("memory.bytes");
    m.resources.memoryCapBytes = max("memory.cap.bytes");
    return m;
}

} // namespace

ProfileReport ProfileReport::build(ProfileData data) {
    const ReportOptions options;
    return build(std::move(data), options);
}

ProfileReport ProfileReport::build(const Profiler& profiler) {
    const ReportOptions options;
    return build(profiler.snapshot(), options);
}

ProfileReport ProfileReport::build(const Profiler& profiler, const ReportOptions& options) {
    return build(profiler.snapshot(), options);
}

ProfileReport ProfileReport::build(ProfileData data, const ReportOptions& options) {
    ProfileReport r;
    r.title = options.title;
    r.settings = options.settings;
    r.resilience = options.resilience;
    data.sortZones();
    r.data = std::move(data);
    r.wallNs = r.data.endNs() - r.data.beginNs();

    std::map<std::string, LatencyHistogram> histograms;
    std::map<std::uint32_t, std::vector<ZoneRecord>> jobs;
    for (const ZoneRecord& z : r.data.zones) {
        histograms[z.name].record(z.durationNs());
        jobs[z.job].push_back(z);
    }
    for (auto& [name, h] : histograms)
        r.histograms.push_back(NamedHistogram{name, std::move(h)});
    std::stable_sort(r.histograms.begin(), r.histograms.end(),
                     [](const NamedHistogram& a, const NamedHistogram& b) {
                         return a.histogram.total() > b.histogram.total();
                     });

    for (const auto& [job, zones] : jobs) {
        CriticalPath path = CriticalPath::compute(zones, options.stages);
        if (!path.segments.empty())
            r.criticalPaths.push_back(std::move(path));
    }

    r.measurements = measure(r.data, r.criticalPaths, options);
    r.bottleneck = detectBottleneck(r.measurements);
    r.recommendations = recommend(r.measurements);
    if (options.baseline) {
        r.hasBaseline = true;
        r.regressions = compareToBaseline(*options.baseline, r.toBaseline(), options.regressionThreshold);
    }
    return r;
}

const NamedHistogram* ProfileReport::histogram(std::string_view name) const {
    for (const NamedHistogram& h : histograms)
        if (h.name == name)
            return &h;
    return nullptr;
}

Baseline ProfileReport::toBaseline() const {
    Baseline b;
    for (const NamedHistogram& h : histograms)
        b.stages[h.name] = StageBaseline{h.histogram.percentile(50), h.histogram.percentile(95)};
    return b;
}

} // namespace avatar
