#pragma once

// Private to engine/facenet (LibTorch types).
#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <filesystem>
#include <vector>

namespace avatar::facenet {

// One SSD detection, in the 0..1 coordinates of the padded square the image was fitted into.
struct SsdBox {
    float top = 0, left = 0, bottom = 0, right = 0;
    float score = 0;
};

// face-api's face detector (ssd_mobilenetv1_model): a MobileNet v1 backbone (a 3x3 convolution and 13
// depthwise-separable pairs, ReLU6), eight extra layers down to 1x1, six box predictors (3 anchors on the
// 32x32 grid of layer 11, 6 on each of the others: 5118 in all), box decoding against the anchors stored
// in the weights (variances 10, 10, 5, 5) and face-api's greedy NMS (IoU 0.5).
class SsdMobilenetV1 {
public:
    static constexpr int kInputSize = 512;

    // `type` kBFloat16: the convolutions run under CPU autocast (NetLayers.h, AutocastGuard); the boxes are
    // decoded in float.
    explicit SsdMobilenetV1(const std::filesystem::path& modelDir,
                            c10::ScalarType type = c10::ScalarType::Float);

    // `input`: [N, 3, 512, 512] RGB in 0..255. One list of boxes per image, best first.
    std::vector<std::vector<SsdBox>> detect(const at::Tensor& input, float minConfidence,
                                            int maxResults) const;

private:
    c10::ScalarType m_type = c10::ScalarType::Float;
    struct Pointwise {
        at::Tensor weight, bias;
    };
    struct Pair {
        at::Tensor depthwise, depthwiseBias; // batch norm folded in
        Pointwise pointwise;
    };
    struct Predictor {
        Pointwise box, cls;
    };
    Pointwise m_conv0;
    std::vector<Pair> m_pairs;           // conv_1 .. conv_13
    std::vector<Pointwise> m_extra;      // prediction conv_0 .. conv_7
    std::vector<Predictor> m_predictors; // box_predictor_0 .. 5
    at::Tensor m_anchors;                // [5118, 4]: ymin, xmin, ymax, xmax
};

} // namespace avatar::facenet
