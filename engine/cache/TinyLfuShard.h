#pragma once

#include "CacheTypes.h"
#include "CountMinSketch.h"
#include "GhostList.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace avatar::cache {

// Counters of one shard (or of all of L1, summed).
struct ShardCounters {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t expired = 0;   // hits turned into misses because the entry outlived its class's TTL
    std::uint64_t evictions = 0; // resident entries dropped to make room
    std::uint64_t rejected = 0;  // candidates refused by the admission duel (or too large, or window-only)
    std::uint64_t bytes = 0;
    std::uint64_t entries = 0;
};

// One shard of L1: W-TinyLFU over a byte budget. New entries enter a small LRU window (~1%); an entry pushed
// out of the window becomes a candidate for the main area (SLRU: probation + protected ~80%) and gets in only
// if the sketch estimates it more frequent than main's LRU victim. A hit in probation promotes to protected;
// protected's overflow is demoted back to probation. Thread-safe: one mutex per shard.
class TinyLfuShard {
public:
    TinyLfuShard(std::size_t capacityBytes, double windowFraction, double protectedFraction,
                 std::size_t sketchWidth);
    TinyLfuShard(const TinyLfuShard&) = delete;
    TinyLfuShard& operator=(const TinyLfuShard&) = delete;

    // Bytes charged for one entry: the value, the key and bookkeeping.
    static std::size_t charge(std::string_view id, std::size_t valueBytes);

    // A hit refreshes recency; an entry idle for longer than ttlMs is removed and reported as a miss.
    // previousAccess (if given) receives the entry's last access time on a hit, for reuse-interval stats.
    BlobPtr get(std::string_view id, std::uint64_t hash, std::int64_t now, std::int64_t ttlMs,
                std::int64_t* previousAccess = nullptr);
    // Inserts or replaces; returns whether the value is resident afterwards.
    bool put(std::string_view id, std::uint64_t hash, BlobPtr value, std::int64_t now, Admission admission);
    bool contains(std::string_view id) const;
    bool erase(std::string_view id);
    // Drops every entry whose idle time exceeds ttlFor(kind-of-its-key); returns how many.
    std::size_t removeExpired(std::int64_t now, const std::function<std::int64_t(std::string_view)>& ttlFor);
    void clear();

    unsigned frequency(std::uint64_t hash) const;
    ShardCounters counters() const;
    std::size_t capacity() const { return m_capacity; }
    std::size_t windowCapacity() const;
    double windowFraction() const;

private:
    enum class Segment : std::uint8_t { Window, Probation, Protected };
    struct Entry {
        std::string id;
        std::uint64_t hash = 0;
        BlobPtr value;
        std::size_t charge = 0;
        std::int64_t lastAccess = 0;
        Segment segment = Segment::Window;
        bool windowOnly = false;
    };
    using List = std::list<Entry>;

    List& list(Segment segment) { return m_lists[static_cast<std::size_t>(segment)]; }
    std::size_t& bytes(Segment segment) { return m_bytes[static_cast<std::size_t>(segment)]; }
    void moveTo(List::iterator it, Segment segment);
    void remove(List::iterator it);
    void onHit(List::iterator it);
    void evictWindow();
    void evictMain(List::iterator candidate);
    std::size_t mainBytes() const;

    mutable std::mutex m_mutex;
    std::size_t m_capacity;
    std::size_t m_windowCapacity;
    std::size_t m_mainCapacity;
    std::size_t m_protectedCapacity;
    CountMinSketch m_sketch;
    List m_lists[3];
    std::size_t m_bytes[3] = {0, 0, 0};
    std::unordered_map<std::string_view, List::iterator> m_index; // views into Entry::id, stable in a list
    ShardCounters m_counters;

    // The window's size adapts to the traffic, as Caffeine's does: recency-heavy traffic (re-rendering the
    // same script after edits) wants a big window, frequency-heavy traffic a small one. Caffeine climbs on
    // the hit rate of successive samples of 10 x entries requests; with blobs of 100 KiB+ a shard holds a few
    // dozen entries, a sample spans only a few renders, and the change between samples is the traffic's phase
    // (a preview, a project switch), not the window's effect, so that climber walks at random. The direction
    // here comes from ghosts instead (ARC's rule): a miss on a key the window recently let go (it lost the
    // duel) means a bigger window would have hit; a miss on a key main recently evicted means a bigger main
    // would have. Such a miss moves the boundary by two (window) or one (main) average entries.
    void adaptWindow(std::uint64_t hash);
    void resizeWindow(std::size_t windowCapacity);

    double m_protectedFraction;
    GhostList m_windowGhosts;
    GhostList m_mainGhosts;
};

} // namespace avatar::cache
