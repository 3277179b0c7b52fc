#include "FaceRecognitionNet.h"

#include "NetLayers.h"
#include "TensorWeights.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

namespace avatar::facenet {
namespace {

// The block names in order; "down" blocks halve the size.
constexpr const char* kBlocks[] = {
    "conv32_1",     "conv32_2",  "conv32_3",  "conv64_down",  "conv64_1",  "conv64_2",  "conv64_3",
    "conv128_down", "conv128_1", "conv128_2", "conv256_down", "conv256_1", "conv256_2", "conv256_down_out"};

} // namespace

FaceRecognitionNet::FaceRecognitionNet(const std::filesystem::path& modelDir, c10::ScalarType type)
    : m_type(type) {
    const TensorWeights w(modelDir, "face_recognition_model");
    // conv + bias followed by a per-channel scale layer (x * s + t) is one convolution with
    // weight * s and bias * s + t.
    auto conv = [&](const std::string& p) {
        const at::Tensor s = w.vector(p + "/scale/weights");
        return Conv{(w.conv(p + "/conv/filters") * s.view({-1, 1, 1, 1})).contiguous(),
                    w.vector(p + "/conv/bias") * s + w.vector(p + "/scale/biases")};
    };
    m_convDown = conv("conv32_down");
    for (const char* name : kBlocks) {
        const std::string p = name;
        m_blocks.push_back({conv(p + "/conv1"), conv(p + "/conv2"), p.find("down") != std::string::npos});
    }
    m_fc = w.raw("fc");
}

at::Tensor FaceRecognitionNet::forward(const at::Tensor& input) const {
    c10::InferenceMode guard;
    const AutocastGuard autocast(m_type);
    at::Tensor x = normalizeFace(input);
    x = at::relu(facenet::conv2dValid(x, m_convDown.weight, m_convDown.bias, 2)); // 'valid'
    x = at::max_pool2d(x, {3, 3}, {2, 2});
    for (const Residual& r : m_blocks) {
        at::Tensor out = r.down ? at::relu(facenet::conv2dValid(x, r.conv1.weight, r.conv1.bias, 2))
                                : at::relu(conv2dSame(x, r.conv1.weight, r.conv1.bias, 1));
        out = conv2dSame(out, r.conv2.weight, r.conv2.bias, 1);
        at::Tensor shortcut = x;
        if (r.down) {
            shortcut = at::avg_pool2d(x, {2, 2}, {2, 2});
            // An odd size leaves the strided convolution one row and column short: zeros at the end.
            if (shortcut.size(2) != out.size(2) || shortcut.size(3) != out.size(3))
                out = at::constant_pad_nd(
                    out, {0, shortcut.size(3) - out.size(3), 0, shortcut.size(2) - out.size(2)});
            if (shortcut.size(1) != out.size(1))
                shortcut = at::constant_pad_nd(shortcut, {0, 0, 0, 0, 0, out.size(1) - shortcut.size(1)});
        }
        x = at::relu(out + shortcut);
    }
    return at::matmul(x.mean({2, 3}), m_fc).to(at::kFloat);
}

} // namespace avatar::facenet
