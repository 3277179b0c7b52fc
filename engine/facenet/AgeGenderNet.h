#pragma once

// Private to engine/facenet (LibTorch types).
#include <ATen/core/Tensor.h>
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

    explicit AgeGenderNet(const std::filesystem::path& modelDir);

    struct Output {
        at::Tensor age;  // [N]
        at::Tensor male; // [N], the probability of "male"
    };
    // `input`: [N, 3, 112, 112] RGB in 0..255.
    Output forward(const at::Tensor& input) const;

private:
    struct Separable {
        at::Tensor depthwise, pointwise, bias;
    };
    struct Reduction {
        Separable conv0, conv1;
        at::Tensor expansion, expansionBias;
    };
    at::Tensor m_convIn, m_convInBias;
    Reduction m_entry0, m_entry1, m_exit;
    std::vector<std::vector<Separable>> m_main;
    Separable m_exitConv;
    at::Tensor m_ageWeight, m_ageBias, m_genderWeight, m_genderBias;
};

} // namespace avatar::facenet
