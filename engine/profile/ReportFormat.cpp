#include "ReportFormat.h"

#include <cstdio>
#include <cstdlib>

namespace avatar::report {

std::string microseconds(std::int64_t ns) {
    // Integer arithmetic, so that a child zone's end never rounds past its parent's.
    char buf[48];
    const char* sign = ns < 0 ? "-" : "";
    const long long magnitude = std::llabs(static_cast<long long>(ns));
    std::snprintf(buf, sizeof buf, "%s%lld.%03lld", sign, magnitude / 1000, magnitude % 1000);
    return buf;
}

std::string milliseconds(double ns, int decimals) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, ns / 1e6);
    return buf;
}

std::string percent(double fraction) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", fraction * 100.0);
    return buf;
}

std::string bytes(double value) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, unit ? "%.1f %s" : "%.0f %s", value, units[unit]);
    return buf;
}

std::string xmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
            break;
        }
    }
    return out;
}

} // namespace avatar::report
