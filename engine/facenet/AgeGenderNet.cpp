#include "AgeGenderNet.h"

#include "NetLayers.h"
#include "TensorWeights.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

namespace avatar::facenet {

AgeGenderNet::AgeGenderNet(const std::filesystem::path& modelDir, c10::ScalarType type) : m_type(type) {
    const TensorWeights w(modelDir, "age_gender_model");
    auto separable = [&](const std::string& p) {
        return PackedSeparable(w.depthwise(p + "/depthwise_filter"), w.conv(p + "/pointwise_filter"),
                               w.vector(p + "/bias"), 1, type);
    };
    auto reduction = [&](const std::string& p) {
        return Reduction{separable(p + "/separable_conv0"), separable(p + "/separable_conv1"),
                         PackedConv(w.conv(p + "/expansion_conv/filters"),
                                    w.vector(p + "/expansion_conv/bias"), 2, 1, type)};
    };
    m_convIn =
        PackedConv(w.conv("entry_flow/conv_in/filters"), w.vector("entry_flow/conv_in/bias"), 2, 1, type);
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
    auto reduce = [&](const at::Tensor& x, const Reduction& r, bool activateInput) {
        at::Tensor out = r.conv0(activateInput ? at::relu(x) : x);
        out = packedMaxPoolSame(r.conv1(at::relu(out)), 3, 2);
        return at::add(out, r.expansion(x));
    };
    at::Tensor x = at::relu(m_convIn(toPacked(normalizeFace(input), m_type)));
    x = reduce(x, m_entry0, false);
    x = reduce(x, m_entry1, true);
    for (const auto& block : m_main) {
        at::Tensor out = block[0](at::relu(x));
        out = block[1](at::relu(out));
        out = block[2](at::relu(out));
        x = at::add(out, x);
    }
    x = reduce(x, m_exit, true);
    x = at::relu(m_exitConv(x));
    x = at::avg_pool2d(x.to_dense().to(at::kFloat), {7, 7}, {2, 2}).flatten(1);
    const at::Tensor age = at::linear(x, m_ageWeight, m_ageBias).reshape({-1});
    const at::Tensor gender = at::softmax(at::linear(x, m_genderWeight, m_genderBias), 1);
    return {age, gender.select(1, 0)};
}

} // namespace avatar::facenet
