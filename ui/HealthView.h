#pragma once

#include "core/ResilienceCounters.h"

#include <QGroupBox>
#include <array>

class QLabel;

namespace avatar::ui {

// The engine's health at a glance (issue #15): how often its error recovery stepped in since the studio
// started (retried database writes, face backends taken out of use and skipped, work done by a fallback,
// stuck stages stopped by the watchdog, job threads replaced), from EngineMetrics::resilience once a second.
// Counts that are not zero are shown in bold, and the title says whether anything happened at all.
class HealthView : public QGroupBox {
    Q_OBJECT
public:
    explicit HealthView(QWidget* parent = nullptr);

    void setCounts(const ResilienceCounts& counts);
    const ResilienceCounts& counts() const { return m_counts; }
    QString countText(ResilienceEvent event) const; // what the view shows for one counter
    QString summary() const;                        // the line under the title

private:
    QString label(ResilienceEvent event) const;

    ResilienceCounts m_counts;
    QLabel* m_summary;
    std::array<QLabel*, kResilienceEventCount> m_values{};
};

} // namespace avatar::ui
