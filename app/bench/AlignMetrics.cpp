#include "AlignMetrics.h"

#include "core/Error.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <random>

namespace avatar::bench {

namespace {

double rms(const std::vector<float>& x) {
    double sum = 0;
    for (const float s : x)
        sum += double(s) * s;
    return x.empty() ? 0.0 : std::sqrt(sum / double(x.size()));
}

void put16(std::ofstream& out, std::uint16_t v) {
    const char b[2] = {char(v & 0xff), char(v >> 8)};
    out.write(b, 2);
}
void put32(std::ofstream& out, std::uint32_t v) {
    put16(out, std::uint16_t(v & 0xffff));
    put16(out, std::uint16_t(v >> 16));
}

} // namespace

const char* disguiseName(Disguise d) {
    switch (d) {
    case Disguise::Clean:
        return "clean";
    case Disguise::Noise:
        return "noise-20db";
    case Disguise::Reverb:
        return "reverb";
    case Disguise::PitchTempo:
        return "pitch-tempo";
    case Disguise::MusicBed:
        return "music-bed";
    }
    return "?";
}

std::vector<float> disguise(const std::vector<float>& x, int rate, Disguise how, std::uint32_t seed,
                            double* timeScale) {
    std::mt19937 random(seed);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    if (timeScale)
        *timeScale = 1.0;
    const double level = rms(x);
    std::vector<float> y = x;
    switch (how) {
    case Disguise::Clean:
        break;
    case Disguise::Noise: {
        const auto sigma = float(level / std::pow(10.0, 20.0 / 20.0));
        for (float& s : y)
            s += sigma * gauss(random);
        break;
    }
    case Disguise::Reverb: {
        // Exponentially decaying noise (RT60 0.5 s) behind the direct sound, 6 dB under it in energy.
        const auto length = static_cast<std::size_t>(0.4 * rate);
        std::vector<float> tail(length);
        double energy = 0;
        for (std::size_t i = 0; i < length; ++i) {
            tail[i] = gauss(random) * float(std::pow(10.0, -3.0 * double(i) / (0.5 * rate)));
            energy += double(tail[i]) * tail[i];
        }
        const auto norm = float(std::sqrt(0.25 / energy));
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (x[i] == 0.0f)
                continue;
            const std::size_t begin = i + std::size_t(0.01 * rate); // first reflections after 10 ms
            for (std::size_t k = 0; k < length && begin + k < y.size(); k += 2)
                y[begin + k] += 2.0f * x[i] * tail[k] * norm;
        }
        break;
    }
    case Disguise::PitchTempo: {
        // Played 8 % faster: higher and shorter, as a tape or a careless resampler would.
        constexpr double kFactor = 1.08;
        y = resampled(x, kFactor * rate, rate);
        if (timeScale)
            *timeScale = 1.0 / kFactor;
        break;
    }
    case Disguise::MusicBed: {
        // A slow chord progression of soft triangle-ish tones, 15 dB under the voice.
        const double chords[4][3] = {
            {220.0, 277.2, 329.6}, {196.0, 246.9, 293.7}, {174.6, 220.0, 261.6}, {196.0, 246.9, 311.1}};
        std::vector<float> bed(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double t = double(i) / rate;
            const auto& chord = chords[static_cast<std::size_t>(t / 2.0) % 4];
            double v = 0;
            for (const double f : chord)
                v +=
                    std::sin(2 * std::numbers::pi * f * t) + 0.3 * std::sin(2 * std::numbers::pi * 2 * f * t);
            bed[i] = float(v * (0.8 + 0.2 * std::sin(2 * std::numbers::pi * 0.5 * t)));
        }
        const double gain = level / std::pow(10.0, 15.0 / 20.0) / std::max(rms(bed), 1e-9);
        for (std::size_t i = 0; i < y.size(); ++i)
            y[i] += float(gain) * bed[i];
        break;
    }
    }
    // Keep it within full scale, as a recorder would.
    float peak = 0;
    for (const float s : y)
        peak = std::max(peak, std::fabs(s));
    if (peak > 0.99f)
        for (float& s : y)
            s *= 0.99f / peak;
    return y;
}

