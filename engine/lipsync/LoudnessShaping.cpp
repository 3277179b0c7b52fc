#include "LoudnessShaping.h"

#include <algorithm>
#include <cmath>

namespace avatar {

double rmsOf(const Speech& speech, double start, double end) {
    const auto a = static_cast<std::size_t>(std::max(0.0, start) * speech.sampleRate);
    const auto b =
        std::min(speech.samples.size(), static_cast<std::size_t>(std::max(0.0, end) * speech.sampleRate));
    double sum = 0.0;
    for (std::size_t i = a; i < b; ++i)
        sum += double(speech.samples[i]) * speech.samples[i];
    return b > a ? std::sqrt(sum / double(b - a)) : 0.0;
}

LoudnessShaping::LoudnessShaping(const Speech& speech, const Options& options) : m_options(options) {
    if (speech.sampleRate <= 0 || speech.samples.empty())
        return;
    const double rate = speech.sampleRate;
    const auto hop = std::max<std::size_t>(1, static_cast<std::size_t>(options.hop * rate));
    const auto half = std::max<std::size_t>(1, static_cast<std::size_t>(options.window * rate / 2));
    const std::size_t n = speech.samples.size();

    // RMS around each hop (a running sum of squares keeps this linear in the sample count).
    std::vector<double> prefix(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const double s = speech.samples[i] / 32768.0;
        prefix[i + 1] = prefix[i] + s * s;
    }
    std::vector<double> rms;
    for (std::size_t c = 0; c < n; c += hop) {
        const std::size_t a = c > half ? c - half : 0, b = std::min(n, c + half);
        rms.push_back(std::sqrt((prefix[b] - prefix[a]) / double(std::max<std::size_t>(1, b - a))));
    }
    // The loud level: a high percentile of the voiced hops, so that one shout does not shrink every other
    // syllable; or the reference the caller measured for the voice.
    double loud = options.reference;
    if (loud <= 0.0) {
        std::vector<double> voiced;
        for (double r : rms)
            if (r > 1e-3)
                voiced.push_back(r);
        if (voiced.empty()) {
            m_level.assign(rms.size(), 0.0);
            return;
        }
        std::nth_element(voiced.begin(), voiced.begin() + voiced.size() * 9 / 10, voiced.end());
        loud = voiced[voiced.size() * 9 / 10];
    }

    // dB below the loud level → 0..1, then an attack/release envelope so the jaw never jitters.
    const double up = 1.0 - std::exp(-options.hop / options.attack);
    const double down = 1.0 - std::exp(-options.hop / options.release);
    m_level.resize(rms.size());
    double env = 0.0;
    for (std::size_t i = 0; i < rms.size(); ++i) {
        const double db = 20.0 * std::log10(std::max(rms[i], 1e-6) / loud);
        const double target = std::clamp(1.0 - db / options.floorDb, 0.0, 1.0);
        env += (target - env) * (target > env ? up : down);
        m_level[i] = env;
    }
}

double LoudnessShaping::loudLevel(const Speech& speech) {
    const Options options;
    if (speech.sampleRate <= 0 || speech.samples.empty())
        return 0.0;
    const auto window = static_cast<std::size_t>(options.window * speech.sampleRate);
    const auto hop = std::max<std::size_t>(1, static_cast<std::size_t>(options.hop * speech.sampleRate));
    std::vector<double> voiced;
    for (std::size_t c = 0; c + window <= speech.samples.size(); c += hop) {
        double sum = 0.0;
        for (std::size_t i = c; i < c + window; ++i) {
            const double v = speech.samples[i] / 32768.0;
            sum += v * v;
        }
        const double r = std::sqrt(sum / double(window));
        if (r > 1e-3)
            voiced.push_back(r);
    }
    if (voiced.empty())
        return 0.0;
    std::nth_element(voiced.begin(), voiced.begin() + voiced.size() * 9 / 10, voiced.end());
    return voiced[voiced.size() * 9 / 10];
}

double LoudnessShaping::gainAt(double t) const {
    if (m_level.empty())
        return 1.0;
    return m_options.minGain + (m_options.maxGain - m_options.minGain) * sample(t);
}

double LoudnessShaping::levelAt(double t) const {
    return m_level.empty() ? 0.0 : sample(t);
}

double LoudnessShaping::sample(double t) const {
    // The envelope lags the sound by about its attack time; reading it `lead` later than t puts the jaw
    // ahead of the sound instead.
    const double pos = (t + m_options.lead) / m_options.hop;
    if (pos <= 0.0)
        return m_level.front();
    const auto i = static_cast<std::size_t>(pos);
    if (i + 1 >= m_level.size())
        return m_level.back();
    const double f = pos - double(i);
    return m_level[i] * (1.0 - f) + m_level[i + 1] * f;
}

std::vector<double> LoudnessShaping::sealing(const VisemeTrack& track, double fps, std::size_t frames) {
    std::vector<double> seal(frames, 0.0);
    for (const VisemeCue& cue : track) {
        if (cue.shape != Viseme::A || cue.end <= cue.start)
            continue;
        // Frames whose centre the closure covers, by how deep inside it: a closure found a few ms earlier or
        // later than it was said moves a frame at its edge a little, not from open to sealed (a step that a
        // 3 ms shift flipped took a loud frame from 0.109 to 0.006 IOD in tst_render_e2e).
        const auto first = static_cast<std::size_t>(std::max(0.0, std::ceil(cue.start * fps - 0.5)));
        for (std::size_t f = first; f < frames; ++f) {
            const double t = (double(f) + 0.5) / fps;
            if (t >= cue.end)
                break;
            seal[f] =
                std::max(seal[f], std::clamp(2.0 * fps * std::min(t - cue.start, cue.end - t), 0.0, 1.0));
        }
        // The frame that holds the closure's middle is sealed whatever the ramp gives: every M, B and P
        // closes the lips on at least one frame.
        if (const auto middle = static_cast<std::size_t>(0.5 * (cue.start + cue.end) * fps); middle < frames)
            seal[middle] = 1.0;
    }
    return seal;
}

void LoudnessShaping::apply(std::vector<MouthParams>& poses, double fps, const VisemeTrack& track) const {
    if (m_level.empty())
        return;
    const std::vector<double> seal = sealing(track, fps, poses.size());
    for (std::size_t f = 0; f < poses.size(); ++f) {
        const double t = (double(f) + 0.5) / fps;
        MouthParams& p = poses[f];
        // How open the shape itself is decides whether it gets the boost: none for closures (below 0.02
        // IOD), all of it from 0.06, smoothly in between, so M, B and P stay sealed.
        const double x = std::clamp((p.open - 0.02) / 0.04, 0.0, 1.0);
        const double openShape = x * x * (3.0 - 2.0 * x);
        const double voiced = p.open * gainAt(t) + m_options.voicedBoost * sample(t) * openShape;
        const double sealed = p.open * std::min(1.0, gainAt(t));
        p.open = seal[f] * sealed + (1.0 - seal[f]) * voiced;
    }
}

} // namespace avatar
