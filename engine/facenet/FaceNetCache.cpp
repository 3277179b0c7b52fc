#include "FaceNetCache.h"

#include "cache/Sha256.h"

#include <cstring>
#include <type_traits>

namespace avatar::facenet {
namespace {

// Bumped whenever the networks' code or the byte layout below changes: old entries then miss.
constexpr std::uint32_t kFormat = 1;
constexpr const char* kProducer = "face-api 1.7.15 on LibTorch, format 1";

// The blob: format, count, then each face's plain fields, native byte order (the cache stays on the machine
// that wrote it).
struct Packed {
    double box[4];
    double score, age, male;
    PointF landmarks[FaceLandmarks::kCount];
    float descriptor[FaceNetFace::kDescriptorSize];
    float expressions[FaceNetFace::kExpressionCount];
};
static_assert(std::is_trivially_copyable_v<PointF>);

} // namespace

cache::CacheKey facesKey(std::span<const std::uint8_t> fileBytes, const FaceNet::Options& options,
                         FaceNet::Precision precision) {
    cache::Sha256 sha;
    sha.update(fileBytes);
    return cache::CacheKey::Builder("faces")
        .version(kProducer)
        .digest("image", sha.finish())
        .real("min-confidence", options.minConfidence, 4)
        .integer("max-results", options.maxResults)
        .integer("tiny", options.tinyLandmarks)
        .text("precision", precision == FaceNet::Precision::BFloat16 ? "bf16" : "float32")
        .build();
}

std::vector<std::uint8_t> encodeFaces(const std::vector<FaceNetFace>& faces) {
    const std::uint32_t header[2] = {kFormat, static_cast<std::uint32_t>(faces.size())};
    std::vector<std::uint8_t> out(sizeof header + faces.size() * sizeof(Packed));
    std::memcpy(out.data(), header, sizeof header);
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const FaceNetFace& f = faces[i];
        Packed p{};
        p.box[0] = f.x, p.box[1] = f.y, p.box[2] = f.width, p.box[3] = f.height;
        p.score = f.score, p.age = f.age, p.male = f.maleProbability;
        std::copy(f.landmarks.begin(), f.landmarks.end(), p.landmarks);
        std::copy(f.descriptor.begin(), f.descriptor.end(), p.descriptor);
        std::copy(f.expressions.begin(), f.expressions.end(), p.expressions);
        std::memcpy(out.data() + sizeof header + i * sizeof(Packed), &p, sizeof p);
    }
    return out;
}

std::optional<std::vector<FaceNetFace>> decodeFaces(std::span<const std::uint8_t> bytes) {
    std::uint32_t header[2];
    if (bytes.size() < sizeof header)
        return std::nullopt;
    std::memcpy(header, bytes.data(), sizeof header);
    if (header[0] != kFormat || bytes.size() != sizeof header + std::size_t{header[1]} * sizeof(Packed))
        return std::nullopt;
    std::vector<FaceNetFace> faces(header[1]);
    for (std::size_t i = 0; i < faces.size(); ++i) {
        Packed p;
        std::memcpy(&p, bytes.data() + sizeof header + i * sizeof(Packed), sizeof p);
        FaceNetFace& f = faces[i];
        f.x = p.box[0], f.y = p.box[1], f.width = p.box[2], f.height = p.box[3];
        f.score = p.score, f.age = p.age, f.maleProbability = p.male;
        std::copy(std::begin(p.landmarks), std::end(p.landmarks), f.landmarks.begin());
        std::copy(std::begin(p.descriptor), std::end(p.descriptor), f.descriptor.begin());
        std::copy(std::begin(p.expressions), std::end(p.expressions), f.expressions.begin());
    }
    return faces;
}

} // namespace avatar::facenet
