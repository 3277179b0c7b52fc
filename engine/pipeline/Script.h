#pragma once

#include <string>
#include <vector>

namespace avatar {

// Script text handling shared by the pipeline and the tools.
struct Script {
    // Splits at sentence ends (. ! ? followed by space or end; also blank lines), keeping the punctuation, so
    // that each sentence is synthesised (and, later, cached) on its own. Empty pieces are dropped.
    static std::vector<std::string> sentences(const std::string& text);
    // Collapses runs of whitespace and trims.
    static std::string normalized(const std::string& text);
};

} // namespace avatar
