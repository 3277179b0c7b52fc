#include "IsolationForest.h"

#include "Hashing.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace avatar::cache {

IsolationForest::IsolationForest(std::size_t trees, std::size_t sampleSize, std::uint64_t seed)
    : m_treeCount(std::max<std::size_t>(trees, 1)), m_sampleSize(std::max<std::size_t>(sampleSize, 2)),
      m_seed(seed) {}

double IsolationForest::averagePathLength(std::size_t n) {
    if (n <= 1)
        return 0.0;
    if (n == 2)
        return 1.0;
    constexpr double kEulerGamma = 0.5772156649015329;
    const double m = static_cast<double>(n - 1);
    return 2.0 * (std::log(m) + kEulerGamma) - 2.0 * m / static_cast<double>(n);
}

template <class Rng>
std::size_t IsolationForest::build(Tree& tree, std::vector<const FeatureVector*>& sample, std::size_t begin,
                                   std::size_t end, std::size_t depth, std::size_t maxDepth, Rng& rng) {
    const std::size_t index = tree.size();
    tree.push_back(Node{});
    const std::size_t count = end - begin;
    if (count <= 1 || depth >= maxDepth) {
        tree[index].size = count;
        return index;
    }
    // Pick a feature that still varies among these points; if none does, they cannot be separated.
    const std::size_t dimension = sample[begin]->size();
    const std::size_t start = static_cast<std::size_t>(uniform01(rng) * static_cast<double>(dimension));
    for (std::size_t tried = 0; tried < dimension; ++tried) {
        const std::size_t feature = (start + tried) % dimension;
        double low = (*sample[begin])[feature];
        double high = low;
        for (std::size_t i = begin; i < end; ++i) {
            low = std::min(low, (*sample[i])[feature]);
            high = std::max(high, (*sample[i])[feature]);
        }
        if (high <= low)
            continue;
        const double split = low + uniform01(rng) * (high - low);
        const auto middle = std::partition(sample.begin() + static_cast<std::ptrdiff_t>(begin),
                                           sample.begin() + static_cast<std::ptrdiff_t>(end),
                                           [&](const FeatureVector* p) { return (*p)[feature] < split; });
        const auto mid = static_cast<std::size_t>(middle - sample.begin());
        tree[index].feature = static_cast<int>(feature);
        tree[index].split = split;
        const std::size_t left = build(tree, sample, begin, mid, depth + 1, maxDepth, rng);
        const std::size_t right = build(tree, sample, mid, end, depth + 1, maxDepth, rng);
        tree[index].left = left;
        tree[index].right = right;
        return index;
    }
    tree[index].size = count;
    return index;
}

void IsolationForest::fit(const std::vector<FeatureVector>& points) {
    m_trees.clear();
    if (points.size() < 2)
        return;
    std::mt19937_64 rng(m_seed);
    m_usedSampleSize = std::min(m_sampleSize, points.size());
    const auto maxDepth =
        static_cast<std::size_t>(std::ceil(std::log2(static_cast<double>(m_usedSampleSize))));
    std::vector<std::size_t> order(points.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    m_trees.resize(m_treeCount);
    for (Tree& tree : m_trees) {
        // Sample without replacement: a partial Fisher-Yates shuffle.
        std::vector<const FeatureVector*> sample;
        sample.reserve(m_usedSampleSize);
        for (std::size_t i = 0; i < m_usedSampleSize; ++i) {
            const std::size_t j =
                i + static_cast<std::size_t>(uniform01(rng) * static_cast<double>(order.size() - i));
            std::swap(order[i], order[j]);
            sample.push_back(&points[order[i]]);
        }
        build(tree, sample, 0, sample.size(), 0, maxDepth, rng);
    }
}

double IsolationForest::pathLength(const Tree& tree, const FeatureVector& point) const {
    std::size_t index = 0;
    double depth = 0.0;
    while (tree[index].feature >= 0) {
        const Node& node = tree[index];
        index = point[static_cast<std::size_t>(node.feature)] < node.split ? node.left : node.right;
        depth += 1.0;
    }
    // A leaf holding several points stands for a subtree that was not grown: add its expected depth.
    return depth + averagePathLength(tree[index].size);
}

double IsolationForest::score(const FeatureVector& point) const {
    if (m_trees.empty())
        return 0.5;
    double total = 0.0;
    for (const Tree& tree : m_trees)
        total += pathLength(tree, point);
    const double mean = total / static_cast<double>(m_trees.size());
    const double c = averagePathLength(m_usedSampleSize);
    return c > 0.0 ? std::pow(2.0, -mean / c) : 0.5;
}

} // namespace avatar::cache
