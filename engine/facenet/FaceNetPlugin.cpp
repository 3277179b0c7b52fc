#include "FaceNetBackend.h"

#include "core/Error.h"
#include "core/PluginLoader.h"

#include <mutex>
#include <string>

namespace avatar {
namespace {

const FaceNetPluginApi& loadPlugin() {
    std::string tried;
    const FaceNetPluginApi* api = nullptr;
    // Kept open for the life of the process: LibTorch registers its operators and threads globally.
    openPluginSymbol(
        pluginCandidates("AVATAR_FACENET_PLUGIN", AVATAR_FACENET_PLUGIN_INSTALL_PATH,
                         AVATAR_FACENET_PLUGIN_BUILD_PATH),
        "avatar_facenet_plugin",
        [&api](void* symbol) {
            using Entry = const FaceNetPluginApi* (*)();
            const FaceNetPluginApi* found = reinterpret_cast<Entry>(symbol)();
            if (found && found->abi == kFaceNetPluginAbi)
                api = found;
            return api != nullptr;
        },
        "not a face-model plugin of this version", tried);
    if (api)
        return *api;
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
