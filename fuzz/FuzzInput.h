#pragma once

#include "core/Error.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace avatar::fuzz {

// The fuzzer's bytes as text, unchanged (scripts, JSON and CSV are parsed from arbitrary bytes, as from a
// file).
inline std::string text(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

// Splits the input at the first occurrence of `separator` (the dictionaries carry it, so the fuzzer learns
// to make two-part inputs such as a manifest and its shard); without one, everything is the first part.
inline std::pair<std::string_view, std::string_view> split(std::string_view input,
                                                           std::string_view separator) {
    const std::size_t at = input.find(separator);
    if (at == std::string_view::npos)
        return {input, {}};
    return {input.substr(0, at), input.substr(at + separator.size())};
}

// Runs one parse. Bad input must end in avatar::Error with a message for the user; anything else escaping
// (std::out_of_range, std::length_error, ...) or an Error(Internal) is a bug, and aborting makes libFuzzer
// keep the input as a crash.
template <typename Parse> void expectCleanFailure(Parse&& parse) {
    try {
        parse();
    } catch (const Error& error) {
        if (error.code() == ErrorCode::Internal || std::string_view(error.what()).empty()) {
            std::fprintf(stderr, "fuzz: internal or empty error: %s\n", error.what());
            std::abort();
        }
    }
}

// Runs what must not fail (reading back what the program itself wrote); any exception is a bug.
template <typename Step> auto expectSuccess(Step&& step) {
    try {
        return step();
    } catch (const std::exception& error) {
        std::fprintf(stderr, "fuzz: a round trip failed: %s\n", error.what());
        std::abort();
    }
}

// A private folder for targets whose entry point reads files (the tfjs manifest, audio), made once per
// process: the same code path as a render, and no file left behind in the working directory.
std::filesystem::path scratchFolder();

// Writes `bytes` to `file`, replacing it.
void writeFile(const std::filesystem::path& file, std::string_view bytes);

} // namespace avatar::fuzz
