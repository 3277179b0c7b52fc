#include "FaceNetBackend.h"

#include "core/Error.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace avatar {
namespace {

std::vector<std::filesystem::path> pluginCandidates() {
    std::vector<std::filesystem::path> out;
    if (const char* env = std::getenv("AVATAR_FACENET_PLUGIN"); env && *env)
        out.emplace_back(env);
    // Installed: <prefix>/bin/<program> and <prefix>/<libdir>/avatar-studio/plugins/, wherever the prefix is.
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec)
        out.push_back(exe.parent_path().parent_path() / AVATAR_FACENET_PLUGIN_INSTALL_PATH);
    out.emplace_back(AVATAR_FACENET_PLUGIN_BUILD_PATH); // the build tree: tests and programs run from it
    return out;
}

const FaceNetPluginApi& loadPlugin() {
    std::string tried;
    for (const std::filesystem::path& path : pluginCandidates()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
            tried += "\n  " + path.string() + ": not there";
            continue;
        }
        // Kept open for the life of the process: LibTorch registers its operators and threads globally.
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            tried += "\n  " + path.string() + ": " + dlerror();
            continue;
        }
        using Entry = const FaceNetPluginApi* (*)();
        auto entry = reinterpret_cast<Entry>(dlsym(handle, "avatar_facenet_plugin"));
        const FaceNetPluginApi* api = entry ? entry() : nullptr;
        if (api && api->abi == kFaceNetPluginAbi)
            return *api;
        tried += "\n  " + path.string() + ": not a face-model plugin of this version";
    }
    throw Error(ErrorCode::NotFound,
                "The face models' LibTorch plugin (libavatar-facenet.so) cannot be loaded; looked at:" +
                    tried);
}

} // namespace

const FaceNetPluginApi& faceNetPlugin() {
    // A failed load is not cached: the message is the same, and a later attempt may succeed (a path set
    // since).
    static std::mutex mutex;
    static const FaceNetPluginApi* loaded = nullptr;
    const std::lock_guard lock(mutex);
    if (!loaded)
        loaded = &loadPlugin();
    return *loaded;
}

} // namespace avatar
