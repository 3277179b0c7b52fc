#include "PluginLoader.h"

#include <cstdlib>
#include <dlfcn.h>
#include <system_error>

namespace avatar {

std::vector<std::filesystem::path> pluginCandidates(const char* environmentVariable,
                                                    const std::filesystem::path& installPath,
                                                    const std::filesystem::path& buildPath) {
    std::vector<std::filesystem::path> out;
    if (const char* env = std::getenv(environmentVariable); env && *env)
        out.emplace_back(env);
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec)
        out.push_back(exe.parent_path().parent_path() / installPath);
    out.push_back(buildPath);
    return out;
}

void* openPluginSymbol(const std::vector<std::filesystem::path>& candidates, const char* symbol,
                       const std::function<bool(void*)>& accept, const std::string& rejected,
                       std::string& tried) {
    for (const std::filesystem::path& path : candidates) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
            tried += "\n  " + path.string() + ": not there";
            continue;
        }
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            tried += "\n  " + path.string() + ": " + dlerror();
            continue;
        }
        if (void* found = dlsym(handle, symbol); found && accept(found))
            return found;
        tried += "\n  " + path.string() + ": " + rejected;
    }
    return nullptr;
}

} // namespace avatar
