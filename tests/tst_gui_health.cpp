// The studio's health view (issue #15): the engine's recovery counters from a metrics sample, shown under the
// live charts, bold when not zero, with a summary that tells recovered failures from unrecovered ones.
#include "HealthView.h"
#include "MetricsCharts.h"

#include <QApplication>
#include <QLabel>
#include <QtTest>

using namespace avatar;
using namespace avatar::ui;

class TestGuiHealth : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsTheSampledCounters() {
        MetricsCharts charts;
        HealthView* health = charts.healthView();
        QVERIFY(health);
        QCOMPARE(charts.findChild<HealthView*>(QStringLiteral("healthView")), health);
        auto* retries = health->findChild<QLabel*>(QStringLiteral("health_retries"));
        auto* fallbacks = health->findChild<QLabel*>(QStringLiteral("health_fallbacks"));
        auto* replaced = health->findChild<QLabel*>(QStringLiteral("health_workers_replaced"));
        QVERIFY(retries && fallbacks && replaced);
        QCOMPARE(retries->text(), QStringLiteral("0"));
        QVERIFY(health->summary().startsWith(QStringLiteral("No failures")));

        EngineMetrics m;
        m.time = 1.0;
        m.resilience.values[static_cast<std::size_t>(ResilienceEvent::Retry)] = 3;
        m.resilience.values[static_cast<std::size_t>(ResilienceEvent::Fallback)] = 2;
        charts.addSample(m);
        QCOMPARE(retries->text(), QStringLiteral("3"));
        QCOMPARE(fallbacks->text(), QStringLiteral("2"));
        QCOMPARE(replaced->text(), QStringLiteral("0"));
        QVERIFY(retries->font().bold());
        QVERIFY(!replaced->font().bold());
        QVERIFY(health->summary().startsWith(QStringLiteral("Every failure so far was recovered")));

        m.time = 2.0;
        m.resilience.values[static_cast<std::size_t>(ResilienceEvent::WorkerReplaced)] = 1;
        charts.addSample(m);
        QCOMPARE(replaced->text(), QStringLiteral("1"));
        QVERIFY(replaced->font().bold());
        QVERIFY(health->summary().startsWith(QStringLiteral("Some failures could not be recovered")));
    }
};

QTEST_MAIN(TestGuiHealth)
#include "tst_gui_health.moc"
