#include "ScriptMarkup.h"

#include "Error.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

namespace avatar {

namespace {

// Up to about 40 bytes of `text` from `pos` for an error message: on one line, never cutting a UTF-8
// character.
std::string excerpt(std::string_view text, std::size_t pos) {
    std::size_t end = std::min(text.size(), pos + 40);
    while (end < text.size() && end > pos && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    std::string out(text.substr(pos, end - pos));
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20)
            c = ' ';
    return out;
}

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool isSpace(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Whether a <break tag opens at `open` (a '<'): "break" in any case, then white space, '/' or '>'.
bool opensBreak(std::string_view text, std::size_t open) {
    constexpr std::string_view kName = "break";
    if (open + 1 + kName.size() > text.size())
        return false;
    for (std::size_t i = 0; i < kName.size(); ++i)
        if (lower(text[open + 1 + i]) != kName[i])
            return false;
    const std::size_t after = open + 1 + kName.size();
    const char next = after < text.size() ? text[after] : '\0';
    return next == '/' || next == '>' || isSpace(next);
}

// Parses the inside of one <break ...> tag (after "break", before '>'); returns seconds or -1.
double breakSeconds(std::string_view attrs) {
    std::string a;
    for (const char c : attrs)
        if (!isSpace(c))
            a += lower(c);
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

std::vector<MarkupRun> ScriptMarkup::parse(std::string_view script) {
    std::vector<MarkupRun> runs;
    std::size_t pos = 0;
    for (;;) {
        std::size_t open = pos;
        while ((open = script.find('<', open)) != std::string_view::npos && !opensBreak(script, open))
            ++open;
        if (open == std::string_view::npos) {
            runs.push_back({script.substr(pos), 0.0});
            return runs;
        }
        const std::size_t close = script.find('>', open);
        constexpr std::size_t kAttrs = 6; // "<break"
        const double seconds = close == std::string_view::npos
                                   ? -1.0
                                   : breakSeconds(script.substr(open + kAttrs, close - open - kAttrs));
        if (seconds < 0.0)
            throw Error(ErrorCode::InvalidInput,
                        "The script has a malformed pause tag near '" + excerpt(script, open) +
                            "': write <break time=\"500ms\"/> or <break time=\"1s\"/>.");
        if (seconds > kMaxBreakSeconds)
            throw Error(ErrorCode::InvalidInput, "A pause in the script is longer than 10 seconds.");
        runs.push_back({script.substr(pos, open - pos), seconds});
        pos = close + 1;
    }
}

} // namespace avatar
