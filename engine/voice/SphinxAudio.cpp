// SphinxAudio: a recording at PocketSphinx's rate, and where to cut it.
#include "voice/SphinxAudio.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace avatar::sphinxaudio {

// How many 16 kHz samples `samples` at `rate` make.
std::size_t modelRateLength(const std::vector<float>& samples, int rate) {
    return static_cast<std::size_t>(double(samples.size()) / (double(rate) / SphinxRecognizer::kRate));
}

// Samples [first, last) of `samples` at 16 kHz as 16-bit PCM: a windowed-sinc low-pass at 7.2 kHz, evaluated
// at each output instant from a table of 64 fractional phases (exact for 48 kHz, whose instants fall on input
// samples). A range, so that a long recording is converted a chunk at a time (the same samples as whole).
std::vector<std::int16_t> toModelRate(const std::vector<float>& samples, int rate, std::size_t first,
                                      std::size_t last) {
    const double step = double(rate) / SphinxRecognizer::kRate;
    std::vector<std::int16_t> out(last - first);
    const auto pcm = [](double v) {
        return static_cast<std::int16_t>(std::lround(std::clamp(v, -1.0, 1.0) * 32767.0));
    };
    if (rate == SphinxRecognizer::kRate) {
        std::transform(samples.begin() + std::ptrdiff_t(first), samples.begin() + std::ptrdiff_t(last),
                       out.begin(), pcm);
        return out;
    }
    constexpr int kPhases = 64;
    const int half = static_cast<int>(std::ceil(8 * std::max(step, 1.0)));
    const double cutoff =
        2.0 * 0.45 * std::min(1.0, 1.0 / step); // 7.2 kHz, as a fraction of the input's Nyquist
    std::vector<double> table(std::size_t(kPhases) * std::size_t(2 * half + 1));
    for (int ph = 0; ph < kPhases; ++ph) {
        double sum = 0;
        for (int k = -half; k <= half; ++k) {
            const double t = double(k) - double(ph) / kPhases;
            const double x = std::numbers::pi * cutoff * t;
            const double sinc = std::abs(x) < 1e-9 ? 1.0 : std::sin(x) / x;
            const double window = 0.5 + 0.5 * std::cos(std::numbers::pi * t / (half + 1));
            table[std::size_t(ph) * std::size_t(2 * half + 1) + std::size_t(k + half)] = sinc * window;
            sum += sinc * window;
        }
        for (int k = 0; k <= 2 * half; ++k)
            table[std::size_t(ph) * std::size_t(2 * half + 1) + std::size_t(k)] /= sum;
    }
    const auto n = static_cast<long long>(samples.size());
    for (std::size_t i = first; i < last; ++i) {
        const double x = double(i) * step;
        const auto base = static_cast<long long>(std::floor(x));
        const int ph = std::min(kPhases - 1, static_cast<int>(std::lround((x - double(base)) * kPhases)));
        const double* taps = &table[std::size_t(ph) * std::size_t(2 * half + 1)];
        double v = 0;
        for (int k = -half; k <= half; ++k) {
            const long long j = base + k;
            if (j >= 0 && j < n)
                v += samples[std::size_t(j)] * taps[k + half];
        }
        out[i - first] = pcm(v);
    }
    return out;
}

// The energy of `samples` per 10 ms (PocketSphinx's frame), to cut long recordings where the speaker pauses.
std::vector<float> energyPerHop(const std::vector<float>& samples, int rate) {
    std::vector<float> energy(samples.size() * 100 / std::size_t(rate) + 1, 0.0f);
    for (std::size_t i = 0; i < samples.size(); ++i)
        energy[i * 100 / std::size_t(rate)] += samples[i] * samples[i];
    return energy;
}

// Where a chunk starting at 16 kHz sample `from` ends: the middle of the quietest 300 ms between two thirds
// and four thirds of `chunk` samples on (the caller keeps chunks of over four thirds for this).
std::size_t quietestCut(const std::vector<float>& energy, std::size_t from, std::size_t chunk) {
    constexpr std::size_t kHop = SphinxRecognizer::kRate / 100;
    const std::size_t lo = (from + chunk * 2 / 3) / kHop,
                      hi = std::min(energy.size(), (from + chunk * 4 / 3) / kHop);
    double best = -1, window = 0;
    std::size_t cut = lo;
    for (std::size_t f = lo - 30; f < hi; ++f) {
        window += double(energy[f]) - (f >= lo ? double(energy[f - 30]) : 0.0);
        if (f >= lo && (best < 0 || window < best)) {
            best = window;
            cut = f - 15;
        }
    }
    return cut * kHop;
}

} // namespace avatar::sphinxaudio
