#pragma once

// Private to engine/facenet: the TensorFlow layer semantics the face-api models were trained with, on NCHW
// ATen tensors.
#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <cstdint>

namespace avatar::facenet {

// conv2d with TensorFlow's 'same' padding: output = ceil(input / stride), and when the padding is odd the
// extra row and column go at the bottom and right (PyTorch's symmetric padding would shift the grid by one
// pixel at stride 2). `groups` = channels makes it depthwise. `bias` may be undefined.
at::Tensor conv2dSame(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, int stride,
                      int groups = 1);
// conv2d without padding ('valid'), through OpenBLAS (a matrix product for 1x1, im2col otherwise) rather
// than oneDNN, whose per-call set-up dominates at batch size 1. Depthwise: `weight` is [C, 1, kh, kw].
at::Tensor conv2dValid(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, int stride);
at::Tensor depthwiseValid(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias, int stride);
// TensorFlow's separableConv2d (depthwise 3x3 then pointwise 1x1) plus bias, 'same' padding.
at::Tensor separableConv(const at::Tensor& x, const at::Tensor& depthwise, const at::Tensor& pointwise,
                         const at::Tensor& bias, int stride);
// maxPool with 'same' padding: padded cells never win (they are -inf).
at::Tensor maxPoolSame(const at::Tensor& x, int kernel, int stride);
// A convolution prepared once for oneDNN: the filter is reordered into oneDNN's blocked layout when the model
// loads, not on every call as at::conv2d does with plain tensors, and it reads and writes oneDNN ("mkldnn")
// tensors, so the activations of a net stay in the blocked layout from its first layer to its last (no
// NCHW <-> blocked reorder per layer either). TensorFlow's 'same' padding for square inputs: symmetric for
// stride 1; for stride 2 with a 3x3 filter the extra row and column go at the bottom and right, which oneDNN
// cannot express through ATen, so the filter becomes 4x4 with a leading zero row and column under symmetric
// padding 1 (the same sums on the same grid, for even input sizes, the only ones these nets have).
// `type`: kFloat, or kBFloat16 (filter stored in bf16, activations expected in bf16; the bias stays float).
class PackedConv {
public:
    PackedConv() = default;
    PackedConv(const at::Tensor& weight, const at::Tensor& bias, int stride, int groups,
               c10::ScalarType type);
    at::Tensor operator()(const at::Tensor& x) const; // x and the result: mkldnn tensors

private:
    at::Tensor m_weight, m_bias;
    std::int64_t m_stride = 1, m_padding = 0, m_groups = 1;
    bool m_evenInputOnly = false; // the 4x4 stride-2 filter
};

// The packed form of separableConv: depthwise 3x3, then pointwise 1x1 with bias.
struct PackedSeparable {
    PackedSeparable() = default;
    PackedSeparable(const at::Tensor& depthwise, const at::Tensor& pointwise, const at::Tensor& bias,
                    int stride, c10::ScalarType type);
    at::Tensor operator()(const at::Tensor& x) const { return m_pointwise(m_depthwise(x)); }

    PackedConv m_depthwise, m_pointwise;
};

// maxPoolSame on a mkldnn tensor of even size (ceil mode: the window that sticks out at the bottom and right
// sees only real cells, as TensorFlow's -inf padding there).
at::Tensor packedMaxPoolSame(const at::Tensor& x, int kernel, int stride);
// A normalised [N, 3, H, W] float batch into a mkldnn tensor of `type`.
at::Tensor toPacked(const at::Tensor& x, c10::ScalarType type);

// LibTorch's CPU autocast to bf16 while alive, for the nets on plain tensors (detector, descriptor): their
// convolutions and matrix products run in bf16 (weights cast per call), everything else in float. Nothing for
// kFloat. Autocast is per thread, so each thread that runs a net needs its own guard.
class AutocastGuard {
public:
    explicit AutocastGuard(c10::ScalarType type);
    ~AutocastGuard();
    AutocastGuard(const AutocastGuard&) = delete;
    AutocastGuard& operator=(const AutocastGuard&) = delete;

private:
    bool m_active = false, m_wasEnabled = false;
    c10::ScalarType m_previousType = c10::ScalarType::BFloat16;
};

// (x - mean RGB) / 255 on a [N, 3, H, W] batch of 0..255 values: the face-api crop nets' normalisation.
at::Tensor normalizeFace(const at::Tensor& x);

} // namespace avatar::facenet
