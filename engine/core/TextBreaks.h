#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace avatar {

// Byte offsets [begin, end) into a UTF-8 text.
struct TextRange {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// Where a UTF-8 text may be broken, by ICU's rules (Unicode's segmentation, UAX #29 and #14) rather than our
// own tables: sentences for the speech and the captions alike, places a caption line may break inside a word
// written without spaces, grapheme clusters and the columns a caption line takes. One object holds ICU's
// iterators, which are costly to make: create one per script, not per word. Not thread-safe; ICU stays
// inside TextBreaks.cpp.
class TextBreaks {
public:
    // Throws Error(Internal) when ICU's rules cannot be loaded (its data package is missing).
    TextBreaks();
    ~TextBreaks();
    TextBreaks(TextBreaks&&) noexcept;
    TextBreaks& operator=(TextBreaks&&) noexcept;

    // The sentences of `text`, in order and covering all of it (trailing white space stays with its
    // sentence): ICU's sentence rules with English abbreviations ("Mr. Smith", "e.g. this", "3.5 p.m."),
    // CJK full stops (。！？), quotes after the full stop. A blank line ends a paragraph and so a sentence;
    // a single line break is a space.
    std::vector<TextRange> sentences(std::string_view text);

    // Offsets strictly inside `word` (text without white space) where a line may break: ICU's line-break
    // opportunities next to a character of a script written without spaces (Chinese, Japanese, Thai, Lao,
    // Khmer, Burmese) or next to full-width punctuation. Never inside a grapheme cluster or before closing
    // punctuation; a hyphenated or slashed Latin word stays whole.
    std::vector<std::size_t> breaksInsideWord(std::string_view word);

    // The start of the grapheme cluster (what a reader sees as one character) that holds byte `pos`.
    std::size_t graphemeStart(std::string_view text, std::size_t pos);

    // The columns `text` takes on a caption line: two for a grapheme cluster whose first character is
    // East-Asian wide or full-width (CJK, Hangul, most emoji) or that asks for emoji presentation, one for
    // any other cluster (a letter with its combining marks is one).
    int columns(std::string_view text);

private:
    struct Iterators;
    std::unique_ptr<Iterators> m_iterators;
};

} // namespace avatar
