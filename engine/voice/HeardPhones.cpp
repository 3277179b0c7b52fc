#include "voice/HeardPhones.h"

#include <algorithm>

namespace avatar {

namespace {

bool closure(const std::string& arpabet) {
    return arpabet == "m" || arpabet == "b" || arpabet == "p" || arpabet == "em";
}

bool rounded(const std::string& arpabet) {
    return arpabet == "uw" || arpabet == "uh" || arpabet == "w";
}

// `track` with `phone` over its time: the phones it overlaps shortened, or dropped where it covers them.
std::vector<Phone> inserted(const std::vector<Phone>& track, const Phone& phone) {
    std::vector<Phone> merged;
    merged.reserve(track.size() + 2);
    bool placed = false;
    for (const Phone& p : track) {
        if (p.end <= phone.start || p.start >= phone.end) {
            if (!placed && p.start >= phone.end) {
                merged.push_back(phone);
                placed = true;
            }
            merged.push_back(p);
            continue;
        }
        if (p.start < phone.start) // the part before it
            merged.push_back({p.symbol, p.arpabet, p.start, phone.start});
        if (!placed) {
            merged.push_back(phone);
            placed = true;
        }
        if (p.end > phone.end) // the part after it
            merged.push_back({p.symbol, p.arpabet, phone.end, p.end});
    }
    if (!placed)
        merged.push_back(phone);
    return merged;
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
        out = inserted(out, {h.arpabet, h.arpabet, h.start, h.end});
    }
    return out;
}

std::vector<Phone> HeardPhones::roundingAdded(const std::vector<Phone>& words,
                                              const std::vector<Phone>& heard,
                                              const std::vector<Phone>& measured) {
    std::vector<Phone> out = words;
    for (const Phone& h : heard) {
        if (!rounded(h.arpabet))
            continue;
        for (const Phone& m : measured) {
            if (m.arpabet != "uw") // the acoustic analysis' rounded vowel: a low second formant
                continue;
            const double start = std::max(h.start, m.start), end = std::min(h.end, m.end);
            if (end <= start)
                continue;
            bool keep = true, inside = false;
            const double middle = 0.5 * (start + end);
            for (const Phone& p : out)
                if (p.end > start && p.start < end) {
                    keep = keep && !rounded(p.arpabet);
                    if (p.start <= middle && middle < p.end)
                        inside = p.arpabet != "pau";
                }
            if (keep && inside)
                out = inserted(out, {h.arpabet, h.arpabet, start, end});
        }
    }
    return out;
}

} // namespace avatar
