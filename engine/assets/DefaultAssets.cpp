#include "DefaultAssets.h"

// Symbols made by cmake/EmbedFile.cmake; each blob is followed by its *_end label.
extern "C" {
extern const unsigned char avatar_res_astronaut_png[];
extern const unsigned char avatar_res_astronaut_png_end[];
extern const unsigned char avatar_res_default_script[];
extern const unsigned char avatar_res_default_script_end[];
extern const unsigned char avatar_res_bench_script[];
extern const unsigned char avatar_res_bench_script_end[];
}

namespace avatar {
namespace {

std::string trimmedText(const unsigned char* begin, const unsigned char* end) {
    std::string text(reinterpret_cast<const char*>(begin), reinterpret_cast<const char*>(end));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

} // namespace

std::span<const std::uint8_t> DefaultAssets::portraitPng() {
    return {avatar_res_astronaut_png,
            static_cast<std::size_t>(avatar_res_astronaut_png_end - avatar_res_astronaut_png)};
}

std::string DefaultAssets::defaultScript() {
    return trimmedText(avatar_res_default_script, avatar_res_default_script_end);
}

std::string DefaultAssets::benchmarkScript() {
    return trimmedText(avatar_res_bench_script, avatar_res_bench_script_end);
}

} // namespace avatar
