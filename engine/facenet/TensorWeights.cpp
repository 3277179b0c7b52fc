#include "TensorWeights.h"

#include "core/Error.h"

#include <ATen/ATen.h>

namespace avatar::facenet {

TensorWeights::TensorWeights(const std::filesystem::path& dir, const std::string& model)
    : m_weights(TfjsWeights::load(dir / (model + "-weights_manifest.json"))) {}

at::Tensor TensorWeights::raw(const std::string& name) const {
    const TfjsWeights::Entry& e = m_weights.at(name);
    // from_blob borrows; clone() gives the tensor its own storage, independent of the loader.
    return at::from_blob(const_cast<float*>(e.values.data()), e.shape, at::kFloat).clone();
}

at::Tensor TensorWeights::conv(const std::string& name) const {
    at::Tensor t = raw(name);
    if (t.dim() != 4)
        throw Error(ErrorCode::Unreadable, "The face model manifest '" + manifest().string() + "' gives '" +
                                               name + "' a shape that is not a 4-D filter.");
    return t.permute({3, 2, 0, 1}).contiguous();
}

at::Tensor TensorWeights::depthwise(const std::string& name) const {
    at::Tensor t = raw(name);
    if (t.dim() != 4 || t.size(3) != 1)
        throw Error(ErrorCode::Unreadable, "The face model manifest '" + manifest().string() + "' gives '" +
                                               name + "' a shape that is not a depthwise filter.");
    return t.permute({2, 3, 0, 1}).contiguous();
}

at::Tensor TensorWeights::vector(const std::string& name) const {
    return raw(name).reshape({-1});
}

} // namespace avatar::facenet
