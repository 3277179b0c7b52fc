#include "Script.h"

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

std::vector<std::string> Script::splitLong(const std::string& sentence) {
    // Synthesisers hold a whole utterance in memory (Flite needs about 1 GB for a 3000-word sentence), so
    // run-on sentences are cut at a clause boundary (, ; :) when there is one in the second half of the
    // window, else at a space.
    std::vector<std::string> out;
    std::string rest = sentence;
    while (rest.size() > kMaxPiece) {
        std::size_t cut = std::string::npos;
        for (std::size_t i = kMaxPiece; i > kMaxPiece / 2; --i)
            if ((rest[i] == ',' || rest[i] == ';' || rest[i] == ':') && rest[i + 1] == ' ') {
                cut = i + 1;
                break;
            }
        if (cut == std::string::npos)
            cut = rest.rfind(' ', kMaxPiece);
        if (cut == std::string::npos || cut == 0) {
            cut = kMaxPiece; // one enormous word: cut it anyway, but not inside a UTF-8 sequence
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

std::vector<std::string> Script::sentences(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        for (std::string& piece : splitLong(normalized(current)))
            out.push_back(std::move(piece));
        current.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n' && i + 1 < text.size() && text[i + 1] == '\n') {
            flush();
            continue;
        }
        current += c;
        if (c == '.' || c == '!' || c == '?') {
            const bool atEnd = i + 1 >= text.size();
            const bool spaceNext = !atEnd && std::isspace(static_cast<unsigned char>(text[i + 1]));
            if (atEnd || spaceNext)
                flush();
        }
    }
    flush();
    return out;
}

} // namespace avatar
