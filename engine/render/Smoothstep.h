#pragma once

#include <algorithm>

namespace avatar {

// 0 below e0, 1 above e1, the cubic ease between them (e1 < e0 gives the falling step): the soft threshold
// every drawn edge and blend of the renderer uses, so that nothing it draws switches on in one pixel.
inline double smoothstep(double e0, double e1, double x) {
    const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

} // namespace avatar
