// ProfileReport::toHtml: one self-contained page (no scripts, stylesheets or fonts from elsewhere) with
// inline SVG charts. It is written as polyglot XHTML, so that it is also well-formed XML: tests parse it with
// an XML reader.
#include "ProfileReport.h"
#include "ReportFormat.h"
#include "StageColors.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace avatar {

namespace {

using report::xmlEscape;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// An <svg> element built up as text.
class Svg {
public:
    Svg(double width, double height) : m_width(width), m_height(height) {}
    void rect(double x, double y, double w, double h, const std::string& fill,
              const std::string& title = {}) {
        m_body += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(w, 0.0)) +
                  "\" height=\"" + num(std::max(h, 0.0)) + "\" fill=\"" + fill + "\"";
        if (title.empty())
            m_body += "/>";
        else
            m_body += "><title>" + xmlEscape(title) + "</title></rect>";
    }
    void line(double x1, double y1, double x2, double y2, const std::string& stroke,
              const std::string& extra = {}) {
        m_body += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
                  num(y2) + "\" stroke=\"" + stroke + "\"" + extra + "/>";
    }
    void text(double x, double y, const std::string& content, const std::string& anchor = "start") {
        m_body += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\">" +
                  xmlEscape(content) + "</text>";
    }
    void polyline(const std::vector<std::pair<double, double>>& points, const std::string& stroke) {
        m_body += "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"" + stroke + "\" points=\"";
        for (const auto& [x, y] : points)
            m_body += num(x) + "," + num(y) + " ";
        m_body += "\"/>";
    }
    void raw(const std::string& element) { m_body += element; }
    std::string str(const std::string& label) const {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"" + xmlEscape(label) +
               "\" width=\"" + num(m_width) + "\" height=\"" + num(m_height) + "\" viewBox=\"0 0 " +
               num(m_width) + " " + num(m_height) + "\">" + m_body + "</svg>\n";
    }

private:
    double m_width;
    double m_height;
    std::string m_body;
};

constexpr double kChartWidth = 960.0;
constexpr double kLabelWidth = 160.0;

std::string stageBars(const ProfileReport& r) {
    std::vector<std::pair<std::string, double>> bars;
    for (const StageLoad& s : r.measurements.stages)
        if (s.busyNs > 0)
            bars.emplace_back(s.stage, s.busyNs);
    if (bars.empty()) // no pipeline stage names: fall back to every zone name
        for (const NamedHistogram& h : r.histograms)
            bars.emplace_back(h.name, h.histogram.total());
    double top = 1.0;
    for (const auto& [name, ns] : bars)
        top = std::max(top, ns);
    const double rowHeight = 24.0;
    Svg svg(kChartWidth, rowHeight * static_cast<double>(bars.size()) + 10);
    double y = 5;
    for (const auto& [name, ns] : bars) {
        const double w = (kChartWidth - kLabelWidth - 140) * ns / top;
        svg.text(kLabelWidth - 8, y + 16, name, "end");
        svg.rect(kLabelWidth, y + 3, w, rowHeight - 6, report::stageColorHex(stageOf(name)), name);
        svg.text(kLabelWidth + w + 6, y + 16, report::milliseconds(ns, 1) + " ms");
        y += rowHeight;
    }
    return svg.str("Time per stage");
}

