// avatar-bench --suite engine: every performance service measured against its plain alternative in the same
// run, so that the figures are ratios that do not depend on the machine (docs/PERFORMANCE.md).
#include "Suites.h"

#include "BatchBench.h"
#include "MemoryBench.h"
#include "ProfilerBench.h"
#include "ScalerBench.h"
#include "core/Json.h"
#include "core/ThreadPool.h"
#include "core/Tier.h"
#include "pipeline/RenderPipeline.h"

#include <iostream>

namespace avatar::bench {

int runEngineSuite(const RenderSpec& base, const std::filesystem::path& dir) {
    EngineServices services;
    services.faces.load(); // as a long-running studio has them: renders are timed without the model load
    RenderPipeline pipeline(services);

    const PoolBenchResult pool = benchmarkPoolVsMalloc();
    const ZoneCost zone = measureZoneCost();
    const BatchBenchResult batch = runBatchBench(services.faces);
    const ScalerReaction scaler = measureScalerReaction();

    // The same script at every tier, each with the tier's own settings (encoder preset, memory cap,
    // profiling detail). A short script: the full benchmark script is the render suite's job.
    struct TierRun {
        Tier tier;
        double seconds;
        double realtime;
        std::string preset;
    };
    std::vector<TierRun> tiers;
    for (Tier t : {Tier::Standard, Tier::Advanced, Tier::Ultra, Tier::Quantum}) {
        services.setTier(t);
        services.profiler.reset();
        RenderSpec spec = base;
        spec.preset.clear(); // the tier decides
        spec.output = dir / (std::string("tier-") + tierName(t) + ".mp4");
        const RenderResult r = pipeline.run(spec);
        tiers.push_back({t, r.totalSeconds, r.duration / r.totalSeconds, tierEncoderPreset(t)});
    }

    JsonWriter w;
    w.beginObject()
        .field("suite", "engine")
        .field("hardware_threads", static_cast<int>(ThreadPool::hardwareThreads()))
        .field("pool_vs_malloc_speedup", pool.speedup)
        .field("pool_ns_per_frame", pool.poolNsPerFrame)
        .field("malloc_ns_per_frame", pool.mallocNsPerFrame)
        .field("profiler_zone_ns", zone.enabledNs)
        .field("profiler_zone_off_ns", zone.disabledNs)
        .field("profiler_clock_pair_ns", zone.clockPairNs)
        .field("profiler_zone_overhead_ns", zone.enabledNs - zone.clockPairNs)
        .field("batch_workload", batch.workload)
        .field("batch_speedup", batch.batchSpeedup)
        .field("batch_p95_ratio", batch.batchP95Ratio)
        .field("batch_mean_size", batch.batchedMeanBatch)
        .field("scaler_reaction_s", scaler.seconds)
        .field("scaler_workers_before", scaler.workersBefore)
        .field("scaler_workers_after", scaler.workersAfter);
    w.key("tiers").beginArray();
    for (const TierRun& t : tiers)
        w.beginObject()
            .field("tier", tierName(t.tier))
            .field("preset", t.preset)
            .field("render_seconds", t.seconds)
            .field("realtime_factor", t.realtime)
            .endObject();
    w.endArray();
    w.field("size", std::to_string(base.width) + "x" + std::to_string(base.height)).endObject();
    std::cout << w.str() << std::endl;
    return 0;
}

} // namespace avatar::bench
