#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace avatar::cache {

// Fast non-cryptographic hashes: the blob checksum stored beside each L2 row, and the key hash that picks a
// shard and the sketch's counters. Content identity is SHA-256 (CacheKey); these only need to spread well.

// 64-bit FNV-1a over the bytes, finished with a strong mixer so that short inputs spread too.
std::uint64_t checksum64(std::span<const std::uint8_t> data);
std::uint64_t hashString(std::string_view text);

// SplitMix64's finaliser: a bijective avalanche mixer.
constexpr std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

// Uniform double in [0, 1) from a 64-bit engine's raw output. std::uniform_real_distribution is
// implementation-defined; this is the same everywhere, which keeps seeded results reproducible.
template <class Engine> double uniform01(Engine& engine) {
    return static_cast<double>(engine() >> 11) * 0x1.0p-53;
}

} // namespace avatar::cache
