#include "AgeGenderNet.h"

#include "NetLayers.h"
#include "TensorWeights.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

namespace avatar::facenet {

AgeGenderNet::AgeGenderNet(const std::filesystem::path& modelDir) {
    const TensorWeights w(modelDir, "age_gender_model");
    auto separable = [&](const std::string& p) {
        return Separable{w.depthwise(p + "/depthwise_filter"), w.conv(p + "/pointwise_filter"),
                         w.vector(p + "/bias")};
    };
    auto reduction = [&](const std::string& p) {
        return Reduction{separable(p + "/separable_conv0"), separable(p + "/separable_conv1"),
                         w.conv(p + "/expansion_conv/filters"), w.vector(p + "/expansion_conv/bias")};
    };
    m_convIn = w.conv("entry_flow/conv_in/filters");
    m_convInBias = w.vector("entry_flow/conv_in/bias");
    m_entry0 = reduction("entry_flow/reduction_block_0");
    m_entry1 = reduction("entry_flow/reduction_block_1");
    for (int i = 0; i < 2; ++i) {
        const std::string p = "middle_flow/main_block_" + std::to_string(i);
        m_main.push_back({separable(p + "/separable_conv0"), separable(p + "/separable_conv1"),
                          separable(p + "/separable_conv2")});
    }
    m_exit = reduction("exit_flow/reduction_block");
    m_exitConv = separable("exit_flow/separable_conv");
    m_ageWeight = w.raw("fc/age/weights").t().contiguous();
    m_ageBias = w.vector("fc/age/bias");
    m_genderWeight = w.raw("fc/gender/weights").t().contiguous();
    m_genderBias = w.vector("fc/gender/bias");
}

AgeGenderNet::Output AgeGenderNet::forward(const at::Tensor& input) const {
    c10::InferenceMode guard;
    auto sep = [](const at::Tensor& x, const Separable& s) {
        return separableConv(x, s.depthwise, s.pointwise, s.bias, 1);
    };
    auto reduce = [&](const at::Tensor& x, const Reduction& r, bool activateInput) {
        at::Tensor out = sep(activateInput ? at::relu(x) : x, r.conv0);
        out = maxPoolSame(sep(at::relu(out), r.conv1), 3, 2);
        return out + conv2dSame(x, r.expansion, r.expansionBias, 2);
    };
    at::Tensor x = at::relu(conv2dSame(normalizeFace(input), m_convIn, m_convInBias, 2));
    x = reduce(x, m_entry0, false);
    x = reduce(x, m_entry1, true);
    for (const auto& block : m_main) {
        at::Tensor out = sep(at::relu(x), block[0]);
        out = sep(at::relu(out), block[1]);
        out = sep(at::relu(out), block[2]);
        x = out + x;
    }
    x = reduce(x, m_exit, true);
    x = at::relu(sep(x, m_exitConv));
    x = at::avg_pool2d(x, {7, 7}, {2, 2}).flatten(1);
    const at::Tensor age = at::linear(x, m_ageWeight, m_ageBias).reshape({-1});
    const at::Tensor gender = at::softmax(at::linear(x, m_genderWeight, m_genderBias), 1);
    return {age, gender.select(1, 0)};
}

} // namespace avatar::facenet
