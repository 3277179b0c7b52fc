#pragma once

#include "core/Image.h"
#include "face/FaceLandmarks.h"

#include <array>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace avatar {

// One face as the face-api models see it.
struct FaceNetFace {
    static constexpr int kDescriptorSize = 128;
    static constexpr int kExpressionCount = 7;

    double x = 0, y = 0, width = 0, height = 0;            // the detector's box, image pixels
    double score = 0;                                      // the detector's confidence, 0..1
    std::array<PointF, FaceLandmarks::kCount> landmarks{}; // iBUG 68 order, as dlib's
    std::array<float, kDescriptorSize> descriptor{};       // zero when not computed
    std::array<float, kExpressionCount> expressions{};     // probabilities in expressionLabels() order
    double age = 0;
    double maleProbability = 0.5;

    std::string gender() const { return maleProbability > 0.5 ? "male" : "female"; }
    double genderProbability() const { return maleProbability > 0.5 ? maleProbability : 1 - maleProbability; }
    std::string expression() const; // the most probable one
    // The engine's landmark type (the box rounded), for code written against dlib's FaceAnalyzer.
    FaceLandmarks toFaceLandmarks() const;
};

// The face-api models (@vladmandic/face-api 1.7.15's weights, models/face-api) run with LibTorch on the CPU:
// SSD-MobileNet-v1 detection, 68 landmarks (full or tiny net), the 128-D descriptor, 7 expressions, age and
// gender, computed as the JavaScript package computes them (same crops, padding and resize), so that its
// outputs can be compared. Batches go through each network as one tensor. Thread-safe (the networks are
// read-only after construction); LibTorch's own thread count applies (at::set_num_threads, or
// OMP_NUM_THREADS).
class FaceNet {
public:
    struct Options {
        double minConfidence = 0.5; // face-api's default
        int maxResults = 100;
        bool tinyLandmarks = false; // the 80 KB landmark net instead of the 350 KB one
        bool descriptors = true;
        bool expressions = true;
        bool ageGender = true;
        std::size_t maxBatch = 16; // images or crops per network call
    };

    // The networks' arithmetic. BFloat16 converts the crop nets' filters once at load time and runs the
    // detector and the descriptor under LibTorch's CPU autocast: about 2-3x faster where the CPU has AVX-512
    // BF16 or AMX (emulated, slower, elsewhere), with outputs a little off float32's (docs/PERFORMANCE.md,
    // "Face models"; tst_facenet bounds the differences). Float32 matches face-api's outputs.
    enum class Precision { Float32, BFloat16 };

    // Loads the six models from `modelDir`. Throws Error(NotFound) naming a missing manifest or weights
    // file, Error(Unreadable) naming a corrupt one.
    explicit FaceNet(const std::filesystem::path& modelDir = defaultModelDir(),
                     Precision precision = Precision::Float32);
    explicit FaceNet(Precision precision) : FaceNet(defaultModelDir(), precision) {}
    ~FaceNet();
    FaceNet(const FaceNet&) = delete;
    FaceNet& operator=(const FaceNet&) = delete;

    // Every face, best first; empty when there is none (not an error).
    std::vector<FaceNetFace> analyze(const Image& image, const Options& options) const;
    std::vector<FaceNetFace> analyze(const Image& image) const { return analyze(image, Options{}); }
    // The same for many images: the detector runs in batches of maxBatch images, then every face of every
    // image goes through the other networks in batches.
    std::vector<std::vector<FaceNetFace>> analyzeBatch(std::span<const Image> images,
                                                       const Options& options) const;
    // Face crops (each whole image is taken as the detector's box): landmarks, descriptor, expression, age
    // and gender, in batches of maxBatch. One face per crop.
    std::vector<FaceNetFace> analyzeCrops(std::span<const Image> crops, const Options& options) const;

    Precision precision() const;
    // "float32" or "bf16"; parsePrecision() takes the same names and returns false for any other.
    static const char* precisionName(Precision precision);
    static bool parsePrecision(const std::string& name, Precision& precision);

    // Euclidean distance between descriptors: under about 0.6 means the same person.
    static double distance(const std::array<float, FaceNetFace::kDescriptorSize>& a,
                           const std::array<float, FaceNetFace::kDescriptorSize>& b);
    static const std::array<const char*, FaceNetFace::kExpressionCount>& expressionLabels();
    // $AVATAR_FACEAPI_MODELS if set, else the installed share/avatar-studio/models/face-api (beside the
    // running program's bin/, or under the configured prefix), else the source tree's models/face-api
    // (packaging/setup-models.sh).
    static std::filesystem::path defaultModelDir();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
