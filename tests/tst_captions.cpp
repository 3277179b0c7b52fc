#include "captions/Caption.h"
#include "captions/SubtitleWriter.h"
#include "core/Error.h"
#include "tts/Speech.h"
#include "tts/TextToSpeech.h"

#include <QtTest>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using avatar::CaptionBuilder;
using avatar::CaptionCue;
using avatar::CaptionWord;
using avatar::ErrorCode;
using avatar::SubtitleWriter;
using avatar::Word;

namespace {

constexpr double kWordSeconds = 0.3;

QByteArray qb(const std::string& text) {
    return QByteArray::fromStdString(text);
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> words;
    std::istringstream stream(text);
    for (std::string word; stream >> word;)
        words.push_back(word);
    return words;
}

// Spoken words as a synthesiser would time them: each lasts kWordSeconds, back to back. "|" inserts a short
// pause (0.3 s, below gapSplit) and "||" a long one (1 s).
std::vector<Word> timed(const std::string& spoken) {
    std::vector<Word> words;
    double at = 0.0;
    for (const std::string& token : split(spoken)) {
        if (token == "|" || token == "||") {
            at += token == "|" ? 0.3 : 1.0;
            continue;
        }
        words.push_back({token, at, at + kWordSeconds});
        at += kWordSeconds;
    }
    return words;
}

// What Flite makes of a script: lower case, no punctuation.
std::string flitish(const std::string& script) {
    std::string out;
    for (const char c : script) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == ' ')
            out += char(std::tolower(static_cast<unsigned char>(c)));
        else if (c == '-')
            out += ' ';
    }
    return out;
}

int codePoints(const std::string& text) {
    int count = 0;
    for (const char c : text)
        count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return count;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator = " ") {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i > 0 ? separator : "") + parts[i];
    return out;
}

std::vector<std::string> texts(const std::vector<CaptionWord>& words) {
    std::vector<std::string> out;
    for (const CaptionWord& word : words)
        out.push_back(word.text);
    return out;
}

std::vector<std::string> allWords(const std::vector<CaptionCue>& cues) {
    std::vector<std::string> out;
    for (const CaptionCue& cue : cues) {
        for (const CaptionWord& word : cue.words)
            out.push_back(word.text);
    }
    return out;
}

QByteArray describe(const std::vector<CaptionCue>& cues) {
    QByteArray out;
    for (const CaptionCue& cue : cues)
        out += QByteArray::number(cue.start, 'f', 3) + "-" + QByteArray::number(cue.end, 'f', 3) + " [" +
               qb(join(cue.lines, " / ")) + "] ";
    return out;
}

// The invariants every set of cues keeps. Callers check QTest::currentTestFailed() afterwards.
void verifyCues(const std::vector<CaptionCue>& cues, const CaptionBuilder::Options& options = {}) {
    const QByteArray all = describe(cues);
    double previousEnd = 0.0;
    for (const CaptionCue& cue : cues) {
        QVERIFY2(cue.start < cue.end, all.constData());
        QVERIFY2(cue.start >= previousEnd - 1e-9, all.constData());
        QVERIFY2(!cue.lines.empty() && int(cue.lines.size()) <= options.maxLines, all.constData());
        for (const std::string& line : cue.lines) {
            const bool oneWord = line.find(' ') == std::string::npos;
            QVERIFY2(oneWord || codePoints(line) <= options.maxLineChars,
                     (qb(line) + " in " + all).constData());
        }
        QCOMPARE(qb(join(cue.lines)), qb(join(texts(cue.words))));
        QVERIFY(!cue.words.empty());
        if (cue.words.size() > 1)
            QVERIFY2(cue.words.back().end - cue.words.front().start <= options.maxCueSeconds + 1e-9,
                     all.constData());
        for (const CaptionWord& word : cue.words)
            QVERIFY2(word.start >= cue.start - 1e-9 && word.end <= cue.end + 1e-9, all.constData());
        previousEnd = cue.end;
    }
}

std::vector<CaptionCue> buildFor(const std::string& script, const CaptionBuilder::Options& options = {}) {
    return CaptionBuilder(options).build(timed(flitish(script)), script);
}

// The UTF-8 characters of `text`, each as its bytes.
std::vector<std::string> characters(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t pos = 0; pos < text.size();) {
        const auto lead = static_cast<unsigned char>(text[pos]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        out.push_back(text.substr(pos, length));
        pos += length;
    }
    return out;
}

// Cues of one line of `columns` for a script the synthesiser said as `count` unrelated words of 0.25 s:
// only the script's own places to break count.
std::vector<CaptionCue> oneLineCues(const std::string& script, int count, int columns) {
    std::vector<Word> spoken;
    for (int i = 0; i < count; ++i)
        spoken.push_back({"x", 0.25 * i, 0.25 * i + 0.25});
    CaptionBuilder::Options narrow;
    narrow.maxLineChars = columns;
    narrow.maxLines = 1;
    return CaptionBuilder(narrow).build(spoken, script);
}

std::string withoutSpaces(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
    return text;
}

struct ParsedCue {
    double start = 0.0;
    double end = 0.0;
    std::vector<std::string> lines;
};

bool parseTime(const std::string& text, char separator, double& seconds) {
    int h = 0, m = 0, s = 0, ms = 0;
    char sep = 0;
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%2d:%2d:%2d%c%3d%n", &h, &m, &s, &sep, &ms, &consumed) != 5 ||
        consumed != 12 || text.size() != 12 || sep != separator)
        return false;
    seconds = h * 3600.0 + m * 60.0 + s + ms / 1000.0;
    return true;
}

