#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
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
//
// ttl() is on every L1 hit, so it takes no lock and allocates nothing: classes live in a fixed table of
// slots, published once (name first, then the count), and each slot's TTL is an atomic. recordReuse() takes
// its slot's lock with try_lock: under contention a sample is dropped, which a percentile over 512 samples
// does not notice (the same trade as the cache's lossy access recording).
class AdaptiveTtl {
public:
    static constexpr std::size_t kMaxKinds = 32; // classes beyond this get maxTtlMs and are not learned

    explicit AdaptiveTtl(TtlPolicy policy = {});
    AdaptiveTtl(const AdaptiveTtl&) = delete;
    AdaptiveTtl& operator=(const AdaptiveTtl&) = delete;

    void recordReuse(std::string_view kind, std::int64_t intervalMs);
    std::int64_t ttl(std::string_view kind) const;
    std::vector<KindTtl> snapshot() const;

private:
    struct Slot {
        std::string kind; // written before the slot is published, never after
        std::atomic<std::int64_t> ttlMs{0};
        mutable std::mutex mutex; // guards the samples below
        std::vector<std::int64_t> ring;
        std::size_t next = 0;
        std::size_t sinceUpdate = 0;
    };
    static constexpr std::size_t kNone = kMaxKinds;
    std::size_t find(std::string_view kind) const; // slot index, or kNone
    Slot* findOrAdd(std::string_view kind);
    std::int64_t compute(const std::vector<std::int64_t>& ring) const;

    TtlPolicy m_policy;
    std::array<Slot, kMaxKinds> m_slots;
    std::atomic<std::size_t> m_count{0};
    std::mutex m_addMutex; // serialises adding a class
};

} // namespace avatar::cache
