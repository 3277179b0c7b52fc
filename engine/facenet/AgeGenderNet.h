#pragma once

// Private to engine/facenet (LibTorch types).
#include "NetLayers.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <filesystem>
#include <string>
#include <vector>

namespace avatar::facenet {

// face-api's age and gender net (age_gender_model): a tiny Xception (entry convolution, two reduction
// blocks, two residual main blocks, an exit reduction block and a separable convolution, 512 channels at
// 7x7), average pooled, with two heads: age in years (regression) and gender (softmax over male, female).
class AgeGenderNet {
public:
    static constexpr int kInputSize = 112;

    // `type`: the precision of the convolutions, kFloat or kBFloat16 (filters converted once, here).
    explicit AgeGenderNet(const std::filesystem::path& modelDir,
                          c10::ScalarType type = c10::ScalarType::Float);

    struct Output {
        at::Tensor age;  // [N]
        at::Tensor male; // [N], the probability of "male"
    };
    // `input`: [N, 3, 112, 112] RGB in 0..255.
    Output forward(const at::Tensor& input) const;

private:
    // Every convolution runs on oneDNN tensors with filters packed at load time (NetLayers.h, PackedConv).
    struct Reduction {
        PackedSeparable conv0, conv1;
        PackedConv expansion; // 1x1, stride 2
    };
    c10::ScalarType m_type = c10::ScalarType::Float;
    PackedConv m_convIn;
    Reduction m_entry0, m_entry1, m_exit;
    std::vector<std::vector<PackedSeparable>> m_main;
    PackedSeparable m_exitConv;
    at::Tensor m_ageWeight, m_ageBias, m_genderWeight, m_genderBias;
};

} // namespace avatar::facenet