// Re-bins a histogram's buckets into 40 columns on a log scale between its min and max.
std::string histogramChart(const NamedHistogram& named) {
    const LatencyHistogram& h = named.histogram;
    constexpr int kColumns = 40;
    const double lo = std::max(1.0, static_cast<double>(h.min()));
    const double hi = std::max(lo * 1.0001, static_cast<double>(h.max()));
    std::vector<double> columns(kColumns, 0.0);
    for (const LatencyHistogram::Bucket& b : h.buckets()) {
        const double mid = std::max(1.0, static_cast<double>(b.lower) + static_cast<double>(b.width) / 2.0);
        int c = static_cast<int>((std::log(mid) - std::log(lo)) / (std::log(hi) - std::log(lo)) * kColumns);
        columns[static_cast<std::size_t>(std::clamp(c, 0, kColumns - 1))] += static_cast<double>(b.count);
    }
    const double top = std::max(1.0, *std::max_element(columns.begin(), columns.end()));
    const double width = 440.0, height = 150.0, plot = 110.0, colWidth = (width - 20) / kColumns;
    Svg svg(width, height);
    svg.text(10, 14, named.name + "  (n=" + std::to_string(h.count()) + ")");
    for (int c = 0; c < kColumns; ++c) {
        const double bh = plot * columns[static_cast<std::size_t>(c)] / top;
        svg.rect(10 + c * colWidth, 20 + plot - bh, colWidth - 1, bh,
                 report::stageColorHex(stageOf(named.name)));
    }
    svg.line(10, 20 + plot, width - 10, 20 + plot, "#444");
    svg.text(10, height - 6, report::milliseconds(lo, 3) + " ms");
    svg.text(width - 10, height - 6, report::milliseconds(hi, 3) + " ms (log scale)", "end");
    for (const auto& [p, label] : {std::pair{50.0, "p50"}, std::pair{95.0, "p95"}, std::pair{99.0, "p99"}}) {
        const double v = std::max(1.0, h.percentile(p));
        const double x = 10 + (std::log(v) - std::log(lo)) / (std::log(hi) - std::log(lo)) * (width - 20);
        svg.line(x, 20, x, 20 + plot, "#222", " stroke-dasharray=\"3,3\"");
        svg.text(x + 2, 30, label);
    }
    return svg.str("Latency of " + named.name);
}

std::string timeline(const ProfileReport& r) {
    const ProfileData& d = r.data;
    const double begin = static_cast<double>(d.beginNs());
    const double span = std::max(1.0, static_cast<double>(d.endNs()) - begin);
    const double plotWidth = kChartWidth - kLabelWidth - 10;
    auto xOf = [&](double ns) { return kLabelWidth + (ns - begin) / span * plotWidth; };
    std::vector<int> maxDepth(d.threads.size(), 0);
    for (const ZoneRecord& z : d.zones)
        maxDepth[z.thread] = std::max(maxDepth[z.thread], z.depth);
    constexpr double kRow = 14.0;
    std::vector<double> laneTop(d.threads.size(), 0.0);
    double height = 24.0;
    for (std::size_t t = 0; t < d.threads.size(); ++t) {
        laneTop[t] = height;
        height += kRow * (maxDepth[t] + 1) + 8;
    }
    Svg svg(kChartWidth, height + 20);
    for (std::size_t t = 0; t < d.threads.size(); ++t) {
        svg.text(kLabelWidth - 8, laneTop[t] + 11,
                 d.threads[t].name.empty() ? std::to_string(d.threads[t].id) : d.threads[t].name, "end");
        svg.line(kLabelWidth, laneTop[t] - 4, kChartWidth - 10, laneTop[t] - 4, "#e0e0e0");
    }
    // Zones narrower than a third of a pixel are invisible anyway; skipping them keeps big traces small.
    std::size_t drawn = 0, skipped = 0;
    for (const ZoneRecord& z : d.zones) {
        const double w = static_cast<double>(z.durationNs()) / span * plotWidth;
        if (w < 0.33 || drawn >= 20000) {
            ++skipped;
            continue;
        }
        ++drawn;
        svg.rect(xOf(static_cast<double>(z.startNs)), laneTop[z.thread] + kRow * z.depth, w, kRow - 2,
                 report::stageColorHex(stageOf(z.name)),
                 z.name + ": " + report::milliseconds(static_cast<double>(z.durationNs())) + " ms");
    }
    for (const MarkerRecord& m : d.markers) {
        const double x = xOf(static_cast<double>(m.timeNs));
        svg.raw("<g><title>" + xmlEscape(m.category + ": " + m.message) + "</title>");
        svg.line(x, 18, x, height, "#000", " stroke-dasharray=\"4,2\"");
        svg.raw("</g>");
    }
    svg.text(kLabelWidth, height + 14, "0 ms");
    svg.text(kChartWidth - 10, height + 14, report::milliseconds(span, 1) + " ms", "end");
    if (skipped)
        svg.text(kLabelWidth, 12, std::to_string(skipped) + " zones too short to draw at this scale");
    return svg.str("Zones per thread");
}

