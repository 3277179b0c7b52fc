// ProfileReport::toCsv: one row per histogram (zone name). Times are in milliseconds (see README.md).
#include "ProfileReport.h"
#include "ReportFormat.h"

namespace avatar {

namespace {

// RFC 4180: quote a field with a comma, quote or line break, doubling its quotes.
std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

} // namespace

std::string ProfileReport::toCsv() const {
    std::string out = "name,count,total,mean,min,max,p50,p95,p99\n";
    for (const NamedHistogram& named : histograms) {
        const LatencyHistogram& h = named.histogram;
        out += csvField(named.name) + ',' + std::to_string(h.count());
        for (const double ns :
             {h.total(), h.mean(), static_cast<double>(h.min()), static_cast<double>(h.max()),
              h.percentile(50), h.percentile(95), h.percentile(99)})
            out += ',' + report::milliseconds(ns, 6);
        out += "\n";
    }
    return out;
}

} // namespace avatar
