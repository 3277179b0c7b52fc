#pragma once

#include "core/ScriptMarkup.h"

#include <string>
#include <string_view>
#include <vector>

namespace avatar {

class TextBreaks;

// One step of a script: a piece of text to speak, or a pause (from a <break/> tag).
struct ScriptItem {
    std::string text;   // empty for a pause
    double pause = 0.0; // seconds of silence, for a pause
};

// A script as the synthesiser is given it. The markup (core/ScriptMarkup) and the sentences (core/TextBreaks)
// are the ones the captions read too, so speech and captions agree on where a sentence ends.
struct Script {
    static constexpr double kMaxBreakSeconds = ScriptMarkup::kMaxBreakSeconds;

    // The script as spoken pieces and pauses: ScriptMarkup's runs, the text of each split with sentences().
    // Throws Error(InvalidInput) for a malformed or too long <break>.
    static std::vector<ScriptItem> items(const std::string& text);
    // Splits at TextBreaks' sentence ends (ICU's rules: "Mr. Smith" and "3.5" stay whole, 。 ends a
    // sentence; also blank lines), keeping the punctuation and collapsing white space, so that each sentence
    // is synthesised (and cached) on its own. Empty pieces are dropped; run-on sentences come back in pieces
    // of at most kMaxPiece bytes.
    static std::vector<std::string> sentences(const std::string& text);
    // Pieces longer than this many bytes are split (see splitLong).
    static constexpr std::size_t kMaxPiece = 400;
    // Splits a run-on sentence into pieces of at most kMaxPiece bytes at clause or word boundaries (one
    // enormous word at a grapheme boundary).
    static std::vector<std::string> splitLong(const std::string& sentence);
    // Collapses runs of whitespace and trims.
    static std::string normalized(const std::string& text);

private:
    static void appendSentences(std::string_view text, TextBreaks& breaks, std::vector<std::string>& out);
    static std::vector<std::string> splitLong(const std::string& sentence, TextBreaks& breaks);
};

} // namespace avatar
