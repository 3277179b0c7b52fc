#pragma once

#include <string>
#include <vector>

namespace avatar {

// Script text handling shared by the pipeline and the tools.
struct Script {
    // Splits at sentence ends (. ! ? followed by space or end; also blank lines), keeping the punctuation, so
    // that each sentence is synthesised (and, later, cached) on its own. Empty pieces are dropped; run-on
    // sentences come back in pieces of at most kMaxPiece bytes.
    static std::vector<std::string> sentences(const std::string& text);
    // Pieces longer than this many bytes are split (see splitLong).
    static constexpr std::size_t kMaxPiece = 400;
    // Splits a run-on sentence into pieces of at most kMaxPiece bytes at clause or word boundaries.
    static std::vector<std::string> splitLong(const std::string& sentence);
    // Collapses runs of whitespace and trims.
    static std::string normalized(const std::string& text);
};

} // namespace avatar
