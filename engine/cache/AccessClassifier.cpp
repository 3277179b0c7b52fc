#include "AccessClassifier.h"

#include <algorithm>
#include <cmath>

namespace avatar::cache {

namespace {
constexpr std::size_t kFeatures = 4;
constexpr std::size_t kMinKeysToClassify = 32;
} // namespace

const char* accessClassName(AccessClass accessClass) {
    switch (accessClass) {
    case AccessClass::Unknown:
        return "unknown";
    case AccessClass::OneHit:
        return "one-hit";
    case AccessClass::Normal:
        return "normal";
    case AccessClass::HotPeriodic:
        return "hot-periodic";
    }
    return "unknown";
}

AccessClassifier::AccessClassifier(AccessClassifierOptions options) : m_options(options) {}

void AccessClassifier::record(std::string_view id, std::uint64_t hash, std::size_t bytes, std::int64_t now) {
    auto [it, inserted] = m_keys.try_emplace(hash);
    KeyStats& stats = it->second;
    if (inserted) {
        stats.id = std::string(id);
        stats.first = now;
    }
    ++stats.count;
    stats.last = std::max(stats.last, now);
    if (bytes > 0)
        stats.bytes = bytes;
    if (m_keys.size() > 2 * m_options.maxTrackedKeys)
        prune();
}

void AccessClassifier::prune() {
    if (m_keys.size() <= m_options.maxTrackedKeys)
        return;
    std::vector<std::int64_t> lastAccesses;
    lastAccesses.reserve(m_keys.size());
    for (const auto& [hash, stats] : m_keys)
        lastAccesses.push_back(stats.last);
    const auto cut =
        lastAccesses.begin() + static_cast<std::ptrdiff_t>(m_keys.size() - m_options.maxTrackedKeys);
    std::nth_element(lastAccesses.begin(), cut, lastAccesses.end());
    const std::int64_t oldestKept = *cut;
    std::erase_if(m_keys, [&](const auto& item) { return item.second.last < oldestKept; });
}

FeatureVector AccessClassifier::rawFeatures(const KeyStats& stats, std::int64_t now) const {
    const double seconds = 1.0 / 1000.0;
    const double recency = static_cast<double>(std::max<std::int64_t>(0, now - stats.last)) * seconds;
    // One access has no interval yet; its age is a lower bound on the one it will have.
    const double interval = stats.count > 1
                                ? static_cast<double>(stats.last - stats.first) * seconds / (stats.count - 1)
                                : static_cast<double>(std::max<std::int64_t>(0, now - stats.first)) * seconds;
    return {std::log1p(static_cast<double>(stats.count)), std::log1p(recency), std::log1p(interval),
            std::log1p(static_cast<double>(stats.bytes))};
}

FeatureVector AccessClassifier::normalised(FeatureVector raw) const {
    for (std::size_t d = 0; d < raw.size() && d < m_mean.size(); ++d)
        raw[d] = (raw[d] - m_mean[d]) / m_scale[d];
    return raw;
}

bool AccessClassifier::classify(std::int64_t now) {
    prune();
    if (m_keys.size() < kMinKeysToClassify)
        return false;
    std::vector<FeatureVector> points;
    std::vector<const KeyStats*> order;
    points.reserve(m_keys.size());
    order.reserve(m_keys.size());
    for (const auto& [hash, stats] : m_keys)
        order.push_back(&stats);
    // Hash-map order is not deterministic across library versions; sorting by id makes k-means' input so.
    std::sort(order.begin(), order.end(), [](const KeyStats* a, const KeyStats* b) { return a->id < b->id; });
    for (const KeyStats* stats : order)
        points.push_back(rawFeatures(*stats, now));

    m_mean.assign(kFeatures, 0.0);
    m_scale.assign(kFeatures, 0.0);
    for (const FeatureVector& p : points)
        for (std::size_t d = 0; d < kFeatures; ++d)
            m_mean[d] += p[d] / static_cast<double>(points.size());
    for (const FeatureVector& p : points)
        for (std::size_t d = 0; d < kFeatures; ++d)
            m_scale[d] += (p[d] - m_mean[d]) * (p[d] - m_mean[d]) / static_cast<double>(points.size());
    for (double& s : m_scale)
        s = s > 1e-12 ? std::sqrt(s) : 1.0;
    for (FeatureVector& p : points)
        p = normalised(std::move(p));

    const KMeansResult result = kMeans(points, m_options.clusters, m_options.seed);
    m_centroids = result.centroids;

    // Name the clusters by their mean access count (in real units, not z-scores).
    std::vector<double> meanCount(m_centroids.size(), 0.0);
    std::vector<std::size_t> members(m_centroids.size(), 0);
    for (std::size_t i = 0; i < order.size(); ++i) {
        meanCount[result.labels[i]] += order[i]->count;
        ++members[result.labels[i]];
    }
    for (std::size_t c = 0; c < meanCount.size(); ++c)
        meanCount[c] = members[c] ? meanCount[c] / static_cast<double>(members[c]) : 0.0;
    const auto coldest =
        static_cast<std::size_t>(std::min_element(meanCount.begin(), meanCount.end()) - meanCount.begin());
    const auto hottest =
        static_cast<std::size_t>(std::max_element(meanCount.begin(), meanCount.end()) - meanCount.begin());
    m_clusterClass.assign(m_centroids.size(), AccessClass::Normal);
    if (meanCount[coldest] < 1.5)
        m_clusterClass[coldest] = AccessClass::OneHit;
    if (hottest != coldest && meanCount[hottest] >= 3.0)
        m_clusterClass[hottest] = AccessClass::HotPeriodic;

    m_classSizes.assign(4, 0);
    for (std::size_t i = 0; i < order.size(); ++i)
        ++m_classSizes[static_cast<std::size_t>(m_clusterClass[result.labels[i]])];
    return true;
}

AccessClass AccessClassifier::classOf(std::uint64_t hash, std::size_t bytes, std::int64_t now) const {
    if (m_centroids.empty())
        return AccessClass::Unknown;
    KeyStats stats;
    if (const auto found = m_keys.find(hash); found != m_keys.end())
        stats = found->second;
    else
        stats = KeyStats{{}, 1, now, now, bytes};
    if (bytes > 0)
        stats.bytes = bytes;
    return m_clusterClass[nearestCentroid(m_centroids, normalised(rawFeatures(stats, now)))];
}

std::size_t AccessClassifier::accessCount(std::uint64_t hash) const {
    const auto found = m_keys.find(hash);
    return found == m_keys.end() ? 0 : found->second.count;
}

std::vector<std::string> AccessClassifier::hotKeys(std::size_t max, std::int64_t now) const {
    std::vector<const KeyStats*> hot;
    if (m_centroids.empty())
        return {};
    for (const auto& [hash, stats] : m_keys) {
        if (m_clusterClass[nearestCentroid(m_centroids, normalised(rawFeatures(stats, now)))] ==
            AccessClass::HotPeriodic)
            hot.push_back(&stats);
    }
    std::sort(hot.begin(), hot.end(), [](const KeyStats* a, const KeyStats* b) {
        return a->count != b->count ? a->count > b->count : a->id < b->id;
    });
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < hot.size() && i < max; ++i)
        ids.push_back(hot[i]->id);
    return ids;
}

std::size_t AccessClassifier::keysIn(AccessClass accessClass) const {
    return m_classSizes[static_cast<std::size_t>(accessClass)];
}

} // namespace avatar::cache
