#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

// OpenSSL's context type, declared here so that this header does not pull in <openssl/evp.h>.
struct evp_md_ctx_st;

namespace avatar::cache {

// SHA-256 through OpenSSL's libcrypto (EVP), which uses the CPU's SHA extensions where it has them.
// Streaming: update() any number of times, then finish() once. Copying forks the running state.
class Sha256 {
public:
    using Digest = std::array<std::uint8_t, 32>;

    Sha256();
    Sha256(const Sha256& other);
    Sha256& operator=(const Sha256& other);
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    ~Sha256();

    void update(std::span<const std::uint8_t> data);
    void update(std::string_view text);
    Digest finish();

    static Digest hash(std::string_view text);
    static std::string toHex(const Digest& digest);

private:
    struct ContextDeleter {
        void operator()(evp_md_ctx_st* context) const;
    };
    std::unique_ptr<evp_md_ctx_st, ContextDeleter> m_context;
};

} // namespace avatar::cache
