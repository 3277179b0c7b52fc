#include "voice/HeardPhones.h"

#include <algorithm>

namespace avatar {

namespace {

bool closure(const std::string& arpabet) {
    return arpabet == "m" || arpabet == "b" || arpabet == "p" || arpabet == "em";
}

} // namespace

std::vector<Phone> HeardPhones::pausesFilled(const std::vector<Phone>& aligned,
                                             const std::vector<Phone>& heard, double longPause) {
    std::vector<Phone> out;
    for (const Phone& p : aligned) {
        if (p.arpabet != "pau" || p.end - p.start <= longPause) {
            out.push_back(p);
            continue;
        }
        double at = p.start;
        for (const Phone& h : heard)
            if (h.end > at && h.start < p.end) {
                out.push_back({h.arpabet, h.arpabet, at, std::min(h.end, p.end)});
                at = out.back().end;
            }
        if (at < p.end)
            out.push_back({"pau", "pau", at, p.end});
    }
    return out;
}

std::vector<Phone> HeardPhones::closuresAdded(const std::vector<Phone>& aligned,
                                              const std::vector<Phone>& heard) {
    std::vector<Phone> out = aligned;
    for (const Phone& h : heard) {
        if (!closure(h.arpabet) || h.end <= h.start)
            continue;
        const double middle = 0.5 * (h.start + h.end);
        bool keep = true, inside = false;
        for (const Phone& p : out)
            if (p.end > h.start && p.start < h.end) {
                keep = keep && !closure(p.arpabet);
                if (p.start <= middle && middle < p.end)
                    inside = p.arpabet != "pau";
            }
        if (!keep || !inside)
            continue;
        std::vector<Phone> merged;
        merged.reserve(out.size() + 2);
        bool placed = false;
        for (const Phone& p : out) {
            if (p.end <= h.start || p.start >= h.end) {
                if (!placed && p.start >= h.end) {
                    merged.push_back({h.arpabet, h.arpabet, h.start, h.end});
                    placed = true;
                }
                merged.push_back(p);
                continue;
            }
            if (p.start < h.start) // the part before the closure
                merged.push_back({p.symbol, p.arpabet, p.start, h.start});
            if (!placed) {
                merged.push_back({h.arpabet, h.arpabet, h.start, h.end});
                placed = true;
            }
            if (p.end > h.end) // the part after it
                merged.push_back({p.symbol, p.arpabet, h.end, p.end});
        }
        if (!placed)
            merged.push_back({h.arpabet, h.arpabet, h.start, h.end});
        out = std::move(merged);
    }
    return out;
}

} // namespace avatar