std::string counterChart(const ProfileReport& r, const std::string& name) {
    std::vector<const CounterSample*> samples;
    for (const CounterSample& c : r.data.counters)
        if (c.name == name)
            samples.push_back(&c);
    double lo = 0.0, hi = 1.0;
    for (const CounterSample* c : samples)
        hi = std::max(hi, c->value), lo = std::min(lo, c->value);
    const double begin = static_cast<double>(r.data.beginNs());
    const double span = std::max(1.0, static_cast<double>(r.data.endNs()) - begin);
    const double width = kChartWidth, height = 160.0, plotTop = 20.0, plotHeight = 110.0;
    const double plotWidth = width - kLabelWidth - 10;
    std::vector<std::pair<double, double>> points;
    for (const CounterSample* c : samples)
        points.emplace_back(kLabelWidth + (static_cast<double>(c->timeNs) - begin) / span * plotWidth,
                            plotTop + plotHeight - (c->value - lo) / (hi - lo) * plotHeight);
    const bool isBytes = name.find("bytes") != std::string::npos || name.find("memory") != std::string::npos;
    auto label = [&](double v) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%g", v);
        return isBytes ? report::bytes(v) : std::string(buf);
    };
    Svg svg(width, height);
    svg.text(10, 14, name);
    svg.line(kLabelWidth, plotTop + plotHeight, width - 10, plotTop + plotHeight, "#444");
    svg.line(kLabelWidth, plotTop, kLabelWidth, plotTop + plotHeight, "#444");
    svg.text(kLabelWidth - 6, plotTop + 8, label(hi), "end");
    svg.text(kLabelWidth - 6, plotTop + plotHeight, label(lo), "end");
    svg.polyline(points, isBytes ? "#e15759" : "#4e79a7");
    svg.text(kLabelWidth, height - 8, "0 ms");
    svg.text(width - 10, height - 8, report::milliseconds(span, 1) + " ms", "end");
    return svg.str("Counter " + name);
}

std::string cell(const std::string& text) {
    return "<td>" + xmlEscape(text) + "</td>";
}

} // namespace

