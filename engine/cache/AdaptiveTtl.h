#pragma once

#include <cstddef>
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace avatar::cache {

struct TtlPolicy {
    double multiplier = 4.0; // TTL = multiplier x the percentile below of observed reuse intervals
    double percentile = 0.95;
    std::int64_t minTtlMs = 60'000;
    std::int64_t maxTtlMs = std::int64_t{24} * 3600 * 1000; // also the TTL before enough samples exist
    std::size_t minSamples = 16;
    std::size_t samplesKept = 512; // the most recent reuse intervals per class
};

struct KindTtl {
    std::string kind;
    std::int64_t ttlMs = 0;
    std::size_t samples = 0;
};

// A time-to-live per key class (tts, face, segment, ...) learned from how long entries of that class
// actually wait between uses: an entry idle for much longer than its class usually waits is unlikely to be
// used again, so it stops occupying memory. Thread-safe.
class AdaptiveTtl {
public:
    explicit AdaptiveTtl(TtlPolicy policy = {});

    void recordReuse(std::string_view kind, std::int64_t intervalMs);
    std::int64_t ttl(std::string_view kind) const;
    std::vector<KindTtl> snapshot() const;

private:
    struct Samples {
        std::vector<std::int64_t> ring;
        std::size_t next = 0;
        std::size_t sinceUpdate = 0;
        std::int64_t ttlMs = 0;
    };
    std::int64_t compute(const Samples& samples) const;

    TtlPolicy m_policy;
    mutable std::shared_mutex m_mutex;
    std::unordered_map<std::string, Samples> m_kinds;
};

} // namespace avatar::cache
