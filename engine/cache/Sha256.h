#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace avatar::cache {

// SHA-256 (FIPS 180-4), written here so that the engine's cache keys need no crypto library. Streaming:
// update() any number of times, then finish() once.
class Sha256 {
public:
    using Digest = std::array<std::uint8_t, 32>;

    Sha256();
    void update(std::span<const std::uint8_t> data);
    void update(std::string_view text);
    Digest finish();

    static Digest hash(std::string_view text);
    static std::string toHex(const Digest& digest);

private:
    void compress(const std::uint8_t* block);

    std::array<std::uint32_t, 8> m_state;
    std::array<std::uint8_t, 64> m_buffer{};
    std::size_t m_buffered = 0;
    std::uint64_t m_totalBytes = 0;
};

} // namespace avatar::cache
