#pragma once

#include <cstddef>

namespace avatar {

// The kinds of work that get their own pools, so that a burst of one (a long video's frame ring) cannot
// fragment or starve another (face-net tensors).
enum class Workload { Video, Image, Tts, Face };

inline constexpr std::size_t kWorkloadCount = 4;

inline constexpr std::size_t workloadIndex(Workload workload) {
    return static_cast<std::size_t>(workload);
}

// "video", "image", "tts", "face": used in statistics keys and error messages.
const char* workloadName(Workload workload);

} // namespace avatar
