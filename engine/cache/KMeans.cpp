#include "KMeans.h"

#include "Hashing.h"

#include <limits>
#include <random>

namespace avatar::cache {

double squaredDistance(const FeatureVector& a, const FeatureVector& b) {
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        sum += (a[i] - b[i]) * (a[i] - b[i]);
    return sum;
}

std::size_t nearestCentroid(const std::vector<FeatureVector>& centroids, const FeatureVector& point) {
    std::size_t best = 0;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < centroids.size(); ++c) {
        const double d = squaredDistance(centroids[c], point);
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

KMeansResult kMeans(const std::vector<FeatureVector>& points, std::size_t k, std::uint64_t seed,
                    int maxIterations) {
    KMeansResult result;
    if (points.empty() || k == 0)
        return result;
    k = std::min(k, points.size());
    std::mt19937_64 rng(seed);

    // k-means++: the first centre uniformly, each next one with probability proportional to the squared
    // distance from the nearest centre so far. Spreads the start and makes Lloyd's converge to better optima.
    result.centroids.push_back(
        points[static_cast<std::size_t>(uniform01(rng) * static_cast<double>(points.size()))]);
    std::vector<double> nearest(points.size(), std::numeric_limits<double>::infinity());
    while (result.centroids.size() < k) {
        double total = 0.0;
        for (std::size_t i = 0; i < points.size(); ++i) {
            nearest[i] = std::min(nearest[i], squaredDistance(points[i], result.centroids.back()));
            total += nearest[i];
        }
        if (total <= 0.0)
            break; // fewer distinct points than k
        double target = uniform01(rng) * total;
        std::size_t chosen = points.size() - 1;
        for (std::size_t i = 0; i < points.size(); ++i) {
            target -= nearest[i];
            if (target < 0.0) {
                chosen = i;
                break;
            }
        }
        result.centroids.push_back(points[chosen]);
    }

    const std::size_t dimension = points.front().size();
    result.labels.assign(points.size(), 0);
    for (result.iterations = 0; result.iterations < maxIterations; ++result.iterations) {
        bool changed = result.iterations == 0;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const std::size_t label = nearestCentroid(result.centroids, points[i]);
            changed = changed || label != result.labels[i];
            result.labels[i] = label;
        }
        if (!changed)
            break;
        std::vector<FeatureVector> sums(result.centroids.size(), FeatureVector(dimension, 0.0));
        std::vector<std::size_t> counts(result.centroids.size(), 0);
        for (std::size_t i = 0; i < points.size(); ++i) {
            ++counts[result.labels[i]];
            for (std::size_t d = 0; d < dimension; ++d)
                sums[result.labels[i]][d] += points[i][d];
        }
        for (std::size_t c = 0; c < result.centroids.size(); ++c) {
            if (counts[c] == 0)
                continue; // an empty cluster keeps its centre
            for (std::size_t d = 0; d < dimension; ++d)
                result.centroids[c][d] = sums[c][d] / static_cast<double>(counts[c]);
        }
    }
    result.inertia = 0.0;
    for (std::size_t i = 0; i < points.size(); ++i)
        result.inertia += squaredDistance(points[i], result.centroids[result.labels[i]]);
    return result;
}

} // namespace avatar::cache
