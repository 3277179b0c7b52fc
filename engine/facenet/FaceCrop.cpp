#include "FaceCrop.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace avatar {

void FaceCrop::sample(const Image& image, const Rect& region, int size, bool center,
                      std::vector<float>& out) {
    const int w = region.width;
    const int h = region.height;
    const int side = std::max(w, h);
    const int diff = std::abs(w - h);
    // face-api's padToSquare: round(diff / 2) goes after the image, the rest before it.
    const int before = center ? diff - static_cast<int>(std::floor(diff * 0.5 + 0.5)) : 0;
    const int offX = w < h ? before : 0;
    const int offY = h < w ? before : 0;
    const double scale = static_cast<double>(side) / size;

    struct Tap {
        int i0, i1; // source indices in the region, -1 when in the padding
        float frac;
    };
    auto taps = [&](int offset, int extent) {
        std::vector<Tap> t(static_cast<std::size_t>(size));
        for (int o = 0; o < size; ++o) {
            const double src = o * scale;
            const int p0 = static_cast<int>(std::floor(src));
            const int p1 = std::min(p0 + 1, side - 1);
            auto inside = [&](int p) { return (p - offset >= 0 && p - offset < extent) ? p - offset : -1; };
            t[static_cast<std::size_t>(o)] = {inside(p0), inside(p1), static_cast<float>(src - p0)};
        }
        return t;
    };
    const std::vector<Tap> xs = taps(offX, w);
    const std::vector<Tap> ys = taps(offY, h);

    const std::size_t plane = static_cast<std::size_t>(size) * size;
    const std::size_t base = out.size();
    out.resize(base + 3 * plane, 0.0f);
    float* dst = out.data() + base;
    auto pixel = [&](int x, int y, int c) -> float {
        if (x < 0 || y < 0)
            return 0.0f;
        return image.row(region.y + y)[3 * (region.x + x) + c];
    };
    for (int oy = 0; oy < size; ++oy) {
        const Tap& ty = ys[static_cast<std::size_t>(oy)];
        for (int ox = 0; ox < size; ++ox) {
            const Tap& tx = xs[static_cast<std::size_t>(ox)];
            for (int c = 0; c < 3; ++c) {
                const float top =
                    pixel(tx.i0, ty.i0, c) + (pixel(tx.i1, ty.i0, c) - pixel(tx.i0, ty.i0, c)) * tx.frac;
                const float bottom =
                    pixel(tx.i0, ty.i1, c) + (pixel(tx.i1, ty.i1, c) - pixel(tx.i0, ty.i1, c)) * tx.frac;
                dst[c * plane + static_cast<std::size_t>(oy) * size + ox] = top + (bottom - top) * ty.frac;
            }
        }
    }
}

} // namespace avatar
