#include "LatencyProbe.h"

#include "profile/Profiler.h"

#include <algorithm>
#include <cmath>

namespace avatar::ui {

LatencyProbe::LatencyProbe(QObject* parent, Profiler* profiler) : QObject(parent), m_profiler(profiler) {
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LatencyProbe::tick);
    m_samples.reserve(kWindow);
}

void LatencyProbe::start() {
    m_clock.start();
    m_dueNs = qint64(kIntervalMs) * 1000000;
    m_timer.start();
}

void LatencyProbe::stop() {
    m_timer.stop();
}

void LatencyProbe::reset() {
    m_samples.clear();
    m_next = 0;
}

void LatencyProbe::tick() {
    const qint64 now = m_clock.nsecsElapsed();
    const double driftMs = std::max<qint64>(0, now - m_dueNs) / 1e6;
    // The next tick is due one interval after this one fired: QTimer re-arms from the time it fired, so
    // drift does not accumulate across samples.
    m_dueNs = now + qint64(kIntervalMs) * 1000000;
    if (m_samples.size() < kWindow) {
        m_samples.push_back(driftMs);
    } else {
        m_samples[m_next] = driftMs;
        m_next = (m_next + 1) % kWindow;
    }
    if (m_profiler)
        m_profiler->counter("ui.latency.ms", driftMs);
    Q_EMIT sampled(driftMs);
}

double LatencyProbe::percentileMs(double p) const {
    if (m_samples.empty())
        return 0.0;
    std::vector<double> sorted = m_samples;
    const auto rank = static_cast<std::size_t>(
        std::clamp(std::ceil(p / 100.0 * double(sorted.size())), 1.0, double(sorted.size())));
    std::nth_element(sorted.begin(), sorted.begin() + long(rank - 1), sorted.end());
    return sorted[rank - 1];
}

double LatencyProbe::maxMs() const {
    return m_samples.empty() ? 0.0 : *std::max_element(m_samples.begin(), m_samples.end());
}

} // namespace avatar::ui
