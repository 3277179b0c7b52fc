#include "TextBreaks.h"

#include "CodePoints.h"
#include "Error.h"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <climits>
#include <string>

namespace avatar {

namespace {

void check(UErrorCode status, const char* what) {
    if (U_FAILURE(status))
        throw Error(ErrorCode::Internal, std::string("Unicode's ") + what +
                                             " rules could not be loaded from ICU (" + u_errorName(status) +
                                             ").");
}

// Abbreviations ICU's English list lacks (it has "Mr.", "Mrs.", "Prof.", "U.S.", "a.m.", ...) and that
// rarely end a sentence in a script: a full stop after them ends none. Not "etc.", which often does.
constexpr std::array<const char16_t*, 5> kMoreAbbreviations = {u"Dr.", u"St.", u"e.g.", u"i.e.", u"E.g."};

// A UTF-8 view as ICU's UText, without copying; ICU counts in int32_t, so longer text is refused.
class Utf8Text {
public:
    explicit Utf8Text(std::string_view text) {
        if (text.size() > std::size_t(INT32_MAX))
            throw Error(ErrorCode::InvalidInput, "The text is too long to be broken into sentences.");
        UErrorCode status = U_ZERO_ERROR;
        utext_openUTF8(&m_text, text.data(), static_cast<int64_t>(text.size()), &status);
        check(status, "text");
    }
    ~Utf8Text() { utext_close(&m_text); }
    Utf8Text(const Utf8Text&) = delete;
    Utf8Text& operator=(const Utf8Text&) = delete;

    // Points `iterator` at this text (ICU keeps a shallow clone that reads the same bytes).
    void attach(icu::BreakIterator& iterator) {
        UErrorCode status = U_ZERO_ERROR;
        iterator.setText(&m_text, status);
        check(status, "text");
    }

private:
    UText m_text = UTEXT_INITIALIZER;
};

bool isAscii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool isLineEnd(char c) {
    return c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Where the paragraph that starts at `from` ends: after the first blank line (a line break, nothing but
// spaces, another line break), or at the end.
std::size_t paragraphEnd(std::string_view text, std::size_t from) {
    for (std::size_t i = text.find('\n', from); i != std::string_view::npos; i = text.find('\n', i + 1)) {
        std::size_t j = i + 1;
        while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
            ++j;
        if (j < text.size() && text[j] == '\n')
            return j + 1;
    }
    return text.size();
}

bool isWide(char32_t c) {
    const int width = u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_EAST_ASIAN_WIDTH);
    return width == U_EA_WIDE || width == U_EA_FULLWIDTH;
}

// A character of a script written without spaces between words, or full-width punctuation.
bool breaksWithoutSpace(char32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    switch (uscript_getScript(static_cast<UChar32>(c), &status)) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
        return true;
    default:
        return isWide(c) && u_ispunct(static_cast<UChar32>(c));
    }
}

} // namespace

struct TextBreaks::Iterators {
    std::unique_ptr<icu::BreakIterator> sentence;
    std::unique_ptr<icu::BreakIterator> line;
    std::unique_ptr<icu::BreakIterator> grapheme;
};

TextBreaks::TextBreaks() : m_iterators(std::make_unique<Iterators>()) {
    const icu::Locale english = icu::Locale::getEnglish();
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> sentence(icu::BreakIterator::createSentenceInstance(english, status));
    check(status, "sentence");
    std::unique_ptr<icu::FilteredBreakIteratorBuilder> filter(
        icu::FilteredBreakIteratorBuilder::createInstance(english, status));
    check(status, "abbreviation");
    for (const char16_t* abbreviation : kMoreAbbreviations)
        filter->suppressBreakAfter(icu::UnicodeString(abbreviation), status);
    check(status, "abbreviation");
    m_iterators->sentence.reset(filter->wrapIteratorWithFilter(sentence.release(), status));
    check(status, "sentence");
    m_iterators->line.reset(icu::BreakIterator::createLineInstance(english, status));
    check(status, "line-break");
    m_iterators->grapheme.reset(icu::BreakIterator::createCharacterInstance(english, status));
    check(status, "character");
}

TextBreaks::~TextBreaks() = default;
TextBreaks::TextBreaks(TextBreaks&&) noexcept = default;
TextBreaks& TextBreaks::operator=(TextBreaks&&) noexcept = default;

std::vector<TextRange> TextBreaks::sentences(std::string_view text) {
    // ICU ends a sentence at every line break, but a script's single line breaks are only layout: ICU reads a
    // copy with spaces for them, one paragraph at a time.
    std::string flat(text);
    std::replace_if(flat.begin(), flat.end(), isLineEnd, ' ');
    std::vector<TextRange> out;
    icu::BreakIterator& iterator = *m_iterators->sentence;
    for (std::size_t begin = 0; begin < text.size();) {
        const std::size_t end = paragraphEnd(text, begin);
        Utf8Text paragraph(std::string_view(flat).substr(begin, end - begin));
        paragraph.attach(iterator);
        std::size_t previous = 0;
        for (int32_t at = iterator.next(); at != icu::BreakIterator::DONE; at = iterator.next()) {
            out.push_back({begin + previous, begin + std::size_t(at)});
            previous = std::size_t(at);
        }
        begin = end;
    }
    return out;
}

std::vector<std::size_t> TextBreaks::breaksInsideWord(std::string_view word) {
    std::vector<std::size_t> out;
    if (isAscii(word))
        return out;
    Utf8Text text(word);
    icu::BreakIterator& iterator = *m_iterators->line;
    text.attach(iterator);
    for (int32_t at = iterator.next(); at != icu::BreakIterator::DONE && std::size_t(at) < word.size();
         at = iterator.next()) {
        std::size_t start = 0;
        std::size_t length = 0;
        if (breaksWithoutSpace(CodePoints::before(word, std::size_t(at), start)) ||
            breaksWithoutSpace(CodePoints::at(word, std::size_t(at), length)))
            out.push_back(std::size_t(at));
    }
    return out;
}

std::size_t TextBreaks::graphemeStart(std::string_view text, std::size_t pos) {
    if (pos >= text.size())
        return text.size();
    Utf8Text utf8(text);
    icu::BreakIterator& iterator = *m_iterators->grapheme;
    utf8.attach(iterator);
    const auto at = static_cast<int32_t>(pos);
    return iterator.isBoundary(at) ? pos : std::size_t(std::max(0, iterator.preceding(at)));
}

int TextBreaks::columns(std::string_view text) {
    if (isAscii(text))
        return static_cast<int>(text.size());
    Utf8Text utf8(text);
    icu::BreakIterator& iterator = *m_iterators->grapheme;
    utf8.attach(iterator);
    int count = 0;
    std::size_t previous = 0;
    for (int32_t at = iterator.next(); at != icu::BreakIterator::DONE; at = iterator.next()) {
        const std::string_view cluster = text.substr(previous, std::size_t(at) - previous);
        std::size_t length = 0;
        // U+FE0F, the emoji variation selector: "☺️" is drawn as wide as "😀".
        const bool wide =
            isWide(CodePoints::at(cluster, 0, length)) || cluster.find("\xEF\xB8\x8F") != cluster.npos;
        count += wide ? 2 : 1;
        previous = std::size_t(at);
    }
    return count;
}

} // namespace avatar
