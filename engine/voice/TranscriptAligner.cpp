#include "voice/TranscriptAligner.h"

#include "core/Error.h"
#include "voice/Fft.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace avatar {

namespace {

constexpr int kMelBands = 26;
constexpr int kCepstra = 12;
constexpr double kWindow = 0.025; // seconds

double mel(double hz) {
    return 2595.0 * std::log10(1.0 + hz / 700.0);
}

// The recording's time (seconds) of the reference's time `t`, through the per-frame map.
double mapped(const std::vector<double>& map, double t) {
    const double x = std::clamp(t / TranscriptAligner::kHop, 0.0, double(map.size() - 1));
    const auto k = static_cast<std::size_t>(x);
    const double next = k + 1 < map.size() ? map[k + 1] : map[k];
    return (map[k] + (x - double(k)) * (next - map[k])) * TranscriptAligner::kHop;
}

} // namespace

std::vector<float> TranscriptAligner::features(const std::vector<float>& x, int rate) {
    const auto hop = static_cast<std::size_t>(std::lround(kHop * rate));
    const auto window = static_cast<std::size_t>(std::lround(kWindow * rate));
    std::size_t size = 1;
    while (size < window)
        size <<= 1;
    const std::size_t frames = std::max<std::size_t>(1, (x.size() + hop - 1) / hop);
    // Triangular mel filters from 100 Hz to 7 kHz (or Nyquist): the band every voice and microphone carries.
    const double lo = mel(100.0), hi = mel(std::min(7000.0, rate / 2.0));
    std::vector<double> edges(kMelBands + 2);
    for (int b = 0; b < kMelBands + 2; ++b)
        edges[b] = 700.0 * (std::pow(10.0, (lo + (hi - lo) * b / (kMelBands + 1)) / 2595.0) - 1.0);
    std::vector<float> hann(window);
    for (std::size_t i = 0; i < window; ++i)
        hann[i] = 0.5f - 0.5f * std::cos(2.0f * std::numbers::pi_v<float> * float(i) / float(window - 1));
    std::vector<float> out(frames * kDims, 0.0f);
    std::vector<std::complex<float>> buffer(size);
    std::vector<double> logMel(kMelBands);
    for (std::size_t f = 0; f < frames; ++f) {
        std::fill(buffer.begin(), buffer.end(), std::complex<float>{});
        const std::size_t start = f * hop;
        float previous = start > 0 && start - 1 < x.size() ? x[start - 1] : 0.0f;
        for (std::size_t i = 0; i < window && start + i < x.size(); ++i) {
            // Pre-emphasis flattens the voice's spectral tilt, so the upper formants count.
            buffer[i] = (x[start + i] - 0.97f * previous) * hann[i];
            previous = x[start + i];
        }
        fft(buffer);
        std::fill(logMel.begin(), logMel.end(), 0.0);
        double energy = 0.0;
        for (std::size_t k = 1; k < size / 2; ++k) {
            const double hz = double(k) * rate / double(size);
            const double power = std::norm(buffer[k]);
            energy += power;
            for (int b = 0; b < kMelBands; ++b) {
                if (hz <= edges[b] || hz >= edges[b + 2])
                    continue;
                const double w = hz < edges[b + 1] ? (hz - edges[b]) / (edges[b + 1] - edges[b])
                                                   : (edges[b + 2] - hz) / (edges[b + 2] - edges[b + 1]);
                logMel[b] += w * power;
            }
        }
        for (double& m : logMel)
            m = std::log(m + 1e-8);
        float* row = &out[f * kDims];
        for (int c = 1; c <= kCepstra; ++c) {
            double s = 0.0;
            for (int b = 0; b < kMelBands; ++b)
                s += logMel[b] * std::cos(std::numbers::pi * c * (b + 0.5) / kMelBands);
            row[c - 1] = float(s);
        }
        row[kCepstra] = float(std::log(energy + 1e-8));
    }
    // Slopes over +-2 frames.
    constexpr int half = kDims / 2;
    for (std::size_t f = 0; f < frames; ++f)
        for (int d = 0; d < half; ++d) {
            const auto at = [&](std::ptrdiff_t k) {
                return out[std::size_t(std::clamp<std::ptrdiff_t>(k, 0, std::ptrdiff_t(frames) - 1)) * kDims +
                           d];
            };
            const auto i = std::ptrdiff_t(f);
            out[f * kDims + half + d] = (at(i + 1) - at(i - 1) + 2.0f * (at(i + 2) - at(i - 2))) / 10.0f;
        }
    for (int d = 0; d < kDims; ++d) {
        double sum = 0.0, squares = 0.0;
        for (std::size_t f = 0; f < frames; ++f) {
            sum += out[f * kDims + d];
            squares += double(out[f * kDims + d]) * out[f * kDims + d];
        }
        const double mean = sum / double(frames);
        const double sd = std::sqrt(std::max(1e-12, squares / double(frames) - mean * mean));
        for (std::size_t f = 0; f < frames; ++f)
            out[f * kDims + d] = float((out[f * kDims + d] - mean) / sd);
    }
    return out;
}

