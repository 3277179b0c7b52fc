#pragma once

#include "core/FrameRate.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace avatar {

// A piece of H.264 video encoded on its own: a closed group of pictures that starts with an IDR frame, so
// that it can be cached and later joined to its neighbours by remuxing, without re-encoding. Packets are in
// decoding order; their presentation times count frames from the segment's first frame. Decoding times are
// not stored: the joiner derives them from the order (one frame per packet, constant frame rate).
struct EncodedSegment {
    struct Packet {
        std::int64_t pts = 0; // frames from the segment's start
        bool key = false;
        std::uint32_t offset = 0; // into data
        std::uint32_t size = 0;
    };

    int width = 0;
    int height = 0;
    FrameRate fps = 0;
    int reorderDepth = 0; // frames a decoder must buffer (B-frame delay); the same in every segment
    std::vector<std::uint8_t> headers; // the avcC extradata (SPS, PPS): equal in segments that can be joined
    std::vector<Packet> packets;
    std::vector<std::uint8_t> data;

    std::int64_t frames() const { return static_cast<std::int64_t>(packets.size()); }

    // A compact binary form for the cache.
    std::vector<std::uint8_t> serialize() const;
    // nullopt for anything that is not a well-formed serialised segment (a damaged or foreign cache entry),
    // so that the caller renders the segment again instead of failing.
    static std::optional<EncodedSegment> parse(std::span<const std::uint8_t> bytes);
};

} // namespace avatar
