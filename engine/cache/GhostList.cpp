#include "GhostList.h"

namespace avatar::cache {

void GhostList::add(std::uint64_t hash) {
    if (m_capacity == 0)
        return;
    const std::uint64_t sequence = m_next++;
    m_members[hash] = sequence;
    m_order.emplace_back(hash, sequence);
    trim();
}

bool GhostList::take(std::uint64_t hash) {
    return m_members.erase(hash) > 0;
}

void GhostList::clear() {
    m_order.clear();
    m_members.clear();
}

void GhostList::trim() {
    // Stale leftovers are dropped as they surface, and the deque is also bounded by them: at most one live
    // and a few stale records per capacity slot.
    while (!m_order.empty() && (m_members.size() > m_capacity || m_order.size() > 4 * m_capacity + 16)) {
        const auto [hash, sequence] = m_order.front();
        m_order.pop_front();
        if (const auto found = m_members.find(hash); found != m_members.end() && found->second == sequence)
            m_members.erase(found);
    }
}

} // namespace avatar::cache
