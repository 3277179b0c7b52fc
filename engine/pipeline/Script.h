#pragma once

#include <string>
#include <vector>

namespace avatar {

// One step of a script: a piece of text to speak, or a pause (from a <break/> tag).
struct ScriptItem {
    std::string text;   // empty for a pause
    double pause = 0.0; // seconds of silence, for a pause
};

// Script text handling shared by the pipeline and the tools.
struct Script {
    // Pauses longer than this are refused (a typo such as time="500s" would otherwise stall a video).
    static constexpr double kMaxBreakSeconds = 10.0;

    // The script as spoken pieces and pauses. Understands SSML-style breaks: <break time="500ms"/>,
    // <break time="1.5s"/> (quotes optional) and a bare <break/> (half a second). Text between them is split
    // with sentences(). Throws Error(InvalidInput) for a malformed or too long <break>.
    static std::vector<ScriptItem> items(const std::string& text);
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
