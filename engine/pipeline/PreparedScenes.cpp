#include "PreparedScenes.h"

#include <algorithm>

namespace avatar {

std::optional<PreparedScenes::Entry> PreparedScenes::find(const std::string& key) {
    const std::lock_guard lock(m_mutex);
    const auto it =
        std::find_if(m_entries.begin(), m_entries.end(), [&](const auto& e) { return e.first == key; });
    if (it == m_entries.end())
        return std::nullopt;
    m_entries.splice(m_entries.begin(), m_entries, it);
    return it->second;
}

void PreparedScenes::put(const std::string& key, Entry entry) {
    const std::lock_guard lock(m_mutex);
    std::erase_if(m_entries, [&](const auto& e) { return e.first == key; });
    m_entries.emplace_front(key, std::move(entry));
    trim();
}

void PreparedScenes::setCapacity(std::size_t capacity) {
    const std::lock_guard lock(m_mutex);
    m_capacity = capacity;
    trim();
}

std::size_t PreparedScenes::capacity() const {
    const std::lock_guard lock(m_mutex);
    return m_capacity;
}

std::size_t PreparedScenes::size() const {
    const std::lock_guard lock(m_mutex);
    return m_entries.size();
}

void PreparedScenes::trim() {
    while (m_entries.size() > m_capacity)
        m_entries.pop_back();
}

} // namespace avatar
