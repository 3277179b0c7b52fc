#include "captions/Caption.h"
#include "core/Error.h"
#include "pipeline/RenderPipeline.h"
#include "pipeline/Script.h"

#include <QtTest>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>

using namespace avatar;

namespace {

QStringList list(std::initializer_list<const char*> items) {
    QStringList out;
    for (const char* i : items)
        out << QString::fromUtf8(i);
    return out;
}

std::string withoutSpaces(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
    return text;
}

// What a synthesiser says for the spoken pieces: Flite's words (lower-case letters and digits), and each
// Chinese character (three bytes of UTF-8 from E4 to E9) a word of its own as espeak-ng times them; other
// punctuation is silent. 0.3 s a word.
std::vector<Word> spokenFor(const std::vector<ScriptItem>& items) {
    std::vector<Word> words;
    std::string word;
    auto add = [&](std::string text) {
        if (!text.empty())
            words.push_back({std::move(text), 0.3 * double(words.size()), 0.3 * double(words.size() + 1)});
    };
    for (const ScriptItem& item : items) {
        const std::string& text = item.text;
        for (std::size_t pos = 0; pos < text.size();) {
            const auto lead = static_cast<unsigned char>(text[pos]);
            if (lead >= 0xE4 && lead <= 0xE9 && pos + 3 <= text.size()) {
                add(std::exchange(word, {}));
                add(text.substr(pos, 3));
                pos += 3;
                continue;
            }
            if (std::isalnum(lead))
                word += static_cast<char>(std::tolower(lead));
            else if (lead == ' ')
                add(std::exchange(word, {}));
            ++pos;
        }
        add(std::exchange(word, {}));
    }
    return words;
}

} // namespace

