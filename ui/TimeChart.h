#pragma once

#include <QChartView>
#include <QString>

#include <vector>

class QLabel;
class QValueAxis;
class QXYSeries;

namespace avatar::ui {

// One live chart over time: line series against seconds, trimmed to the last kWindowSeconds, with a left
// and an optional right value axis that grow to the largest visible value. A thin layer over Qt Charts so
// that MetricsCharts reads as "which number goes where". The legend is a word-wrapped label at the view's
// bottom rather than Qt Charts' own, which elides names to "pool reserv..." in a narrow chart and never
// wraps.
class TimeChart : public QChartView {
    Q_OBJECT
public:
    static constexpr double kWindowSeconds = 300.0;
    enum class Axis { Left, Right };
    enum class Kind { Line, Markers };

    TimeChart(const QString& title, const QString& leftUnit, const QString& rightUnit = {},
              QWidget* parent = nullptr);

    // Returns the series' index; series are looked up by index afterwards.
    int addSeries(const QString& name, Axis axis = Axis::Left, Kind kind = Kind::Line);
    int seriesCount() const { return int(m_series.size()); }
    QXYSeries* series(int index) const { return m_series[std::size_t(index)].series; }
    int find(const QString& name) const; // -1 when absent

    void append(int index, double t, double value);
    // Drops points older than the window and rescales the axes; call once per sample after the appends.
    void advance(double t);
    // A fixed range for the left axis (percentages).
    void setLeftRange(double min, double max);
    QLabel* legend() const { return m_legend; } // every series' name in full, on as many lines as it needs

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Entry {
        QXYSeries* series;
        Axis axis;
    };
    void rescale(QValueAxis* axis, Axis side);
    void rescaleAll();
    // 0 .. top in steps of 1, 2, 2.5 or 5 × 10^n, at most m_intervals of them: labels such as "0.25", never
    // "0.666667" (which Qt Charts elides to "0.666...").
    void fit(QValueAxis* axis, double top) const;
    void updateLegend();
    void layoutLegend(); // the label across the bottom, the plot above it
    // A plot too short for its axis titles ("Einträge" elided to "Eint...") names the units in the chart's
    // title instead: "Cache size (entries, MiB)".
    void fitAxisTitles();

    QValueAxis* m_x;
    QValueAxis* m_left;
    QValueAxis* m_right = nullptr;
    bool m_fixedLeft = false;
    double m_fixedTop = 0.0;
    int m_intervals = 4; // value labels minus one, from the plot's height
    QLabel* m_legend;
    QString m_title;
    QString m_units; // "MiB" or "entries, MiB"
    std::vector<Entry> m_series;
};

} // namespace avatar::ui
