#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace avatar::cache {
struct CacheOptions;
}

namespace avatar::bench {

// Both soak suites (the queue's and the studio's) run the same long run.
constexpr int kSoakJobs = 100;
constexpr int kSoakFrom = 10; // the growth is measured from this job, once the memory cache is full
// Small enough that the first few jobs' speech and segments fill it (about 180 KB a job at 320x180), in four
// shards so that a job's speech (about 100 KB) still fits a shard.
constexpr std::size_t kSoakMemoryCacheBytes = std::size_t{1} << 20;

// The soak's cache: the small memory level above, a disk level in dir/cache/cache.db.
cache::CacheOptions soakCacheOptions(const std::filesystem::path& dir);
// The sentence job `i` speaks: every job is different, so each one synthesises, renders and encodes anew.
std::string soakSentence(int i);

// What the soak suites read after every job: the process's resident memory, its open file descriptors, the
// bytes in the cache's memory level (so that the cache filling is not taken for a leak) and the heap in use
// (so that memory the allocator keeps after a free is not taken for a leak either).
struct SoakSample {
    std::uint64_t rss = 0;
    std::size_t fds = 0;
    std::uint64_t cacheBytes = 0;
    std::uint64_t heapBytes = 0; // malloc's bytes in use (glibc mallinfo2): RSS less what freed pages keep
};

// Entries of /proc/self/fd.
std::size_t openDescriptors();
SoakSample takeSoakSample(std::uint64_t cacheBytes);

// The suite's JSON line: rss_growth and fd_growth from job `from` (1-based) to the last, the peak, when the
// memory cache was full, and the per-job series. `samples` must hold at least `from` entries.
std::string soakReportJson(const std::string& suite, const std::vector<SoakSample>& samples, int from,
                           const std::string& size, double seconds, std::size_t memoryCacheBytes);

} // namespace avatar::bench
