#include "Caption.h"

#include "core/CodePoints.h"
#include "core/ScriptMarkup.h"
#include "core/TextBreaks.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

namespace avatar {

namespace {

// ---- Text ----

bool isAsciiAlnum(char32_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The matching key of a word: ASCII letters and digits in lower case plus the letters, digits and marks of
// other scripts, with all punctuation and symbols dropped. "Hello," and Flite's "hello" meet as "hello"; "$5"
// becomes "5".
std::string matchKey(std::string_view text) {
    std::string key;
    for (std::size_t pos = 0, length = 0; pos < text.size(); pos += length) {
        const char32_t c = CodePoints::at(text, pos, length);
        if (isAsciiAlnum(c))
            key += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        else if (c >= 0x80 && CodePoints::isWordCharacter(c))
            key.append(text.substr(pos, length));
    }
    return key;
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

struct ScriptToken {
    std::string text;
    std::string key;
    bool lineBreakAfter = false;
    bool joinNext = false;    // no space before the next token (characters of a CJK run)
    bool sentenceEnd = false; // the last word of a sentence (TextBreaks, as the speech splits it)
};

bool opensPhrase(std::string_view punctuation) {
    std::size_t length = 1;
    const char32_t c = CodePoints::at(punctuation, 0, length);
    return c == '(' || c == '[' || c == '{' || c == 0x201C || c == 0x2018 || c == 0xAB || c == 0xBF ||
           c == 0xA1;
}

// Adds one space-delimited word of the script, in the pieces a line may break between (TextBreaks: each
// character of a Chinese or Japanese run with its punctuation, Thai words). A piece of punctuation only (a
// spaced dash, a lone quote) is glued to its neighbour so that every token can be matched against a spoken
// word; opening punctuation waits in `pending` for the next word.
void addWord(std::vector<ScriptToken>& tokens, std::string& pending, std::string_view whole, bool spaceBefore,
             TextBreaks& breaks) {
    std::vector<std::size_t> ends = breaks.breaksInsideWord(whole);
    ends.push_back(whole.size());
    std::size_t from = 0;
    for (const std::size_t to : ends) {
        const std::string word(whole.substr(from, to - from));
        const bool joined = from > 0 || !spaceBefore; // no space between this piece and the one before
        from = to;
        std::string key = matchKey(word);
        if (key.empty() && (!tokens.empty() && !opensPhrase(word))) {
            tokens.back().text += (joined ? "" : " ") + word;
        } else if (key.empty()) {
            pending += pending.empty() ? word : ' ' + word;
        } else {
            if (joined && !tokens.empty())
                tokens.back().joinNext = true;
            tokens.push_back({pending.empty() ? word : pending + ' ' + word, std::move(key)});
            pending.clear();
        }
    }
}

// The script's words, read through ScriptMarkup (its <break/> tags are not shown) and TextBreaks' sentences,
// the same the speech is made of, so that a cue ends where a spoken sentence does.
std::vector<ScriptToken> tokenize(const std::string& scriptText, TextBreaks& breaks) {
    std::vector<ScriptToken> tokens;
    std::string pending; // opening punctuation waiting for the next word
    for (const MarkupRun& run : ScriptMarkup::parse(scriptText)) {
        bool spaceBefore = true; // a tag parts words as a space does
        for (const TextRange& sentence : breaks.sentences(run.text)) {
            const std::string_view text = run.text.substr(sentence.begin, sentence.end - sentence.begin);
            for (std::size_t pos = 0; pos < text.size();) {
                if (isSpace(text[pos])) {
                    if (text[pos] == '\n' && !tokens.empty())
                        tokens.back().lineBreakAfter = true;
                    spaceBefore = true;
                    ++pos;
                    continue;
                }
                const std::size_t begin = pos;
                while (pos < text.size() && !isSpace(text[pos]))
                    ++pos;
                addWord(tokens, pending, text.substr(begin, pos - begin), spaceBefore, breaks);
                spaceBefore = false;
            }
            if (!tokens.empty())
                tokens.back().sentenceEnd = true;
        }
    }
    if (!pending.empty() && !tokens.empty())
        tokens.back().text += ' ' + pending;
    return tokens;
}

// Without a script, the spoken words' own sentences (by the same rule) mark where cues should end.
void markSentenceEnds(std::vector<ScriptToken>& tokens, TextBreaks& breaks) {
    std::string text;
    std::vector<std::size_t> ends;
    for (const ScriptToken& token : tokens) {
        text += (text.empty() ? "" : " ") + token.text;
        ends.push_back(text.size());
    }
    std::size_t k = 0;
    for (const TextRange& sentence : breaks.sentences(text)) {
        while (k < ends.size() && ends[k] <= sentence.end)
            ++k;
        if (k > 0)
            tokens[k - 1].sentenceEnd = true;
    }
}

// ---- Alignment ----

// One step of the alignment: script tokens [script, script + scriptCount) were spoken as spoken words
// [spokenBegin, spokenEnd). Either side may be several words: "well-known" spoken as "well" "known", or
// "can not" spoken as "cannot".
struct Match {
    std::size_t script = 0;
    std::size_t scriptCount = 0;
    std::size_t spokenBegin = 0;
    std::size_t spokenEnd = 0;
};

constexpr std::size_t kMaxSpokenPieces = 6; // espeak splits "1/2" into "1" "/" "2"
constexpr std::size_t kMaxScriptPieces = 3;
// The alignment runs over windows of the script so that memory stays linear in its length.
constexpr std::size_t kWindow = 256;

// Longest-common-subsequence style alignment of script keys [s0, s1) with spoken keys [p0, p1): each matched
// script token scores 2, skipping a word on either side scores nothing. Ties go to matches.
std::vector<Match> alignWindow(const std::vector<std::string>& script, std::size_t s0, std::size_t s1,
                               const std::vector<std::string>& spoken, std::size_t p0, std::size_t p1) {
    const std::size_t rows = s1 - s0 + 1;
    const std::size_t cols = p1 - p0 + 1;
    std::vector<int> score(rows * cols, 0);
    std::vector<std::uint8_t> step(rows * cols, 0); // (script words consumed << 4) | spoken words consumed
    const auto at = [cols](std::size_t i, std::size_t j) { return i * cols + j; };
    for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t j = 0; j < cols; ++j) {
            if (i == 0 && j == 0)
                continue;
            int best = -1;
            std::uint8_t bestStep = 0;
            const auto consider = [&](int value, std::size_t di, std::size_t dj) {
                if (value > best) {
                    best = value;
                    bestStep = static_cast<std::uint8_t>((di << 4) | dj);
                }
            };
            // One script word spoken as several pieces, or several script words spoken as one; compared
            // back to front without building the joined strings.
            if (i > 0 && j > 0 && !spoken[p0 + j - 1].empty()) {
                const std::string& key = script[s0 + i - 1];
                std::size_t remaining = key.size();
                for (std::size_t k = 1; k <= std::min(kMaxSpokenPieces, j); ++k) {
                    const std::string& piece = spoken[p0 + j - k];
                    if (piece.size() > remaining ||
                        key.compare(remaining - piece.size(), piece.size(), piece) != 0)
                        break;
                    remaining -= piece.size();
                    if (remaining == 0 && !piece.empty() && !key.empty())
                        consider(score[at(i - 1, j - k)] + 2, 1, k);
                }
                const std::string& word = spoken[p0 + j - 1];
                remaining = word.size();
                for (std::size_t k = 1; k <= std::min(kMaxScriptPieces, i); ++k) {
                    const std::string& piece = script[s0 + i - k];
                    if (piece.empty() || piece.size() > remaining ||
                        word.compare(remaining - piece.size(), piece.size(), piece) != 0)
                        break;
                    remaining -= piece.size();
                    if (remaining == 0 && k > 1)
                        consider(score[at(i - k, j - 1)] + 2 * int(k), k, 1);
                }
            }
            if (i > 0)
                consider(score[at(i - 1, j)], 1, 0);
            if (j > 0)
                consider(score[at(i, j - 1)], 0, 1);
            score[at(i, j)] = best;
            step[at(i, j)] = bestStep;
        }
    }
    // Many alignments score the same when the script repeats itself; the one that ends earliest in the spoken
    // words is right for the first half of a window, which is all that is kept of it.
    std::size_t end = cols - 1;
    while (end > 0 && score[at(rows - 1, end - 1)] == score[at(rows - 1, cols - 1)])
        --end;
    std::vector<Match> matches;
    for (std::size_t i = rows - 1, j = end; i > 0 || j > 0;) {
        const std::size_t di = step[at(i, j)] >> 4;
        const std::size_t dj = step[at(i, j)] & 0xF;
        if (di > 0 && dj > 0)
            matches.push_back({s0 + i - di, di, p0 + j - dj, p0 + j});
        i -= di;
        j -= dj;
    }
    std::reverse(matches.begin(), matches.end());
    return matches;
}

std::vector<Match> alignKeys(const std::vector<std::string>& script, const std::vector<std::string>& spoken) {
    std::vector<Match> all;
    std::size_t s0 = 0;
    std::size_t p0 = 0;
    while (s0 < script.size()) {
        const std::size_t s1 = std::min(script.size(), s0 + kWindow);
        const bool last = s1 == script.size();
        // Room for expansions ("1/2/2024" is seven spoken words) in the half of the window that is kept.
        const std::size_t p1 = std::min(spoken.size(), p0 + 2 * (s1 - s0) + 64);
        // Only the first half of a window is kept; the second half is aligned again with more context.
        const std::size_t cut = last ? s1 : s0 + (s1 - s0) / 2;
        std::size_t next = cut;
        for (const Match& match : alignWindow(script, s0, s1, spoken, p0, p1)) {
            if (match.script >= cut)
                break;
            all.push_back(match);
            next = std::max(next, match.script + match.scriptCount);
            p0 = match.spokenEnd;
        }
        s0 = next;
    }
    return all;
}

// Shares [start, end] among `tokens` in proportion to their length, so longer words get longer.
void spread(std::vector<CaptionWord>& words, const std::vector<ScriptToken>& tokens, std::size_t begin,
            std::size_t end, double from, double to) {
    double total = 0.0;
    for (std::size_t i = begin; i < end; ++i)
        total += double(std::max<std::size_t>(1, CodePoints::count(tokens[i].key)));
    double at = from;
    for (std::size_t i = begin; i < end; ++i) {
        words[i].start = at;
        at = i + 1 == end
                 ? to
                 : at + (to - from) * double(std::max<std::size_t>(1, CodePoints::count(tokens[i].key))) /
                            total;
        words[i].end = at;
    }
}

// The script's words with the synthesiser's timing. Script words that were spoken differently ("$5" as
// "five dollars", "3" as "three") or not at all take the time of the unmatched spoken words between their
// matched neighbours, or the pause between those neighbours.
std::vector<CaptionWord> align(const std::vector<Word>& spoken, const std::vector<ScriptToken>& tokens) {
    std::vector<std::string> scriptKeys;
    for (const ScriptToken& token : tokens)
        scriptKeys.push_back(token.key);
    std::vector<std::string> spokenKeys;
    for (const Word& word : spoken)
        spokenKeys.push_back(matchKey(word.text));
    std::vector<Match> matches = alignKeys(scriptKeys, spokenKeys);
    matches.push_back({tokens.size(), 0, spoken.size(), spoken.size()}); // sentinel: the end of both

    std::vector<CaptionWord> words(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i)
        words[i].text = tokens[i].text;
    std::optional<std::size_t> previous; // last token of the previous match
    std::size_t scriptDone = 0;
    std::size_t spokenDone = 0;
    for (const Match& match : matches) {
        const bool sentinel = match.scriptCount == 0;
        if (!sentinel) {
            if (match.scriptCount > 1)
                spread(words, tokens, match.script, match.script + match.scriptCount,
                       spoken[match.spokenBegin].start, spoken[match.spokenBegin].end);
            else {
                words[match.script].start = spoken[match.spokenBegin].start;
                words[match.script].end = spoken[match.spokenEnd - 1].end;
            }
        }
        const std::optional<std::size_t> next = sentinel ? std::nullopt : std::optional(match.script);
        const std::size_t unmatched = match.script - scriptDone;
        const std::size_t skipped = match.spokenBegin - spokenDone;
        if (unmatched == 0 && skipped > 0) {
            // Spoken words with no script word of their own: most often the tail of an expansion.
            if (previous)
                words[*previous].end = std::max(words[*previous].end, spoken[match.spokenBegin - 1].end);
            else if (next)
                words[*next].start = std::min(words[*next].start, spoken[spokenDone].start);
        } else if (unmatched > 0 && unmatched == skipped) {
            for (std::size_t k = 0; k < unmatched; ++k) {
                words[scriptDone + k].start = spoken[spokenDone + k].start;
                words[scriptDone + k].end = spoken[spokenDone + k].end;
            }
        } else if (unmatched > 0) {
            double from = previous ? words[*previous].end : next ? words[*next].start : 0.0;
            double to = next ? words[*next].start : from;
            if (skipped > 0) {
                from = spoken[spokenDone].start;
                to = spoken[match.spokenBegin - 1].end;
            }
            spread(words, tokens, scriptDone, match.script, from, std::max(from, to));
        }
        if (!sentinel) {
            previous = match.script + match.scriptCount - 1;
            scriptDone = match.script + match.scriptCount;
            spokenDone = match.spokenEnd;
        }
    }
    return words;
}

// Synthesiser timelines are ordered already; this guards the guesses above and odd input.
void makeMonotone(std::vector<CaptionWord>& words) {
    double earliest = 0.0;
    for (CaptionWord& word : words) {
        word.start = std::max(word.start, earliest);
        word.end = std::max(word.end, word.start);
        earliest = word.start;
    }
}

// ---- Breaking into cues and lines ----

// What kind of place the gap after a word is to break at, best first.
enum class Boundary { Sentence, Clause, Conjunction, Plain, Weak };

// Words a new cue or line may start with: a break before them falls between phrases.
constexpr std::array<std::string_view, 14> kConjunctions = {
    "and", "but", "or", "so", "because", "that", "which", "with", "to", "of", "in", "for", "on", "at"};
bool contains(const auto& list, std::string_view key) {
    return std::find(list.begin(), list.end(), key) != list.end();
}

// The last code point of `text`, looking through closing quotes and brackets.
char32_t lastMark(std::string_view text) {
    for (std::size_t end = text.size(); end > 0;) {
        const char32_t c = CodePoints::before(text, end, end);
        const bool closer = c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' || c == '*' ||
                            c == 0x201D || c == 0x2019 || c == 0xBB;
        if (!closer)
            return c;
    }
    return 0;
}

struct WordInfo {
    int chars = 0;                    // columns (wide characters count two)
    int gap = 1;                      // columns between this word and the next: 1, or 0 inside a CJK run
    Boundary after = Boundary::Plain; // the break between this word and the next
    bool forcedAfter = false;         // a long pause follows: a cue must end here
};

// Whether the first letter or digit of `text` is a lower-case letter: "what" after "Wait..." continues the
// sentence.
bool startsLowerCase(std::string_view text) {
    for (const char c : text) {
        if (isAsciiAlnum(char32_t(c)))
            return c >= 'a' && c <= 'z';
    }
    return false;
}

Boundary boundaryAfter(const ScriptToken& token, const ScriptToken* next) {
    if (token.sentenceEnd || token.lineBreakAfter)
        return Boundary::Sentence;
    const char32_t mark = lastMark(token.text);
    // A full stop that ends no sentence: before a lower-case word a pause ("Wait... what?"), otherwise an
    // abbreviation ("Dr. Smith"), after which a break leaves the reader hanging.
    const bool stop = mark == '!' || mark == '?' || mark == 0x2026 || mark == '.' || mark == 0x3002 ||
                      mark == 0xFF01 || mark == 0xFF1F || mark == 0xFF0E;
    if ((stop && next && startsLowerCase(next->text)) || mark == ',' || mark == ';' || mark == ':' ||
        mark == '-' || mark == 0x2013 || mark == 0x2014 || mark == 0xFF0C || mark == 0x3001 ||
        mark == 0xFF1B || mark == 0xFF1A)
        return Boundary::Clause;
    if (next && contains(kConjunctions, next->key))
        return Boundary::Conjunction;
    // Ending a line on "the" or "to" leaves the reader hanging.
    if (stop || contains(kConjunctions, token.key) || token.key == "a" || token.key == "an" ||
        token.key == "the")
        return Boundary::Weak;
    return Boundary::Plain;
}

// Costs, in characters of line imbalance. A line break may trade up to about 20 characters of balance for a
// phrase boundary; cue breaks care more about the boundary, since a cue break is a longer interruption.
double lineBreakCost(Boundary boundary) {
    constexpr std::array<double, 5> kCost = {0, 6, 12, 24, 34};
    return kCost[static_cast<std::size_t>(boundary)];
}
double cueBreakCost(Boundary boundary) {
    constexpr std::array<double, 5> kCost = {0, 20, 40, 80, 100};
    return kCost[static_cast<std::size_t>(boundary)];
}
constexpr double kOrphanLine = 40;     // a line of one word when the cue has words to spare
constexpr double kOrphanCue = 60;      // a cue of one word
constexpr double kCueCost = 15;        // every cue: prefer fewer, fuller cues
constexpr double kSentenceInLine = 40; // a sentence ends inside a line of the cue
constexpr double kSentenceAtLine = 25; // a sentence ends at a line break inside the cue
// Synthesisers pause at punctuation (Flite about 0.1 s at a comma) and run words together otherwise, so a
// pause marks a phrase boundary even where the script has no punctuation (or was not given).
constexpr double kPhrasePause = 0.09;

struct Layout {
    bool fits = false;
    double cost = 0.0;
    std::vector<std::size_t> lineStarts; // indices into the words
};

class Breaker {
public:
    Breaker(const CaptionBuilder::Options& options, const std::vector<WordInfo>& info)
        : m_options(options), m_info(info) {}