// A strict reader for what SubtitleWriter writes: blocks separated by one blank line; SRT blocks start with
// their 1-based number; then "start --> end" and the text lines. Returns false on any deviation.
bool parseSubtitles(const std::string& text, bool webVtt, std::vector<ParsedCue>& cues) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        if (end == std::string::npos)
            return false; // every line ends with "\n"
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    std::size_t i = 0;
    if (webVtt) {
        if (lines.size() < 2 || lines[0] != "WEBVTT" || !lines[1].empty())
            return false;
        i = 2;
    }
    const char separator = webVtt ? '.' : ',';
    while (i < lines.size()) {
        if (!webVtt && lines[i++] != std::to_string(cues.size() + 1))
            return false;
        if (i >= lines.size())
            return false;
        const std::string& times = lines[i++];
        ParsedCue cue;
        if (times.size() != 29 || times.substr(12, 5) != " --> " ||
            !parseTime(times.substr(0, 12), separator, cue.start) ||
            !parseTime(times.substr(17), separator, cue.end))
            return false;
        while (i < lines.size() && !lines[i].empty())
            cue.lines.push_back(lines[i++]);
        if (cue.lines.empty() || i >= lines.size())
            return false; // a cue has text and ends with a blank line
        ++i;
        cues.push_back(cue);
    }
    return true;
}

std::string unescapeVtt(std::string text) {
    for (const auto& [entity, plain] :
         {std::pair<std::string, std::string>{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
        for (std::size_t pos = 0; (pos = text.find(entity, pos)) != std::string::npos; pos += plain.size())
            text.replace(pos, entity.size(), plain);
    }
    return text;
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
}

const std::string kParagraph =
    "Welcome to the studio. Today we will look at how captions are made from the words a synthesiser speaks, "
    "and why the places where they break matter so much to the people who read them. Good captions are "
    "short, "
    "they are balanced, and they end where a thought ends. Long sentences without any punctuation at all "
    "still "
    "have to be broken somewhere sensible so that nobody has to read a wall of text while the presenter "
    "keeps "
    "talking about something else entirely. That is all!";

const std::string kAva = "Hello there, my name is Ava. Please watch my lips move while I speak.";

} // namespace

class TstCaptions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void wideCharactersTakeTwoColumns();
    void graphemesStayWhole();
    void thaiBreaksBetweenWords();
    void chineseBreaksBetweenCharacters();
    void onlyBreakTagsAreMarkup();
    void limitsOnLongParagraph();
    void prefersSentenceEnds();
    void prefersClauseBoundaries();
    void breaksBeforeConjunctions();
    void balancedLines();
    void lineBreakAtPhraseNearestMiddle();
    void noOrphans();
    void abbreviationsAndQuotes();
    void longWordStaysWhole();
    void alignmentRestoresScript();
    void alignmentExpansions_data();
    void alignmentExpansions();
    void longScriptAlignsAcrossWindows();
    void unrelatedScriptStillTimed();
    void tagsAreIgnored();
    void withoutScript();
    void nothingSpoken();
    void longPauseEndsCue();
    void maxCueSeconds();
    void minDurationExtension();
    void extensionStopsAtNextCue();
    void srtFormat();
    void vttFormat();
    void roundTrip_data();
    void roundTrip();
    void sidecar_data();
    void sidecar();
    void writeIsAtomic();
    void writeThroughSymlink();
    void writeFailsForMissingFolder();
    void writeFailsOntoFolder();
    void realSpeech_data();
    void realSpeech();

private:
    avatar::TextToSpeech m_tts;
};

// Bopomofo and Hangul letters are East-Asian wide (ICU's UCHAR_EAST_ASIAN_WIDTH): two columns each, so a
// 10-column line holds two of these words (4 + 1 + 4), not three.
void TstCaptions::wideCharactersTakeTwoColumns() {
    const std::string script = "ㄅㄆ ㄱㄴ ㄇㄈ ㄷㄹ ㄉㄊ ㅁㅂ";
    CaptionBuilder::Options narrow;
    narrow.maxLineChars = 10;
    narrow.maxLines = 1;
    const std::vector<CaptionCue> cues = CaptionBuilder(narrow).build(timed(script), script);
    QCOMPARE(qb(join(allWords(cues))), qb(script));
    for (const CaptionCue& cue : cues) {
        const std::string& line = cue.lines.front();
        const int wide = int(characters(withoutSpaces(line)).size());
        const int columns = 2 * wide + int(std::count(line.begin(), line.end(), ' '));
        QVERIFY2(columns <= narrow.maxLineChars, describe(cues).constData());
    }
    QCOMPARE(cues.size(), std::size_t(3));
}

