#pragma once

#include "Sha256.h"
#include "core/FrameRate.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace avatar::cache {

// How text fields are normalised before hashing, so that edits that do not change the output do not change
// the key.
enum class TextNormalisation {
    Exact,              // bytes as given
    CollapseWhitespace, // every run of whitespace (ASCII and the Unicode space characters, in UTF-8) becomes
                        // one ASCII space; leading and trailing whitespace is dropped
};

// A content-hash key: the class of data ("tts", "face", "segment", ...) plus the SHA-256 of the typed,
// normalised inputs that produced it. Two keys are equal when their class and digest are.
class CacheKey {
public:
    class Builder;

    CacheKey() = default;
    const std::string& kind() const { return m_kind; }
    const Sha256::Digest& digest() const { return m_digest; }
    // "<kind>:<64 hex digits>": the L1 map key and the L2 primary key.
    const std::string& id() const { return m_id; }

    bool operator==(const CacheKey& other) const { return m_id == other.m_id; }

    // Builds a key straight from an id string; the benchmark and tests use it for synthetic keys.
    static CacheKey fromId(std::string kind, std::string id);

private:
    std::string m_kind;
    Sha256::Digest m_digest{};
    std::string m_id;
};

// Hashes named, typed fields. Each field is framed (type tag, name, length) so that ("ab","c") and ("a","bc")
// differ, and the producer's version is part of the hash so that a new synthesiser or renderer invalidates
// what the old one made.
class CacheKey::Builder {
public:
    explicit Builder(std::string kind);

    Builder& version(std::string_view producerVersion);
    Builder& text(std::string_view name, std::string_view value,
                  TextNormalisation normalisation = TextNormalisation::Exact);
    Builder& integer(std::string_view name, std::int64_t value);
    // A frame rate: a whole one as integer(name, fps), as keys were before rates were fractions; any other
    // adds its denominator, so that 30000/1001 never matches 30.
    Builder& frameRate(std::string_view name, FrameRate rate);
    // value rounded to `decimals` decimal places (so 1.0000001 and 1.0 agree at 3); -0 is 0, NaN is one
    // value.
    Builder& real(std::string_view name, double value, int decimals);
    Builder& bytes(std::string_view name, std::span<const std::uint8_t> data);
    // A digest computed elsewhere (e.g. of a portrait file), folded in without rehashing the content.
    Builder& digest(std::string_view name, const Sha256::Digest& value);

    CacheKey build();

private:
    void field(char tag, std::string_view name, std::span<const std::uint8_t> payload);

    std::string m_kind;
    Sha256 m_sha;
};

// The normalisation used by Builder::text, exposed for tests and for callers that display normalised text.
std::string normaliseText(std::string_view text, TextNormalisation normalisation);

} // namespace avatar::cache
