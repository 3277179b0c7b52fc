#include "SsdMobilenetV1.h"

#include "NetLayers.h"
#include "TensorWeights.h"
#include "core/Error.h"

#include <ATen/ATen.h>
#include <algorithm>
#include <c10/core/InferenceMode.h>
#include <optional>
#include <string>

namespace avatar::facenet {
namespace {

// The epsilon of the trained model's depthwise batch norms (face-api's mobileNetV1.ts).
constexpr double kBatchNormEpsilon = 0.0010000000474974513;
constexpr float kIouThreshold = 0.5f;

at::Tensor clamp6(const at::Tensor& x) {
    return at::clamp(x, 0.0, 6.0);
}

float iou(const SsdBox& a, const SsdBox& b) {
    const float ay0 = std::min(a.top, a.bottom), ay1 = std::max(a.top, a.bottom);
    const float ax0 = std::min(a.left, a.right), ax1 = std::max(a.left, a.right);
    const float by0 = std::min(b.top, b.bottom), by1 = std::max(b.top, b.bottom);
    const float bx0 = std::min(b.left, b.right), bx1 = std::max(b.left, b.right);
    const float areaA = (ay1 - ay0) * (ax1 - ax0);
    const float areaB = (by1 - by0) * (bx1 - bx0);
    if (areaA <= 0 || areaB <= 0)
        return 0.0f;
    const float ih = std::max(std::min(ay1, by1) - std::max(ay0, by0), 0.0f);
    const float iw = std::max(std::min(ax1, bx1) - std::max(ax0, bx0), 0.0f);
    const float inter = ih * iw;
    return inter / (areaA + areaB - inter);
}

} // namespace

SsdMobilenetV1::SsdMobilenetV1(const std::filesystem::path& modelDir, c10::ScalarType type) : m_type(type) {
    const TensorWeights w(modelDir, "ssd_mobilenetv1_model");
    auto pointwise = [&](const std::string& prefix, int i) {
        const std::string p = prefix + "/Conv2d_" + std::to_string(i) + "_pointwise/";
        return Pointwise{w.conv(p + "weights"), w.vector(p + "convolution_bn_offset")};
    };
    m_conv0 = pointwise("MobilenetV1", 0);
    for (int i = 1; i <= 13; ++i) {
        const std::string p = "MobilenetV1/Conv2d_" + std::to_string(i) + "_depthwise/";
        // Fold the inference batch norm into the depthwise filter: one convolution instead of five ops.
        const at::Tensor factor = w.vector(p + "BatchNorm/gamma") /
                                  at::sqrt(w.vector(p + "BatchNorm/moving_variance") + kBatchNormEpsilon);
        Pair pair;
        pair.depthwise = (w.depthwise(p + "depthwise_weights") * factor.view({-1, 1, 1, 1})).contiguous();
        pair.depthwiseBias = w.vector(p + "BatchNorm/beta") - w.vector(p + "BatchNorm/moving_mean") * factor;
        pair.pointwise = pointwise("MobilenetV1", i);
        m_pairs.push_back(std::move(pair));
    }
    for (int i = 0; i < 8; ++i)
        m_extra.push_back(pointwise("Prediction", i));
    for (int i = 0; i < 6; ++i) {
        const std::string p = "Prediction/BoxPredictor_" + std::to_string(i) + "/";
        m_predictors.push_back(
            {{w.conv(p + "BoxEncodingPredictor/weights"), w.vector(p + "BoxEncodingPredictor/biases")},
             {w.conv(p + "ClassPredictor/weights"), w.vector(p + "ClassPredictor/biases")}});
    }
    m_anchors = w.raw("Output/extra_dim").reshape({-1, 4});
    if (m_anchors.size(0) != 5118)
        throw Error(ErrorCode::Unreadable, "The face model manifest '" + w.manifest().string() +
                                               "' has the wrong number of SSD anchors.");
}

std::vector<std::vector<SsdBox>> SsdMobilenetV1::detect(const at::Tensor& input, float minConfidence,
                                                        int maxResults) const {
    c10::InferenceMode guard;
    std::optional<AutocastGuard> autocast(std::in_place, m_type);
    const std::int64_t n = input.size(0);
    at::Tensor x = input / 127.5 - 1.0;
    x = clamp6(conv2dSame(x, m_conv0.weight, m_conv0.bias, 2));
    at::Tensor conv11;
    for (std::size_t i = 0; i < m_pairs.size(); ++i) {
        const int layer = static_cast<int>(i) + 1;
        const int stride = (layer == 2 || layer == 4 || layer == 6 || layer == 12) ? 2 : 1;
        const Pair& p = m_pairs[i];
        x = clamp6(conv2dSame(x, p.depthwise, p.depthwiseBias, stride, static_cast<int>(x.size(1))));
        x = clamp6(conv2dValid(x, p.pointwise.weight, p.pointwise.bias, 1));
        if (layer == 11)
            conv11 = x;
    }
    std::vector<at::Tensor> maps{conv11, x};
    at::Tensor e = x;
    for (std::size_t i = 0; i < m_extra.size(); ++i) {
        e = clamp6(conv2dSame(e, m_extra[i].weight, m_extra[i].bias, i % 2 == 1 ? 2 : 1));
        if (i % 2 == 1)
            maps.push_back(e); // conv_1, conv_3, conv_5, conv_7 feed predictors 2..5
    }
    std::vector<at::Tensor> boxes, classes;
    for (std::size_t i = 0; i < m_predictors.size(); ++i) {
        const Predictor& p = m_predictors[i];
        // TensorFlow's NHWC order decides which anchor each output belongs to.
        boxes.push_back(
            conv2dSame(maps[i], p.box.weight, p.box.bias, 1).permute({0, 2, 3, 1}).reshape({n, -1, 4}));
        classes.push_back(
            conv2dSame(maps[i], p.cls.weight, p.cls.bias, 1).permute({0, 2, 3, 1}).reshape({n, -1, 3}));
    }
    autocast.reset();                                        // decoding in float
    const at::Tensor enc = at::cat(boxes, 1).to(at::kFloat); // [n, 5118, 4]
    const at::Tensor scores =
        at::sigmoid(at::cat(classes, 1).select(2, 1).to(at::kFloat)).contiguous(); // [n, 5118]

    const at::Tensor sizes = m_anchors.slice(1, 2, 4) - m_anchors.slice(1, 0, 2); // [5118, 2]
    const at::Tensor centers = m_anchors.slice(1, 0, 2) + sizes / 2;
    const at::Tensor center = enc.slice(2, 0, 2) / 10 * sizes + centers; // [n, 5118, 2]
    const at::Tensor half = at::exp(enc.slice(2, 2, 4) / 5) * sizes / 2;
    const at::Tensor decoded =
        at::cat({center - half, center + half}, 2).contiguous(); // ymin, xmin, ymax, xmax

    std::vector<std::vector<SsdBox>> out(static_cast<std::size_t>(n));
    for (std::int64_t b = 0; b < n; ++b) {
        const float* s = scores[b].data_ptr<float>();
        const at::Tensor db = decoded[b].contiguous();
        const float* d = db.data_ptr<float>();
        std::vector<SsdBox> candidates;
        for (std::int64_t i = 0; i < scores.size(1); ++i)
            if (s[i] > minConfidence)
                candidates.push_back({d[4 * i], d[4 * i + 1], d[4 * i + 2], d[4 * i + 3], s[i]});
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const SsdBox& a, const SsdBox& c) { return a.score > c.score; });
        // face-api's greedy NMS: a candidate survives when it overlaps no kept box by more than the
        // threshold.
        std::vector<SsdBox>& kept = out[static_cast<std::size_t>(b)];
        for (const SsdBox& c : candidates) {
            if (static_cast<int>(kept.size()) >= maxResults)
                break;
            bool suppressed = false;
            for (auto it = kept.rbegin(); it != kept.rend() && !suppressed; ++it)
                suppressed = iou(c, *it) > kIouThreshold;
            if (!suppressed)
                kept.push_back(c);
        }
    }
    return out;
}

} // namespace avatar::facenet
