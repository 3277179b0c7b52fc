#include "LruCache.h"

#include "TinyLfuShard.h"

namespace avatar::cache {

bool LruCache::access(std::string_view id, std::size_t valueBytes) {
    if (const auto found = m_index.find(id); found != m_index.end()) {
        m_order.splice(m_order.begin(), m_order, found->second);
        return true;
    }
    const std::size_t charge = TinyLfuShard::charge(id, valueBytes);
    if (charge > m_capacity)
        return false;
    m_order.push_front(Entry{std::string(id), charge});
    m_index.emplace(std::string_view(m_order.front().id), m_order.begin());
    m_bytes += charge;
    while (m_bytes > m_capacity) {
        const auto victim = std::prev(m_order.end());
        m_bytes -= victim->charge;
        m_index.erase(std::string_view(victim->id));
        m_order.erase(victim);
    }
    return false;
}

} // namespace avatar::cache
