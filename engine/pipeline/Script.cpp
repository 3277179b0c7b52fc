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

std::vector<std::string> Script::sentences(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        const std::string s = normalized(current);
        if (!s.empty())
            out.push_back(s);
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