    // The best way to set words [a, b) in as few lines as they need (at most maxLines), or !fits.
    Layout layout(std::size_t a, std::size_t b) const {
        const int maxChars = m_options.maxLineChars;
        int lines = 0;
        int width = 0;
        int total = 0;
        for (std::size_t k = a; k < b; ++k) {
            const int chars = m_info[k].chars;
            const int gap = k > a ? m_info[k - 1].gap : 0;
            total += chars + gap;
            if (lines > 0 && width + gap + chars <= maxChars) {
                width += gap + chars;
            } else {
                ++lines;
                width = chars;
            }
        }
        Layout result;
        if (lines > m_options.maxLines)
            return result;
        result.fits = true;
        if (lines <= 1) {
            result.lineStarts = {a};
            return result;
        }
        // Exactly `lines` lines, each as close to the average width as the phrase boundaries allow.
        const std::size_t count = b - a;
        const double average = double(total) / lines;
        constexpr double kInfinity = std::numeric_limits<double>::infinity();
        std::vector<std::vector<double>> cost(lines + 1, std::vector<double>(count + 1, kInfinity));
        std::vector<std::vector<std::size_t>> from(lines + 1, std::vector<std::size_t>(count + 1, 0));
        cost[0][0] = 0.0;
        for (int line = 1; line <= lines; ++line) {
            for (std::size_t end = 1; end <= count; ++end) {
                int lineWidth = 0;
                for (std::size_t start = end; start-- > 0;) {
                    lineWidth += m_info[a + start].chars + (start + 1 < end ? m_info[a + start].gap : 0);
                    if (lineWidth > maxChars && start + 1 < end)
                        break;
                    if (cost[line - 1][start] == kInfinity)
                        continue;
                    double value = cost[line - 1][start] + std::abs(lineWidth - average);
                    if (end - start == 1 && count > std::size_t(lines))
                        value += kOrphanLine;
                    if (end < count)
                        value += lineBreakCost(m_info[a + end - 1].after);
                    if (value < cost[line][end]) {
                        cost[line][end] = value;
                        from[line][end] = start;
                    }
                }
            }
        }
        result.cost = cost[lines][count];
        result.lineStarts.resize(lines);
        for (std::size_t line = lines, end = count; line > 0; --line) {
            end = from[line][end];
            result.lineStarts[line - 1] = a + end;
        }
        return result;
    }

