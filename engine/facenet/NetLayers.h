#pragma once

// Private to engine/facenet: the TensorFlow layer semantics the face-api models were trained with, on NCHW
// ATen tensors.
#include <ATen/core/Tensor.h>

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
// (x - mean RGB) / 255 on a [N, 3, H, W] batch of 0..255 values: the face-api crop nets' normalisation.
at::Tensor normalizeFace(const at::Tensor& x);

} // namespace avatar::facenet
