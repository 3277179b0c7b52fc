// ProfileReport::toPdf: the summary, a stage-time bar chart and the tables, on A4 pages.
#include "PdfWriter.h"
#include "ProfileReport.h"
#include "ReportFormat.h"
#include "StageColors.h"

#include <algorithm>
#include <cstdio>

namespace avatar {

namespace {

constexpr double kMargin = 50.0;
constexpr double kBody = 9.0;

// The text without its last character (UTF-8: a whole sequence) and "...".
std::string shortened(const std::string& text) {
    std::size_t end =
        text.size() - (text.size() >= 4 && text.compare(text.size() - 3, 3, "...") == 0 ? 3 : 0);
    do
        --end;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80);
    return text.substr(0, end) + "...";
}

// A top-down cursor over the pages: starts a new page when the next block does not fit.
class Layout {
public:
    explicit Layout(PdfWriter& pdf) : m_pdf(pdf) { m_y = PdfWriter::kPageHeight - kMargin; }
    void newPage() {
        m_pdf.newPage();
        m_y = PdfWriter::kPageHeight - kMargin;
    }
    void ensure(double height) {
        if (m_y - height < kMargin)
            newPage();
    }
    void heading(const std::string& text) {
        ensure(40);
        m_y -= 22;
        m_pdf.setFill(0, 0, 0);
        m_pdf.text(kMargin, m_y, 13, text, true);
        m_y -= 8;
    }
    // Wraps at the page width.
    void paragraph(const std::string& text, double size = kBody) {
        const double width = PdfWriter::kPageWidth - 2 * kMargin;
        std::string line;
        std::size_t pos = 0;
        while (pos <= text.size()) {
            std::size_t next = text.find(' ', pos);
            if (next == std::string::npos)
                next = text.size();
            const std::string word = text.substr(pos, next - pos);
            const std::string candidate = line.empty() ? word : line + " " + word;
            if (!line.empty() && m_pdf.textWidth(candidate, size) > width) {
                emitLine(line, size);
                line = word;
            } else {
                line = candidate;
            }
            pos = next + 1;
        }
        if (!line.empty())
            emitLine(line, size);
    }
    // A table with the first column left-aligned and the rest right-aligned; the header repeats on new pages.
    void table(const std::vector<std::string>& header, const std::vector<double>& widths,
               const std::vector<std::vector<std::string>>& rows) {
        auto row = [&](const std::vector<std::string>& cells, bool bold) {
            ensure(14);
            m_y -= 13;
            double x = kMargin;
            for (std::size_t c = 0; c < cells.size() && c < widths.size(); ++c) {
                std::string text = cells[c];
                while (text.size() > 3 && m_pdf.textWidth(text, 8, bold) > widths[c] - 4)
                    text = shortened(text);
                const double tx = c == 0 ? x + 2 : x + widths[c] - 2 - m_pdf.textWidth(text, 8, bold);
                m_pdf.text(tx, m_y + 3, 8, text, bold);
                x += widths[c];
            }
            m_pdf.setStroke(0.8, 0.8, 0.8);
            m_pdf.line(kMargin, m_y, x, m_y, 0.4);
        };
        m_pdf.setFill(0, 0, 0);
        row(header, true);
        for (const auto& cells : rows) {
            if (m_y - 14 < kMargin) {
                newPage();
                row(header, true);
            }
            row(cells, false);
        }
        m_y -= 6;
    }
    double& y() { return m_y; }

private:
    void emitLine(const std::string& line, double size) {
        ensure(size + 4);
        m_y -= size + 3;
        m_pdf.setFill(0, 0, 0);
        m_pdf.text(kMargin, m_y, size, line);
    }
    PdfWriter& m_pdf;
    double m_y = 0.0;
};

void stageChart(PdfWriter& pdf, Layout& layout, const ProfileReport& r) {
    std::vector<std::pair<std::string, double>> bars;
    for (const StageLoad& s : r.measurements.stages)
        if (s.busyNs > 0)
            bars.emplace_back(s.stage, s.busyNs);
    if (bars.empty())
        for (const NamedHistogram& h : r.histograms)
            bars.emplace_back(h.name, h.histogram.total());
    double top = 1.0;
    for (const auto& [name, ns] : bars)
        top = std::max(top, ns);
    const double label = 110.0, barMax = PdfWriter::kPageWidth - 2 * kMargin - label - 70;
    for (const auto& [name, ns] : bars) {
        layout.ensure(20);
        layout.y() -= 18;
        const double y = layout.y();
        pdf.setFill(0, 0, 0);
        pdf.text(kMargin + label - 6 - pdf.textWidth(name, kBody), y + 3, kBody, name);
        const report::Rgb c = report::stageColor(stageOf(name));
        pdf.setFill(c.r, c.g, c.b);
        const double w = std::max(0.5, barMax * ns / top);
        pdf.rect(kMargin + label, y, w, 12);
        pdf.setFill(0, 0, 0);
        pdf.text(kMargin + label + w + 4, y + 3, kBody, report::milliseconds(ns, 1) + " ms");
    }
    pdf.setStroke(0.3, 0.3, 0.3);
    pdf.line(kMargin + label, layout.y() - 3, kMargin + label,
             layout.y() + 18.0 * static_cast<double>(bars.size()));
    layout.y() -= 8;
}

} // namespace

