#include "Script.h"

#include "core/Error.h"

#include <cctype>
#include <cstdlib>
#include <string_view>

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

namespace {

// Up to about 40 bytes of `text` from `pos` for an error message: on one line, never cutting a UTF-8
// character.
std::string excerpt(const std::string& text, std::size_t pos) {
    std::size_t end = std::min(text.size(), pos + 40);
    while (end < text.size() && end > pos && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    std::string out = text.substr(pos, end - pos);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20)
            c = ' ';
    return out;
}

// Parses the inside of one <break ...> tag (without the angle brackets' "break"); returns seconds or -1.
double breakSeconds(std::string_view attrs) {
    std::string a;
    for (const char c : attrs)
        if (!std::isspace(static_cast<unsigned char>(c)))
            a += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!a.empty() && a.back() == '/')
        a.pop_back();
    if (a.empty())
        return 0.5; // <break/>: a medium pause
    if (a.rfind("time=", 0) != 0)
        return -1.0;
    a.erase(0, 5);
    if (a.size() >= 2 && (a.front() == '"' || a.front() == '\'') && a.back() == a.front())
        a = a.substr(1, a.size() - 2);
    double scale = 0.0;
    if (a.size() > 2 && a.compare(a.size() - 2, 2, "ms") == 0) {
        scale = 0.001;
        a.resize(a.size() - 2);
    } else if (a.size() > 1 && a.back() == 's') {
        scale = 1.0;
        a.pop_back();
    } else {
        return -1.0;
    }
    char* end = nullptr;
    const double value = std::strtod(a.c_str(), &end);
    if (a.empty() || end != a.c_str() + a.size() || !(value >= 0.0))
        return -1.0;
    return value * scale;
}

} // namespace

std::vector<ScriptItem> Script::items(const std::string& text) {
    std::vector<ScriptItem> out;
    auto addText = [&](const std::string& piece) {
        for (std::string& sentence : sentences(piece))
            out.push_back({std::move(sentence), 0.0});
    };
    std::size_t pos = 0;
    for (;;) {
        std::size_t open = pos;
        // Find "<break" (any case) followed by whitespace, '/' or '>'.
        for (; (open = text.find('<', open)) != std::string::npos; ++open) {
            std::string word = text.substr(open + 1, 5);
            for (char& c : word)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            const char next = open + 6 < text.size() ? text[open + 6] : '\0';
            if (word == "break" &&
                (next == '/' || next == '>' || std::isspace(static_cast<unsigned char>(next))))
                break;
        }
        if (open == std::string::npos) {
            addText(text.substr(pos));
            return out;
        }
        addText(text.substr(pos, open - pos));
        const std::size_t close = text.find('>', open);
        const double seconds = close == std::string::npos
                                   ? -1.0
                                   : breakSeconds(std::string_view(text).substr(open + 6, close - open - 6));
        if (seconds < 0.0)
            throw Error(ErrorCode::InvalidInput,
                        "The script has a malformed pause tag near '" + excerpt(text, open) +
                            "': write <break time=\"500ms\"/> or <break time=\"1s\"/>.");
        if (seconds > kMaxBreakSeconds)
            throw Error(ErrorCode::InvalidInput, "A pause in the script is longer than 10 seconds.");
        if (seconds > 0.0)
            out.push_back({{}, seconds});
        pos = close + 1;
    }
}

std::vector<std::string> Script::splitLong(const std::string& sentence) {
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
