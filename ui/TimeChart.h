#pragma once

#include <QChartView>
#include <QString>

#include <vector>

class QValueAxis;
class QXYSeries;

namespace avatar::ui {

// One live chart over time: line series against seconds, trimmed to the last kWindowSeconds, with a left
// and an optional right value axis that grow to the largest visible value. A thin layer over Qt Charts so
// that MetricsCharts reads as "which number goes where".
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

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Entry {
        QXYSeries* series;
        Axis axis;
    };
    void rescale(QValueAxis* axis, Axis side);

    QValueAxis* m_x;
    QValueAxis* m_left;
    QValueAxis* m_right = nullptr;
    bool m_fixedLeft = false;
    std::vector<Entry> m_series;
};

} // namespace avatar::ui
