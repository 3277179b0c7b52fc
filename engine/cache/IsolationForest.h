#pragma once

#include "KMeans.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace avatar::cache {

// Isolation forest (Liu, Ting and Zhou, 2008): random trees split random features at random values; points
// that are isolated in few splits are anomalies. score() is 2^(-E[h(x)] / c(n)): about 0.5 for ordinary
// points, towards 1 for anomalies. Seeded, so the same training data gives the same scores.
class IsolationForest {
public:
    explicit IsolationForest(std::size_t trees = 100, std::size_t sampleSize = 64, std::uint64_t seed = 1);

    void fit(const std::vector<FeatureVector>& points);
    double score(const FeatureVector& point) const;
    bool trained() const { return !m_trees.empty(); }

    // c(n): the average path length of an unsuccessful search in a binary search tree of n points.
    static double averagePathLength(std::size_t n);

private:
    struct Node {
        int feature = -1; // -1: a leaf
        double split = 0.0;
        std::size_t left = 0;
        std::size_t right = 0;
        std::size_t size = 0; // points that reached a leaf
    };
    using Tree = std::vector<Node>;

    template <class Rng>
    std::size_t build(Tree& tree, std::vector<const FeatureVector*>& sample, std::size_t begin,
                      std::size_t end, std::size_t depth, std::size_t maxDepth, Rng& rng);
    double pathLength(const Tree& tree, const FeatureVector& point) const;

    std::size_t m_treeCount;
    std::size_t m_sampleSize;
    std::uint64_t m_seed;
    std::size_t m_usedSampleSize = 0;
    std::vector<Tree> m_trees;
};

} // namespace avatar::cache
