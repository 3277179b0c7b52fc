#include "SoakReport.h"

#include "cache/Cache.h"
#include "core/Json.h"
#include "scale/ProcReaders.h"

#include <algorithm>
#include <malloc.h>

namespace avatar::bench {

cache::CacheOptions soakCacheOptions(const std::filesystem::path& dir) {
    cache::CacheOptions options;
    options.memory.capacityBytes = kSoakMemoryCacheBytes;
    options.memory.shards = 4;
    options.disk.path = dir / "cache" / "cache.db";
    std::filesystem::create_directories(dir / "cache");
    return options;
}

std::string soakSentence(int i) {
    return "This is job number " + std::to_string(i) + " of the long run. It ends here.";
}

std::size_t openDescriptors() {
    std::error_code ec;
    std::size_t n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec))
        ++n;
    return n;
}

SoakSample takeSoakSample(std::uint64_t cacheBytes) {
    const struct mallinfo2 heap = mallinfo2();
    return SoakSample{processRssBytes().value_or(0), openDescriptors(), cacheBytes,
                      heap.uordblks + heap.hblkhd};
}

std::string soakReportJson(const std::string& suite, const std::vector<SoakSample>& samples, int from,
                           const std::string& size, double seconds, std::size_t memoryCacheBytes) {
    const SoakSample& first = samples[static_cast<std::size_t>(from - 1)];
    const SoakSample& last = samples.back();
    const double rssGrowth = first.rss ? (static_cast<double>(last.rss) - static_cast<double>(first.rss)) /
                                             static_cast<double>(first.rss)
                                       : 0.0;
    const long long fdGrowth = static_cast<long long>(last.fds) - static_cast<long long>(first.fds);
    std::uint64_t peak = 0;
    int cacheFullAt = 0; // the first job after which the memory cache held 90 % of its capacity
    for (std::size_t i = 0; i < samples.size(); ++i) {
        peak = std::max(peak, samples[i].rss);
        if (cacheFullAt == 0 && samples[i].cacheBytes * 10 >= memoryCacheBytes * 9)
            cacheFullAt = static_cast<int>(i + 1);
    }
    const std::string at = "_at_job_" + std::to_string(from);
    const std::string atLast = "_at_job_" + std::to_string(samples.size());
    constexpr double kMiB = 1 << 20;

    JsonWriter w;
    w.beginObject()
        .field("suite", suite)
        .field("jobs", static_cast<long long>(samples.size()))
        .field("size", size)
        .field("seconds", seconds)
        .field("memory_cache_capacity_mb", static_cast<double>(memoryCacheBytes) / kMiB)
        .field("memory_cache_mb" + at, static_cast<double>(first.cacheBytes) / kMiB)
        .field("memory_cache_full_at_job", cacheFullAt)
        .field("rss_mb" + at, static_cast<double>(first.rss) / kMiB)
        .field("rss_mb" + atLast, static_cast<double>(last.rss) / kMiB)
        .field("rss_peak_mb", static_cast<double>(peak) / kMiB)
        .field("rss_growth", rssGrowth)
        .field("heap_mb" + at, static_cast<double>(first.heapBytes) / kMiB)
        .field("heap_mb" + atLast, static_cast<double>(last.heapBytes) / kMiB)
        .field("fds" + at, static_cast<long long>(first.fds))
        .field("fds" + atLast, static_cast<long long>(last.fds))
        .field("fd_growth", fdGrowth);
    w.key("rss_mb_per_job").beginArray();
    for (const SoakSample& s : samples)
        w.value(static_cast<double>(s.rss) / kMiB);
    w.endArray().key("heap_mb_per_job").beginArray();
    for (const SoakSample& s : samples)
        w.value(static_cast<double>(s.heapBytes) / kMiB);
    w.endArray().key("memory_cache_mb_per_job").beginArray();
    for (const SoakSample& s : samples)
        w.value(static_cast<double>(s.cacheBytes) / kMiB);
    w.endArray().key("fds_per_job").beginArray();
    for (const SoakSample& s : samples)
        w.value(static_cast<long long>(s.fds));
    w.endArray().endObject();
    return w.str();
}

} // namespace avatar::bench