std::string ProfileReport::toHtml() const {
    std::string h;
    h += "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
         "<meta charset=\"utf-8\"/>\n<title>" +
         xmlEscape(title) +
         "</title>\n<style>\n"
         "body { font-family: sans-serif; margin: 2em; color: #222; }\n"
         "table { border-collapse: collapse; margin: 1em 0; }\n"
         "th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }\n"
         "th:first-child, td:first-child { text-align: left; }\n"
         "svg { display: block; margin: 0.5em 0; font-size: 11px; }\n"
         "svg.inline, .hist svg { display: inline-block; }\n"
         ".severity { font-weight: bold; }\n"
         "</style>\n</head>\n<body>\n";
    h += "<h1>" + xmlEscape(title) + "</h1>\n";
    h += "<p>Wall time " + report::milliseconds(static_cast<double>(wallNs), 1) + " ms, " +
         std::to_string(data.zones.size()) + " zones on " + std::to_string(data.threads.size()) +
         " threads, tier " + tierName(settings.tier) + ". Times in milliseconds.";
    if (data.droppedEvents)
        h += " " + std::to_string(data.droppedEvents) + " events were dropped (buffers full).";
    h += "</p>\n";

    h += "<h2>Bottleneck</h2>\n";
    if (bottleneck.stage.empty()) {
        h += "<p>No pipeline stage was measured.</p>\n";
    } else {
        char severity[32];
        std::snprintf(severity, sizeof severity, "%.2f", bottleneck.severity);
        h += "<p><span class=\"severity\">" + xmlEscape(bottleneck.stage) + "</span> (" +
             xmlEscape(bottleneck.resource) + ", severity " + severity +
             "): " + xmlEscape(bottleneck.reason) + "</p>\n";
    }

    h += "<h2>Recommendations</h2>\n<table>\n<tr><th>Action</th><th>Setting</th><th>Estimated gain</th>"
         "<th>Because</th></tr>\n";
    for (const Recommendation& rec : recommendations)
        h += "<tr>" + cell(rec.action) + cell(rec.setting) + cell(report::percent(rec.estimatedGain)) +
             cell(rec.reason) + "</tr>\n";
    h += "</table>\n";

    h += "<h2>Resilience</h2>\n<table>\n<tr><th>Recovery decision</th><th>Count</th></tr>\n";
    for (std::size_t i = 0; i < kResilienceEventCount; ++i) {
        const ResilienceEvent e = ResilienceCounts::event(i);
        h += "<tr>" + cell(std::string(ResilienceCounts::label(e))) + cell(std::to_string(resilience[e])) +
             "</tr>\n";
    }
    h += "</table>\n";

    h += "<h2>Stage times</h2>\n" + stageBars(*this);
    h += "<table>\n<tr><th>Stage</th><th>Busy</th><th>Share of path</th><th>Queue share</th><th>Mean "
         "service</th>"
         "<th>Mean wait</th></tr>\n";
    for (const StageLoad& s : measurements.stages)
        h += "<tr>" + cell(s.stage) + cell(report::milliseconds(s.busyNs)) + cell(report::percent(s.share)) +
             cell(report::percent(s.waitShare)) + cell(report::milliseconds(s.serviceNs)) +
             cell(report::milliseconds(s.waitNs)) + "</tr>\n";
    h += "</table>\n";

    h += "<h2>Critical path</h2>\n<table>\n<tr><th>Job</th><th>Wall</th><th>Chain</th><th>Per "
         "stage</th></tr>\n";
    for (const CriticalPath& p : criticalPaths) {
        std::string perStage;
        for (const auto& [stage, ns] : p.stageTimes())
            perStage += (perStage.empty() ? "" : ", ") + stage + " " +
                        report::milliseconds(static_cast<double>(ns), 1);
        h += "<tr>" + cell(std::to_string(p.job)) +
             cell(report::milliseconds(static_cast<double>(p.wallNs()), 1)) + cell(p.chain()) +
             cell(perStage) + "</tr>\n";
    }
    h += "</table>\n";

    h += "<h2>Latency</h2>\n<table>\n<tr><th>Zone</th><th>Count</th><th>Total</th><th>Mean</th><th>Min</th>"
         "<th>Max</th><th>p50</th><th>p95</th><th>p99</th></tr>\n";
    for (const NamedHistogram& n : histograms) {
        const LatencyHistogram& l = n.histogram;
        h += "<tr>" + cell(n.name) + cell(std::to_string(l.count()));
        for (const double v :
             {l.total(), l.mean(), static_cast<double>(l.min()), static_cast<double>(l.max()),
              l.percentile(50), l.percentile(95), l.percentile(99)})
            h += cell(report::milliseconds(v));
        h += "</tr>\n";
    }
    h += "</table>\n<div class=\"hist\">\n";
    for (std::size_t i = 0; i < histograms.size() && i < 12; ++i)
        h += histogramChart(histograms[i]);
    h += "</div>\n";

    h += "<h2>Timeline</h2>\n" + timeline(*this);

    std::set<std::string> counterNames;
    for (const CounterSample& c : data.counters)
        counterNames.insert(c.name);
    if (!counterNames.empty()) {
        h += "<h2>Counters</h2>\n";
        // Memory first: it is the one people look for.
        for (const bool memory : {true, false})
            for (const std::string& name : counterNames)
                if ((name.find("memory") != std::string::npos) == memory)
                    h += counterChart(*this, name);
    }

    if (!data.markers.empty()) {
        h += "<h2>Events</h2>\n<table>\n<tr><th>Time</th><th>Category</th><th>Message</th></tr>\n";
        for (const MarkerRecord& m : data.markers)
            h += "<tr>" + cell(report::milliseconds(static_cast<double>(m.timeNs - data.beginNs()), 1)) +
                 cell(m.category) + cell(m.message) + "</tr>\n";
        h += "</table>\n";
    }

    if (hasBaseline) {
        h += "<h2>Regressions</h2>\n<table>\n<tr><th>Zone</th><th>Metric</th><th>Baseline</th><th>Now</th>"
             "<th>Change</th><th>Regressed</th></tr>\n";
        for (const Regression& g : regressions)
            h += "<tr>" + cell(g.stage) + cell(g.metric) + cell(report::milliseconds(g.baselineNs)) +
                 cell(report::milliseconds(g.currentNs)) + cell(report::percent(g.change)) +
                 cell(g.regressed ? "yes" : "no") + "</tr>\n";
        h += "</table>\n";
    }
    h += "</body>\n</html>\n";
    return h;
}

} // namespace avatar
