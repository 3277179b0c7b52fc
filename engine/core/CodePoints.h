#pragma once

#include <cstddef>
#include <string_view>

namespace avatar {

// UTF-8 decoding and character classes from ICU, for code that looks at text one character at a time.
struct CodePoints {
    // The code point starting at byte `pos` and its `length` in bytes (at least 1); an ill-formed sequence
    // reads as U+FFFD, so broken input never stalls a scan.
    static char32_t at(std::string_view text, std::size_t pos, std::size_t& length);
    // The code point ending just before byte `end` (> 0) and where it starts.
    static char32_t before(std::string_view text, std::size_t end, std::size_t& start);
    // How many code points `text` holds.
    static std::size_t count(std::string_view text);
    // A letter, digit or combining mark of any script: what a spoken word is made of (not punctuation,
    // symbols or emoji).
    static bool isWordCharacter(char32_t c);
};

} // namespace avatar
