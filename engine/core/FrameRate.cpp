#include "core/FrameRate.h"

#include "core/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace avatar {
namespace {

// Digits only, at most `limit` of them (so the value fits in 64 bits with room for the arithmetic below).
std::optional<std::int64_t> digits(std::string_view text, std::size_t limit) {
    if (text.empty() || text.size() > limit)
        return std::nullopt;
    std::int64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

FrameRate::FrameRate(std::int64_t num, std::int64_t den) : m_num(0), m_den(1) {
    if (den <= 0)
        return;
    const std::int64_t g = std::gcd(num, den);
    num /= g;
    den /= g;
    // Anything that does not fit in an int is far outside the supported range: it stays out of it.
    if (num > INT32_MAX || num < INT32_MIN || den > INT32_MAX) {
        m_num = num < 0 ? -1 : INT32_MAX;
        return;
    }
    m_num = static_cast<int>(num);
    m_den = static_cast<int>(den);
}

std::optional<FrameRate> FrameRate::parse(std::string_view text) {
    if (const auto slash = text.find('/'); slash != std::string_view::npos) {
        const auto num = digits(text.substr(0, slash), 9);
        const auto den = digits(text.substr(slash + 1), 9);
        if (!num || !den || *den == 0)
            return std::nullopt;
        return FrameRate(*num, *den);
    }
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) {
        const auto whole = digits(text, 9);
        return whole ? std::optional(FrameRate(*whole, 1)) : std::nullopt;
    }
    // Up to 9 places: 60000 × 1000 × 10^9 still fits in 64 bits below.
    const std::string_view before = text.substr(0, dot);
    const std::string_view after = text.substr(dot + 1);
    const auto whole = digits(before, 9);
    const auto fraction = digits(after, 9);
    if (!whole || !fraction)
        return std::nullopt;
    std::int64_t scale = 1;
    for (std::size_t i = 0; i < after.size(); ++i)
        scale *= 10;
    const std::int64_t written = *whole * scale + *fraction; // the rate × scale
    if (written % scale != 0) {
        // NTSC: N×1000/1001 rounded to the places written equals what was written.
        const std::int64_t n = std::llround(double(written) / double(scale) * 1.001);
        if (n > 0 && n <= 1'000'000) {
            const std::int64_t exact = n * 1000 * scale; // ÷ 1001, rounded to the nearest
            if ((2 * exact + 1001) / 2002 == written)
                return FrameRate(n * 1000, 1001);
        }
    }
    return FrameRate(written, scale);
}

std::string FrameRate::message(std::string_view given) {
    return "The frame rate '" + std::string(given) + "' is not supported: use " + std::to_string(kMinFps) +
           " to " + std::to_string(kMaxFps) +
           " frames per second, written as a whole number (25), a decimal (29.97) or a fraction "
           "(30000/1001).";
}

FrameRate FrameRate::parseSupported(std::string_view text) {
    const std::optional<FrameRate> rate = parse(text);
    if (!rate || !rate->supported())
        throw Error(ErrorCode::InvalidInput, message(text));
    return *rate;
}

bool FrameRate::supported() const {
    return m_den >= 1 && m_den <= kMaxDenominator && std::int64_t(m_num) >= std::int64_t(kMinFps) * m_den &&
           std::int64_t(m_num) <= std::int64_t(kMaxFps) * m_den;
}

void FrameRate::require() const {
    if (!supported())
        throw Error(ErrorCode::InvalidInput, message(toString()));
}

std::string FrameRate::toString() const {
    return m_den == 1 ? std::to_string(m_num) : std::to_string(m_num) + "/" + std::to_string(m_den);
}

std::string FrameRate::label() const {
    if (m_den == 1)
        return std::to_string(m_num);
    char text[48];
    std::snprintf(text, sizeof text, "%.3f", toDouble());
    std::string out(text);
    while (out.back() == '0')
        out.pop_back();
    if (out.back() == '.')
        out.pop_back();
    return out;
}

std::int64_t FrameRate::framesFor(double seconds) const {
    // For a whole rate this is the same arithmetic (and so the same frame count) as before rates were
    // fractions: seconds × fps / 1.
    return std::max<std::int64_t>(1, std::llround(seconds * m_num / m_den));
}

std::int64_t FrameRate::framesCovering(std::int64_t samples, int sampleRate) const {
    // samples × num / (sampleRate × den), rounded up. Fits in 64 bits for any sound the engine keeps in
    // memory (2^31 samples × 60060).
    const std::int64_t divisor = std::int64_t(sampleRate) * m_den;
    return (samples * m_num + divisor - 1) / divisor;
}

std::int64_t FrameRate::sampleAt(std::int64_t frame, int sampleRate) const {
    // frame × sampleRate × den / num, rounded to the nearest with halves up (what llround did with doubles).
    const std::int64_t scaled = frame * sampleRate * m_den;
    return (2 * scaled + m_num) / (2 * std::int64_t(m_num));
}

int FrameRate::framesInTwoSeconds() const {
    return std::max(1, static_cast<int>((2 * std::int64_t(m_num) + m_den / 2) / m_den));
}

} // namespace avatar
