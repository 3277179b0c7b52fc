#pragma once

// Private to engine/facenet (LibTorch types).
#include "NetLayers.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <filesystem>
#include <string>
#include <vector>

namespace avatar::facenet {

// face-api's densely connected face feature extractor and its fully connected head, which three models
// share: the 68-point landmark net (4 dense blocks of 4 convolutions, face_landmark_68_model), the tiny one
// (3 blocks of 3, face_landmark_68_tiny_model) and the expression net (the full extractor with 7 outputs,
// face_expression_model). Each dense block halves the size; every convolution sees the sum of the block's
// earlier outputs.
class DenseFaceNet {
public:
    static constexpr int kInputSize = 112;

    // `model`: the weights' base name; `blocks` 4 with 4 convolutions each, or 3 with 3 (the tiny net).
    // `type`: the precision of the convolutions, kFloat or kBFloat16 (filters converted once, here).
    DenseFaceNet(const std::filesystem::path& modelDir, const std::string& model, int blocks,
                 c10::ScalarType type = c10::ScalarType::Float);

    // `input`: [N, 3, 112, 112] RGB in 0..255 (a face crop centred in its padded square). Returns the
    // head's raw output [N, outputs]: 136 landmark coordinates (x, y interleaved, relative to the square) or
    // 7 expression logits.
    at::Tensor forward(const at::Tensor& input) const;

private:
    // Every convolution runs on oneDNN tensors with filters packed at load time (NetLayers.h, PackedConv).
    struct Block {
        PackedConv conv0;                   // the first block's plain 3x3 convolution
        std::vector<PackedSeparable> convs; // the separable ones (conv0 too, except in the first block)
    };
    c10::ScalarType m_type = c10::ScalarType::Float;
    std::vector<Block> m_blocks;
    at::Tensor m_fcWeight, m_fcBias;
};

} // namespace avatar::facenet
