#include "TimeChart.h"

#include <QChart>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace avatar::ui {

TimeChart::TimeChart(const QString& title, const QString& leftUnit, const QString& rightUnit, QWidget* parent)
    : QChartView(parent), m_x(new QValueAxis), m_left(new QValueAxis), m_legend(new QLabel(this)),
      m_title(title), m_units(rightUnit.isEmpty() ? leftUnit : leftUnit + QStringLiteral(", ") + rightUnit) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation); // a sample a second; animation would only cost CPU
    chart->legend()->hide();                         // m_legend instead
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_legend->setObjectName(QStringLiteral("chartLegend"));
    m_legend->setFont(small);
    m_legend->setWordWrap(true);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_legend->setAttribute(Qt::WA_TransparentForMouseEvents); // hovering the plot's markers still works
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0); // small charts: every pixel goes to the plot
    chart->setBackgroundRoundness(0);
    QFont titleFont = font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    // Follow the system palette (light or dark) instead of the chart theme's fixed colours.
    chart->setBackgroundBrush(palette().base());
    chart->setTitleBrush(palette().text());
    setChart(chart); // the view owns the chart
    setRenderHint(QPainter::Antialiasing);
    // When the legend's height changes, the plot's margins do, and Qt Charts does not invalidate where the
    // axes were: redraw the whole (small) view rather than leave their old labels behind.
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    setAccessibleName(title);

    // No axis title for the time: the labels carry the unit ("30 s"), which leaves the plot more height.
    m_x->setLabelFormat(tr("%d s"));
    m_x->setRange(0, 60);
    m_left->setTitleText(leftUnit);
    m_left->setLabelFormat(QStringLiteral("%g")); // "7500", "0.25": no ".0" on large values
    m_left->setRange(0, 1);
    for (QValueAxis* a : {m_x, m_left}) {
        a->setLabelsFont(small);
        a->setTitleFont(small); // "Einträge" fits beside the short plot of a 1366x768 window
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
        m_right->setTitleFont(small);
        m_right->setLabelsBrush(palette().text());
        m_right->setTitleBrush(palette().text());
        m_right->setGridLineVisible(false);
        chart->addAxis(m_right, Qt::AlignRight);
    }
    rescaleAll();
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
    updateLegend();
    return int(m_series.size()) - 1;
}

void TimeChart::updateLegend() {
    // A name never breaks inside (non-breaking spaces), the items break between each other.
    QStringList items;
    for (const Entry& e : m_series) {
        const bool marker = qobject_cast<QScatterSeries*>(e.series) != nullptr;
        QString name = e.series->name().toHtmlEscaped();
        name.replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
        items << QStringLiteral("<span style=\"color:%1\">%2</span>&nbsp;%3")
                     .arg(e.series->color().name(), marker ? QStringLiteral("▲") : QStringLiteral("■"), name);
    }
    m_legend->setText(items.join(QStringLiteral(" &nbsp; ")));
    layoutLegend();
}

void TimeChart::layoutLegend() {
    const int width = std::max(1, this->width() - 4);
    const int height = m_legend->text().isEmpty() ? 0 : m_legend->heightForWidth(width);
    m_legend->setGeometry(2, this->height() - height - 2, width, height);
    const QMargins margins(2, 2, 2, height + 2);
    if (chart()->margins() != margins)
        chart()->setMargins(margins);
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
    m_fixedTop = max;
    m_left->setRange(min, max);
    fit(m_left, max);
}

void TimeChart::advance(double t) {
    const double start = std::max(0.0, t - kWindowSeconds);
    for (const Entry& e : m_series) {
        const QList<QPointF> points = e.series->points();
        qsizetype old = 0;
        while (old < points.size() && points[old].x() < start)
            ++old;
        if (old > 0)
            e.series->removePoints(0, old);
    }
    m_x->setRange(start, std::max(start + 60.0, t));
    rescaleAll();
}

void TimeChart::rescaleAll() {
    if (m_fixedLeft)
        fit(m_left, m_fixedTop);
    else
        rescale(m_left, Axis::Left);
    if (m_right)
        rescale(m_right, Axis::Right);
}

void TimeChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    layoutLegend();
    // As many value labels as the plot's height has room for (Qt Charts elides them to "..." otherwise); the
    // title and the time labels take about 70 px of the view, the legend its own height.
    const int intervals = std::clamp((height() - 70 - m_legend->height()) / 28, 2, 5);
    if (intervals != m_intervals) {
        m_intervals = intervals;
        rescaleAll();
    }
    fitAxisTitles();
}

void TimeChart::fitAxisTitles() {
    // The plot's height, as in resizeEvent, against the longest vertical title (drawn turned by 90°).
    const QFontMetrics metrics(m_left->titleFont());
    int longest = metrics.horizontalAdvance(m_left->titleText());
    if (m_right)
        longest = std::max(longest, metrics.horizontalAdvance(m_right->titleText()));
    const bool fits = height() - 70 - m_legend->height() >= longest + 4;
    m_left->setTitleVisible(fits);
    if (m_right)
        m_right->setTitleVisible(fits);
    chart()->setTitle(fits || m_units.isEmpty() ? m_title : QStringLiteral("%1 (%2)").arg(m_title, m_units));
}

void TimeChart::rescale(QValueAxis* axis, Axis side) {
    double top = 0.0;
    for (const Entry& e : m_series)
        if (e.axis == side)
            for (const QPointF& p : e.series->points())
                top = std::max(top, p.y());
    fit(axis, top * 1.05); // a little room above the largest value
}

void TimeChart::fit(QValueAxis* axis, double top) const {
    if (!(top > 0.0))
        top = 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(top / m_intervals)));
    double step = 10.0 * magnitude;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (top / (m * magnitude) <= m_intervals + 1e-9) {
            step = m * magnitude;
            break;
        }
    const double intervals = std::max(1.0, std::ceil(top / step - 1e-9));
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setTickInterval(step);
    axis->setRange(0.0, intervals * step);
}

} // namespace avatar::ui
