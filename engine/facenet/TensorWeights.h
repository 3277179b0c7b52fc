#pragma once

// Private to engine/facenet: LibTorch headers stay out of the engine's public headers.
#include "TfjsWeights.h"

#include <ATen/core/Tensor.h>
#include <filesystem>
#include <string>

namespace avatar::facenet {

// A model's tfjs weights as ATen tensors in LibTorch's layouts: convolution filters go from TensorFlow's
// (height, width, in, out) to (out, in, height, width), depthwise ones from (height, width, channels, 1) to
// (channels, 1, height, width), so the networks call at::conv2d directly.
class TensorWeights {
public:
    // Loads `<dir>/<model>-weights_manifest.json` (errors as TfjsWeights::load).
    TensorWeights(const std::filesystem::path& dir, const std::string& model);

    at::Tensor raw(const std::string& name) const; // TensorFlow's shape, as stored
    at::Tensor conv(const std::string& name) const;
    at::Tensor depthwise(const std::string& name) const;
    at::Tensor vector(const std::string& name) const;
    const std::filesystem::path& manifest() const { return m_weights.manifest(); }

private:
    TfjsWeights m_weights;
};

} // namespace avatar::facenet