// Japanese written with combining sound marks (か + U+3099, half-width ｶ + U+FF9E) and an emoji family (a
// ZWJ sequence) between Chinese characters: lines break between characters as a reader sees them, never
// between a letter and its mark or inside the emoji.
void TstCaptions::graphemesStayWhole() {
    const std::string voiced = "\xE3\x82\x99";     // U+3099
    const std::string halfVoiced = "\xEF\xBE\x9E"; // U+FF9E
    const std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
    const std::string script = "か" + voiced + "き" + voiced + "く" + voiced + "け" + voiced + "こ" + voiced +
                               "ｶ" + halfVoiced + "ｷ" + halfVoiced + "ｸ" + halfVoiced + "中文" + family +
                               "中文";
    const std::vector<CaptionCue> cues = oneLineCues(script, 12, 4);
    QVERIFY(cues.size() > 3);
    std::string joined;
    for (const CaptionCue& cue : cues) {
        for (const CaptionWord& word : cue.words) {
            QVERIFY2(word.text.rfind(voiced, 0) != 0 && word.text.rfind(halfVoiced, 0) != 0,
                     describe(cues).constData());
            // Nothing starts with the joiner or a later member of the family; the family's first member
            // brings the whole family.
            for (const char* inside : {"\xE2\x80\x8D", "\xF0\x9F\x91\xA9", "\xF0\x9F\x91\xA7"})
                QVERIFY2(word.text.rfind(inside, 0) != 0, describe(cues).constData());
            QVERIFY2(word.text.find(family.substr(0, 4)) == std::string::npos ||
                         word.text.find(family) != std::string::npos,
                     describe(cues).constData());
        }
        joined += join(cue.lines, "");
    }
    QCOMPARE(qb(joined), qb(script));
}

// Thai is written without spaces between words: ICU's line breaking (its Thai dictionary) finds the words, so
// a long Thai sentence is set in several lines rather than as one unbreakable word. Vowel and tone marks
// above and below take no column of their own.
void TstCaptions::thaiBreaksBetweenWords() {
    const std::string script = "สวัสดีครับผมชื่อสมชายวันนี้อากาศดีมากเราจะไปเที่ยวทะเลกัน";
    CaptionBuilder::Options narrow;
    narrow.maxLineChars = 16;
    const std::vector<CaptionCue> cues = oneLineCues(script, 10, narrow.maxLineChars);
    QVERIFY2(cues.size() >= 3, describe(cues).constData());
    std::string joined;
    for (const CaptionCue& cue : cues) {
        const std::string& line = cue.lines.front();
        int columns = 0;
        for (const std::string& c : characters(line)) {
            // U+0E00 + the low 8 bits: every character here is Thai, three bytes of UTF-8.
            const unsigned code = ((unsigned(c[1]) & 0x3F) << 6 | (unsigned(c[2]) & 0x3F)) & 0xFF;
            const bool mark =
                code == 0x31 || (code >= 0x34 && code <= 0x3A) || (code >= 0x47 && code <= 0x4E);
            columns += mark ? 0 : 1;
        }
        QVERIFY2(columns <= narrow.maxLineChars, describe(cues).constData());
        joined += line;
    }
    QCOMPARE(qb(joined), qb(script));
}

// Chinese has no spaces: espeak-ng times every character as a word. Lines may break between any two
// characters (21 wide characters fill 42 columns), never before closing punctuation, and no space is added.
void TstCaptions::chineseBreaksBetweenCharacters() {
    const std::string script =
        "你好，我是你的虚拟主持人。今天我们来谈谈人工智能，以及它如何改变我们每天的工作和生活方式。"
        "这是AI时代。";
    std::vector<Word> spoken;
    double at = 0.0;
    for (std::size_t pos = 0; pos < script.size();) {
        std::size_t length = 1;
        const unsigned char lead = static_cast<unsigned char>(script[pos]);
        length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        const std::string ch = script.substr(pos, length);
        pos += length;
        // espeak speaks the letters of "AI" as one word and skips the punctuation.
        if (ch == "，" || ch == "。")
            continue;
        if (ch == "A" || ch == "I") {
            if (ch == "A")
                spoken.push_back({"AI", at, at + 0.4});
            at += ch == "A" ? 0.4 : 0.0;
            continue;
        }
        spoken.push_back({ch, at, at + 0.22});
        at += 0.22;
    }
    const std::vector<CaptionCue> cues = CaptionBuilder().build(spoken, script);
    QVERIFY(cues.size() >= 2);
    std::string joined;
    for (const CaptionCue& cue : cues) {
        QVERIFY(cue.lines.size() <= 2);
        for (const std::string& line : cue.lines) {
            QVERIFY2(line.find(' ') == std::string::npos, line.c_str());
            // 3 bytes per CJK character here: at most 21 of them (plus the two ASCII letters).
            QVERIFY2(line.size() <= 21 * 3 + 2, line.c_str());
            QVERIFY2(line.rfind("，", 0) != 0 && line.rfind("。", 0) != 0, line.c_str());
            joined += line;
        }
    }
    QCOMPARE(QString::fromStdString(joined), QString::fromStdString(script));
    // The first sentence is a cue of its own: it ends at "。".
    QCOMPARE(QString::fromStdString(cues.front().lines.back()).right(1), QStringLiteral("。"));
}

void TstCaptions::limitsOnLongParagraph() {
    const std::vector<CaptionCue> cues = buildFor(kParagraph);
    verifyCues(cues);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(qb(join(allWords(cues))), qb(join(split(kParagraph))));
    QVERIFY2(cues.size() >= 6, describe(cues).constData());
    // Tighter limits are kept too.
    CaptionBuilder::Options narrow;
    narrow.maxLineChars = 20;
    narrow.maxLines = 1;
    narrow.maxCueSeconds = 2.0;
    const std::vector<CaptionCue> small = buildFor(kParagraph, narrow);
    verifyCues(small, narrow);
    QCOMPARE(qb(join(allWords(small))), qb(join(split(kParagraph))));
}

