#pragma once

#include <cstddef>

// The size classes of PyTorch's CUDACachingAllocator (c10/cuda/CUDACachingAllocator.cpp), kept with the same
// numbers: they balance the waste of rounding against the number of segments, and they are well understood.
namespace avatar::sizeclass {

inline constexpr std::size_t kMinBlockSize = 512;               // every request is a multiple of this
inline constexpr std::size_t kSmallSize = 1024 * 1024;          // requests up to this use the small pool
inline constexpr std::size_t kSmallBuffer = 2 * 1024 * 1024;    // the small pool grows by this
inline constexpr std::size_t kMinLargeAlloc = 10 * 1024 * 1024; // large requests below this share a segment
inline constexpr std::size_t kLargeBuffer = 20 * 1024 * 1024;   // ... of this size
inline constexpr std::size_t kRoundLarge = 2 * 1024 * 1024;     // larger ones get a segment rounded to this
// Beyond this a request is refused before any arithmetic can overflow (256 TiB: no machine has it).
inline constexpr std::size_t kMaxRequest = std::size_t{1} << 48;

inline constexpr std::size_t roundUp(std::size_t bytes, std::size_t multiple) {
    return (bytes + multiple - 1) / multiple * multiple;
}

// The block size a request is served with: at least 512 B, a multiple of 512 B.
inline constexpr std::size_t roundSize(std::size_t bytes) {
    return bytes < kMinBlockSize ? kMinBlockSize : roundUp(bytes, kMinBlockSize);
}

inline constexpr bool isSmall(std::size_t rounded) {
    return rounded <= kSmallSize;
}

// The segment the pool asks its backend for when no cached block fits.
inline constexpr std::size_t segmentSize(std::size_t rounded) {
    if (isSmall(rounded))
        return kSmallBuffer;
    if (rounded < kMinLargeAlloc)
        return kLargeBuffer;
    return roundUp(rounded, kRoundLarge);
}

// The least segment that still serves the request: tried when the preferred one would cross the cap.
inline constexpr std::size_t minimalSegmentSize(std::size_t rounded) {
    return isSmall(rounded) ? kSmallBuffer : roundUp(rounded, kRoundLarge);
}

// Whether the rest of a free block is worth keeping as its own free block. In the large pool a remainder of
// 1 MiB or less would only ever serve small requests, which have their own pool, so it stays attached.
inline constexpr bool shouldSplit(std::size_t blockSize, std::size_t rounded, bool smallPool) {
    const std::size_t remaining = blockSize - rounded;
    return smallPool ? remaining >= kMinBlockSize : remaining > kSmallSize;
}

} // namespace avatar::sizeclass
