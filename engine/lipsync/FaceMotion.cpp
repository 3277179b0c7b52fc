#include "FaceMotion.h"

#include "LoudnessShaping.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>

namespace avatar {
namespace {

double smoothstep(double x) {
    x = std::clamp(x, 0.0, 1.0);
    return x * x * (3.0 - 2.0 * x);
}

// Saccade duration from the main sequence, for an iris shift of `iod` inter-ocular units: an IOD of 63 mm
// and an eyeball radius of 12 mm turn the shift into degrees.
double saccadeSeconds(double iod) {
    constexpr double kRadToDeg = 57.29577951308232;
    const double degrees = std::asin(std::min(1.0, iod * 63.0 / 12.0)) * kRadToDeg;
    return 0.021 + 0.0022 * degrees;
}

constexpr double kMinSpacing = 2.5; // seconds between the starts of two brow raises
constexpr double kLoudRatio = 1.2;  // a stressed word's RMS over the sentence's median word
constexpr double kEdge = 0.15;      // brows rest at both ends of a sentence over this many seconds

} // namespace

FaceMotion::FaceMotion(const Speech& speech, std::uint64_t seed, const Options& options)
    : m_options(options), m_duration(speech.duration()) {
    // std::mt19937_64 with a hand-rolled uniform mapping, as in BlinkTrack: bit-exact on every toolchain.
    std::mt19937_64 rng(seed);
    auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * (double(rng() >> 11) * 0x1.0p-53); };

    // Brows. The question's last word first: it always gets its raise.
    std::vector<const Word*> words;
    for (const Word& w : speech.words)
        if (w.end > w.start)
            words.push_back(&w);
    if (options.question && !words.empty()) {
        const Word& last = *words.back();
        m_raises.push_back(
            {std::max(0.0, last.start - 0.1), std::max(last.end, last.start + kRise), kQuestionRaise});
    }
    std::vector<double> loudness;
    for (const Word* w : words)
        loudness.push_back(rmsOf(speech, w->start, w->end));
    if (!loudness.empty()) {
        std::vector<double> sorted = loudness;
        std::sort(sorted.begin(), sorted.end());
        const double median = sorted[sorted.size() / 2];
        std::vector<std::size_t> order(words.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        // Loudest first, so that the most prominent word of a stretch wins the raise.
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return loudness[a] > loudness[b]; });
        for (const std::size_t i : order) {
            if (!(loudness[i] >= kLoudRatio * median && loudness[i] > 0.0))
                break;
            const double start = std::max(0.0, words[i]->start - 0.05);
            const bool free = std::none_of(m_raises.begin(), m_raises.end(), [&](const BrowRaise& r) {
                return std::abs(r.start - start) < kMinSpacing;
            });
            if (free)
                m_raises.push_back({start, std::max(words[i]->end, start + kRise + 0.1), kStressRaise});
        }
    }
    std::sort(m_raises.begin(), m_raises.end(),
              [](const BrowRaise& a, const BrowRaise& b) { return a.start < b.start; });

    // Gaze: at the camera, glances away and back.
    m_fixations.push_back({0.0, 0.0, 0.0, 0.0});
    double t = uniform(0.6, 2.6);
    bool away = false;
    while (t < m_duration - 0.8) {
        Fixation f{t, 0.0, 0.0, 0.0};
        const bool glance = !away || uniform(0.0, 1.0) < 0.25; // mostly back to the camera after a glance
        if (glance) {
            const double side = uniform(0.0, 1.0) < 0.5 ? -1.0 : 1.0;
            f.x = side * uniform(0.015, 0.04);
            f.y = uniform(-0.5, 0.5) * std::abs(f.x);
        }
        const Fixation& from = m_fixations.back();
        f.saccade = saccadeSeconds(std::hypot(f.x - from.x, f.y - from.y));
        m_fixations.push_back(f);
        away = glance;
        // Glances away are brief; looks at the camera longer.
        t += away ? uniform(0.6, 1.2) : uniform(0.8, 2.6);
    }
    if (away) {
        const Fixation& from = m_fixations.back();
        const double back = std::max(from.start + 0.4, std::min(t, m_duration - 0.3));
        m_fixations.push_back({back, 0.0, 0.0, saccadeSeconds(std::hypot(from.x, from.y))});
    }
}

void FaceMotion::poseAt(double t, MouthParams& pose) const {
    double brow = 0.0;
    for (const BrowRaise& r : m_raises) {
        if (t < r.start || t > r.holdEnd + kFall)
            continue;
        const double up = smoothstep((t - r.start) / kRise);
        const double down = 1.0 - smoothstep((t - r.holdEnd) / kFall);
        brow = std::max(brow, r.amplitude * std::min(up, down));
    }
    // Rest at the sentence's ends, so that segments rendered apart join without a jump.
    brow *= smoothstep(std::min(t, m_duration - t) / kEdge);
    pose.brow = brow;

    const auto next = std::upper_bound(m_fixations.begin(), m_fixations.end(), t,
                                       [](double time, const Fixation& f) { return time < f.start; });
    pose.gazeX = pose.gazeY = 0.0;
    if (next != m_fixations.begin()) {
        const auto cur = std::prev(next);
        if (cur == m_fixations.begin()) {
            pose.gazeX = cur->x;
            pose.gazeY = cur->y;
        } else {
            const Fixation& from = *std::prev(cur);
            const double k = cur->saccade > 0.0 ? smoothstep((t - cur->start) / cur->saccade) : 1.0;
            pose.gazeX = from.x + k * (cur->x - from.x);
            pose.gazeY = from.y + k * (cur->y - from.y);
        }
    }
    pose.smile = smileOf(m_options.expression);
}

void FaceMotion::apply(std::vector<MouthParams>& poses, double fps) const {
    for (std::size_t f = 0; f < poses.size(); ++f)
        poseAt((static_cast<double>(f) + 0.5) / fps, poses[f]);
}

} // namespace avatar