std::vector<double> TranscriptAligner::warp(const std::vector<float>& recording,
                                            const std::vector<float>& reference, const CancelToken& cancel) {
    const std::size_t n = recording.size() / kDims, m = reference.size() / kDims;
    // A band around the line from the first frames to the last (Sakoe-Chiba), wide enough for a speaker
    // twice as slow or fast in places and for leading or trailing silence of a few seconds.
    // At most 15 s either side on long files, so that ten minutes take 180 MB of moves, not a gigabyte.
    const auto band = static_cast<std::ptrdiff_t>(
        std::max<double>(300.0, std::min<double>(1500.0, 0.15 * double(std::max(n, m)))));
    const auto centre = [&](std::size_t i) {
        return std::ptrdiff_t(std::llround(double(i) * double(m) / double(n)));
    };
    std::vector<std::ptrdiff_t> first(n), last(n);
    for (std::size_t i = 0; i < n; ++i) {
        first[i] = std::max<std::ptrdiff_t>(0, centre(i) - band);
        last[i] = std::min<std::ptrdiff_t>(std::ptrdiff_t(m) - 1, centre(i) + band);
    }
    first[0] = 0;
    last[n - 1] = std::ptrdiff_t(m) - 1;
    // Moves: 0 diagonal, 1 from the row above (recording advances), 2 from the left (reference advances).
    // Every move counts its cell's distance once, which favours the diagonal (fewer cells): two speakers of
    // the same words keep roughly the same pace, and the bias halved the frames with a wrong shape in
    // avatar-bench --suite align against the symmetric weighting (56 % right, now 75 %).
    std::vector<std::vector<std::uint8_t>> moves(n);
    constexpr float inf = std::numeric_limits<float>::infinity();
    std::vector<float> above(m, inf), row(m, inf);
    for (std::size_t i = 0; i < n; ++i) {
        if ((i & 1023) == 0)
            cancel.throwIfCancelled();
        moves[i].assign(std::size_t(last[i] - first[i] + 1), 0);
        const auto before = [&](std::ptrdiff_t j) {
            return i > 0 && j >= first[i - 1] && j <= last[i - 1] ? above[std::size_t(j)] : inf;
        };
        const float* a = &recording[i * kDims];
        for (std::ptrdiff_t j = first[i]; j <= last[i]; ++j) {
            const float* b = &reference[std::size_t(j) * kDims];
            float d = 0.0f;
            for (int k = 0; k < kDims; ++k)
                d += (a[k] - b[k]) * (a[k] - b[k]);
            d = std::sqrt(d);
            float best = i == 0 && j == 0 ? d : inf;
            std::uint8_t move = 0;
            if (const float c = before(j - 1) + d; c < best)
                best = c, move = 0;
            if (const float c = before(j) + d; c < best)
                best = c, move = 1;
            if (const float c = j > first[i] ? row[std::size_t(j - 1)] + d : inf; c < best)
                best = c, move = 2;
            row[std::size_t(j)] = best;
            moves[i][std::size_t(j - first[i])] = move;
        }
        std::swap(above, row);
    }
    // Each reference frame maps to the first recording frame the path pairs it with: where the recording
    // holds a sound longer (a longer pause before a word), the path runs down one reference frame, and the
    // next phone starts where that run ends, not in its middle.
    std::vector<double> map(m, 0.0);
    std::ptrdiff_t i = std::ptrdiff_t(n) - 1, j = std::ptrdiff_t(m) - 1;
    while (i >= 0 && j >= 0) {
        map[std::size_t(j)] = double(i);
        if (i == 0 && j == 0)
            break;
        const std::uint8_t move = moves[std::size_t(i)][std::size_t(j - first[std::size_t(i)])];
        if (move == 0)
            --i, --j;
        else if (move == 1)
            --i;
        else
            --j;
    }
    return map;
}

Speech TranscriptAligner::align(const std::vector<float>& samples, int rate, const Speech& reference,
                                const CancelToken& cancel) const {
    const double duration = double(samples.size()) / rate;
    if (duration > kMaxSeconds)
        throw Error(
            ErrorCode::InvalidInput,
            "A recording is aligned with its transcript only up to 10 minutes: split it, or render it "
            "without the transcript.");
    Speech timed;
    if (samples.empty() || reference.samples.empty() || reference.phones.empty())
        return timed;
    std::vector<float> spoken(reference.samples.size());
    std::transform(reference.samples.begin(), reference.samples.end(), spoken.begin(),
                   [](std::int16_t s) { return float(s) / 32768.0f; });
    const std::vector<float> a = features(samples, rate);
    cancel.throwIfCancelled();
    const std::vector<float> b = features(spoken, reference.sampleRate);
    // A transcript spoken four times faster or slower than the recording is the wrong one (and the band
    // would not connect the path).
    const double spokenSeconds = reference.duration();
    if (spokenSeconds > 4.0 * duration || duration > 4.0 * spokenSeconds)
        throw Error(ErrorCode::InvalidInput, "The transcript does not fit the recording: spoken, it lasts " +
                                                 std::to_string(std::lround(spokenSeconds)) +
                                                 " s, the recording " +
                                                 std::to_string(std::lround(duration)) +
                                                 " s. Check that it is this recording's text.");
    const std::vector<double> map = warp(a, b, cancel);
    for (const Phone& p : reference.phones) {
        Phone q = p;
        q.start = std::min(duration, mapped(map, p.start));
        q.end = std::min(duration, mapped(map, p.end));
        timed.phones.push_back(q);
    }
    for (const Word& w : reference.words) {
        Word q = w;
        q.start = std::min(duration, mapped(map, w.start));
        q.end = std::min(duration, mapped(map, w.end));
        timed.words.push_back(q);
    }
    return timed;
}

} // namespace avatar
