#include "Sha256.h"

#include "core/Error.h"

#include <openssl/evp.h>

namespace avatar::cache {

namespace {

// EVP only fails when it cannot allocate or the provider is missing; neither is the user's doing.
void check(int ok, const char* what) {
    if (ok != 1)
        throw Error(ErrorCode::Internal, std::string("SHA-256 (OpenSSL) failed: ") + what + ".");
}

} // namespace

void Sha256::ContextDeleter::operator()(evp_md_ctx_st* context) const {
    EVP_MD_CTX_free(context);
}

Sha256::Sha256() : m_context(EVP_MD_CTX_new()) {
    if (!m_context)
        check(0, "no context");
    check(EVP_DigestInit_ex(m_context.get(), EVP_sha256(), nullptr), "init");
}

Sha256::Sha256(const Sha256& other) : m_context(EVP_MD_CTX_new()) {
    if (!m_context)
        check(0, "no context");
    check(EVP_MD_CTX_copy_ex(m_context.get(), other.m_context.get()), "copy");
}

Sha256& Sha256::operator=(const Sha256& other) {
    if (this != &other)
        *this = Sha256(other);
    return *this;
}

Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

void Sha256::update(std::span<const std::uint8_t> data) {
    check(EVP_DigestUpdate(m_context.get(), data.data(), data.size()), "update");
}

void Sha256::update(std::string_view text) {
    check(EVP_DigestUpdate(m_context.get(), text.data(), text.size()), "update");
}

Sha256::Digest Sha256::finish() {
    Digest digest{};
    unsigned int length = 0;
    check(EVP_DigestFinal_ex(m_context.get(), digest.data(), &length), "final");
    return digest;
}

Sha256::Digest Sha256::hash(std::string_view text) {
    Digest digest{};
    unsigned int length = 0;
    check(EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr), "digest");
    return digest;
}

std::string Sha256::toHex(const Digest& digest) {
    static constexpr char kHexDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(digest.size() * 2);
    for (const std::uint8_t byte : digest) {
        hex.push_back(kHexDigits[byte >> 4]);
        hex.push_back(kHexDigits[byte & 0xF]);
    }
    return hex;
}

} // namespace avatar::cache
