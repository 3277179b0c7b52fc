#include "DenseFaceNet.h"

#include "NetLayers.h"
#include "TensorWeights.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

namespace avatar::facenet {

DenseFaceNet::DenseFaceNet(const std::filesystem::path& modelDir, const std::string& model, int blocks,
                           c10::ScalarType type)
    : m_type(type) {
    const TensorWeights w(modelDir, model);
    for (int b = 0; b < blocks; ++b) {
        const std::string p = "dense" + std::to_string(b) + "/";
        Block block;
        for (int c = 0; c < blocks; ++c) {
            const std::string q = p + "conv" + std::to_string(c) + "/";
            if (b == 0 && c == 0) {
                block.conv0 = PackedConv(w.conv(q + "filters"), w.vector(q + "bias"), 2, 1, type);
            } else {
                // Each block's first convolution halves the size.
                block.convs.emplace_back(w.depthwise(q + "depthwise_filter"), w.conv(q + "pointwise_filter"),
                                         w.vector(q + "bias"), c == 0 ? 2 : 1, type);
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
    at::Tensor x = toPacked(normalizeFace(input), m_type);
    for (std::size_t b = 0; b < m_blocks.size(); ++b) {
        const Block& block = m_blocks[b];
        std::size_t next = 0;
        at::Tensor sum = at::relu(b == 0 ? block.conv0(x) : block.convs[next++](x));
        at::Tensor in = sum;
        // Each later convolution reads the ReLU of the sum of all earlier outputs of the block.
        for (; next < block.convs.size(); ++next) {
            sum = at::add(sum, block.convs[next](in));
            in = at::relu(sum);
        }
        x = in;
    }
    const int pool = static_cast<int>(x.size(2)); // 7 (full) or 14 (tiny): one value per channel
    x = at::avg_pool2d(x.to_dense().to(at::kFloat), {pool, pool}, {2, 2});
    return at::linear(x.flatten(1), m_fcWeight, m_fcBias);
}

} // namespace avatar::facenet
