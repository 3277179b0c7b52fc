#include "CodePoints.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace avatar {

char32_t CodePoints::at(std::string_view text, std::size_t pos, std::size_t& length) {
    // A code point is at most four bytes: ICU reads a window of them, so offsets never overflow int32_t.
    const char* bytes = text.data() + pos;
    const auto size = static_cast<int32_t>(std::min<std::size_t>(text.size() - pos, 4));
    int32_t i = 0;
    UChar32 c = 0;
    U8_NEXT_OR_FFFD(bytes, i, size, c);
    length = std::size_t(i);
    return static_cast<char32_t>(c);
}

char32_t CodePoints::before(std::string_view text, std::size_t end, std::size_t& start) {
    const std::size_t base = end >= 4 ? end - 4 : 0;
    const char* bytes = text.data() + base;
    auto i = static_cast<int32_t>(end - base);
    UChar32 c = 0;
    U8_PREV_OR_FFFD(bytes, 0, i, c);
    start = base + std::size_t(i);
    return static_cast<char32_t>(c);
}

std::size_t CodePoints::count(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t pos = 0, length = 0; pos < text.size(); pos += length, ++count)
        at(text, pos, length);
    return count;
}

bool CodePoints::isWordCharacter(char32_t c) {
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const auto code = static_cast<UChar32>(c);
    return u_isalnum(code) || (U_GET_GC_MASK(code) & U_GC_M_MASK) != 0;
}

} // namespace avatar
