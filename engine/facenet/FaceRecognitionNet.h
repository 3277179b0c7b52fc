#pragma once

// Private to engine/facenet (LibTorch types).
#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <filesystem>
#include <string>
#include <vector>

namespace avatar::facenet {

// face-api's face recognition net (face_recognition_model, a port of dlib's ResNet-34-like metric network):
// a 7x7 stride-2 convolution, max pooling, residual blocks at 32, 64, 128 and 256 channels (the "down"
// ones halve the size and add an average-pooled, zero-padded shortcut), global average, and a 256 -> 128
// projection. Descriptors of the same face are within about 0.6 of each other (Euclidean).
class FaceRecognitionNet {
public:
    static constexpr int kInputSize = 150;

    // `type` kBFloat16: the convolutions run under CPU autocast (NetLayers.h, AutocastGuard).
    explicit FaceRecognitionNet(const std::filesystem::path& modelDir,
                                c10::ScalarType type = c10::ScalarType::Float);

    // `input`: [N, 3, 150, 150] RGB in 0..255 (a dlib-aligned face crop). Returns [N, 128].
    at::Tensor forward(const at::Tensor& input) const;

private:
    struct Conv {
        at::Tensor weight, bias; // the scale layer folded in
    };
    struct Residual {
        Conv conv1, conv2;
        bool down = false;
    };
    c10::ScalarType m_type = c10::ScalarType::Float;
    Conv m_convDown;
    std::vector<Residual> m_blocks;
    at::Tensor m_fc; // [256, 128]
};

} // namespace avatar::facenet
