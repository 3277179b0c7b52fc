#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace avatar::cache {

// A plain byte-bounded LRU that only tracks keys and sizes: the baseline the benchmark and the tests
// compare W-TinyLFU against, charged with the same per-entry bytes as L1 so that both get the same budget.
class LruCache {
public:
    explicit LruCache(std::size_t capacityBytes) : m_capacity(capacityBytes) {}

    // Returns whether the key was resident; on a miss the key is inserted (evicting from the cold end).
    bool access(std::string_view id, std::size_t valueBytes);
    std::size_t bytes() const { return m_bytes; }

private:
    struct Entry {
        std::string id;
        std::size_t charge;
    };
    std::size_t m_capacity;
    std::size_t m_bytes = 0;
    std::list<Entry> m_order;
    std::unordered_map<std::string_view, std::list<Entry>::iterator> m_index;
};

} // namespace avatar::cache
