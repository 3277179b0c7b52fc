#include "pipeline/Script.h"

#include <QtTest>

using namespace avatar;

namespace {

QStringList list(std::initializer_list<const char*> items) {
    QStringList out;
    for (const char* i : items)
        out << QString::fromUtf8(i);
    return out;
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
    }
    void splitsSentences() {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, expected);
        QStringList got;
        for (const auto& s : Script::sentences(text.toStdString()))
            got << QString::fromStdString(s);
        QCOMPARE(got, expected);
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
};

QTEST_GUILESS_MAIN(TstScript)
#include "tst_script.moc"