class TstScript : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void splitsSentences_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("three kinds of ends") << QByteArray("Hello there. How are you? Great!")
                                             << list({"Hello there.", "How are you?", "Great!"});
        QTest::newRow("decimals and abbreviations stay")
            << QByteArray("It costs 3.50 today.Really.") << list({"It costs 3.50 today.Really."});
        QTest::newRow("blank line ends a paragraph") << QByteArray("Title\n\nFirst line\nsame sentence.")
                                                     << list({"Title", "First line same sentence."});
        QTest::newRow("whitespace collapses")
            << QByteArray("  Lots   of\tspace .  ") << list({"Lots of space ."});
        QTest::newRow("empty") << QByteArray("   \n\n  ") << QStringList();
        // ICU's sentence rules with English abbreviations (issue #17): the speech splits where the captions
        // do.
        QTest::newRow("abbreviation, decimal, a.m.")
            << QByteArray("Mr. Smith went to Washington. He arrived at 3.5 p.m. Then he left.")
            << list({"Mr. Smith went to Washington.", "He arrived at 3.5 p.m.", "Then he left."});
        QTest::newRow("e.g. and Dr.") << QByteArray("Bring fruit, e.g. apples. Dr. Jones said so.")
                                      << list({"Bring fruit, e.g. apples.", "Dr. Jones said so."});
        QTest::newRow("quote after the full stop")
            << QByteArray("He said \"Go.\" Then he left.") << list({"He said \"Go.\"", "Then he left."});
        QTest::newRow("ellipsis before lower case")
            << QByteArray("Wait... what is that? A bird.") << list({"Wait... what is that?", "A bird."});
        QTest::newRow("CJK full stops")
            << QByteArray("你好。我很好！真的吗？") << list({"你好。", "我很好！", "真的吗？"});
    }
    void splitsSentences() {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, expected);
        QStringList got;
        for (const auto& s : Script::sentences(text.toStdString()))
            got << QString::fromStdString(s);
        QCOMPARE(got, expected);
    }

    void breaks_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected"); // items as "T:text" or "P:seconds", joined by "|"
        QTest::newRow("milliseconds") << QByteArray("Hello. <break time=\"500ms\"/> World.")
                                      << QStringLiteral("T:Hello.|P:0.5|T:World.");
        QTest::newRow("seconds, single quotes, upper case")
            << QByteArray("One<BREAK time='1.5s'>two") << QStringLiteral("T:One|P:1.5|T:two");
        QTest::newRow("bare break") << QByteArray("A <break/> B") << QStringLiteral("T:A|P:0.5|T:B");
        QTest::newRow("unquoted, spaces")
            << QByteArray("A <break time = 250ms /> B") << QStringLiteral("T:A|P:0.25|T:B");
        QTest::newRow("zero pause is dropped")
            << QByteArray("A <break time=\"0s\"/> B") << QStringLiteral("T:A|T:B");
        QTest::newRow("other angle brackets are text")
            << QByteArray("3 < 5 and <brake> too.") << QStringLiteral("T:3 < 5 and <brake> too.");
    }
    void breaks() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        QStringList got;
        for (const ScriptItem& item : Script::items(text.toStdString()))
            got << (item.text.empty() ? QStringLiteral("P:%1").arg(item.pause)
                                      : QStringLiteral("T:") + QString::fromStdString(item.text));
        QCOMPARE(got.join(QLatin1Char('|')), expected);
    }

    void malformedBreaksAreRefused_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("no unit") << QByteArray("A <break time=\"500\"/> B");
        QTest::newRow("bad number") << QByteArray("A <break time=\"fives\"/> B");
        QTest::newRow("unclosed") << QByteArray("A <break time=\"1s\" B");
        QTest::newRow("unknown attribute") << QByteArray("A <break strength=\"weak\"/> B");
        QTest::newRow("too long") << QByteArray("A <break time=\"11s\"/> B");
    }
    void malformedBreaksAreRefused() {
        QFETCH(QByteArray, text);
        bool refused = false;
        try {
            Script::items(text.toStdString());
        } catch (const Error& e) {
            refused = e.code() == ErrorCode::InvalidInput;
        }
        QVERIFY(refused);
    }

    void breaksBecomeExactSilences() {
        // Through the pipeline's TTS stage: a 1 s break adds 1 s of silence, one pause in the timeline, and
        // leaves the words' timings intact on both sides.
        EngineServices services;
        RenderPipeline pipeline(services);
        RenderSpec plain;
        plain.text = "First part. Second part.";
        plain.voice = "flite:kal16"; // bit-exact from call to call
        RenderSpec paused = plain;
        paused.text = "First part. <break time=\"1s\"/> Second part.";
        const Speech a = pipeline.synthesize(plain, CancelToken{});
        const Speech b = pipeline.synthesize(paused, CancelToken{});
        QVERIFY(std::abs(b.duration() - a.duration() - 1.0) < 0.002);
        const auto longest =
            std::max_element(b.phones.begin(), b.phones.end(), [](const Phone& x, const Phone& y) {
                return x.end - x.start < y.end - y.start;
            });
        QCOMPARE(QString::fromStdString(longest->arpabet), QStringLiteral("pau"));
        QVERIFY(longest->end - longest->start >= 1.0);
        QCOMPARE(a.words.size(), b.words.size());
        QVERIFY(std::abs(b.words.back().start - a.words.back().start - 1.0) < 0.002);
        QVERIFY(std::abs(b.words.front().start - a.words.front().start) < 1e-9);
    }

    void runOnSentencesComeInPieces() {
        // 300 words with commas every ten words and no full stop: pieces end at commas, none is too long,
        // and no word is lost or split.
        std::string text;
        for (int i = 0; i < 300; ++i)
            text += "word" + std::to_string(i) + (i % 10 == 9 ? ", " : " ");
        const auto pieces = Script::sentences(text);
        QVERIFY(pieces.size() >= 5);
        std::string joined;
        for (const auto& p : pieces) {
            QVERIFY(p.size() <= Script::kMaxPiece);
            joined += p + " ";
        }
        QCOMPARE(QString::fromStdString(Script::normalized(joined)),
                 QString::fromStdString(Script::normalized(text)));
        for (std::size_t i = 0; i + 1 < pieces.size(); ++i)
            QCOMPARE(pieces[i].back(), ',');
    }

    void hugeWordsAreCutOnCharacterBoundaries() {
        std::string word;
        for (int i = 0; i < 500; ++i)
            word += "\xC3\xA9"; // é, two bytes
        const auto pieces = Script::splitLong(word);
        QVERIFY(pieces.size() >= 3);
        for (const auto& p : pieces) {
            QVERIFY(p.size() <= Script::kMaxPiece);
            QVERIFY(p.size() % 2 == 0); // no half characters
        }
    }

    // Speech (Script::items) and captions (CaptionBuilder) read a script through the same markup parser and
    // the same sentence rule (issue #17): short sentences each get a cue of their own, and those cues are the
    // spoken sentences. Here rather than in tst_captions, whose ASan build has no pipeline.
    void speechAndCaptionsAgreeOnSentences_data() {
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<int>("sentences");
        QTest::newRow("Mr., 3.5, p.m.")
            << QByteArray("Mr. Smith went to Washington. He arrived at 3.5 p.m. Then he left.") << 3;
        QTest::newRow("e.g.") << QByteArray("Bring fruit, e.g. apples and pears. Then go home.") << 2;
        QTest::newRow("quote after the stop") << QByteArray("He said \"Go.\" Then he left the room.") << 2;
        QTest::newRow("ellipsis") << QByteArray("Wait... what is that? It is a bird.") << 2;
        QTest::newRow("pause tag") << QByteArray("First we rest. <break time=\"300ms\"/> Then we work.") << 2;
        QTest::newRow("Chinese full stops") << QByteArray("你好。我是你的主持人！今天我们谈谈天气。") << 3;
    }
    void speechAndCaptionsAgreeOnSentences() {
        QFETCH(QByteArray, script);
        QFETCH(int, sentences);
        const std::vector<ScriptItem> items = Script::items(script.toStdString());
        QStringList speech;
        for (const ScriptItem& item : items)
            if (!item.text.empty())
                speech << QString::fromStdString(withoutSpaces(item.text));
        QStringList captions;
        for (const CaptionCue& cue : CaptionBuilder().build(spokenFor(items), script.toStdString())) {
            std::string text;
            for (const std::string& line : cue.lines)
                text += line;
            captions << QString::fromStdString(withoutSpaces(text));
        }
        QCOMPARE(speech.size(), sentences);
        QCOMPARE(captions, speech);
    }

    // One enormous word of accented letters (e + U+0301) or emoji with a skin tone is cut between two
    // characters as a reader sees them, never between a letter and its accent or an emoji and its tone.
    void hugeWordsAreCutBetweenGraphemes_data() {
        QTest::addColumn<QByteArray>("grapheme");
        QTest::newRow("combining accent") << QByteArray("e\xCC\x81");
        QTest::newRow("emoji and tone, then a letter") << QByteArray("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBDx");
    }
    void hugeWordsAreCutBetweenGraphemes() {
        QFETCH(QByteArray, grapheme);
        std::string word;
        for (int i = 0; i < 200; ++i)
            word += grapheme.toStdString();
        const auto pieces = Script::splitLong(word);
        QVERIFY(pieces.size() >= 2);
        std::string joined;
        for (const auto& p : pieces) {
            QVERIFY(p.size() <= Script::kMaxPiece);
            QVERIFY2(p.size() % std::size_t(grapheme.size()) == 0, std::to_string(p.size()).c_str());
            joined += p;
        }
        QCOMPARE(joined, word);
    }

    // Found by fuzz_script (fuzz/corpus/script/regress-clause-at-limit.txt): a clause mark just past the
    // limit made a piece of kMaxPiece + 1 bytes.
    void clauseMarkJustPastTheLimitIsNotIncluded() {
        const std::string sentence = std::string(Script::kMaxPiece, 'x') + ", and the rest";
        const auto pieces = Script::splitLong(sentence);
        QCOMPARE(pieces.size(), std::size_t(2));
        for (const auto& p : pieces)
            QVERIFY2(p.size() <= Script::kMaxPiece, std::to_string(p.size()).c_str());
        QCOMPARE(pieces[0], std::string(Script::kMaxPiece, 'x'));
    }
};

QTEST_GUILESS_MAIN(TstScript)
#include "tst_script.moc"
