#include "CacheKey.h"

#include <array>
#include <cmath>
#include <cstring>
#include <limits>

namespace avatar::cache {

namespace {

std::array<std::uint8_t, 8> littleEndian(std::uint64_t value) {
    std::array<std::uint8_t, 8> out;
    for (std::size_t i = 0; i < 8; ++i)
        out[i] = static_cast<std::uint8_t>(value >> (8 * i));
    return out;
}

std::span<const std::uint8_t> asBytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Length in bytes of the whitespace character that starts at text[i], or 0. Covers ASCII whitespace and the
// Unicode White_Space characters outside ASCII: U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029,
// U+202F, U+205F, U+3000.
std::size_t whitespaceLength(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) -> unsigned {
        return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
    };
    const unsigned b0 = byte(0);
    if (b0 == ' ' || (b0 >= 0x09 && b0 <= 0x0D))
        return 1;
    if (b0 == 0xC2 && (byte(1) == 0x85 || byte(1) == 0xA0))
        return 2;
    if (b0 == 0xE1 && byte(1) == 0x9A && byte(2) == 0x80)
        return 3;
    if (b0 == 0xE2 && byte(1) == 0x80) {
        const unsigned b2 = byte(2);
        if ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF)
            return 3;
    }
    if (b0 == 0xE2 && byte(1) == 0x81 && byte(2) == 0x9F)
        return 3;
    if (b0 == 0xE3 && byte(1) == 0x80 && byte(2) == 0x80)
        return 3;
    return 0;
}

} // namespace

std::string normaliseText(std::string_view text, TextNormalisation normalisation) {
    if (normalisation == TextNormalisation::Exact)
        return std::string(text);
    std::string out;
    out.reserve(text.size());
    bool pendingSpace = false;
    for (std::size_t i = 0; i < text.size();) {
        if (const std::size_t length = whitespaceLength(text, i); length > 0) {
            pendingSpace = !out.empty();
            i += length;
            continue;
        }
        if (pendingSpace)
            out.push_back(' ');
        pendingSpace = false;
        out.push_back(text[i++]);
    }
    return out;
}

CacheKey CacheKey::fromId(std::string kind, std::string id) {
    CacheKey key;
    key.m_digest = Sha256::hash(id);
    key.m_id = kind + ':' + id;
    key.m_kind = std::move(kind);
    return key;
}

CacheKey::Builder::Builder(std::string kind) : m_kind(std::move(kind)) {
    field('K', "kind", asBytes(m_kind));
}

void CacheKey::Builder::field(char tag, std::string_view name, std::span<const std::uint8_t> payload) {
    const std::uint8_t tagByte = static_cast<std::uint8_t>(tag);
    m_sha.update(std::span(&tagByte, 1));
    m_sha.update(littleEndian(name.size()));
    m_sha.update(name);
    m_sha.update(littleEndian(payload.size()));
    m_sha.update(payload);
}

CacheKey::Builder& CacheKey::Builder::version(std::string_view producerVersion) {
    field('V', "version", asBytes(producerVersion));
    return *this;
}

CacheKey::Builder& CacheKey::Builder::text(std::string_view name, std::string_view value,
                                           TextNormalisation normalisation) {
    const std::string normalised = normaliseText(value, normalisation);
    field('T', name, asBytes(normalised));
    return *this;
}

CacheKey::Builder& CacheKey::Builder::integer(std::string_view name, std::int64_t value) {
    field('I', name, littleEndian(static_cast<std::uint64_t>(value)));
    return *this;
}

CacheKey::Builder& CacheKey::Builder::frameRate(std::string_view name, FrameRate rate) {
    integer(name, rate.num());
    if (!rate.isWhole())
        integer(std::string(name) + ".den", rate.den());
    return *this;
}

CacheKey::Builder& CacheKey::Builder::real(std::string_view name, double value, int decimals) {
    // Stored as the rounded integer count of 10^-decimals units, plus the precision itself, so that the same
    // value at a different stated precision is a different key.
    std::array<std::uint8_t, 17> payload{};
    if (std::isnan(value)) {
        payload[16] = 0xFF;
    } else {
        const double scaled = std::round(value * std::pow(10.0, decimals));
        std::int64_t units = 0;
        if (std::isinf(scaled) || std::fabs(scaled) >= 9.2e18)
            units = scaled > 0 ? std::numeric_limits<std::int64_t>::max()
                               : std::numeric_limits<std::int64_t>::min();
        else
            units = static_cast<std::int64_t>(scaled); // -0.0 becomes 0 here
        const auto unitBytes = littleEndian(static_cast<std::uint64_t>(units));
        const auto decimalBytes = littleEndian(static_cast<std::uint64_t>(decimals));
        std::memcpy(payload.data(), unitBytes.data(), 8);
        std::memcpy(payload.data() + 8, decimalBytes.data(), 8);
    }
    field('R', name, payload);
    return *this;
}

CacheKey::Builder& CacheKey::Builder::bytes(std::string_view name, std::span<const std::uint8_t> data) {
    field('B', name, data);
    return *this;
}

CacheKey::Builder& CacheKey::Builder::digest(std::string_view name, const Sha256::Digest& value) {
    field('D', name, value);
    return *this;
}

CacheKey CacheKey::Builder::build() {
    CacheKey key;
    key.m_digest = m_sha.finish();
    key.m_id = m_kind + ':' + Sha256::toHex(key.m_digest);
    key.m_kind = m_kind;
    return key;
}

} // namespace avatar::cache
