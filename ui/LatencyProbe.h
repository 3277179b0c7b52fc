#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <vector>

namespace avatar {
class Profiler;
}

namespace avatar::ui {

// Measures how late the GUI thread's event loop runs a timer: every kIntervalMs a precise timer fires, and
// the difference between the time it fired and the time it was due (the drift) is recorded. A drift that
// stays small means nothing on the GUI thread blocks (no waiting on the engine, no long paints). The last
// kWindow samples are kept for percentiles; when a profiler is given each sample is also recorded there as
// the counter "ui.latency.ms", so that it appears in the profiler's exports. avatar-bench reads p95().
class LatencyProbe : public QObject {
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 10;
    static constexpr std::size_t kWindow = 3000; // 30 s

    explicit LatencyProbe(QObject* parent = nullptr, Profiler* profiler = nullptr);

    void start();
    void stop();
    bool isActive() const { return m_timer.isActive(); }

    std::size_t sampleCount() const { return m_samples.size(); }
    double percentileMs(double p) const; // nearest rank over the window; 0 without samples
    double p95Ms() const { return percentileMs(95.0); }
    double maxMs() const;
    void reset();

Q_SIGNALS:
    void sampled(double driftMs);

private:
    void tick();

    Profiler* m_profiler;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_dueNs = 0;
    std::vector<double> m_samples; // ring buffer of drifts in ms
    std::size_t m_next = 0;
};

} // namespace avatar::ui