std::string ProfileReport::toPdf() const {
    PdfWriter pdf;
    Layout layout(pdf);
    layout.y() -= 10;
    pdf.text(kMargin, layout.y(), 18, title, true);
    layout.y() -= 6;
    layout.paragraph("Wall time " + report::milliseconds(static_cast<double>(wallNs), 1) + " ms, " +
                     std::to_string(data.zones.size()) + " zones on " + std::to_string(data.threads.size()) +
                     " threads, tier " + tierName(settings.tier) + ". All times in milliseconds.");

    layout.heading("Bottleneck");
    if (bottleneck.stage.empty()) {
        layout.paragraph("No pipeline stage was measured.");
    } else {
        char severity[32];
        std::snprintf(severity, sizeof severity, "%.2f", bottleneck.severity);
        layout.paragraph(bottleneck.stage + " (" + bottleneck.resource + ", severity " + severity +
                         "): " + bottleneck.reason);
    }

    layout.heading("Time per stage");
    stageChart(pdf, layout, *this);

    if (!criticalPaths.empty()) {
        layout.heading("Critical path");
        for (const CriticalPath& p : criticalPaths)
            layout.paragraph("Job " + std::to_string(p.job) + " (" +
                             report::milliseconds(static_cast<double>(p.wallNs()), 1) + " ms): " + p.chain());
    }

    layout.heading("Recommendations");
    if (recommendations.empty())
        layout.paragraph("None: no stage or resource stood out.");
    std::vector<std::vector<std::string>> recRows;
    for (const Recommendation& rec : recommendations)
        recRows.push_back({rec.action, rec.setting, report::percent(rec.estimatedGain)});
    if (!recRows.empty())
        layout.table({"Action", "Setting", "Est. gain"}, {330, 115, 50}, recRows);
    for (const Recommendation& rec : recommendations)
        layout.paragraph(rec.action + ": " + rec.reason + ".", 8);

    layout.heading("Latency per zone (ms)");
    std::vector<std::vector<std::string>> rows;
    for (const NamedHistogram& n : histograms) {
        const LatencyHistogram& h = n.histogram;
        std::vector<std::string> cells{n.name, std::to_string(h.count())};
        for (const double v :
             {h.total(), h.mean(), static_cast<double>(h.min()), static_cast<double>(h.max()),
              h.percentile(50), h.percentile(95), h.percentile(99)})
            cells.push_back(report::milliseconds(v));
        rows.push_back(std::move(cells));
    }
    layout.table({"Zone", "Count", "Total", "Mean", "Min", "Max", "p50", "p95", "p99"},
                 {125, 40, 55, 50, 45, 50, 45, 45, 40}, rows);

    layout.heading("Resilience");
    std::vector<std::vector<std::string>> resilienceRows;
    for (std::size_t i = 0; i < kResilienceEventCount; ++i) {
        const ResilienceEvent e = ResilienceCounts::event(i);
        resilienceRows.push_back({std::string(ResilienceCounts::label(e)), std::to_string(resilience[e])});
    }
    layout.table({"Recovery decision", "Count"}, {330, 60}, resilienceRows);

    if (hasBaseline) {
        layout.heading("Regressions against the baseline (ms)");
        std::vector<std::vector<std::string>> regRows;
        for (const Regression& g : regressions)
            regRows.push_back({g.stage, g.metric, report::milliseconds(g.baselineNs),
                               report::milliseconds(g.currentNs), report::percent(g.change),
                               g.regressed ? "yes" : "no"});
        layout.table({"Zone", "Metric", "Baseline", "Now", "Change", "Regressed"}, {165, 50, 70, 70, 60, 60},
                     regRows);
    }
    return pdf.finish(title);
}

} // namespace avatar
