#include "Hashing.h"

namespace avatar::cache {

namespace {
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
} // namespace

std::uint64_t checksum64(std::span<const std::uint8_t> data) {
    std::uint64_t h = kFnvOffset;
    for (const std::uint8_t byte : data) {
        h ^= byte;
        h *= kFnvPrime;
    }
    return mix64(h ^ data.size());
}

std::uint64_t hashString(std::string_view text) {
    return checksum64(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

} // namespace avatar::cache
