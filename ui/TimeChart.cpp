#include "TimeChart.h"

#include <QChart>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace avatar::ui {

TimeChart::TimeChart(const QString& title, const QString& leftUnit, const QString& rightUnit, QWidget* parent)
    : QChartView(parent), m_x(new QValueAxis), m_left(new QValueAxis) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation); // a sample a second; animation would only cost CPU
    chart->legend()->setAlignment(Qt::AlignBottom);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    chart->legend()->setFont(small);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0); // small charts: every pixel goes to the plot
    chart->setBackgroundRoundness(0);
    QFont titleFont = font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    // Follow the system palette (light or dark) instead of the chart theme's fixed colours.
    chart->setBackgroundBrush(palette().base());
    chart->setTitleBrush(palette().text());
    chart->legend()->setLabelColor(palette().text().color());
    setChart(chart); // the view owns the chart
    setRenderHint(QPainter::Antialiasing);
    setAccessibleName(title);

    // No axis title for the time: the labels carry the unit ("30 s"), which leaves the plot more height.
    m_x->setLabelFormat(tr("%d s"));
    m_x->setRange(0, 60);
    m_left->setTitleText(leftUnit);
    m_left->setLabelFormat(QStringLiteral("%g")); // "7500", "0.25": no ".0" on large values
    m_left->setRange(0, 1);
    for (QValueAxis* a : {m_x, m_left}) {
        a->setLabelsFont(small);
        a->setLabelsBrush(palette().text());
        a->setTitleBrush(palette().text());
        a->setGridLineColor(palette().mid().color());
    }
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_left, Qt::AlignLeft);
    if (!rightUnit.isEmpty()) {
        m_right = new QValueAxis;
        m_right->setTitleText(rightUnit);
        m_right->setLabelFormat(QStringLiteral("%g"));
        m_right->setRange(0, 1);
        m_right->setLabelsFont(small);
        m_right->setLabelsBrush(palette().text());
        m_right->setTitleBrush(palette().text());
        m_right->setGridLineVisible(false);
        chart->addAxis(m_right, Qt::AlignRight);
    }
}

int TimeChart::addSeries(const QString& name, Axis axis, Kind kind) {
    QXYSeries* s = nullptr;
    if (kind == Kind::Markers) {
        auto* scatter = new QScatterSeries;
        scatter->setMarkerSize(11);
        scatter->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
        s = scatter;
    } else {
        s = new QLineSeries;
    }
    s->setName(name);
    chart()->addSeries(s); // the chart owns the series
    if (kind == Kind::Line) {
        // After addSeries: the theme has given the series its colour by then.
        QPen pen = s->pen();
        pen.setWidthF(2.0);
        s->setPen(pen);
    }
    s->attachAxis(m_x);
    s->attachAxis(axis == Axis::Right && m_right ? m_right : m_left);
    m_series.push_back({s, axis == Axis::Right && m_right ? Axis::Right : Axis::Left});
    return int(m_series.size()) - 1;
}

int TimeChart::find(const QString& name) const {
    for (std::size_t i = 0; i < m_series.size(); ++i)
        if (m_series[i].series->name() == name)
            return int(i);
    return -1;
}

void TimeChart::append(int index, double t, double value) {
    if (std::isfinite(value))
        m_series[std::size_t(index)].series->append(t, value);
}

void TimeChart::setLeftRange(double min, double max) {
    m_fixedLeft = true;
    m_left->setRange(min, max);
}

void TimeChart::advance(double t) {
    const double start = std::max(0.0, t - kWindowSeconds);
    for (const Entry& e : m_series) {
        const QList<QPointF> points = e.series->points();
        int old = 0;
        while (old < points.size() && points[old].x() < start)
            ++old;
        if (old > 0)
            e.series->removePoints(0, old);
    }
    m_x->setRange(start, std::max(start + 60.0, t));
    if (!m_fixedLeft)
        rescale(m_left, Axis::Left);
    if (m_right)
        rescale(m_right, Axis::Right);
}

void TimeChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    // As many value labels as the plot's height has room for (Qt Charts elides them to "..." otherwise); the
    // title, the time labels and the legend take about 90 px of the view.
    const int ticks = std::clamp((height() - 90) / 28 + 1, 3, 6);
    m_left->setTickCount(ticks);
    if (m_right)
        m_right->setTickCount(ticks);
}

void TimeChart::rescale(QValueAxis* axis, Axis side) {
    double top = 0.0;
    for (const Entry& e : m_series)
        if (e.axis == side)
            for (const QPointF& p : e.series->points())
                top = std::max(top, p.y());
    // Round the top up to 1, 2 or 5 × 10^n so the labels stay readable while the data grows.
    double nice = 1.0;
    if (top > 0) {
        const double magnitude = std::pow(10.0, std::floor(std::log10(top)));
        for (double step : {1.0, 2.0, 5.0, 10.0}) {
            nice = step * magnitude;
            if (nice >= top * 1.05)
                break;
        }
    }
    axis->setRange(0, nice);
}

} // namespace avatar::ui