std::vector<float> resampled(const std::vector<float>& x, double fromRate, double toRate) {
    std::vector<float> y(static_cast<std::size_t>(double(x.size()) * toRate / fromRate));
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double at = double(i) * fromRate / toRate;
        const auto k = static_cast<std::size_t>(at);
        const double f = at - double(k);
        y[i] = float((1 - f) * x[k] + f * (k + 1 < x.size() ? x[k + 1] : 0.0f));
    }
    return y;
}

void writeWav(const std::filesystem::path& path, const std::vector<float>& samples, int rate, int channels) {
    std::ofstream out(path, std::ios::binary);
    const auto bytes = static_cast<std::uint32_t>(samples.size() * std::size_t(channels) * 2);
    out.write("RIFF", 4);
    put32(out, 36 + bytes);
    out.write("WAVEfmt ", 8);
    put32(out, 16);
    put16(out, 1);
    put16(out, std::uint16_t(channels));
    put32(out, std::uint32_t(rate));
    put32(out, std::uint32_t(rate * channels * 2));
    put16(out, std::uint16_t(channels * 2));
    put16(out, 16);
    out.write("data", 4);
    put32(out, bytes);
    for (const float s : samples)
        for (int c = 0; c < channels; ++c) {
            const float g = 1.0f - 0.1f * float(c); // channels differ a little, as real ones do
            put16(out, std::uint16_t(std::int16_t(std::lround(std::clamp(s * g, -1.0f, 1.0f) * 32767.0f))));
        }
    if (!out)
        throw Error(ErrorCode::Io, "Cannot write '" + path.string() + "'.");
}

std::vector<float> toFloat(const std::vector<std::int16_t>& samples) {
    std::vector<float> out(samples.size());
    std::transform(samples.begin(), samples.end(), out.begin(),
                   [](std::int16_t s) { return float(s) / 32768.0f; });
    return out;
}

std::vector<Phone> scaled(std::vector<Phone> phones, double scale) {
    for (Phone& p : phones) {
        p.start *= scale;
        p.end *= scale;
    }
    return phones;
}

std::string shapesPerFrame(const VisemeTrack& track, FrameRate fps, double duration) {
    const auto frames = static_cast<std::size_t>(std::lround(duration * fps.num() / fps.den()));
    std::string out(frames, 'X');
    std::size_t cue = 0;
    for (std::size_t f = 0; f < frames; ++f) {
        const double t = fps.middle(static_cast<std::int64_t>(f));
        while (cue < track.size() && track[cue].end <= t)
            ++cue;
        if (cue < track.size() && track[cue].start <= t)
            out[f] = toChar(track[cue].shape);
    }
    return out;
}

double frameAgreement(const std::string& truth, const std::string& found) {
    const std::size_t n = std::min(truth.size(), found.size());
    if (n == 0)
        return 0.0;
    std::size_t same = 0;
    for (std::size_t i = 0; i < n; ++i)
        same += truth[i] == found[i];
    return double(same) / double(n);
}

std::vector<double> boundaryErrorsMs(const std::vector<Phone>& truth, const std::vector<Phone>& found) {
    std::vector<double> edges;
    for (std::size_t i = 1; i < found.size(); ++i)
        edges.push_back(found[i].start);
    std::vector<double> errors;
    for (std::size_t i = 1; i < truth.size(); ++i) {
        const double t = truth[i].start;
        double best = 1e9;
        const auto it = std::lower_bound(edges.begin(), edges.end(), t);
        if (it != edges.end())
            best = std::min(best, *it - t);
        if (it != edges.begin())
            best = std::min(best, t - *(it - 1));
        errors.push_back(best * 1000.0);
    }
    return errors;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(std::lround(p * double(values.size() - 1)))];
}

} // namespace avatar::bench
