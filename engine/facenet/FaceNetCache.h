#pragma once

#include "FaceNet.h"
#include "cache/CacheKey.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace avatar::facenet {

// What `avatar-render faces` caches per image: every face (box, landmarks, descriptor, expression, age,
// gender), keyed by the SHA-256 of the image file's bytes and the options that change the answer, so that an
// image seen before, under any name, costs a hash instead of the networks.
cache::CacheKey facesKey(std::span<const std::uint8_t> fileBytes, const FaceNet::Options& options,
                         FaceNet::Precision precision = FaceNet::Precision::Float32);
std::vector<std::uint8_t> encodeFaces(const std::vector<FaceNetFace>& faces);
// nullopt for anything malformed (a cache entry of another version, a truncated blob).
std::optional<std::vector<FaceNetFace>> decodeFaces(std::span<const std::uint8_t> bytes);

} // namespace avatar::facenet
