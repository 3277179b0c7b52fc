#include "NetLayers.h"

#include <ATen/ATen.h>
#include <algorithm>
#include <array>
#include <limits>

namespace avatar::facenet {
namespace {

struct SamePadding {
    std::int64_t before = 0;
    std::int64_t after = 0;
};

SamePadding samePadding(std::int64_t in, std::int64_t kernel, std::int64_t stride) {
    const std::int64_t out = (in + stride - 1) / stride;
    const std::int64_t total = std::max<std::int64_t>((out - 1) * stride + kernel - in, 0);
    return {total / 2, total - total / 2};
}

} // namespace

at::Tensor conv2dValid(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, int stride) {
    const std::int64_t kh = weight.size(2), kw = weight.size(3);
    if (kh == 1 && kw == 1 && stride == 1) {
        // A pointwise convolution is one matrix product per image.
        const std::int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        at::Tensor out = at::matmul(weight.view({weight.size(0), c}), x.reshape({n, c, h * w}));
        if (bias.defined())
            out = out + bias.view({1, -1, 1});
        return out.view({n, weight.size(0), h, w});
    }
    // LibTorch's own convolution (oneDNN or its im2col path): measured faster here than an im2col of ours,
    // 0.23-0.28 s against 0.34-0.43 s per portrait on 2 threads (docs/PERFORMANCE.md, "Face models").
    const std::array<std::int64_t, 2> strides{stride, stride};
    return at::conv2d(x.contiguous(), weight, bias, strides);
}

at::Tensor depthwiseValid(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, int stride) {
    // A grouped convolution with one group per channel. Measured against nine strided multiply-adds over the
    // batch: LibTorch's grouped path is faster here, above all for batches (16 crops 0.24-0.34 s against
    // 0.82-0.84 s).
    const std::array<std::int64_t, 2> strides{stride, stride}, padding{0, 0}, dilation{1, 1};
    return at::conv2d(x.contiguous(), weight, bias, strides, padding, dilation, x.size(1));
}

at::Tensor conv2dSame(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, int stride,
                      int groups) {
    const SamePadding ph = samePadding(x.size(2), weight.size(2), stride);
    const SamePadding pw = samePadding(x.size(3), weight.size(3), stride);
    const at::Tensor padded = (ph.before || ph.after || pw.before || pw.after)
                                  ? at::constant_pad_nd(x, {pw.before, pw.after, ph.before, ph.after}, 0.0)
                                  : x;
    return groups > 1 ? depthwiseValid(padded, weight, bias, stride)
                      : conv2dValid(padded, weight, bias, stride);
}

at::Tensor separableConv(const at::Tensor& x, const at::Tensor& depthwise, const at::Tensor& pointwise,
                         const at::Tensor& bias, int stride) {
    const at::Tensor dw = conv2dSame(x, depthwise, {}, stride, static_cast<int>(x.size(1)));
    return conv2dValid(dw, pointwise, bias, 1);
}

at::Tensor maxPoolSame(const at::Tensor& x, int kernel, int stride) {
    const SamePadding ph = samePadding(x.size(2), kernel, stride);
    const SamePadding pw = samePadding(x.size(3), kernel, stride);
    const at::Tensor padded = at::constant_pad_nd(x, {pw.before, pw.after, ph.before, ph.after},
                                                  -std::numeric_limits<double>::infinity());
    return at::max_pool2d(padded, {kernel, kernel}, {stride, stride});
}

at::Tensor normalizeFace(const at::Tensor& x) {
    const at::Tensor mean = at::tensor({122.782f, 117.001f, 104.298f}, at::kFloat).view({1, 3, 1, 1});
    return (x - mean) / 255.0;
}

} // namespace avatar::facenet
