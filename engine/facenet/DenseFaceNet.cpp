#include "DenseFaceNet.h"

#include "NetLayers.h"
#include "TensorWeights.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

namespace avatar::facenet {

DenseFaceNet::DenseFaceNet(const std::filesystem::path& modelDir, const std::string& model, int blocks)
    : m_convsPerBlock(blocks) {
    const TensorWeights w(modelDir, model);
    for (int b = 0; b < blocks; ++b) {
        const std::string p = "dense" + std::to_string(b) + "/";
        Block block;
        for (int c = 0; c < m_convsPerBlock; ++c) {
            const std::string q = p + "conv" + std::to_string(c) + "/";
            if (b == 0 && c == 0) {
                block.conv0 = w.conv(q + "filters");
                block.conv0Bias = w.vector(q + "bias");
            } else {
                block.convs.push_back({w.depthwise(q + "depthwise_filter"), w.conv(q + "pointwise_filter"),
                                       w.vector(q + "bias")});
            }
        }
        m_blocks.push_back(std::move(block));
    }
    // TensorFlow's dense layer multiplies [N, in] by [in, out]; at::linear wants [out, in].
    m_fcWeight = w.raw("fc/weights").t().contiguous();
    m_fcBias = w.vector("fc/bias");
}

at::Tensor DenseFaceNet::forward(const at::Tensor& input) const {
    c10::InferenceMode guard;
    at::Tensor x = normalizeFace(input);
    for (std::size_t b = 0; b < m_blocks.size(); ++b) {
        const Block& block = m_blocks[b];
        std::size_t next = 0;
        const at::Tensor out1 = at::relu(b == 0 ? conv2dSame(x, block.conv0, block.conv0Bias, 2) : [&] {
            const Separable& s = block.convs[next++];
            return separableConv(x, s.depthwise, s.pointwise, s.bias, 2);
        }());
        // Each later convolution reads the ReLU of the sum of all earlier outputs of the block.
        at::Tensor sum = out1;
        at::Tensor in = out1;
        for (; next < block.convs.size(); ++next) {
            const Separable& s = block.convs[next];
            sum = sum + separableConv(in, s.depthwise, s.pointwise, s.bias, 1);
            in = at::relu(sum);
        }
        x = in;
    }
    const int pool = static_cast<int>(x.size(2)); // 7 (full) or 14 (tiny): one value per channel
    x = at::avg_pool2d(x, {pool, pool}, {2, 2});
    return at::linear(x.flatten(1), m_fcWeight, m_fcBias);
}

} // namespace avatar::facenet
