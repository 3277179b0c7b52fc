#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace avatar {

// Little-endian fixed-width fields for the engine's cached byte forms (speech, landmarks, video segments,
// audio tracks). Doubles are stored as their IEEE bits, so a value comes back bit for bit.
class ByteWriter {
public:
    void reserve(std::size_t n) { m_out.reserve(n); }
    void raw(std::string_view s) { m_out.insert(m_out.end(), s.begin(), s.end()); }
    void raw(std::span<const std::uint8_t> b) {
        // resize + memcpy rather than insert: GCC 12 warns falsely about inserting a span
        // (-Wstringop-overflow).
        const std::size_t at = m_out.size();
        m_out.resize(at + b.size());
        if (!b.empty())
            std::memcpy(m_out.data() + at, b.data(), b.size());
    }
    void u8(std::uint8_t v) { m_out.push_back(v); }
    void u32(std::uint32_t v) { little(v, 4); }
    void u64(std::uint64_t v) { little(v, 8); }
    void i64(std::int64_t v) { little(static_cast<std::uint64_t>(v), 8); }
    void real(double v) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &v, sizeof bits);
        u64(bits);
    }
    // A string with a 64-bit length.
    void text(std::string_view s) {
        u64(s.size());
        raw(s);
    }
    // A byte block with a 32-bit length.
    void blob(std::span<const std::uint8_t> b) {
        u32(static_cast<std::uint32_t>(b.size()));
        raw(b);
    }
    std::vector<std::uint8_t> take() { return std::move(m_out); }

private:
    void little(std::uint64_t v, int bytes) {
        for (int i = 0; i < bytes; ++i)
            m_out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    std::vector<std::uint8_t> m_out;
};

// Reads what ByteWriter wrote. Never throws and never reads past the end: a short or damaged input turns ok()
// false (and the reads return zeros), so a damaged cache entry is simply a miss.
class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> in) : m_in(in) {}
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos == m_in.size(); }
    std::size_t left() const { return m_in.size() - m_pos; }
    bool magic(std::string_view expected) {
        if (!need(expected.size()) || std::memcmp(m_in.data() + m_pos, expected.data(), expected.size()) != 0)
            return m_ok = false;
        m_pos += expected.size();
        return true;
    }
    std::uint32_t u32() { return static_cast<std::uint32_t>(little(4)); }
    std::uint64_t u64() { return little(8); }
    std::int64_t i64() { return static_cast<std::int64_t>(little(8)); }
    double real() {
        const std::uint64_t bits = u64();
        double v = 0;
        std::memcpy(&v, &bits, sizeof v);
        return std::isfinite(v) ? v : (m_ok = false, 0.0);
    }
    std::string text() {
        const std::uint64_t n = u64();
        const std::uint8_t* p = take(n);
        return p ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
    }
    std::vector<std::uint8_t> blob() {
        const std::uint32_t n = u32();
        const std::uint8_t* p = take(n);
        return p ? std::vector<std::uint8_t>(p, p + n) : std::vector<std::uint8_t>();
    }
    // The next `n` bytes in place, or nullptr when fewer are left.
    const std::uint8_t* take(std::uint64_t n) {
        if (!need(n))
            return nullptr;
        const std::uint8_t* p = m_in.data() + m_pos;
        m_pos += n;
        return p;
    }

private:
    bool need(std::uint64_t n) {
        if (!m_ok || left() < n)
            m_ok = false;
        return m_ok;
    }
    std::uint64_t little(int bytes) {
        if (!need(static_cast<std::uint64_t>(bytes)))
            return 0;
        std::uint64_t v = 0;
        for (int i = 0; i < bytes; ++i)
            v |= std::uint64_t(m_in[m_pos++]) << (8 * i);
        return v;
    }
    std::span<const std::uint8_t> m_in;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

} // namespace avatar
