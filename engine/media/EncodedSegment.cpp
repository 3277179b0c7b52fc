#include "media/EncodedSegment.h"

#include "core/ByteStream.h"

#include <cstring>
#include <string_view>

namespace avatar {
namespace {

// Bumped whenever the layout changes: an old entry then fails to parse and is rendered again. 02: the frame
// rate as a fraction (numerator, denominator).
constexpr std::string_view kMagic = "AVSEG02";

} // namespace

std::vector<std::uint8_t> EncodedSegment::serialize() const {
    ByteWriter w;
    w.reserve(data.size() + headers.size() + packets.size() * 20 + 64);
    w.raw(kMagic);
    w.u32(static_cast<std::uint32_t>(width));
    w.u32(static_cast<std::uint32_t>(height));
    w.u32(static_cast<std::uint32_t>(fps.num()));
    w.u32(static_cast<std::uint32_t>(fps.den()));
    w.u32(static_cast<std::uint32_t>(reorderDepth));
    w.blob(headers);
    w.u32(static_cast<std::uint32_t>(packets.size()));
    for (const Packet& p : packets) {
        w.i64(p.pts);
        w.u32(p.key ? 1u : 0u);
        w.u32(p.offset);
        w.u32(p.size);
    }
    w.blob(data);
    return w.take();
}

std::optional<EncodedSegment> EncodedSegment::parse(std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes);
    if (!r.magic(kMagic))
        return std::nullopt;
    EncodedSegment s;
    s.width = static_cast<int>(r.u32());
    s.height = static_cast<int>(r.u32());
    const std::uint32_t num = r.u32();
    const std::uint32_t den = r.u32();
    s.fps = FrameRate(num, den);
    s.reorderDepth = static_cast<int>(r.u32());
    s.headers = r.blob();
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
    s.data = r.blob();
    if (!r.ok() || !r.atEnd() || s.width <= 0 || s.height <= 0 || !s.fps.supported() || s.reorderDepth < 0 ||
        s.reorderDepth > 16 || s.packets.empty() || !s.packets.front().key)
        return std::nullopt;
    for (const Packet& p : s.packets)
        if (p.size == 0 || std::uint64_t(p.offset) + p.size > s.data.size() || p.pts < 0 ||
            p.pts >= s.frames())
            return std::nullopt;
    return s;
}

} // namespace avatar
