#include "AdaptiveTtl.h"

#include <algorithm>
#include <cmath>

namespace avatar::cache {

namespace {
// Recomputing a percentile on every sample would sort 512 numbers per hit; every 16th is close enough.
constexpr std::size_t kUpdateEvery = 16;
} // namespace

AdaptiveTtl::AdaptiveTtl(TtlPolicy policy) : m_policy(policy) {}

std::int64_t AdaptiveTtl::compute(const std::vector<std::int64_t>& ring) const {
    if (ring.size() < m_policy.minSamples)
        return m_policy.maxTtlMs;
    std::vector<std::int64_t> sorted = ring;
    const auto rank =
        static_cast<std::size_t>(std::ceil(m_policy.percentile * static_cast<double>(sorted.size()))) - 1;
    const auto nth = sorted.begin() + static_cast<std::ptrdiff_t>(std::min(rank, sorted.size() - 1));
    std::nth_element(sorted.begin(), nth, sorted.end());
    const double ttl = m_policy.multiplier * static_cast<double>(*nth);
    return std::clamp(static_cast<std::int64_t>(ttl), m_policy.minTtlMs, m_policy.maxTtlMs);
}

std::size_t AdaptiveTtl::find(std::string_view kind) const {
    // Acquire pairs with the release in findOrAdd: a slot counted here has its name written.
    const std::size_t count = m_count.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < count; ++i) {
        if (m_slots[i].kind == kind)
            return i;
    }
    return kNone;
}

AdaptiveTtl::Slot* AdaptiveTtl::findOrAdd(std::string_view kind) {
    if (const std::size_t i = find(kind); i != kNone)
        return &m_slots[i];
    std::lock_guard lock(m_addMutex);
    if (const std::size_t i = find(kind); i != kNone) // another thread added it meanwhile
        return &m_slots[i];
    const std::size_t count = m_count.load(std::memory_order_relaxed);
    if (count == kMaxKinds)
        return nullptr;
    Slot& slot = m_slots[count];
    slot.kind = std::string(kind);
    slot.ttlMs.store(m_policy.maxTtlMs, std::memory_order_relaxed);
    m_count.store(count + 1, std::memory_order_release);
    return &slot;
}

void AdaptiveTtl::recordReuse(std::string_view kind, std::int64_t intervalMs) {
    if (intervalMs < 0)
        return;
    Slot* slot = findOrAdd(kind);
    if (!slot)
        return;
    std::unique_lock lock(slot->mutex, std::try_to_lock);
    if (!lock.owns_lock())
        return;
    if (slot->ring.size() < m_policy.samplesKept) {
        slot->ring.push_back(intervalMs);
    } else {
        slot->ring[slot->next] = intervalMs;
        slot->next = (slot->next + 1) % slot->ring.size();
    }
    if (++slot->sinceUpdate >= kUpdateEvery || slot->ring.size() == m_policy.minSamples) {
        slot->sinceUpdate = 0;
        slot->ttlMs.store(compute(slot->ring), std::memory_order_relaxed);
    }
}

std::int64_t AdaptiveTtl::ttl(std::string_view kind) const {
    const std::size_t i = find(kind);
    return i != kNone ? m_slots[i].ttlMs.load(std::memory_order_relaxed) : m_policy.maxTtlMs;
}

std::vector<KindTtl> AdaptiveTtl::snapshot() const {
    std::vector<KindTtl> out;
    const std::size_t count = m_count.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < count; ++i) {
        const Slot& slot = m_slots[i];
        std::lock_guard lock(slot.mutex);
        out.push_back(KindTtl{slot.kind, slot.ttlMs.load(std::memory_order_relaxed), slot.ring.size()});
    }
    std::sort(out.begin(), out.end(), [](const KindTtl& a, const KindTtl& b) { return a.kind < b.kind; });
    return out;
}

} // namespace avatar::cache
