#include "voice/HeardPhones.h"

#include "voice/Fft.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

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

// The deepest dip of `level` (dB per 10 ms) from `start` - 30 ms to `end` + 30 ms: at each 10 ms, how far
// the level lies under the loudest on each side within 100 ms (the smaller of the two).
double deepestDip(const std::vector<double>& level, double start, double end) {
    constexpr long kSide = 10; // 10 ms steps: 100 ms each side, a closure's length (50-150 ms)
    constexpr double kMargin = 0.03;
    const long n = static_cast<long>(level.size());
    double deepest = 0;
    for (auto f = static_cast<long>((start - kMargin) * 100); f <= static_cast<long>((end + kMargin) * 100);
         ++f) {
        if (f < 0 || f >= n)
            continue;
        double before = level[std::size_t(f)], after = level[std::size_t(f)];
        for (long k = std::max(0L, f - kSide); k < f; ++k)
            before = std::max(before, level[std::size_t(k)]);
        for (long k = f + 1; k < std::min(n, f + kSide + 1); ++k)
            after = std::max(after, level[std::size_t(k)]);
        deepest = std::max(deepest, std::min(before, after) - level[std::size_t(f)]);
    }
    return deepest;
}

} // namespace

std::vector<double> HeardPhones::speechBandLevel(const std::vector<float>& samples, int rate) {
    if (rate <= 0)
        return {};
    const auto hop = static_cast<std::size_t>(rate / 100), window = static_cast<std::size_t>(rate / 40);
    std::size_t size = 1;
    while (size < window)
        size <<= 1;
    std::vector<float> hann(window);
    for (std::size_t i = 0; i < window; ++i)
        hann[i] = float(0.5 - 0.5 * std::cos(2 * std::numbers::pi * double(i) / double(window - 1)));
    const std::size_t frames = hop > 0 ? samples.size() / hop : 0;
    std::vector<double> level(frames);
    std::vector<std::complex<float>> buffer(size);
    for (std::size_t f = 0; f < frames; ++f) {
        std::fill(buffer.begin(), buffer.end(), std::complex<float>{});
        for (std::size_t i = 0; i < window && f * hop + i < samples.size(); ++i)
            buffer[i] = samples[f * hop + i] * hann[i];
        fft(buffer);
        double power = 1e-10;
        for (std::size_t k = 1; k < size / 2; ++k) {
            const double hz = double(k) * rate / double(size);
            if (hz >= 300 && hz < 3000)
                power += std::norm(buffer[k]);
        }
        level[f] = 10 * std::log10(power);
    }
    return level;
}

std::vector<Phone> HeardPhones::pausesFilled(const std::vector<Phone>& aligned,
                                             const std::vector<Phone>& heard,
                                             const std::vector<Phone>& measured, double longPause) {
    // The loop's phones with the measured pauses cut out of them (both tracks are in time order).
    std::vector<Phone> fill;
    fill.reserve(heard.size());
    std::size_t m = 0;
    for (const Phone& h : heard) {
        double at = h.start;
        while (m < measured.size() && measured[m].end <= h.start)
            ++m;
        for (std::size_t k = m; k < measured.size() && measured[k].start < h.end; ++k) {
            if (measured[k].arpabet != "pau" || measured[k].end <= at)
                continue;
            const double from = std::max(at, measured[k].start), to = std::min(h.end, measured[k].end);
            if (from > at)
                fill.push_back({h.arpabet, h.arpabet, at, from});
            fill.push_back({"pau", "pau", from, to});
            at = to;
        }
        if (at < h.end)
            fill.push_back({h.arpabet, h.arpabet, at, h.end});
    }
    std::vector<Phone> out;
    for (const Phone& p : aligned) {
        if (p.arpabet != "pau" || p.end - p.start <= longPause) {
            out.push_back(p);
            continue;
        }
        double at = p.start;
        for (const Phone& h : fill)
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
                                              const std::vector<Phone>& heard,
                                              const std::vector<double>& level, double shortPause) {
    std::vector<Phone> out = aligned;
    for (const Phone& h : heard) {
        if (!closure(h.arpabet) || h.end <= h.start)
            continue;
        const double middle = 0.5 * (h.start + h.end);
        bool keep = true, inside = false, inPause = false;
        for (const Phone& p : out)
            if (p.end > h.start && p.start < h.end) {
                keep = keep && !closure(p.arpabet);
                if (p.start <= middle && middle < p.end) {
                    inside = p.arpabet != "pau";
                    inPause = p.arpabet == "pau" && p.end - p.start <= shortPause;
                }
            }
        if (!keep)
            continue;
        // A short pause is a silence the alignment gave no sound: a closure heard there needs no dip.
        const bool believed =
            inPause || (inside && (level.empty() || deepestDip(level, h.start, h.end) >= kClosureDipDb));
        if (believed)
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
