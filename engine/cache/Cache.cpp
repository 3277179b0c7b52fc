#include "Cache.h"

#include "Hashing.h"

#include <chrono>

namespace avatar::cache {

namespace {
// Never-seen keys in a row before a new key counts as part of a scan: one edited sentence is 2 (its TTS and
// its segment), a preview of a new script is 60-120.
constexpr std::size_t kScanRun = 4;
} // namespace

CacheClock systemCacheClock() {
    return [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
}

Cache::Cache(CacheOptions options)
    : m_options(std::move(options)), m_memory(m_options.memory), m_ttl(m_options.ttl),
      m_classifier(m_options.classes), m_scanDetector(m_options.scans) {
    if (!m_options.clock)
        m_options.clock = systemCacheClock();
    if (!m_options.disk.path.empty())
        m_disk = std::make_unique<SqliteStore>(m_options.disk, m_options.onWarning);
    if (!m_options.shared.dir.empty())
        m_shared = std::make_unique<SharedStore>(m_options.shared, m_options.onWarning);
}

Cache::~Cache() = default;

std::int64_t Cache::now() const {
    return m_options.clock();
}

void Cache::learn(const CacheKey& key, std::uint64_t hash, std::size_t bytes, std::int64_t time) {
    if (!m_options.learning)
        return;
    std::unique_lock lock(m_learnMutex, std::try_to_lock);
    if (!lock.owns_lock())
        return;
    m_classifier.record(key.id(), hash, bytes, time);
    m_scanDetector.record(hash);
    if (++m_sinceMaintenance >= m_options.maintainEvery)
        maintainLocked(time);
}

Admission Cache::admissionFor(std::uint64_t hash, std::size_t bytes, std::int64_t time) {
    if (!m_options.learning)
        return Admission::Normal;
    std::unique_lock lock(m_learnMutex, std::try_to_lock);
    if (!lock.owns_lock())
        return Admission::Normal;
    // A key met at most once so far is "new": during a scan it does not get into L1 at all, provided it is
    // part of the scan itself, a run of never-seen keys. An edited sentence met while scan mode lingers
    // (the window after a preview) is a short run and is admitted: the next render will ask for it.
    if (m_scanDetector.scanning() && m_scanDetector.newRun() >= kScanRun &&
        m_classifier.accessCount(hash) <= 1) {
        ++m_bypassed;
        return Admission::Bypass;
    }
    if (m_classifier.classOf(hash, bytes, time) == AccessClass::OneHit &&
        m_classifier.accessCount(hash) <= 1) {
        ++m_windowOnly;
        return Admission::WindowOnly;
    }
    return Admission::Normal;
}

bool Cache::firstUse(std::uint64_t hash) const {
    // The sketch has counted every get and put of the key: at most one means only the miss that led to this
    // put, a value computed now. A batch writes hundreds of those (each row's own sentence, its composed
    // groups and sound) and never reads them again; a value used twice is read again far more often.
    return m_memory.frequency(hash) <= 1;
}

BlobPtr Cache::get(const CacheKey& key) {
    const std::int64_t time = now();
    const std::uint64_t hash = hashString(key.id());
    std::int64_t previous = 0;
    if (BlobPtr value = m_memory.get(key.id(), hash, time, m_ttl.ttl(key.kind()), &previous)) {
        m_ttl.recordReuse(key.kind(), time - previous);
        learn(key, hash, value->size(), time);
        return value;
    }
    if (m_disk) {
        if (std::optional<SqliteStore::Hit> hit = m_disk->get(key.id(), time)) {
            m_ttl.recordReuse(key.kind(), time - hit->lastAccess);
            learn(key, hash, hit->value->size(), time);
            if (m_memory.put(key.id(), hash, hit->value, time, admissionFor(hash, hit->value->size(), time)))
                ++m_promotions;
            return hit->value;
        }
    }
    if (m_shared) {
        if (BlobPtr value = m_shared->get(key.id(), key.kind())) {
            learn(key, hash, value->size(), time);
            if (m_disk)
                m_disk->put(key.id(), key.kind(), *value, time);
            m_memory.put(key.id(), hash, value, time, admissionFor(hash, value->size(), time));
            return value;
        }
    }
    learn(key, hash, 0, time);
    return nullptr;
}

void Cache::put(const CacheKey& key, Blob value) {
    put(key, std::make_shared<const Blob>(std::move(value)));
}

void Cache::put(const CacheKey& key, BlobPtr value) {
    if (!value)
        return;
    const std::int64_t time = now();
    const std::uint64_t hash = hashString(key.id());
    // The lower levels first: a first use may stay out of L1 only if L2 really took the value (not after
    // SQLITE_FULL or with no usable database), or L3 is there to hold it.
    bool heldBelow = false;
    if (m_disk)
        heldBelow = m_disk->put(key.id(), key.kind(), *value, time);
    if (m_shared) {
        m_shared->put(key.id(), *value);
        heldBelow = heldBelow || m_shared->stats().available;
    }
    if (heldBelow && firstUse(hash)) {
        // Bypass still counts the put in the sketch and still replaces a resident value of the key.
        ++m_firstUseWrites;
        m_memory.put(key.id(), hash, std::move(value), time, Admission::Bypass);
        return;
    }
    const Admission admission = admissionFor(hash, value->size(), time);
    m_memory.put(key.id(), hash, std::move(value), time, admission);
}

bool Cache::erase(const CacheKey& key) {
    const bool inMemory = m_memory.erase(key.id());
    const bool onDisk = m_disk && m_disk->erase(key.id());
    return inMemory || onDisk;
}

void Cache::maintain() {
    const std::int64_t time = now();
    std::lock_guard lock(m_learnMutex);
    maintainLocked(time);
}

void Cache::maintainLocked(std::int64_t time) {
    m_sinceMaintenance = 0;
    m_memory.removeExpired(time, [this](std::string_view kind) { return m_ttl.ttl(kind); });
    if (!m_options.learning || !m_classifier.classify(time))
        return;
    ++m_classifications;
    if (!m_disk || m_options.prefetchPerPass == 0)
        return;
    // Hot keys that fell out of L1 (or never reached it in this process) come back before they are asked
    // for: cheap for L2, and it hides the latency of the first hit of the next render.
    for (const std::string& id : m_classifier.hotKeys(m_options.prefetchPerPass, time)) {
        if (m_memory.contains(id))
            continue;
        if (std::optional<SqliteStore::Hit> hit = m_disk->get(id, time, false)) {
            if (m_memory.put(id, hit->value, time, Admission::Normal))
                ++m_prefetched;
        }
    }
}

CacheStats Cache::stats() const {
    CacheStats out;
    const ShardCounters l1 = m_memory.counters();
    out.l1 = LevelStats{l1.hits,     l1.misses, l1.expired, l1.evictions,
                        l1.rejected, l1.bytes,  l1.entries, m_memory.capacity()};
    if (m_disk) {
        const SqliteStoreCounters l2 = m_disk->counters();
        out.l2 = LevelStats{l2.hits, l2.misses, l2.expired, l2.evictions,
                            0,       l2.bytes,  l2.entries, m_options.disk.capacityBytes};
        out.l2Errors = l2.errors;
        out.checksumFailures = l2.checksumFailures;
        out.l2Open = l2.open;
        out.l2Degraded = l2.degraded;
        out.l2Rebuilt = l2.rebuilt;
    }
    if (m_shared) {
        const SharedStore::Stats l3 = m_shared->stats();
        out.l3.hits = l3.hits;
        out.l3.misses = l3.misses;
        out.l3Writes = l3.writes;
        out.l3Waits = l3.waits;
        out.l3Errors = l3.errors;
        out.l3Open = l3.available;
    }
    out.promotions = m_promotions.load();
    out.prefetched = m_prefetched.load();
    out.bypassedAdmissions = m_bypassed.load();
    out.windowOnlyAdmissions = m_windowOnly.load();
    out.firstUseWrites = m_firstUseWrites.load();
    out.classifications = m_classifications.load();
    {
        std::lock_guard lock(m_learnMutex);
        out.scansDetected = m_scanDetector.scansDetected();
        out.anomalousWindows = m_scanDetector.anomalousWindows();
        out.keysOneHit = m_classifier.keysIn(AccessClass::OneHit);
        out.keysNormal = m_classifier.keysIn(AccessClass::Normal);
        out.keysHot = m_classifier.keysIn(AccessClass::HotPeriodic);
    }
    out.ttl = m_ttl.snapshot();
    return out;
}

} // namespace avatar::cache
