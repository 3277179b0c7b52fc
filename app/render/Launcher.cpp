// avatar-render's entry point. It answers `voices` and `--version` itself and opens the rest of the program
// (libavatar-render-core.so: the engine with FFmpeg, OpenCV, dlib, SQLite and about 260 libraries behind
// them) only for the commands that need it. Loading and relocating those libraries is most of a start
// (issue #17: 0.8 s before), so the launcher links nothing heavier than the two speech synthesisers.
#include "VoiceList.h"
#include "core/PluginLoader.h"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace {

int runCore(int argc, char** argv) {
    std::string tried;
    // Never closed: the engine's threads and static objects live until the process ends.
    void* entry = avatar::openPluginSymbol(
        avatar::pluginCandidates("AVATAR_RENDER_CORE", AVATAR_RENDER_CORE_INSTALL_PATH,
                                 AVATAR_RENDER_CORE_BUILD_PATH),
        "avatar_render_main", [](void*) { return true; }, "not avatar-render's core", tried);
    if (entry)
        return reinterpret_cast<int (*)(int, char**)>(entry)(argc, argv);
    std::fprintf(stderr,
                 "avatar-render: the program's core (libavatar-render-core.so) cannot be loaded; "
                 "reinstall avatar-studio. Looked at:%s\n",
                 tried.c_str());
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    // Only the exact forms; anything else (more options, typos) goes to the full program, which parses and
    // reports it as always.
    if (args == std::vector<std::string>{"--version"}) {
        std::printf("avatar-render " AVATAR_VERSION "\n");
        return 0;
    }
    const bool voices = !args.empty() && args[0] == "voices";
    if (voices && (args.size() == 1 || (args.size() == 2 && args[1] == "--json"))) {
        try {
            const avatar::TextToSpeech tts;
            return avatar::cli::listVoices(tts, args.size() == 2);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "avatar-render: %s\n", e.what());
            return 1;
        }
    }
    return runCore(argc, argv);
}
