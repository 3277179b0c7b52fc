#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>

namespace avatar::cache {

// Hashes of entries recently dropped from one area of a shard, without their values (ARC's "ghost" lists).
// A miss on a ghost says "had this area been larger, that was a hit": the shard uses the two ghosts' hits to
// decide which way to move the window/main boundary. Bounded FIFO: the oldest ghost is forgotten first.
// Not thread-safe: the shard calls it under its lock.
class GhostList {
public:
    void setCapacity(std::size_t capacity) { m_capacity = capacity; }
    void add(std::uint64_t hash);
    // Removes the ghost if present; returns whether it was.
    bool take(std::uint64_t hash);
    void clear();
    std::size_t size() const { return m_members.size(); }

private:
    void trim();

    std::size_t m_capacity = 0;
    std::uint64_t m_next = 0;
    // FIFO of (hash, sequence); an entry whose sequence no longer matches m_members is a stale leftover
    // of a take() or a re-add, skipped when it reaches the front.
    std::deque<std::pair<std::uint64_t, std::uint64_t>> m_order;
    std::unordered_map<std::uint64_t, std::uint64_t> m_members;
};

} // namespace avatar::cache