void TstCaptions::prefersSentenceEnds() {
    // Together they need more than two lines, so they cannot share a cue; greedy filling would carry the
    // start of the second sentence into the first cue.
    const std::string first = "The first sentence is long enough to need two lines here.";
    const std::string second = "The second one is also long enough to fill two lines.";
    const std::vector<CaptionCue> cues = buildFor(first + " " + second);
    verifyCues(cues);
    QCOMPARE(cues.size(), std::size_t(2));
    QCOMPARE(qb(join(cues[0].lines)), qb(first));
    QCOMPARE(qb(join(cues[1].lines)), qb(second));
    // A short sentence gets a cue of its own rather than sharing a line with the next one.
    const std::vector<CaptionCue> shortFirst =
        buildFor("It works. Now we can move on to the next part of the talk.");
    verifyCues(shortFirst);
    QVERIFY2(shortFirst.size() == 2, describe(shortFirst).constData());
    QCOMPARE(qb(join(shortFirst[0].lines)), QByteArray("It works."));
    // Paragraph sentences never end in the middle of a line.
    for (const CaptionCue& cue : buildFor(kParagraph)) {
        for (const std::string& line : cue.lines) {
            const std::size_t stop = line.find_first_of(".!?");
            QVERIFY2(stop == std::string::npos || stop + 1 == line.size(), line.c_str());
        }
    }
}

void TstCaptions::prefersClauseBoundaries() {
    const std::string script = "When the presenter finishes the first half of this rather long sentence, the "
                               "captions should start a new cue right there and not somewhere else.";
    const std::vector<CaptionCue> cues = buildFor(script);
    verifyCues(cues);
    QCOMPARE(cues.size(), std::size_t(2));
    QCOMPARE(qb(cues[0].words.back().text), QByteArray("sentence,"));
}

void TstCaptions::breaksBeforeConjunctions() {
    const std::string script =
        "The captions must be broken just before a joining word because the reader then "
        "sees every phrase as one whole piece";
    const std::vector<CaptionCue> cues = buildFor(script);
    verifyCues(cues);
    QCOMPARE(cues.size(), std::size_t(2));
    QCOMPARE(qb(cues[1].words.front().text), QByteArray("because"));
}

void TstCaptions::balancedLines() {
    // 74 characters and no phrase boundary: greedy filling would give 42 + 31.
    const std::string script = "Seven quiet purple elephants marched slowly across the bright green meadow";
    const std::vector<CaptionCue> cues = buildFor(script);
    verifyCues(cues);
    QCOMPARE(cues.size(), std::size_t(1));
    QCOMPARE(cues[0].lines.size(), std::size_t(2));
    const int first = codePoints(cues[0].lines[0]);
    const int second = codePoints(cues[0].lines[1]);
    QVERIFY2(std::abs(first - second) <= 8, describe(cues).constData());
}

void TstCaptions::lineBreakAtPhraseNearestMiddle() {
    // Boundaries: after "there," (far from the middle) and before "and" (near it).
    const std::vector<CaptionCue> cues =
        buildFor("Hello there, my name is Ava and I will be your presenter today");
    verifyCues(cues);
    QCOMPARE(cues.size(), std::size_t(1));
    QCOMPARE(cues[0].lines.size(), std::size_t(2));
    QCOMPARE(qb(cues[0].lines[0]), QByteArray("Hello there, my name is Ava"));
    QCOMPARE(qb(cues[0].lines[1]), QByteArray("and I will be your presenter today"));
}

void TstCaptions::noOrphans() {
    // The clause boundary after the first word would leave it alone on the first line.
    for (const char* script : {"Well, I think your answer is probably right.",
                               "Unfortunately, nobody could find the keys today."}) {
        const std::vector<CaptionCue> cues = buildFor(script);
        verifyCues(cues);
        QCOMPARE(cues.size(), std::size_t(1));
        QCOMPARE(cues[0].lines.size(), std::size_t(2));
        for (const std::string& line : cues[0].lines)
            QVERIFY2(line.find(' ') != std::string::npos, describe(cues).constData());
    }
    // Neither a one-word sentence nor a last word after a clause boundary is left alone in a cue.
    for (const char* script :
         {"Okay. The presenter kept on talking about the weather in the high mountains during "
          "the long winter.",
          "The presenter kept on talking about the weather in the mountains during the winter, "
          "friends."}) {
        const std::vector<CaptionCue> cues = buildFor(script);
        verifyCues(cues);
        for (const CaptionCue& cue : cues)
            QVERIFY2(cue.words.size() > 1, describe(cues).constData());
    }
    // 94 characters: filling the first cue would leave "today." alone in the second.
    const std::vector<CaptionCue> cues =
        buildFor("Every single person in this room deserves a clear view of the "
                 "screen during the whole talk today.");
    verifyCues(cues);
    QVERIFY2(cues.size() == 2, describe(cues).constData());
    for (const CaptionCue& cue : cues) {
        QVERIFY2(cue.words.size() > 1, describe(cues).constData());
        for (const std::string& line : cue.lines)
            QVERIFY2(line.find(' ') != std::string::npos, describe(cues).constData());
    }
}

void TstCaptions::abbreviationsAndQuotes() {
    // Narrow lines force many breaks; none falls after "Dr.".
    CaptionBuilder::Options narrow;
    narrow.maxLineChars = 24;
    narrow.maxLines = 1;
    const std::string script =
        "We met Dr. Smith at the old station. \"Really?\" she asked, and smiled at him.";
    const std::vector<CaptionCue> cues = buildFor(script, narrow);
    verifyCues(cues, narrow);
    QCOMPARE(qb(join(allWords(cues))), qb(script));
    for (const CaptionCue& cue : cues)
        QVERIFY2(cue.words.back().text != "Dr.", describe(cues).constData());
}

