#include "TinyLfuShard.h"

#include <algorithm>
#include <cmath>

namespace avatar::cache {

namespace {
// Per-entry bookkeeping charged against the byte budget (list node, map slot, shared_ptr control block), so
// that a flood of tiny values cannot overrun the budget in real memory.
constexpr std::size_t kEntryOverhead = 96;
constexpr std::size_t kMinSampleSize = 160;
// The window never shrinks below 1% (Caffeine's default) nor grows past 80%: main always keeps room for the
// frequent keys, so a recency phase cannot flush them all.
constexpr double kMinWindowFraction = 0.01;
constexpr double kMaxWindowFraction = 0.80;
// Ghosts remembered per area, in multiples of the shard's resident entries (ARC keeps one cache's worth).
constexpr std::size_t kGhostsPerEntry = 1;
constexpr std::size_t kMinGhosts = 16;
// A window-ghost hit moves the boundary two average entries, a main-ghost hit one. The asymmetry is a
// measured choice, not a derived one: a key the window let go has lost a duel and usually loses the next one
// too (its count is still 2-3), so it costs several misses, while a main-ghost key is frequent and wins its
// way back on its next duel. Over five seeds of both bench traces, 2 beat LRU on both; 1 hovered at LRU on
// the creator trace.
constexpr std::size_t kGrowSteps = 2;
} // namespace

TinyLfuShard::TinyLfuShard(std::size_t capacityBytes, double windowFraction, double protectedFraction,
                           std::size_t sketchWidth)
    : m_capacity(capacityBytes),
      m_windowCapacity(std::max<std::size_t>(
          1, static_cast<std::size_t>(std::llround(static_cast<double>(capacityBytes) * windowFraction)))),
      m_mainCapacity(capacityBytes > m_windowCapacity ? capacityBytes - m_windowCapacity : 0),
      m_protectedCapacity(
          static_cast<std::size_t>(std::llround(static_cast<double>(m_mainCapacity) * protectedFraction))),
      m_sketch(sketchWidth), m_protectedFraction(protectedFraction) {
    m_windowGhosts.setCapacity(kMinGhosts);
    m_mainGhosts.setCapacity(kMinGhosts);
}

std::size_t TinyLfuShard::windowCapacity() const {
    std::lock_guard lock(m_mutex);
    return m_windowCapacity;
}

double TinyLfuShard::windowFraction() const {
    std::lock_guard lock(m_mutex);
    return m_capacity ? static_cast<double>(m_windowCapacity) / static_cast<double>(m_capacity) : 0.0;
}

void TinyLfuShard::adaptWindow(std::uint64_t hash) {
    const bool windowWouldHit = m_windowGhosts.take(hash);
    const bool mainWouldHit = !windowWouldHit && m_mainGhosts.take(hash);
    if (!windowWouldHit && !mainWouldHit)
        return;
    // One average resident entry per ghost hit: in bytes, so that a shard of large blobs moves as fast (in
    // entries) as one of small values.
    const std::size_t bytesHeld = m_bytes[0] + m_bytes[1] + m_bytes[2];
    const std::size_t step = std::max<std::size_t>(1, bytesHeld / std::max<std::size_t>(1, m_index.size()));
    const auto low = static_cast<std::size_t>(static_cast<double>(m_capacity) * kMinWindowFraction);
    const auto high = static_cast<std::size_t>(static_cast<double>(m_capacity) * kMaxWindowFraction);
    const std::size_t target = windowWouldHit
                                   ? std::min(high, m_windowCapacity + kGrowSteps * step)
                                   : std::max(low, m_windowCapacity > step ? m_windowCapacity - step : 0);
    if (target != m_windowCapacity)
        resizeWindow(target);
}

void TinyLfuShard::resizeWindow(std::size_t windowCapacity) {
    m_windowCapacity = std::max<std::size_t>(1, windowCapacity);
    m_mainCapacity = m_capacity > m_windowCapacity ? m_capacity - m_windowCapacity : 0;
    m_protectedCapacity =
        static_cast<std::size_t>(std::llround(static_cast<double>(m_mainCapacity) * m_protectedFraction));
    // Both areas are brought back within their new budgets at once, so the total never exceeds the capacity.
    evictWindow();
    evictMain(list(Segment::Probation).end());
    while (bytes(Segment::Protected) > m_protectedCapacity && !list(Segment::Protected).empty())
        moveTo(std::prev(list(Segment::Protected).end()), Segment::Probation);
}

std::size_t TinyLfuShard::charge(std::string_view id, std::size_t valueBytes) {
    return valueBytes + id.size() + kEntryOverhead;
}

std::size_t TinyLfuShard::mainBytes() const {
    return m_bytes[static_cast<std::size_t>(Segment::Probation)] +
           m_bytes[static_cast<std::size_t>(Segment::Protected)];
}

void TinyLfuShard::moveTo(List::iterator it, Segment segment) {
    bytes(it->segment) -= it->charge;
    bytes(segment) += it->charge;
    // splice keeps the node (and so the string_view key in m_index) where it is in memory.
    list(segment).splice(list(segment).begin(), list(it->segment), it);
    it->segment = segment;
}

void TinyLfuShard::remove(List::iterator it) {
    bytes(it->segment) -= it->charge;
    m_index.erase(std::string_view(it->id));
    list(it->segment).erase(it);
}

void TinyLfuShard::onHit(List::iterator it) {
    // A key guessed "one-hit" that is used again was guessed wrong: it may compete for main like any other.
    it->windowOnly = false;
    switch (it->segment) {
    case Segment::Window:
    case Segment::Protected:
        list(it->segment).splice(list(it->segment).begin(), list(it->segment), it);
        break;
    case Segment::Probation:
        moveTo(it, Segment::Protected);
        // Protected overflow goes back to probation's recent end: it gets a second chance, not eviction.
        while (bytes(Segment::Protected) > m_protectedCapacity && list(Segment::Protected).size() > 1)
            moveTo(std::prev(list(Segment::Protected).end()), Segment::Probation);
        break;
    }
}

BlobPtr TinyLfuShard::get(std::string_view id, std::uint64_t hash, std::int64_t now, std::int64_t ttlMs,
                          std::int64_t* previousAccess) {
    std::lock_guard lock(m_mutex);
    m_sketch.increment(hash);
    const auto found = m_index.find(id);
    if (found == m_index.end()) {
        ++m_counters.misses;
        adaptWindow(hash);
        return nullptr;
    }
    const auto it = found->second;
    if (now - it->lastAccess > ttlMs) {
        remove(it);
        ++m_counters.expired;
        ++m_counters.misses;
        return nullptr;
    }
    if (previousAccess)
        *previousAccess = it->lastAccess;
    it->lastAccess = std::max(it->lastAccess, now);
    onHit(it);
    ++m_counters.hits;
    return it->value;
}

bool TinyLfuShard::put(std::string_view id, std::uint64_t hash, BlobPtr value, std::int64_t now,
                       Admission admission) {
    if (!value)
        return false;
    const std::size_t entryCharge = charge(id, value->size());
    std::lock_guard lock(m_mutex);
    m_sketch.increment(hash);
    if (const auto found = m_index.find(id); found != m_index.end()) {
        const auto it = found->second;
        if (entryCharge > std::max(m_windowCapacity, m_mainCapacity)) {
            remove(it);
            ++m_counters.rejected;
            return false;
        }
        bytes(it->segment) += entryCharge;
        bytes(it->segment) -= it->charge;
        it->charge = entryCharge;
        it->value = std::move(value);
        it->lastAccess = std::max(it->lastAccess, now);
        const Segment segment = it->segment;
        onHit(it);
        if (segment == Segment::Window)
            evictWindow();
        else
            evictMain(list(Segment::Probation).end());
        return m_index.contains(id);
    }
    if (admission == Admission::Bypass || entryCharge > std::max(m_windowCapacity, m_mainCapacity)) {
        ++m_counters.rejected;
        return false;
    }
    // Aging follows the number of resident entries: 10 x entries, as in the TinyLFU paper.
    m_sketch.setSampleSize(std::max<std::size_t>(kMinSampleSize, 10 * (m_index.size() + 1)));
    m_windowGhosts.setCapacity(std::max(kMinGhosts, kGhostsPerEntry * (m_index.size() + 1)));
    m_mainGhosts.setCapacity(std::max(kMinGhosts, kGhostsPerEntry * (m_index.size() + 1)));
    List& window = list(Segment::Window);
    window.push_front(Entry{std::string(id), hash, std::move(value), entryCharge, now, Segment::Window,
                            admission == Admission::WindowOnly});
    bytes(Segment::Window) += entryCharge;
    m_index.emplace(std::string_view(window.front().id), window.begin());
    evictWindow();
    return m_index.contains(id);
}

void TinyLfuShard::evictWindow() {
    List& window = list(Segment::Window);
    while (bytes(Segment::Window) > m_windowCapacity && !window.empty()) {
        const auto candidate = std::prev(window.end());
        if (candidate->windowOnly) {
            m_windowGhosts.add(candidate->hash);
            remove(candidate);
            ++m_counters.rejected;
            continue;
        }
        moveTo(candidate, Segment::Probation);
        evictMain(candidate);
    }
}

// Makes main fit its budget. `candidate` (or probation's end() for none) is the entry that just left the
// window: it duels each victim from probation's cold end (then protected's), and the one the sketch thinks
// less frequent goes. Ties go against the candidate: a newcomer must prove itself.
void TinyLfuShard::evictMain(List::iterator candidate) {
    List& probation = list(Segment::Probation);
    List& protectedList = list(Segment::Protected);
    bool hasCandidate = candidate != probation.end();
    while (mainBytes() > m_mainCapacity) {
        List::iterator victim;
        if (!probation.empty() && !(hasCandidate && std::prev(probation.end()) == candidate))
            victim = std::prev(probation.end());
        else if (!protectedList.empty())
            victim = std::prev(protectedList.end());
        else if (!probation.empty())
            victim = std::prev(probation.end());
        else
            break;
        if (hasCandidate && victim != candidate) {
            // Ties still go against the candidate (as in Caffeine): admitting on ties was measured to cost
            // about 3 points of hit ratio on the creator trace, main then churns on the many keys at 2-3.
            if (m_sketch.estimate(candidate->hash) > m_sketch.estimate(victim->hash)) {
                m_mainGhosts.add(victim->hash);
                remove(victim);
                ++m_counters.evictions;
            } else {
                m_windowGhosts.add(candidate->hash);
                remove(candidate);
                ++m_counters.rejected;
                hasCandidate = false;
            }
        } else {
            if (hasCandidate && victim == candidate) {
                m_windowGhosts.add(victim->hash);
                ++m_counters.rejected;
                hasCandidate = false;
            } else {
                m_mainGhosts.add(victim->hash);
                ++m_counters.evictions;
            }
            remove(victim);
        }
    }
}

bool TinyLfuShard::contains(std::string_view id) const {
    std::lock_guard lock(m_mutex);
    return m_index.contains(id);
}

bool TinyLfuShard::erase(std::string_view id) {
    std::lock_guard lock(m_mutex);
    const auto found = m_index.find(id);
    if (found == m_index.end())
        return false;
    remove(found->second);
    return true;
}

std::size_t TinyLfuShard::removeExpired(std::int64_t now,
                                        const std::function<std::int64_t(std::string_view)>& ttlFor) {
    std::lock_guard lock(m_mutex);
    std::size_t removed = 0;
    // Each list is (nearly) in access order, so the idle entries sit at its cold end: the sweep stops at the
    // first live one instead of walking every entry under the lock (a full walk every maintenance pass was
    // a quarter of the single-thread time). An entry out of order (probation holds window leftovers and
    // protected's overflow) is still caught by get(), which checks the TTL itself.
    for (List& segment : m_lists) {
        while (!segment.empty()) {
            const auto it = std::prev(segment.end());
            const std::string_view id(it->id);
            if (now - it->lastAccess <= ttlFor(id.substr(0, id.find(':'))))
                break;
            remove(it);
            ++removed;
        }
    }
    m_counters.expired += removed;
    return removed;
}

void TinyLfuShard::clear() {
    std::lock_guard lock(m_mutex);
    m_index.clear();
    m_windowGhosts.clear();
    m_mainGhosts.clear();
    for (std::size_t i = 0; i < 3; ++i) {
        m_lists[i].clear();
        m_bytes[i] = 0;
    }
}

unsigned TinyLfuShard::frequency(std::uint64_t hash) const {
    std::lock_guard lock(m_mutex);
    return m_sketch.estimate(hash);
}

ShardCounters TinyLfuShard::counters() const {
    std::lock_guard lock(m_mutex);
    ShardCounters out = m_counters;
    out.bytes = m_bytes[0] + m_bytes[1] + m_bytes[2];
    out.entries = m_index.size();
    return out;
}

} // namespace avatar::cache
