#pragma once

#include "facenet/FaceNet.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <vector>

// The seam between FaceNet (in the engine, no LibTorch) and the LibTorch networks, which live in a plugin
// library, libavatar-facenet.so, opened with dlopen the first time a FaceNet is made. Loading LibTorch costs
// about 0.4 s and 60 MB of memory at start-up; a program that never looks for a face with the face-api models
// (`avatar-render voices`, a re-render whose landmarks are cached, the idle studio) no longer pays it.
// Both sides are built from the same sources by the same compiler; the plugin exports one C symbol,
// `avatar_facenet_plugin`, which returns the table below.

namespace avatar {

// What the plugin's networks do for FaceNet (its analyze* methods, with the same contracts).
class FaceNetBackend {
public:
    virtual ~FaceNetBackend() = default;
    virtual std::vector<std::vector<FaceNetFace>> analyzeBatch(std::span<const Image> images,
                                                               const FaceNet::Options& options) const = 0;
    virtual std::vector<FaceNetFace> analyzeCrops(std::span<const Image> crops,
                                                  const FaceNet::Options& options) const = 0;
};

// Raised when the table changes shape, so that a stale plugin is refused instead of called wrongly.
inline constexpr int kFaceNetPluginAbi = 1;

struct FaceNetPluginApi {
    int abi = 0; // kFaceNetPluginAbi of the plugin's build
    std::unique_ptr<FaceNetBackend> (*create)(const std::filesystem::path& modelDir,
                                              FaceNet::Precision precision);
    int (*threads)();          // LibTorch's intra-op threads
    void (*setThreads)(int n); // process-wide, as at::set_num_threads
    // One round of `threads` independent 1024^3 multiply-adds on LibTorch's threads (sgemmPeakGflops).
    std::function<void()> (*matrixWorkload)(int threads);
};

// The plugin's table, loaded once (thread-safe). Looks in $AVATAR_FACENET_PLUGIN, then beside the running
// program (<prefix>/lib/avatar-studio/plugins/, as installed), then in the build tree. Throws Error(NotFound)
// naming the places and the loader's message when none loads.
const FaceNetPluginApi& faceNetPlugin();

} // namespace avatar