void TstCaptions::longWordStaysWhole() {
    const std::string word = "Pneumonoultramicroscopicsilicovolcanoconiosis-like"; // 50 characters
    const std::string script = "The doctor said " + word + " symptoms are rare.";
    const std::vector<CaptionCue> cues = buildFor(script);
    verifyCues(cues);
    QCOMPARE(qb(join(allWords(cues))), qb(script));
    bool found = false;
    for (const CaptionCue& cue : cues) {
        for (const std::string& line : cue.lines)
            found = found || line == word;
    }
    QVERIFY2(found, describe(cues).constData());
}

void TstCaptions::alignmentRestoresScript() {
    // Flite's words for kAva, with Flite's timing.
    const std::vector<Word> spoken = {
        {"hello", 0.164, 0.523}, {"there", 0.523, 0.817}, {"my", 0.925, 1.244},     {"name", 1.244, 1.560},
        {"is", 1.560, 1.709},    {"ava", 1.709, 1.962},   {"please", 2.157, 2.511}, {"watch", 2.511, 2.875},
        {"my", 2.875, 3.047},    {"lips", 3.047, 3.357},  {"move", 3.357, 3.619},   {"while", 3.619, 3.790},
        {"i", 3.790, 3.928},     {"speak", 3.928, 4.339}};
    const std::vector<CaptionCue> cues = CaptionBuilder().build(spoken, kAva);
    verifyCues(cues);
    std::vector<CaptionWord> words;
    for (const CaptionCue& cue : cues)
        words.insert(words.end(), cue.words.begin(), cue.words.end());
    QCOMPARE(qb(join(texts(words))), qb(kAva));
    QCOMPARE(words.size(), spoken.size());
    for (std::size_t i = 0; i < words.size(); ++i) {
        QCOMPARE(words[i].start, spoken[i].start);
        QCOMPARE(words[i].end, spoken[i].end);
    }
    // One cue per sentence, each on one line, showing the script's casing and punctuation.
    QCOMPARE(cues.size(), std::size_t(2));
    QCOMPARE(qb(join(cues[0].lines, "/")), QByteArray("Hello there, my name is Ava."));
    QCOMPARE(qb(join(cues[1].lines, "/")), QByteArray("Please watch my lips move while I speak."));
    QCOMPARE(cues[0].start, 0.164);
    QCOMPARE(cues[1].end, 4.339);
}

void TstCaptions::alignmentExpansions_data() {
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<QByteArray>("spoken");
    QTest::addColumn<QByteArray>("word");
    QTest::addColumn<double>("start");
    QTest::addColumn<double>("end");
    // Spoken word i lasts [0.3 i, 0.3 (i + 1)].
    QTest::newRow("dollars") << QByteArray("It costs $5 today.") << QByteArray("it costs five dollars today")
                             << QByteArray("$5") << 0.6 << 1.2;
    QTest::newRow("number") << QByteArray("I have 3 cats.") << QByteArray("i have three cats")
                            << QByteArray("3") << 0.6 << 0.9;
    QTest::newRow("date") << QByteArray("Call me on 1/2/2024 please.")
                          << QByteArray("call me on one / two / twenty twenty four please")
                          << QByteArray("1/2/2024") << 0.9 << 3.0;
    QTest::newRow("dropped") << QByteArray("This is a test.") << QByteArray("this is test") << QByteArray("a")
                             << 0.6 << 0.6;
    QTest::newRow("dropped-in-pause")
        << QByteArray("This is a test.") << QByteArray("this is | test") << QByteArray("a") << 0.6 << 0.9;
    QTest::newRow("hyphen") << QByteArray("A well-known voice.") << QByteArray("a well known voice")
                            << QByteArray("well-known") << 0.3 << 0.9;
    QTest::newRow("letters") << QByteArray("Bring snacks, e.g. fruit.")
                             << QByteArray("bring snacks e g fruit") << QByteArray("e.g.") << 0.6 << 1.2;
    // Neighbouring words spoken differently: each keeps its own spoken words.
    QTest::newRow("hyphen-then-number")
        << QByteArray("My well-known 3 cats.") << QByteArray("my well known three cats") << QByteArray("3")
        << 0.9 << 1.2;
    QTest::newRow("joined-first") << QByteArray("I can not 3 times.") << QByteArray("i cannot three times")
                                  << QByteArray("can") << 0.3 << 0.45;
    QTest::newRow("joined-second") << QByteArray("I can not 3 times.") << QByteArray("i cannot three times")
                                   << QByteArray("not") << 0.45 << 0.6;
    QTest::newRow("espeak-pieces") << QByteArray("It costs $5 today.") << QByteArray("It costs $ 5 today")
                                   << QByteArray("today.") << 1.2 << 1.5;
    QTest::newRow("repeated") << QByteArray("No, no, no! Yes.") << QByteArray("no no no yes")
                              << QByteArray("no!") << 0.6 << 0.9;
    QTest::newRow("utf8") << QByteArray("Un café, s\xe2\x80\x99il vous pla\xc3\xaet.")
                          << QByteArray("un caf\xc3\xa9 s'il vous pla\xc3\xaet")
                          << QByteArray("s\xe2\x80\x99il") << 0.6 << 0.9;
}

