#include "media/EncodedSegment.h"

#include <cstring>
#include <string_view>

namespace avatar {
namespace {

// Bumped whenever the layout changes: an old entry then fails to parse and is rendered again.
constexpr std::string_view kMagic = "AVSEG01";

class Writer {
public:
    explicit Writer(std::vector<std::uint8_t>& out) : m_out(out) {}
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i)
            m_out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    void raw(std::string_view s) {
        for (const char c : s)
            m_out.push_back(static_cast<std::uint8_t>(c));
    }
    void i64(std::int64_t v) {
        const auto u = static_cast<std::uint64_t>(v);
        for (int i = 0; i < 8; ++i)
            m_out.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
    }
    void bytes(std::span<const std::uint8_t> b) {
        u32(static_cast<std::uint32_t>(b.size()));
        // resize + memcpy rather than insert: GCC 12 warns falsely about insert of a span
        // (-Wstringop-overflow).
        const std::size_t at = m_out.size();
        m_out.resize(at + b.size());
        if (!b.empty())
            std::memcpy(m_out.data() + at, b.data(), b.size());
    }

private:
    std::vector<std::uint8_t>& m_out;
};

class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> in) : m_in(in) {}
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos == m_in.size(); }
    std::uint32_t u32() {
        if (!need(4))
            return 0;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v |= std::uint32_t(m_in[m_pos++]) << (8 * i);
        return v;
    }
    std::int64_t i64() {
        if (!need(8))
            return 0;
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= std::uint64_t(m_in[m_pos++]) << (8 * i);
        return static_cast<std::int64_t>(v);
    }
    std::vector<std::uint8_t> bytes() {
        const std::uint32_t n = u32();
        if (!need(n))
            return {};
        std::vector<std::uint8_t> b(m_in.begin() + static_cast<std::ptrdiff_t>(m_pos),
                                    m_in.begin() + static_cast<std::ptrdiff_t>(m_pos + n));
        m_pos += n;
        return b;
    }
    bool magic(std::string_view expected) {
        if (!need(expected.size()) || std::memcmp(m_in.data() + m_pos, expected.data(), expected.size()) != 0)
            return m_ok = false;
        m_pos += expected.size();
        return true;
    }

private:
    bool need(std::size_t n) {
        if (!m_ok || m_in.size() - m_pos < n)
            m_ok = false;
        return m_ok;
    }
    std::span<const std::uint8_t> m_in;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

} // namespace

std::vector<std::uint8_t> EncodedSegment::serialize() const {
    std::vector<std::uint8_t> out;
    out.reserve(data.size() + headers.size() + packets.size() * 17 + 64);
    Writer w(out);
    w.raw(kMagic);
    w.u32(static_cast<std::uint32_t>(width));
    w.u32(static_cast<std::uint32_t>(height));
    w.u32(static_cast<std::uint32_t>(fps));
    w.u32(static_cast<std::uint32_t>(reorderDepth));
    w.bytes(headers);
    w.u32(static_cast<std::uint32_t>(packets.size()));
    for (const Packet& p : packets) {
        w.i64(p.pts);
        w.u32(p.key ? 1u : 0u);
        w.u32(p.offset);
        w.u32(p.size);
    }
    w.bytes(data);
    return out;
}

std::optional<EncodedSegment> EncodedSegment::parse(std::span<const std::uint8_t> bytes) {
    Reader r(bytes);
    if (!r.magic(kMagic))
        return std::nullopt;
    EncodedSegment s;
    s.width = static_cast<int>(r.u32());
    s.height = static_cast<int>(r.u32());
    s.fps = static_cast<int>(r.u32());
    s.reorderDepth = static_cast<int>(r.u32());
    s.headers = r.bytes();
    const std::uint32_t count = r.u32();
    // Each packet takes 20 bytes: a count larger than the rest of the blob is damage, not a huge segment.
    if (!r.ok() || std::uint64_t(count) * 20 > bytes.size())
        return std::nullopt;
    s.packets.resize(count);
    for (Packet& p : s.packets) {
        p.pts = r.i64();
        p.key = r.u32() != 0;
        p.offset = r.u32();
        p.size = r.u32();
    }
    s.data = r.bytes();
    if (!r.ok() || !r.atEnd() || s.width <= 0 || s.height <= 0 || s.fps <= 0 || s.reorderDepth < 0 ||
        s.reorderDepth > 16 || s.packets.empty() || !s.packets.front().key)
        return std::nullopt;
    for (const Packet& p : s.packets)
        if (p.size == 0 || std::uint64_t(p.offset) + p.size > s.data.size() || p.pts < 0 ||
            p.pts >= s.frames())
            return std::nullopt;
    return s;
}

} // namespace avatar
