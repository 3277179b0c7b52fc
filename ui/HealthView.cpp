#include "HealthView.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <numeric>

namespace avatar::ui {

HealthView::HealthView(QWidget* parent)
    : QGroupBox(tr("Engine health"), parent), m_summary(new QLabel(this)) {
    setObjectName(QStringLiteral("healthView"));
    setToolTip(tr("How often the engine recovered from a failure since the studio started: retried database "
                  "writes, face backends taken out of use, stuck stages stopped, job threads replaced."));
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 2, 6, 2);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(0);
    grid->addWidget(m_summary, 0, 0, 1, 4);
    // Two columns of label and count: the view stays a few lines high under the charts.
    for (std::size_t i = 0; i < kResilienceEventCount; ++i) {
        const ResilienceEvent e = ResilienceCounts::event(i);
        auto* name = new QLabel(label(e), this);
        m_values[i] = new QLabel(this);
        m_values[i]->setObjectName(QStringLiteral("health_") +
                                   QString::fromLatin1(ResilienceCounts::name(e)));
        m_values[i]->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        const int row = 1 + static_cast<int>(i) / 2;
        const int column = 2 * (static_cast<int>(i) % 2);
        grid->addWidget(name, row, column);
        grid->addWidget(m_values[i], row, column + 1);
    }
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(2, 1);
    setCounts({});
}

QString HealthView::label(ResilienceEvent event) const {
    switch (event) {
    case ResilienceEvent::Retry:
        return tr("Retried writes");
    case ResilienceEvent::RetryExhausted:
        return tr("Retries given up");
    case ResilienceEvent::BreakerOpened:
        return tr("Backends taken out of use");
    case ResilienceEvent::BreakerSkipped:
        return tr("Calls past a broken backend");
    case ResilienceEvent::Fallback:
        return tr("Fallback backend used");
    case ResilienceEvent::WatchdogStopped:
        return tr("Stuck stages stopped");
    case ResilienceEvent::WorkerReplaced:
        return tr("Job threads replaced");
    }
    return {};
}

void HealthView::setCounts(const ResilienceCounts& counts) {
    m_counts = counts;
    for (std::size_t i = 0; i < kResilienceEventCount; ++i) {
        const ResilienceEvent e = ResilienceCounts::event(i);
        m_values[i]->setText(countText(e));
        QFont font = m_values[i]->font();
        font.setBold(counts[e] > 0);
        m_values[i]->setFont(font);
    }
    m_summary->setText(summary());
}

QString HealthView::countText(ResilienceEvent event) const {
    return QLocale().toString(static_cast<qulonglong>(m_counts[event]));
}

QString HealthView::summary() const {
    const std::uint64_t total =
        std::accumulate(m_counts.values.begin(), m_counts.values.end(), std::uint64_t{0});
    if (total == 0)
        return tr("No failures so far: nothing needed recovering.");
    if (m_counts[ResilienceEvent::RetryExhausted] + m_counts[ResilienceEvent::WatchdogStopped] +
            m_counts[ResilienceEvent::WorkerReplaced] >
        0)
        return tr("Some failures could not be recovered: see the failed jobs' messages.");
    return tr("Every failure so far was recovered.");
}

} // namespace avatar::ui