    double cueCost(std::size_t a, std::size_t b, const Layout& layout) const {
        double cost = kCueCost + layout.cost;
        if (b < m_info.size() && !m_info[b - 1].forcedAfter)
            cost += cueBreakCost(m_info[b - 1].after);
        if (b - a == 1 && m_info.size() > 1)
            cost += kOrphanCue;
        for (std::size_t k = a; k + 1 < b; ++k) {
            if (m_info[k].after != Boundary::Sentence)
                continue;
            const bool atLineBreak = std::find(layout.lineStarts.begin(), layout.lineStarts.end(), k + 1) !=
                                     layout.lineStarts.end();
            cost += atLineBreak ? kSentenceAtLine : kSentenceInLine;
        }
        return cost;
    }

    // Cue boundaries as [a, b) ranges: a shortest-path search over the places a cue may end.
    std::vector<std::pair<std::size_t, std::size_t>> cues(const std::vector<CaptionWord>& words) const {
        const std::size_t n = words.size();
        std::vector<double> best(n + 1, std::numeric_limits<double>::infinity());
        std::vector<std::size_t> from(n + 1, 0);
        best[0] = 0.0;
        for (std::size_t b = 1; b <= n; ++b) {
            for (std::size_t a = b; a-- > 0;) {
                // Each limit only gets worse as the cue grows backwards, so the first violation ends the
                // search.
                if (a + 1 < b && m_info[a].forcedAfter)
                    break;
                if (a + 1 < b && words[b - 1].end - words[a].start > m_options.maxCueSeconds)
                    break;
                const Layout lines = layout(a, b);
                if (!lines.fits)
                    break;
                const double value = best[a] + cueCost(a, b, lines);
                if (value < best[b]) {
                    best[b] = value;
                    from[b] = a;
                }
            }
        }
        std::vector<std::pair<std::size_t, std::size_t>> ranges;
        for (std::size_t b = n; b > 0; b = from[b])
            ranges.emplace_back(from[b], b);
        std::reverse(ranges.begin(), ranges.end());
        return ranges;
    }

private:
    const CaptionBuilder::Options& m_options;
    const std::vector<WordInfo>& m_info;
};

// Makes the cues readable in time: at least minCueSeconds where the silence around allows (after the cue
// first, then before it), never overlapping, and each start < end.
void fixTiming(std::vector<CaptionCue>& cues, double minSeconds) {
    constexpr double kTick = 0.001; // one millisecond, the resolution of SRT and WebVTT
    for (std::size_t i = 0; i + 1 < cues.size(); ++i) {
        if (cues[i + 1].start < cues[i].end)
            cues[i].end = std::max(cues[i].start, cues[i + 1].start);
    }
    for (std::size_t i = 0; i < cues.size(); ++i) {
        CaptionCue& cue = cues[i];
        cue.start = std::max(0.0, cue.start);
        if (cue.end - cue.start >= minSeconds)
            continue;
        const double limit =
            i + 1 < cues.size() ? cues[i + 1].start : std::numeric_limits<double>::infinity();
        cue.end = std::max(cue.end, std::min(cue.start + minSeconds, limit));
        const double earliest = i > 0 ? cues[i - 1].end : 0.0;
        cue.start = std::min(cue.start, std::max(earliest, cue.end - minSeconds));
    }
    for (std::size_t i = 0; i < cues.size(); ++i) {
        if (cues[i].end < cues[i].start + kTick) {
            cues[i].end = cues[i].start + kTick;
            if (i + 1 < cues.size() && cues[i + 1].start < cues[i].end)
                cues[i + 1].start = cues[i].end;
        }
    }
}

std::string joinWords(const std::vector<CaptionWord>& words, const std::vector<WordInfo>& info,
                      std::size_t begin, std::size_t end) {
    std::string line;
    for (std::size_t k = begin; k < end; ++k)
        line += (k > begin && info[k - 1].gap > 0 ? " " : "") + words[k].text;
    return line;
}

} // namespace

CaptionBuilder::CaptionBuilder(const Options& options) : m_options(options) {
    m_options.maxLineChars = std::max(1, m_options.maxLineChars);
    m_options.maxLines = std::max(1, m_options.maxLines);
    m_options.minCueSeconds = std::max(0.0, m_options.minCueSeconds);
    m_options.maxCueSeconds = std::max(m_options.minCueSeconds, m_options.maxCueSeconds);
    m_options.gapSplit = std::max(0.0, m_options.gapSplit);
}

std::vector<CaptionCue> CaptionBuilder::build(const std::vector<Word>& spoken,
                                              const std::string& scriptText) const {
    TextBreaks breaks;
    std::vector<ScriptToken> tokens = tokenize(scriptText, breaks);
    std::vector<CaptionWord> words;
    if (tokens.empty()) {
        // No script to show: the spoken words are the captions (without any that are only punctuation).
        for (const Word& word : spoken) {
            std::string key = matchKey(word.text);
            if (key.empty())
                continue;
            if (word.text.front() == '\'' && !words.empty()) {
                // Flite speaks "Smith's" as "smith" "'s".
                tokens.back().text += word.text;
                tokens.back().key += key;
                words.back().text += word.text;
                words.back().end = std::max(words.back().end, word.end);
                continue;
            }
            tokens.push_back({word.text, std::move(key)});
            words.push_back({word.text, word.start, word.end});
        }
        markSentenceEnds(tokens, breaks);
    } else if (!spoken.empty()) {
        words = align(spoken, tokens);
    }
    if (words.empty())
        return {};
    makeMonotone(words);

    std::vector<WordInfo> info(words.size());
    for (std::size_t k = 0; k < words.size(); ++k) {
        info[k].chars = breaks.columns(words[k].text);
        info[k].gap = tokens[k].joinNext ? 0 : 1;
        info[k].after = boundaryAfter(tokens[k], k + 1 < tokens.size() ? &tokens[k + 1] : nullptr);
        const double pause = k + 1 < words.size() ? words[k + 1].start - words[k].end : 0.0;
        info[k].forcedAfter = pause > m_options.gapSplit;
        if (pause >= kPhrasePause &&
            (info[k].after == Boundary::Plain || info[k].after == Boundary::Conjunction))
            info[k].after = Boundary::Clause;
    }
    const Breaker breaker(m_options, info);
    std::vector<CaptionCue> cues;
    for (const auto& [a, b] : breaker.cues(words)) {
        CaptionCue cue;
        cue.start = words[a].start;
        cue.end = words[b - 1].end;
        cue.words.assign(words.begin() + std::ptrdiff_t(a), words.begin() + std::ptrdiff_t(b));
        const Layout lines = breaker.layout(a, b);
        for (std::size_t line = 0; line < lines.lineStarts.size(); ++line) {
            const std::size_t end = line + 1 < lines.lineStarts.size() ? lines.lineStarts[line + 1] : b;
            cue.lines.push_back(joinWords(words, info, lines.lineStarts[line], end));
        }
        cues.push_back(std::move(cue));
    }
    fixTiming(cues, m_options.minCueSeconds);
    return cues;
}

} // namespace avatar
