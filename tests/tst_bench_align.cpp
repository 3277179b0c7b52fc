// avatar-bench --suite align's paragraphs (issue #13): every case is spoken in both texts by default, the
// JSON gives each text's figures and both together, --texts keeps one, and an unknown text is one message.
// The recordings are real (synthesised, aligned with their transcript by PocketSphinx, the fast path), so
// the figures are measured, not echoed; no timing is asserted.
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "ProcessRunner.h"

namespace {

using BenchRun = avatar::test::Run;

BenchRun runBench(const QStringList& extra) {
    return avatar::test::runProgram(
        QStringLiteral(AVATAR_BENCH_BIN),
        QStringList{QStringLiteral("--suite"), QStringLiteral("align"), QStringLiteral("--json")} + extra,
        600000);
}

// One voice, the clean disguise, with the transcript: three cases (three speeds) per text.
const QStringList kSmall = {QStringLiteral("--voices"),    QStringLiteral("flite:slt"),
                            QStringLiteral("--disguises"), QStringLiteral("clean"),
                            QStringLiteral("--methods"),   QStringLiteral("with_transcript_sphinx")};

QJsonObject parsed(const BenchRun& r) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON (%s): %s", qPrintable(error.errorString()), r.out.constData());
    return doc.object();
}

} // namespace

class TstBenchAlign : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // By default both paragraphs: as many cases of each, each text's figures apart and the overall figure
    // their mean (each text has as many cases).
    void bothTextsByDefault() {
        const BenchRun r = runBench(kSmall);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject json = parsed(r);
        const QJsonObject texts = json[QStringLiteral("texts")].toObject();
        QCOMPARE(texts.keys(), (QStringList{QStringLiteral("bench"), QStringLiteral("ordinary")}));
        QVERIFY(texts[QStringLiteral("bench")].toString().startsWith(QStringLiteral("My brother Bob")));
        QVERIFY(texts[QStringLiteral("ordinary")].toString().startsWith(QStringLiteral("It was late")));
        const QJsonObject section = json[QStringLiteral("with_transcript_sphinx")].toObject();
        QCOMPARE(section[QStringLiteral("cases")].toInt(), 6);
        const QJsonObject byText = section[QStringLiteral("by_text")].toObject();
        const QJsonObject bench = byText[QStringLiteral("bench")].toObject();
        const QJsonObject ordinary = byText[QStringLiteral("ordinary")].toObject();
        QCOMPARE(bench[QStringLiteral("cases")].toInt(), 3);
        QCOMPARE(ordinary[QStringLiteral("cases")].toInt(), 3);
        // Each text has the per-voice and per-disguise breakdown of the whole.
        QCOMPARE(ordinary[QStringLiteral("by_voice")]
                     .toObject()[QStringLiteral("flite:slt")]
                     .toObject()[QStringLiteral("cases")]
                     .toInt(),
                 3);
        QCOMPARE(bench[QStringLiteral("by_disguise")]
                     .toObject()[QStringLiteral("clean")]
                     .toObject()[QStringLiteral("cases")]
                     .toInt(),
                 3);
        const double a = bench[QStringLiteral("frames_right")].toDouble();
        const double b = ordinary[QStringLiteral("frames_right")].toDouble();
        const double all = section[QStringLiteral("frames_right")].toDouble();
        qInfo("frames right with the transcript, clean flite:slt: bench %.4f, ordinary %.4f, both %.4f", a, b,
              all);
        // A clean voice aligned with its transcript: most frames right on both texts (about 0.9 each).
        QVERIFY(a > 0.7 && a <= 1.0);
        QVERIFY(b > 0.7 && b <= 1.0);
        QVERIFY(qAbs(all - 0.5 * (a + b)) < 1e-9);
        QVERIFY(a != b); // different speech

        // The same text in a run of its own repeats its cases exactly (same speech, same seeds).
        const BenchRun one =
            runBench(kSmall + QStringList{QStringLiteral("--texts"), QStringLiteral("ordinary")});
        QCOMPARE(one.exitCode, 0);
        const QJsonObject alone = parsed(one);
        QCOMPARE(alone[QStringLiteral("texts")].toObject().keys(), QStringList{QStringLiteral("ordinary")});
        const QJsonObject aloneSection = alone[QStringLiteral("with_transcript_sphinx")].toObject();
        QCOMPARE(aloneSection[QStringLiteral("cases")].toInt(), 3);
        QCOMPARE(aloneSection[QStringLiteral("by_text")].toObject().keys(),
                 QStringList{QStringLiteral("ordinary")});
        QCOMPARE(aloneSection[QStringLiteral("frames_right")].toDouble(), b);
    }

    // A text that is not one of the two: one message naming it, a failed run, no JSON.
    void unknownTextIsOneMessage() {
        const BenchRun r =
            runBench(kSmall + QStringList{QStringLiteral("--texts"), QStringLiteral("bench,novel")});
        QVERIFY(r.exitCode > 0);
        QVERIFY(r.out.trimmed().isEmpty());
        const QList<QByteArray> lines = r.err.trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.front().contains("'novel'") && lines.front().contains("bench, ordinary or all"),
                 r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstBenchAlign)
#include "tst_bench_align.moc"
