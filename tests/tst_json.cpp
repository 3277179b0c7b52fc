// JSON in and out (engine/core): JsonValue reads what JsonWriter writes, real JSON (surrogate pairs, numbers
// in every form) parses to the right values, every malformed document is one InvalidInput error naming where,
// and the writer never emits a document a strict parser would refuse.
#include "core/Error.h"
#include "core/Json.h"
#include "core/JsonValue.h"

#include <QtTest>

#include <string>

using namespace avatar;

class TestJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesValues();
    void surrogatePairsBecomeUtf8();
    void lastOfRepeatedKeysWins();
    void malformedIsRefused_data();
    void malformedIsRefused();
    void deepNestingIsRefused();
    void writerRoundTrips();
    void writerEscapesControlsAndBadUtf8();
    void negativeZeroIsWrittenAsZero();
};

void TestJson::parsesValues() {
    const JsonValue v = JsonValue::parse(
        R"( {"n": -12.5e1, "i": 9007199254740993, "u": 0, "t": true, "f": false, "z": null, "s": "a\"b\\c\/d\n",)"
        R"( "a": [1, [2], {"k": "v"}], "o": {}} )");
    QVERIFY(v.isObject());
    QCOMPARE(v.find("n")->number(), -125.0);
    QCOMPARE(v.find("i")->number(), 9007199254740992.0); // numbers are doubles
    QCOMPARE(v.find("u")->type(), JsonValue::Type::Number);
    QCOMPARE(v.find("t")->boolean(), true);
    QCOMPARE(v.find("f")->type(), JsonValue::Type::Bool);
    QCOMPARE(v.find("f")->boolean(), false);
    QCOMPARE(v.find("z")->type(), JsonValue::Type::Null);
    QCOMPARE(v.find("s")->string(), std::string("a\"b\\c/d\n"));
    const auto& a = v.find("a")->array();
    QCOMPARE(a.size(), std::size_t(3));
    QCOMPARE(a[1].array().at(0).number(), 2.0);
    QCOMPARE(a[2].find("k")->string(), std::string("v"));
    QVERIFY(v.find("o")->isObject());
    QVERIFY(v.find("o")->object().empty());
    QVERIFY(v.find("missing") == nullptr);
    QCOMPARE(JsonValue::parse("  7  ").number(), 7.0);
}

void TestJson::surrogatePairsBecomeUtf8() {
    // U+1F600 is written as a surrogate pair in JSON; it must come out as its 4-byte UTF-8 form, not as two
    // 3-byte halves.
    const JsonValue v = JsonValue::parse(R"(["\ud83d\ude00", "\u00e9\u4e2d"])");
    QCOMPARE(v.array().at(0).string(), std::string("\xF0\x9F\x98\x80"));
    QCOMPARE(v.array().at(1).string(), std::string("\xC3\xA9\xE4\xB8\xAD"));
}

void TestJson::lastOfRepeatedKeysWins() {
    const JsonValue v = JsonValue::parse(R"({"a": 1, "b": 2, "a": 3})");
    QCOMPARE(v.object().size(), std::size_t(2));
    QCOMPARE(v.find("a")->number(), 3.0);
}

void TestJson::malformedIsRefused_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("where"); // the byte the message names
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("byte 0 (line 1, column 1)");
    QTest::newRow("unclosed object") << QByteArray("{\"a\":1") << QStringLiteral("byte 6");
    QTest::newRow("bare key") << QByteArray("{oops}") << QStringLiteral("byte 1");
    QTest::newRow("trailing text") << QByteArray("[1] x") << QStringLiteral("byte 4");
    QTest::newRow("trailing comma") << QByteArray("[1,]") << QStringLiteral("byte 3");
    QTest::newRow("leading zero") << QByteArray("01") << QStringLiteral("byte 1");
    QTest::newRow("lone minus") << QByteArray("-") << QStringLiteral("byte 1");
    QTest::newRow("plus sign") << QByteArray("+1") << QStringLiteral("byte 0");
    QTest::newRow("short escape") << QByteArray("\"\\u12\"") << QStringLiteral("byte 5");
    QTest::newRow("lone surrogate") << QByteArray("\"\\ud83d\"") << QStringLiteral("byte 7");
    QTest::newRow("raw newline in string") << QByteArray("\"a\nb\"") << QStringLiteral("byte 2");
    QTest::newRow("second line") << QByteArray("{\n\"a\": tru}") << QStringLiteral("line 2");
    QTest::newRow("not UTF-8") << QByteArray("\"\xff\"") << QStringLiteral("byte 1");
}

