#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace avatar::cache {

using FeatureVector = std::vector<double>;

struct KMeansResult {
    std::vector<FeatureVector> centroids;
    std::vector<std::size_t> labels; // one per input point
    double inertia = 0.0;            // sum of squared distances to the assigned centroid
    int iterations = 0;
};

// Lloyd's k-means with k-means++ seeding from a seeded generator: the same points and seed give the same
// clusters on every machine. Points must all have the same dimension; k is clamped to the number of points.
KMeansResult kMeans(const std::vector<FeatureVector>& points, std::size_t k, std::uint64_t seed,
                    int maxIterations = 50);

double squaredDistance(const FeatureVector& a, const FeatureVector& b);
std::size_t nearestCentroid(const std::vector<FeatureVector>& centroids, const FeatureVector& point);

} // namespace avatar::cache
