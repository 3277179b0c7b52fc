#include "HeadMotion.h"

#include "LoudnessShaping.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>

namespace avatar {
namespace {

constexpr double kTwoPi = 6.283185307179586;
constexpr double kNodSeconds = 0.45;  // down and back up
constexpr double kBreathPeriod = 3.6; // seconds per breath
constexpr double kMinPause = 0.5;     // pauses shorter than this hold still

// 0 → 1 → 0 over x in [0, 1], with zero slope at both ends.
double bump(double x) {
    if (x <= 0.0 || x >= 1.0)
        return 0.0;
    const double s = std::sin(x * kTwoPi / 2.0);
    return s * s;
}

} // namespace

HeadMotion::HeadMotion(const Speech& speech, std::uint64_t seed, const Amplitude& amplitude)
    : m_amp(amplitude) {
    std::mt19937_64 rng(seed);
    for (double& p : m_phase)
        p = double(rng() >> 11) * 0x1.0p-53 * kTwoPi;

    // Nods on the loudest third of the words, at least a second apart so that the head does not bob.
    std::vector<double> loudness;
    for (const Word& w : speech.words)
        loudness.push_back(rmsOf(speech, w.start, w.end));
    if (!loudness.empty()) {
        std::vector<double> sorted = loudness;
        std::sort(sorted.begin(), sorted.end());
        const double threshold = sorted[sorted.size() * 2 / 3];
        for (std::size_t i = 0; i < speech.words.size(); ++i)
            if (loudness[i] >= threshold && loudness[i] > 0.0 &&
                (m_nods.empty() || speech.words[i].start - m_nods.back() >= 1.0))
                m_nods.push_back(speech.words[i].start);
    }
    for (const Phone& p : speech.phones)
        if (p.arpabet == "pau" && p.end - p.start >= kMinPause)
            m_pauses.emplace_back(p.start, p.end);
}

void HeadMotion::poseAt(double t, MouthParams& pose) const {
    // Sway: periods of 4.7 s and 7.3 s never line up, so the motion does not visibly repeat.
    const double sway1 = std::sin(kTwoPi * t / 4.7 + m_phase[0]);
    const double sway2 = std::sin(kTwoPi * t / 7.3 + m_phase[1]);
    double x = m_amp.swayX * (0.6 * sway1 + 0.4 * sway2);
    double y = m_amp.swayY * (0.5 * sway2 - 0.5 * sway1);
    const double roll = m_amp.roll * std::sin(kTwoPi * t / 6.1 + m_phase[2]);
    // Only nods that started within the last kNodSeconds can still move the head (the list is sorted).
    for (auto it = std::lower_bound(m_nods.begin(), m_nods.end(), t - kNodSeconds);
         it != m_nods.end() && *it <= t; ++it)
        y += m_amp.nod * bump((t - *it) / kNodSeconds);
    const auto pause =
        std::upper_bound(m_pauses.begin(), m_pauses.end(), t,
                         [](double time, const std::pair<double, double>& p) { return time < p.first; });
    if (pause != m_pauses.begin()) {
        const auto& [start, end] = *std::prev(pause);
        if (t >= start && t < end) {
            // Fade in and out over the pause so that breathing starts and stops smoothly.
            const double fade = std::min({1.0, (t - start) / 0.3, (end - t) / 0.3});
            y += m_amp.breath * fade * (0.5 - 0.5 * std::cos(kTwoPi * (t - start) / kBreathPeriod));
        }
    }
    pose.headX = x;
    pose.headY = y;
    pose.headRoll = roll;
}

void HeadMotion::apply(std::vector<MouthParams>& poses, double fps) const {
    for (std::size_t f = 0; f < poses.size(); ++f)
        poseAt((static_cast<double>(f) + 0.5) / fps, poses[f]);
}

void HeadMotion::easeToRest(std::vector<MouthParams>& poses, double fps, double ramp) {
    const double total = static_cast<double>(poses.size()) / fps;
    // Short clips get shorter ramps, so that the head still moves a little in the middle.
    const double r = std::min(ramp, total / 2.0);
    if (r <= 0.0)
        return;
    for (std::size_t f = 0; f < poses.size(); ++f) {
        const double t = (static_cast<double>(f) + 0.5) / fps;
        const double x = std::clamp(std::min(t, total - t) / r, 0.0, 1.0);
        const double w = x * x * (3.0 - 2.0 * x);
        poses[f].headX *= w;
        poses[f].headY *= w;
        poses[f].headRoll *= w;
    }
}

} // namespace avatar