void TestJson::malformedIsRefused() {
    QFETCH(QByteArray, text);
    QFETCH(QString, where);
    try {
        JsonValue::parse(std::string_view(text.constData(), text.size()));
        QFAIL("parsed");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::InvalidInput);
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.startsWith(QStringLiteral("The JSON is not valid at byte ")), qPrintable(message));
        QVERIFY2(message.contains(where), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("json.exception")), qPrintable(message));
        QVERIFY(message.endsWith(QLatin1Char('.')));
    }
}

void TestJson::deepNestingIsRefused() {
    const std::string ok = std::string(64, '[') + std::string(64, ']');
    QCOMPARE(JsonValue::parse(ok).type(), JsonValue::Type::Array);
    // A hostile job row or manifest nested a million deep must be one error, not a stack overflow.
    const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
    try {
        JsonValue::parse(deep);
        QFAIL("parsed");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::InvalidInput);
        QVERIFY(QString::fromUtf8(e.what()).contains(QStringLiteral("deeper than 64")));
    }
}

void TestJson::writerRoundTrips() {
    JsonWriter w;
    w.beginObject()
        .field("name", std::string("Zoë \"quoted\" \\ 中文 \xF0\x9F\x98\x80"))
        .field("seconds", 12.345678)
        .field("tenth", 0.1)
        .field("tiny", 1.0000000000000002e-300)
        .field("frames", 1234567890123LL)
        .field("ok", true)
        .field("nan", std::nan(""))
        .key("list")
        .beginArray()
        .value(1)
        .value("two")
        .beginObject()
        .endObject()
        .endArray()
        .endObject();
    const std::string text = w.str();
    QCOMPARE(text.front(), '{'); // one line, no spaces added
    QVERIFY(text.find('\n') == std::string::npos);
    const JsonValue v = JsonValue::parse(text);
    QCOMPARE(v.find("name")->string(), std::string("Zoë \"quoted\" \\ 中文 \xF0\x9F\x98\x80"));
    // Every double reads back as itself, in its shortest text (0.1 is "0.1", not 0.10000000000000001).
    QVERIFY(v.find("seconds")->number() == 12.345678);
    QVERIFY(v.find("tiny")->number() == 1.0000000000000002e-300);
    QVERIFY(text.find("\"tenth\":0.1,") != std::string::npos);
    QCOMPARE(v.find("frames")->number(), 1234567890123.0);
    QCOMPARE(v.find("ok")->boolean(), true);
    QCOMPARE(v.find("nan")->type(), JsonValue::Type::Null);
    QCOMPARE(v.find("list")->array().size(), std::size_t(3));
    QCOMPARE(v.find("list")->array().at(1).string(), std::string("two"));
}

void TestJson::negativeZeroIsWrittenAsZero() {
    // fuzz_jobs (fuzz/corpus/jobs/regress-negative-zero-pitch.json): "pitch": -0.0 was written "-0", read
    // back as the integer 0 and written "0", so the row did not read back what it wrote.
    JsonWriter w;
    w.beginObject().field("pitch", -0.0).endObject();
    QCOMPARE(w.str(), std::string(R"({"pitch":0})"));
    JsonWriter again;
    again.beginObject().field("pitch", JsonValue::parse(w.str()).find("pitch")->number()).endObject();
    QCOMPARE(again.str(), w.str());
}

void TestJson::writerEscapesControlsAndBadUtf8() {
    // A file name is bytes: one that is not UTF-8 must not make the whole report unreadable.
    const std::string name = std::string("a\x01\b\f\t\r\nb") + "\xff\xfe" + "c";
    JsonWriter w;
    w.beginObject().field("file", name).endObject();
    const JsonValue v = JsonValue::parse(w.str()); // throws if the writer produced invalid JSON
    QCOMPARE(v.find("file")->string(), std::string("a\x01\b\f\t\r\nb\xEF\xBF\xBD\xEF\xBF\xBD"
                                                   "c"));
    QCOMPARE(JsonWriter::escape("tab\there \"q\""), std::string("tab\\there \\\"q\\\""));
}

QTEST_GUILESS_MAIN(TestJson)
#include "tst_json.moc"