void TstCaptions::alignmentExpansions() {
    QFETCH(QByteArray, script);
    QFETCH(QByteArray, spoken);
    QFETCH(QByteArray, word);
    QFETCH(double, start);
    QFETCH(double, end);
    const std::vector<CaptionCue> cues =
        CaptionBuilder().build(timed(spoken.toStdString()), script.toStdString());
    verifyCues(cues);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(qb(join(allWords(cues))), script);
    std::vector<CaptionWord> words;
    for (const CaptionCue& cue : cues)
        words.insert(words.end(), cue.words.begin(), cue.words.end());
    const auto it =
        std::find_if(words.begin(), words.end(), [&](const CaptionWord& w) { return qb(w.text) == word; });
    QVERIFY(it != words.end());
    QVERIFY2(std::abs(it->start - start) < 1e-9, QByteArray::number(it->start).constData());
    QVERIFY2(std::abs(it->end - end) < 1e-9, QByteArray::number(it->end).constData());
    for (std::size_t i = 1; i < words.size(); ++i)
        QVERIFY(words[i].start >= words[i - 1].start && words[i].end >= words[i].start);
}

void TstCaptions::longScriptAlignsAcrossWindows() {
    // Long enough for several alignment windows, and repetitive, so that a window could be matched against
    // the wrong repetition.
    std::string script;
    std::string spokenText;
    for (int i = 0; i < 150; ++i) {
        script += i % 3 == 2 ? "It costs $5 on 1/2/2024, I said. " : kAva + " ";
        spokenText += i % 3 == 2 ? "it costs five dollars on one / two / twenty twenty four i said | "
                                 : flitish(kAva) + " | ";
    }
    const std::vector<Word> spoken = timed(spokenText);
    const std::vector<CaptionCue> cues = CaptionBuilder().build(spoken, script);
    verifyCues(cues);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(qb(join(allWords(cues))), qb(join(split(script))));
    // Every "said." and "speak." keeps the time of its own spoken word.
    std::vector<const Word*> ends;
    for (const Word& word : spoken) {
        if (word.text == "said" || word.text == "speak")
            ends.push_back(&word);
    }
    std::size_t found = 0;
    for (const CaptionCue& cue : cues) {
        for (const CaptionWord& word : cue.words) {
            if (word.text != "said," && word.text != "said." && word.text != "speak.")
                continue;
            QVERIFY(found < ends.size());
            QCOMPARE(word.start, ends[found]->start);
            QCOMPARE(word.end, ends[found]->end);
            ++found;
        }
    }
    QCOMPARE(found, ends.size());
}

void TstCaptions::unrelatedScriptStillTimed() {
    // Nothing matches: the script is spread over the whole speech rather than dropped.
    const std::vector<Word> spoken = timed("alpha beta gamma delta");
    const std::vector<CaptionCue> cues = CaptionBuilder().build(spoken, "Completely different words.");
    verifyCues(cues);
    QCOMPARE(qb(join(allWords(cues))), QByteArray("Completely different words."));
    QCOMPARE(cues.front().start, 0.0);
    QVERIFY(std::abs(cues.back().end - 1.2) < 1e-9);
}

void TstCaptions::tagsAreIgnored() {
    const std::vector<CaptionCue> cues =
        CaptionBuilder().build(timed("hello || world"), "Hello <break time=\"1s\"/> world, a < b.");
    verifyCues(cues);
    QCOMPARE(qb(join(allWords(cues))), QByteArray("Hello world, a < b."));
    QCOMPARE(cues.size(), std::size_t(2)); // the pause ends the first cue
}

void TstCaptions::withoutScript() {
    std::vector<Word> spoken = timed("hello there my friend smith 's dog");
    spoken.insert(spoken.begin() + 2, Word{"-", 0.6, 0.6}); // a word of punctuation only is not shown
    const std::vector<CaptionCue> cues = CaptionBuilder().build(spoken, " \n ");
    verifyCues(cues);
    QCOMPARE(qb(join(allWords(cues))), QByteArray("hello there my friend smith's dog"));
    QCOMPARE(cues.back().words[4].end, 6 * kWordSeconds); // "smith's" spans both spoken words
}

void TstCaptions::nothingSpoken() {
    QVERIFY(CaptionBuilder().build({}, "Hello there.").empty());
    QVERIFY(CaptionBuilder().build({}, "").empty());
    QVERIFY(CaptionBuilder().build(timed("hello"), "... !").size() == 1);
}

void TstCaptions::longPauseEndsCue() {
    const std::vector<CaptionCue> cues =
        CaptionBuilder().build(timed("so here we are || and there we go"), "So here we are and there we go");
    verifyCues(cues);
    QCOMPARE(cues.size(), std::size_t(2));
    QCOMPARE(qb(join(cues[0].lines)), QByteArray("So here we are"));
    // A short pause does not.
    QCOMPARE(CaptionBuilder()
                 .build(timed("so here we are | and there we go"), "So here we are and there we go")
                 .size(),
             std::size_t(1));
}

void TstCaptions::maxCueSeconds() {
    // Twenty short words at 0.5 s would fit two lines but last ten seconds.
    std::vector<Word> spoken;
    std::string script;
    for (int i = 0; i < 20; ++i) {
        spoken.push_back({"word", i * 0.5, i * 0.5 + 0.5});
        script += "word ";
    }
    const std::vector<CaptionCue> cues = CaptionBuilder().build(spoken, script);
    verifyCues(cues);
    QVERIFY(cues.size() >= 2);
    for (const CaptionCue& cue : cues)
        QVERIFY(cue.end - cue.start <= 6.0 + 1e-9);
}

