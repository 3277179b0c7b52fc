#pragma once

#include "profile/Bottleneck.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace avatar {
class Profiler;
struct ProfileReport;
} // namespace avatar

namespace avatar::ui {

class LatencyProbe;

// The profiler's view of what the engine did: per zone (every stage and its parts) the count, total, mean
// and p50/p95/p99; the detected bottleneck; the recommendations; and "Export report…" in the formats the
// engine writes (Chrome-trace JSON for Perfetto, HTML, CSV, PDF). Reports are built and written on a worker
// thread.
class ProfilerPanel : public QWidget {
    Q_OBJECT
public:
    ProfilerPanel(const Profiler& profiler, const LatencyProbe* probe, QWidget* parent = nullptr);
    ~ProfilerPanel() override;

    // The settings the reports are about (the last finished job's: tier, x264 preset, threads); the header,
    // the bottleneck and the recommendations depend on them.
    void setRunSettings(const RunSettings& settings);
    const RunSettings& runSettings() const { return m_settings; }
    const ProfileReport* report() const { return m_report.get(); }
    QLabel* settingsLabel() const { return m_settingsLabel; }
    void refresh(); // asynchronous; refreshed follows (once more when asked again meanwhile)
    void exportTo(const QString& path); // asynchronous; exported follows
    void chooseExportFile();            // asks for a file, then exportTo
    bool hasReport() const { return bool(m_report); }
    QTableWidget* table() const { return m_table; }
    QLabel* bottleneckLabel() const { return m_bottleneck; }
    QListWidget* recommendations() const { return m_recommendations; }
    QPushButton* exportButton() const { return m_export; }

Q_SIGNALS:
    void refreshed();
    void exported(const QString& path, bool ok, const QString& message);

private:
    void showReport();

    const Profiler& m_profiler;
    const LatencyProbe* m_probe;
    QTableWidget* m_table;
    QLabel* m_bottleneck;
    QLabel* m_uiLatency;
    QLabel* m_settingsLabel;
    RunSettings m_settings;
    bool m_refreshAgain = false; // asked while a report was being built: build once more after it
    QListWidget* m_recommendations;
    QPushButton* m_refresh;
    QPushButton* m_export;
    std::shared_ptr<const ProfileReport> m_report;
    QFutureWatcher<std::shared_ptr<const ProfileReport>> m_building;
    QFutureWatcher<QString> m_exporting; // empty string = success, else the error
    QString m_exportPath;
};

} // namespace avatar::ui
