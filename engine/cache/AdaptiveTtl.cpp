#include "AdaptiveTtl.h"

#include <algorithm>
#include <cmath>
#include <mutex>

namespace avatar::cache {

namespace {
// Recomputing a percentile on every sample would sort 512 numbers per hit; every 16th is close enough.
constexpr std::size_t kUpdateEvery = 16;
} // namespace

AdaptiveTtl::AdaptiveTtl(TtlPolicy policy) : m_policy(policy) {}

std::int64_t AdaptiveTtl::compute(const Samples& samples) const {
    if (samples.ring.size() < m_policy.minSamples)
        return m_policy.maxTtlMs;
    std::vector<std::int64_t> sorted = samples.ring;
    const auto rank =
        static_cast<std::size_t>(std::ceil(m_policy.percentile * static_cast<double>(sorted.size()))) - 1;
    const auto nth = sorted.begin() + static_cast<std::ptrdiff_t>(std::min(rank, sorted.size() - 1));
    std::nth_element(sorted.begin(), nth, sorted.end());
    const double ttl = m_policy.multiplier * static_cast<double>(*nth);
    return std::clamp(static_cast<std::int64_t>(ttl), m_policy.minTtlMs, m_policy.maxTtlMs);
}

void AdaptiveTtl::recordReuse(std::string_view kind, std::int64_t intervalMs) {
    if (intervalMs < 0)
        return;
    std::unique_lock lock(m_mutex);
    auto it = m_kinds.find(std::string(kind));
    if (it == m_kinds.end())
        it = m_kinds.emplace(std::string(kind), Samples{{}, 0, 0, m_policy.maxTtlMs}).first;
    Samples& samples = it->second;
    if (samples.ring.size() < m_policy.samplesKept) {
        samples.ring.push_back(intervalMs);
    } else {
        samples.ring[samples.next] = intervalMs;
        samples.next = (samples.next + 1) % samples.ring.size();
    }
    if (++samples.sinceUpdate >= kUpdateEvery || samples.ring.size() == m_policy.minSamples) {
        samples.sinceUpdate = 0;
        samples.ttlMs = compute(samples);
    }
}

std::int64_t AdaptiveTtl::ttl(std::string_view kind) const {
    std::shared_lock lock(m_mutex);
    const auto it = m_kinds.find(std::string(kind));
    return it == m_kinds.end() ? m_policy.maxTtlMs : it->second.ttlMs;
}

std::vector<KindTtl> AdaptiveTtl::snapshot() const {
    std::shared_lock lock(m_mutex);
    std::vector<KindTtl> out;
    for (const auto& [kind, samples] : m_kinds)
        out.push_back(KindTtl{kind, samples.ttlMs, samples.ring.size()});
    std::sort(out.begin(), out.end(), [](const KindTtl& a, const KindTtl& b) { return a.kind < b.kind; });
    return out;
}

} // namespace avatar::cache
