#include "FaceNet.h"

#include "FaceNetBackend.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <system_error>
#include <vector>

namespace avatar {

std::string FaceNetFace::expression() const {
    const auto it = std::max_element(expressions.begin(), expressions.end());
    return FaceNet::expressionLabels()[static_cast<std::size_t>(it - expressions.begin())];
}

FaceLandmarks FaceNetFace::toFaceLandmarks() const {
    FaceLandmarks out;
    out.box = {static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)),
               static_cast<int>(std::lround(width)), static_cast<int>(std::lround(height))};
    out.score = score;
    std::copy(landmarks.begin(), landmarks.end(), out.points.begin());
    return out;
}

// The networks are in the LibTorch plugin (FaceNetBackend.h), loaded by the first FaceNet of the process.
struct FaceNet::Impl {
    Precision precision;
    std::unique_ptr<FaceNetBackend> backend;
};

FaceNet::FaceNet(const std::filesystem::path& modelDir, Precision precision)
    : m_impl(std::make_unique<Impl>(Impl{precision, faceNetPlugin().create(modelDir, precision)})) {}

FaceNet::~FaceNet() = default;

FaceNet::Precision FaceNet::precision() const {
    return m_impl->precision;
}

const char* FaceNet::precisionName(Precision precision) {
    return precision == Precision::BFloat16 ? "bf16" : "float32";
}

bool FaceNet::parsePrecision(const std::string& name, Precision& precision) {
    if (name == "float32" || name == "bf16") {
        precision = name == "bf16" ? Precision::BFloat16 : Precision::Float32;
        return true;
    }
    return false;
}

std::vector<FaceNetFace> FaceNet::analyze(const Image& image, const Options& options) const {
    return analyzeBatch(std::span<const Image>(&image, 1), options).front();
}

std::vector<std::vector<FaceNetFace>> FaceNet::analyzeBatch(std::span<const Image> images,
                                                            const Options& options) const {
    return m_impl->backend->analyzeBatch(images, options);
}

std::vector<FaceNetFace> FaceNet::analyzeCrops(std::span<const Image> crops, const Options& options) const {
    return m_impl->backend->analyzeCrops(crops, options);
}

double FaceNet::distance(const std::array<float, FaceNetFace::kDescriptorSize>& a,
                         const std::array<float, FaceNetFace::kDescriptorSize>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        sum += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    return std::sqrt(sum);
}

const std::array<const char*, FaceNetFace::kExpressionCount>& FaceNet::expressionLabels() {
    static const std::array<const char*, FaceNetFace::kExpressionCount> labels{
        "neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"};
    return labels;
}

std::filesystem::path FaceNet::defaultModelDir() {
    if (const char* env = std::getenv("AVATAR_FACEAPI_MODELS"); env && *env)
        return env;
    // Installed (cmake --install): <prefix>/bin/<program> next to <prefix>/share/..., wherever the prefix was
    // moved to; then the configured prefix; then the source tree, where the build and the tests run.
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path relative = AVATAR_FACEAPI_INSTALL_DIR;
    std::vector<std::filesystem::path> candidates;
    if (!ec)
        candidates.push_back(exe.parent_path().parent_path() / relative);
    candidates.push_back(
        relative.is_absolute() ? relative : std::filesystem::path(AVATAR_FACEAPI_INSTALL_PREFIX) / relative);
    for (const std::filesystem::path& dir : candidates)
        if (std::filesystem::is_regular_file(dir / "ssd_mobilenetv1_model-weights_manifest.json", ec))
            return dir;
    return AVATAR_FACEAPI_MODEL_DIR;
}

} // namespace avatar
