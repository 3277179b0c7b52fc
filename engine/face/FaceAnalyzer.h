#pragma once

#include "FaceLandmarks.h"
#include "core/Image.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace avatar {

// Finds faces with dlib's HOG detector and places the 68 landmarks with dlib's shape predictor (the model
// from Debian's libdlib-data). dlib's heavy headers stay inside FaceAnalyzer.cpp. Thread-safe: detection is
// serialised internally (dlib's detector keeps scratch state), landmark prediction is not.
class FaceAnalyzer {
public:
    struct Options {
        // How often the image is doubled before detection when nothing is found at its own size. HOG finds
        // faces from about 80 px; each doubling halves that and quadruples the cost.
        int maxUpsample = 1;
        // Detections scoring below this are dropped: HOG also fires, weakly, on round badges and patterns
        // (the default portrait's mission patch scores about 0.1, its face about 1.2).
        double minScore = 0.2;
    };

    // Throws Error(NotFound) when the model file is missing, Error(Unreadable) when it is corrupt.
    explicit FaceAnalyzer(const std::filesystem::path& modelPath = defaultModelPath());
    ~FaceAnalyzer();
    FaceAnalyzer(const FaceAnalyzer&) = delete;
    FaceAnalyzer& operator=(const FaceAnalyzer&) = delete;

    // Every face: the confident ones (scoring at least half the best) largest first, then the others by
    // score. Empty when there is none.
    std::vector<FaceLandmarks> detectAll(const Image& image, const Options& options) const;
    std::vector<FaceLandmarks> detectAll(const Image& image) const { return detectAll(image, Options{}); }
    // The largest face. Throws Error(NoFace) naming `what` (the file) when there is none.
    FaceLandmarks analyzeLargest(const Image& image, const std::string& what, const Options& options) const;
    FaceLandmarks analyzeLargest(const Image& image, const std::string& what) const {
        return analyzeLargest(image, what, Options{});
    }

    // Loads the detector and the landmark model now (they otherwise load on first use, about 0.7 s), e.g.
    // before timing renders. Throws Error(Unreadable) for a corrupt model.
    void load() const;
    // $AVATAR_DLIB_MODEL if set, else the path found at build time (/usr/share/dlib/...).
    static std::filesystem::path defaultModelPath();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace avatar