void TstCaptions::minDurationExtension() {
    const std::vector<CaptionCue> cues = CaptionBuilder().build(timed("yes || no"), "Yes. No.");
    verifyCues(cues);
    QCOMPARE(cues.size(), std::size_t(2));
    QVERIFY(std::abs(cues[0].start - 0.0) < 1e-9);
    QVERIFY2(std::abs(cues[0].end - 0.8) < 1e-9, describe(cues).constData());
    QVERIFY(std::abs(cues[1].start - 1.3) < 1e-9);
    QVERIFY2(std::abs(cues[1].end - 2.1) < 1e-9, describe(cues).constData());
    // The words keep their own timing.
    QVERIFY(std::abs(cues[0].words[0].end - 0.3) < 1e-9);
}

void TstCaptions::extensionStopsAtNextCue() {
    CaptionBuilder::Options options;
    options.minCueSeconds = 2.0;
    const std::vector<CaptionCue> cues = CaptionBuilder(options).build(timed("yes || no"), "Yes. No.");
    verifyCues(cues, options);
    QCOMPARE(cues.size(), std::size_t(2));
    QVERIFY2(std::abs(cues[0].end - 1.3) < 1e-9, describe(cues).constData());
    QVERIFY(std::abs(cues[1].start - 1.3) < 1e-9);
    QVERIFY(std::abs(cues[1].end - 3.3) < 1e-9);
    // Blocked after it, a cue grows into the silence before it.
    const std::vector<Word> spoken = {{"one", 0.0, 0.3}, {"two", 2.0, 2.3}, {"three", 2.5, 5.0}};
    const std::vector<CaptionCue> three =
        CaptionBuilder(CaptionBuilder::Options{42, 2, 6.0, 0.8, 0.1}).build(spoken, "One. Two. Three.");
    verifyCues(three);
    QCOMPARE(three.size(), std::size_t(3));
    QVERIFY2(std::abs(three[1].end - 2.5) < 1e-9 && std::abs(three[1].start - 1.7) < 1e-9,
             describe(three).constData());
}

void TstCaptions::srtFormat() {
    const std::vector<CaptionCue> cues = {{1.5, 3.25, {"Hello there,", "my name is Ava."}, {}},
                                          {3661.007, 3662.5, {"Fish & chips <b>"}, {}},
                                          {3663.0, 3664.0, {}, {}}, // no text: left out
                                          {3665.0, 3666.0, {"", "Last"}, {}}};
    QCOMPARE(qb(SubtitleWriter::srt(cues)),
             QByteArray("1\n00:00:01,500 --> 00:00:03,250\nHello there,\nmy name is "
                        "Ava.\n\n2\n01:01:01,007 --> 01:01:02,500\nFish & chips "
                        "<b>\n\n3\n01:01:05,000 --> 01:01:06,000\nLast\n\n"));
    QCOMPARE(qb(SubtitleWriter::srt({})), QByteArray());
}

void TstCaptions::vttFormat() {
    const std::vector<CaptionCue> cues = {{1.5, 3.25, {"Hello there,", "my name is Ava."}, {}},
                                          {3661.007, 3662.5, {"Fish & chips <b> --> x"}, {}}};
    QCOMPARE(qb(SubtitleWriter::vtt(cues)),
             QByteArray("WEBVTT\n\n00:00:01.500 --> 00:00:03.250\nHello there,\nmy name "
                        "is Ava.\n\n01:01:01.007 --> 01:01:02.500\nFish &amp; chips "
                        "&lt;b&gt; --&gt; x\n\n"));
    QCOMPARE(qb(SubtitleWriter::vtt({})), QByteArray("WEBVTT\n\n"));
}

void TstCaptions::roundTrip_data() {
    QTest::addColumn<bool>("webVtt");
    QTest::newRow("srt") << false;
    QTest::newRow("vtt") << true;
}

void TstCaptions::roundTrip() {
    QFETCH(bool, webVtt);
    std::vector<Word> spoken = timed(flitish(kParagraph));
    for (std::size_t i = 0; i < spoken.size(); ++i) { // times that are not whole milliseconds
        spoken[i].start += 0.000123 * double(i);
        spoken[i].end += 0.000123 * double(i);
    }
    const std::string script = kParagraph + " Fish & chips <3 are > salad.";
    spoken.push_back({"fish", 100.0, 100.3});
    const std::vector<CaptionCue> cues = CaptionBuilder().build(spoken, script);
    verifyCues(cues);
    const std::string text = webVtt ? SubtitleWriter::vtt(cues) : SubtitleWriter::srt(cues);
    std::vector<ParsedCue> parsed;
    QVERIFY2(parseSubtitles(text, webVtt, parsed), text.c_str());
    QCOMPARE(parsed.size(), cues.size());
    for (std::size_t i = 0; i < cues.size(); ++i) {
        QVERIFY(std::abs(parsed[i].start - cues[i].start) <= 0.001);
        QVERIFY(std::abs(parsed[i].end - cues[i].end) <= 0.001);
        QVERIFY(parsed[i].start < parsed[i].end);
        QVERIFY(i == 0 || parsed[i].start >= parsed[i - 1].end);
        QCOMPARE(parsed[i].lines.size(), cues[i].lines.size());
        for (std::size_t k = 0; k < cues[i].lines.size(); ++k) {
            if (webVtt)
                QVERIFY2(parsed[i].lines[k].find_first_of("<>") == std::string::npos,
                         parsed[i].lines[k].c_str());
            QCOMPARE(qb(webVtt ? unescapeVtt(parsed[i].lines[k]) : parsed[i].lines[k]), qb(cues[i].lines[k]));
        }
    }
}

