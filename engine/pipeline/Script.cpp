#include "Script.h"

#include "core/TextBreaks.h"

#include <cctype>

namespace avatar {

std::string Script::normalized(const std::string& text) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::vector<ScriptItem> Script::items(const std::string& text) {
    std::vector<ScriptItem> out;
    TextBreaks breaks;
    std::vector<std::string> pieces;
    for (const MarkupRun& run : ScriptMarkup::parse(text)) {
        pieces.clear();
        appendSentences(run.text, breaks, pieces);
        for (std::string& piece : pieces)
            out.push_back({std::move(piece), 0.0});
        if (run.pauseAfter > 0.0)
            out.push_back({{}, run.pauseAfter});
    }
    return out;
}

std::vector<std::string> Script::splitLong(const std::string& sentence) {
    TextBreaks breaks;
    return splitLong(sentence, breaks);
}

std::vector<std::string> Script::splitLong(const std::string& sentence, TextBreaks& breaks) {
    // Synthesisers hold a whole utterance in memory (Flite needs about 1 GB for a 3000-word sentence), so
    // run-on sentences are cut at a clause boundary (, ; :) when there is one in the second half of the
    // window, else at a space.
    std::vector<std::string> out;
    std::string rest = sentence;
    while (rest.size() > kMaxPiece) {
        std::size_t cut = std::string::npos;
        // From kMaxPiece - 1: the cut goes after the mark, and the piece must stay within kMaxPiece.
        for (std::size_t i = kMaxPiece - 1; i > kMaxPiece / 2; --i)
            if ((rest[i] == ',' || rest[i] == ';' || rest[i] == ':') && rest[i + 1] == ' ') {
                cut = i + 1;
                break;
            }
        if (cut == std::string::npos)
            cut = rest.rfind(' ', kMaxPiece);
        if (cut == std::string::npos || cut == 0) {
            // One enormous word: cut it anyway, but between two characters as a reader sees them (never
            // between a letter and its accent, or inside an emoji).
            cut = breaks.graphemeStart(rest, kMaxPiece);
            if (cut == 0) // a single grapheme cluster longer than a piece: at a code point, at least
                cut = kMaxPiece;
            while (cut > 1 && (static_cast<unsigned char>(rest[cut]) & 0xC0) == 0x80)
                --cut;
        }
        out.push_back(normalized(rest.substr(0, cut)));
        rest = normalized(rest.substr(cut));
    }
    if (!rest.empty())
        out.push_back(rest);
    return out;
}

void Script::appendSentences(std::string_view text, TextBreaks& breaks, std::vector<std::string>& out) {
    for (const TextRange& range : breaks.sentences(text))
        for (std::string& piece :
             splitLong(normalized(std::string(text.substr(range.begin, range.end - range.begin))), breaks))
            out.push_back(std::move(piece));
}

std::vector<std::string> Script::sentences(const std::string& text) {
    std::vector<std::string> out;
    TextBreaks breaks;
    appendSentences(text, breaks, out);
    return out;
}

} // namespace avatar
