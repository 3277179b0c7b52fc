#include "voice/AcousticPhones.h"

#include "voice/Fft.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

namespace avatar {

namespace {

// What one 10 ms frame sounds like.
enum class Sound { Pause, Open, Mid, Spread, Rounded, Nasal, Fricative, Plosive };

struct Bands {
    double low = 0, f1 = 0, f2 = 0, f3 = 0, high = 0; // 80-350, 350-1000, 1000-2500, 2500-4000, 4000+ Hz
    double total() const { return low + f1 + f2 + f3 + high; }
};

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0.0;
    const auto k = static_cast<std::size_t>(p * double(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
    return v[k];
}

const char* arpabetOf(Sound s, double burstCentre) {
    switch (s) {
    case Sound::Pause:
        return "pau";
    case Sound::Open:
        return "aa";
    case Sound::Mid:
        return "ae";
    case Sound::Spread:
        return "iy";
    case Sound::Rounded:
        return "uw";
    case Sound::Nasal:
        return "m";
    case Sound::Fricative:
        return "s";
    case Sound::Plosive:
        // Bilabial bursts are weak and low, alveolar ones high, velar ones in between.
        return burstCentre < 1800.0 ? "p" : burstCentre > 3500.0 ? "t" : "k";
    }
    return "pau";
}

} // namespace

std::vector<Phone> AcousticPhones::analyze(const std::vector<float>& input, int inputRate,
                                           const CancelToken& cancel) const {
    const double duration = inputRate > 0 ? double(input.size()) / inputRate : 0.0;
    if (input.empty() || inputRate <= 0)
        return {};
    // Everything the classes need lies below 8 kHz: average down to about 16 kHz (the box filter's leakage
    // above that only blurs the top band).
    const int factor = std::max(1, inputRate / 16000);
    const int rate = inputRate / factor;
    std::vector<float> x(input.size() / std::size_t(factor));
    for (std::size_t i = 0; i < x.size(); ++i) {
        float sum = 0;
        for (int k = 0; k < factor; ++k)
            sum += input[i * std::size_t(factor) + std::size_t(k)];
        x[i] = sum / float(factor);
    }
    const auto hop = static_cast<std::size_t>(std::lround(m_options.hop * rate));
    const auto window = static_cast<std::size_t>(std::lround(m_options.window * rate));
    std::size_t size = 1;
    while (size < window)
        size <<= 1;
    std::vector<float> hann(window);
    for (std::size_t i = 0; i < window; ++i)
        hann[i] = 0.5f - 0.5f * std::cos(2.0f * std::numbers::pi_v<float> * float(i) / float(window - 1));
    const std::size_t frames = std::max<std::size_t>(1, (x.size() + hop - 1) / hop);
    std::vector<Bands> bands(frames);
    std::vector<double> db(frames), centre(frames);
    std::vector<std::complex<float>> buffer(size);
    const double binHz = double(rate) / double(size);
    for (std::size_t f = 0; f < frames; ++f) {
        if ((f & 1023) == 0)
            cancel.throwIfCancelled();
        const std::size_t start = f * hop;
        std::fill(buffer.begin(), buffer.end(), std::complex<float>{});
        for (std::size_t i = 0; i < window && start + i < x.size(); ++i)
            buffer[i] = x[start + i] * hann[i];
        fft(buffer);
        Bands& b = bands[f];
        double weighted = 0;
        for (std::size_t k = 1; k < size / 2; ++k) {
            const double hz = double(k) * binHz;
            const double p = std::norm(buffer[k]);
            if (hz < 80)
                continue;
            (hz < 350 ? b.low : hz < 1000 ? b.f1 : hz < 2500 ? b.f2 : hz < 4000 ? b.f3 : b.high) += p;
            weighted += p * hz;
        }
        db[f] = 10.0 * std::log10(b.total() + 1e-12);
        centre[f] = b.total() > 0 ? weighted / b.total() : 0.0;
    }

    // Levels against the recording itself: the floor is its quietest tenth, the speech its loudest twentieth.
    const double floorDb = percentile(db, 0.10);
    const double loudDb = percentile(db, 0.95);
    const double speechDb = floorDb + std::max(m_options.minSpeechDb, 0.4 * (loudDb - floorDb));
    std::vector<Sound> sound(frames, Sound::Pause);
    for (std::size_t f = 0; f < frames; ++f) {
        if (db[f] < speechDb)
            continue;
        const Bands& b = bands[f];
        const double total = b.total();
        const double high = b.high / total, low = b.low / total;
        const double voiced = b.low + b.f1 + b.f2;
        const double open = b.f1 / voiced;                         // first formant high: jaw open
        const double front = (b.f2 + b.f3) / (b.f1 + b.f2 + b.f3); // second formant high: lips spread
        if (high > 0.45)
            sound[f] = Sound::Fricative;
        else if (low > 0.60 && db[f] < loudDb - 6.0)
            sound[f] = Sound::Nasal;
        else if (open > 0.55)
            sound[f] = Sound::Open;
        else if (open > 0.35)
            sound[f] = front > 0.45 ? Sound::Spread : Sound::Mid;
        else
            sound[f] = front > 0.15 ? Sound::Spread : Sound::Rounded;
    }
    // Closures: a short pause inside speech that ends in a sudden rise is a plosive's hold and burst.
    const auto gapMax = static_cast<std::size_t>(std::lround(0.25 / m_options.hop));
    for (std::size_t f = 1; f + 1 < frames;) {
        if (sound[f] != Sound::Pause || sound[f - 1] == Sound::Pause) {
            ++f;
            continue;
        }
        std::size_t end = f;
        while (end < frames && sound[end] == Sound::Pause)
            ++end;
        if (end < frames && end - f <= gapMax && db[end] - db[end - 1] > 9.0)
            sound[end] = Sound::Plosive;
        f = end + 1;
    }

    // Runs of one sound become phones; runs shorter than minPhone join the longer neighbour.
    struct Run {
        Sound sound;
        std::size_t first, last; // frames, inclusive
    };
    std::vector<Run> runs;
    for (std::size_t f = 0; f < frames; ++f) {
        if (!runs.empty() && runs.back().sound == sound[f])
            runs.back().last = f;
        else
            runs.push_back({sound[f], f, f});
    }
    // One pass: a short run joins the run before it (the first one, the run after it); then equal
    // neighbours merge. Plosive bursts are short by nature and stay.
    const auto minFrames = static_cast<std::size_t>(std::lround(m_options.minPhone / m_options.hop));
    std::vector<Run> kept;
    for (const Run& r : runs) {
        const bool shortRun = r.last - r.first + 1 < minFrames && r.sound != Sound::Plosive;
        if (shortRun && !kept.empty())
            kept.back().last = r.last;
        else if (!kept.empty() && kept.back().sound == r.sound)
            kept.back().last = r.last;
        else if (!kept.empty() && kept.back().last - kept.back().first + 1 < minFrames &&
                 kept.back().sound != Sound::Plosive)
            kept.back() = {r.sound, kept.back().first, r.last}; // a short first run joins this one
        else
            kept.push_back(r);
    }
    runs = std::move(kept);
    std::vector<Phone> phones;
    const double frameSeconds = double(hop) / rate;
    for (const Run& r : runs) {
        const double start = double(r.first) * frameSeconds;
        const double end = std::min(duration, double(r.last + 1) * frameSeconds);
        if (end <= start)
            continue;
        const char* name = arpabetOf(r.sound, centre[r.first]);
        phones.push_back({name, name, start, end});
    }
    if (!phones.empty())
        phones.back().end = duration;
    return phones;
}

} // namespace avatar
