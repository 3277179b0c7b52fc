#include "NetLayers.h"

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>
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

PackedConv::PackedConv(const at::Tensor& weight, const at::Tensor& bias, int stride, int groups,
                       c10::ScalarType type)
    : m_stride(stride), m_groups(groups) {
    const std::int64_t k = weight.size(2);
    TORCH_CHECK(k == weight.size(3) && k % 2 == 1 && (stride == 1 || stride == 2), "unsupported filter");
    at::Tensor w = weight;
    if (stride == 2 && k > 1) {
        w = at::constant_pad_nd(weight, {1, 0, 1, 0}, 0.0); // a zero row on top, a zero column on the left
        m_padding = k / 2;
        m_evenInputOnly = true;
    } else {
        m_padding = stride == 1 ? k / 2 : 0; // 1x1 at stride 2 needs no padding at any size
    }
    const std::int64_t p = m_padding, s = m_stride;
    m_weight = at::mkldnn_reorder_conv2d_weight(w.contiguous().to(type).to_mkldnn(), {p, p}, {s, s}, {1, 1},
                                                m_groups);
    if (bias.defined())
        m_bias = bias.to(at::kFloat).contiguous();
}

at::Tensor PackedConv::operator()(const at::Tensor& x) const {
    TORCH_CHECK(!m_evenInputOnly || (x.size(2) % 2 == 0 && x.size(3) % 2 == 0),
                "a packed stride-2 convolution needs an even input size");
    return at::mkldnn_convolution(x, m_weight, m_bias, {m_padding, m_padding}, {m_stride, m_stride}, {1, 1},
                                  m_groups);
}

PackedSeparable::PackedSeparable(const at::Tensor& depthwise, const at::Tensor& pointwise,
                                 const at::Tensor& bias, int stride, c10::ScalarType type)
    : m_depthwise(depthwise, {}, stride, static_cast<int>(depthwise.size(0)), type),
      m_pointwise(pointwise, bias, 1, 1, type) {}

at::Tensor packedMaxPoolSame(const at::Tensor& x, int kernel, int stride) {
    TORCH_CHECK(x.size(2) % 2 == 0 && x.size(3) % 2 == 0, "packed max pooling needs an even input size");
    return at::max_pool2d(x, {kernel, kernel}, {stride, stride}, {0, 0}, {1, 1}, true);
}

at::Tensor toPacked(const at::Tensor& x, c10::ScalarType type) {
    return x.contiguous().to(type).to_mkldnn();
}

AutocastGuard::AutocastGuard(c10::ScalarType type) : m_active(type != at::kFloat) {
    if (!m_active)
        return;
    m_wasEnabled = at::autocast::is_cpu_enabled();
    m_previousType = at::autocast::get_autocast_cpu_dtype();
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(type);
}

AutocastGuard::~AutocastGuard() {
    if (!m_active)
        return;
    at::autocast::set_cpu_enabled(m_wasEnabled);
    at::autocast::set_autocast_cpu_dtype(m_previousType);
}

at::Tensor normalizeFace(const at::Tensor& x) {
    const at::Tensor mean = at::tensor({122.782f, 117.001f, 104.298f}, at::kFloat).view({1, 3, 1, 1});
    return (x - mean) / 255.0;
}

} // namespace avatar::facenet