void TstCaptions::sidecar_data() {
    QTest::addColumn<QString>("video");
    QTest::addColumn<QString>("ext");
    QTest::addColumn<QString>("expected");
    QTest::newRow("srt") << QStringLiteral("out.mp4") << QStringLiteral("srt") << QStringLiteral("out.srt");
    QTest::newRow("vtt") << QStringLiteral("/videos/talk.mp4") << QStringLiteral("vtt")
                         << QStringLiteral("/videos/talk.vtt");
    QTest::newRow("dotted") << QStringLiteral("my.talk.v2.mp4") << QStringLiteral(".srt")
                            << QStringLiteral("my.talk.v2.srt");
    QTest::newRow("no-extension") << QStringLiteral("dir.d/out") << QStringLiteral("srt")
                                  << QStringLiteral("dir.d/out.srt");
}

void TstCaptions::sidecar() {
    QFETCH(QString, video);
    QFETCH(QString, ext);
    QFETCH(QString, expected);
    const std::filesystem::path result = SubtitleWriter::sidecar(video.toStdString(), ext.toStdString());
    QCOMPARE(QString::fromStdString(result.string()), expected);
}

void TstCaptions::writeIsAtomic() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path path = dir.filePath(QStringLiteral("out.srt")).toStdString();
    SubtitleWriter::write("first\n", path);
    QCOMPARE(qb(readFile(path)), QByteArray("first\n"));
    const std::string second = SubtitleWriter::srt(buildFor(kAva));
    SubtitleWriter::write(second, path); // replaces
    QCOMPARE(qb(readFile(path)), qb(second));
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("out.srt")});
}

void TstCaptions::writeThroughSymlink() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path target = dir.filePath(QStringLiteral("real.vtt")).toStdString();
    const std::filesystem::path link = dir.filePath(QStringLiteral("out.vtt")).toStdString();
    SubtitleWriter::write("old\n", target);
    std::filesystem::create_symlink("real.vtt", link);
    SubtitleWriter::write("WEBVTT\n\n", link);
    QVERIFY(std::filesystem::is_symlink(link));
    QCOMPARE(qb(readFile(target)), QByteArray("WEBVTT\n\n"));
    QCOMPARE(entries(dir.path()), (QStringList{QStringLiteral("out.vtt"), QStringLiteral("real.vtt")}));
}

void TstCaptions::writeFailsForMissingFolder() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path path = dir.filePath(QStringLiteral("missing/out.vtt")).toStdString();
    try {
        SubtitleWriter::write("WEBVTT\n\n", path);
        QFAIL("write() into a missing folder succeeded");
    } catch (const avatar::Error& error) {
        QVERIFY2(error.code() == ErrorCode::Io, avatar::errorCodeName(error.code()));
        const QByteArray message = error.what();
        QVERIFY2(message.startsWith("Cannot write the captions '" + qb(path.string()) + "': "),
                 message.constData());
    }
    QVERIFY(entries(dir.path()).isEmpty());
}

void TstCaptions::writeFailsOntoFolder() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("out.srt")));
    try {
        SubtitleWriter::write("1\n", dir.filePath(QStringLiteral("out.srt")).toStdString());
        QFAIL("write() onto a folder succeeded");
    } catch (const avatar::Error& error) {
        QVERIFY2(error.code() == ErrorCode::Io, avatar::errorCodeName(error.code()));
    }
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("out.srt")}); // the temporary file is gone
}

void TstCaptions::realSpeech_data() {
    QTest::addColumn<QByteArray>("voice");
    QTest::newRow("flite:slt") << QByteArray("flite:slt");
    QTest::newRow("espeak:en-us") << QByteArray("espeak:en-us");
}

void TstCaptions::realSpeech() {
    QFETCH(QByteArray, voice);
    const avatar::Speech speech = m_tts.synthesize(kAva, voice.toStdString());
    QVERIFY(!speech.words.empty());
    const std::vector<CaptionCue> cues = CaptionBuilder().build(speech.words, kAva);
    verifyCues(cues);
    if (QTest::currentTestFailed())
        return;
    // Every script word exactly once, in order, spelled as in the script.
    QCOMPARE(qb(join(allWords(cues), "|")), qb(join(split(kAva), "|")));
    QVERIFY(!cues.empty());
    QVERIFY(cues.front().start >= 0.0);
    QVERIFY2(cues.back().end <= speech.duration() + 1e-9, describe(cues).constData());
    // Sentences are separate cues here (each fits a line).
    QCOMPARE(cues.size(), std::size_t(2));
    QCOMPARE(qb(cues[0].lines.back()), QByteArray("Hello there, my name is Ava."));
    std::vector<ParsedCue> parsed;
    QVERIFY(parseSubtitles(SubtitleWriter::srt(cues), false, parsed));
    QCOMPARE(parsed.size(), cues.size());
}

void TstCaptions::onlyBreakTagsAreMarkup() {
    // <break/> is the pipeline's pause tag and never shown; other angle brackets were spoken and stay.
    const auto cues = CaptionBuilder().build(timed("hi breakfast there if a b and b c"),
                                             "Hi <break time=\"1s\"/> <breakfast> there, if a<b and b>c");
    QString all;
    for (const auto& c : cues)
        for (const auto& line : c.lines)
            all += QString::fromStdString(line) + QLatin1Char(' ');
    QVERIFY2(all.contains(QLatin1String("<breakfast>")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("a<b")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("b>c")), qPrintable(all));
    QVERIFY2(!all.contains(QLatin1String("time=")), qPrintable(all));
}

QTEST_GUILESS_MAIN(TstCaptions)
#include "tst_captions.moc"
