// `avatar-render queue`: usage errors, add/list, and the crash test of issue #6: a runner killed with
// SIGKILL mid-render, then run again, finishes every job with decodable outputs, no partial files and intact
// databases (the jobs' and the render cache's).
#include "CliRunner.h"
#include "SqliteCheck.h"
#include "media/MediaReader.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <sqlite3.h>

namespace {

using avatar::test::integrity;
using avatar::test::Run;
using avatar::test::runCli;

} // namespace

class TstQueueCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

    QJsonArray list(const QString& db) {
        const Run r = runCli({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--jobs-db"),
                              db, QStringLiteral("--json")});
        if (r.exitCode != 0)
            return {};
        return QJsonDocument::fromJson(r.out).array();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        const QString db = QStringLiteral("--jobs-db");
        QTest::newRow("no action") << QStringList{QStringLiteral("queue")}
                                   << QStringLiteral("add, run or list");
        QTest::newRow("unknown action") << QStringList{QStringLiteral("queue"), QStringLiteral("frob")}
                                        << QStringLiteral("Unknown queue command 'frob'");
        QTest::newRow("no db") << QStringList{QStringLiteral("queue"), QStringLiteral("run")}
                               << QStringLiteral("needs --jobs-db");
        QTest::newRow("bad priority")
            << QStringList{QStringLiteral("queue"), QStringLiteral("add"),        db,
                           QStringLiteral("x.db"),  QStringLiteral("--priority"), QStringLiteral("urgent")}
            << QStringLiteral("--priority expects high, normal or low");
        QTest::newRow("bad jobs")
            << QStringList{QStringLiteral("queue"), QStringLiteral("run"),    db,
                           QStringLiteral("x.db"),  QStringLiteral("--jobs"), QStringLiteral("0")}
            << QStringLiteral("--jobs expects a whole number from 1 to 16");
        QTest::newRow("bad render flag")
            << QStringList{QStringLiteral("queue"), QStringLiteral("add"),   db,
                           QStringLiteral("x.db"),  QStringLiteral("--fps"), QStringLiteral("many")}
            << QStringLiteral("The frame rate 'many' is not supported: use 1 to 60 frames per second");
        QTest::newRow("list flag")
            << QStringList{QStringLiteral("queue"), QStringLiteral("list"),   db,
                           QStringLiteral("x.db"),  QStringLiteral("--name"), QStringLiteral("n")}
            << QStringLiteral("'queue list' does not take '--name'");
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(mentions), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(!QFileInfo::exists(QStringLiteral("x.db")));
    }

    void addValidatesAndLists() {
        const QString db = path(QStringLiteral("add.db"));
        Run r = runCli({QStringLiteral("queue"), QStringLiteral("add"), QStringLiteral("--jobs-db"), db,
                        QStringLiteral("--text"), QStringLiteral("Hi."), QStringLiteral("--size"),
                        QStringLiteral("321x240"), QStringLiteral("-o"), path(QStringLiteral("a.mp4"))});
        QCOMPARE(r.exitCode, 1); // a bad spec: one clear message, nothing queued
        QVERIFY2(r.err.contains("321x240") || r.err.contains("even"), r.err.constData());
        r = runCli({QStringLiteral("queue"), QStringLiteral("add"), QStringLiteral("--jobs-db"), db,
                    QStringLiteral("--text"), QStringLiteral("Hi."), QStringLiteral("--name"),
                    QStringLiteral("Greeting"), QStringLiteral("--priority"), QStringLiteral("high"),
                    QStringLiteral("--json"), QStringLiteral("-o"), path(QStringLiteral("a.mp4"))});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject added = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(added.value(QStringLiteral("state")).toString(), QStringLiteral("queued"));
        const QJsonArray jobs = list(db);
        QCOMPARE(jobs.size(), 1);
        const QJsonObject job = jobs.at(0).toObject();
        QCOMPARE(job.value(QStringLiteral("id")).toInteger(), added.value(QStringLiteral("id")).toInteger());
        const QJsonObject spec = job.value(QStringLiteral("spec")).toObject();
        QCOMPARE(spec.value(QStringLiteral("name")).toString(), QStringLiteral("Greeting"));
        QCOMPARE(spec.value(QStringLiteral("priority")).toString(), QStringLiteral("high"));
        QCOMPARE(spec.value(QStringLiteral("render")).toObject().value(QStringLiteral("output")).toString(),
                 path(QStringLiteral("a.mp4")));
        r = runCli({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--jobs-db"),
                    path(QStringLiteral("missing.db"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("does not exist"));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("missing.db"))));
    }

    void killedRunnerResumes() {
        const QString db = path(QStringLiteral("crash.db"));
        const QStringList texts = {
            // Long (about a minute of speech, a few seconds to render) so that the kill lands mid-render.
            QStringLiteral("The first job is the long one. It talks for a while so that the runner is "
                           "still drawing frames when it is killed. ")
                .repeated(8),
            QStringLiteral("The second job."), QStringLiteral("The third job.")};
        QStringList outputs;
        for (int i = 0; i < texts.size(); ++i) {
            outputs << path(QStringLiteral("crash-%1.mp4").arg(i + 1));
            const Run r = runCli({QStringLiteral("queue"), QStringLiteral("add"), QStringLiteral("--jobs-db"),
                                  db, QStringLiteral("--text"), texts[i], QStringLiteral("--size"),
                                  QStringLiteral("320x240"), QStringLiteral("--preset"),
                                  QStringLiteral("ultrafast"), QStringLiteral("--threads"),
                                  QStringLiteral("1"), QStringLiteral("-o"), outputs.last()});
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(r.out.trimmed(), QByteArray::number(i + 1));
        }

        // Killed as soon as it says job 1 is rendering frames, with the render cache in use (segments are
        // being written to its SQLite file).
        const QString cacheDir = path(QStringLiteral("crash-cache"));
        const QString cacheDb = cacheDir + QStringLiteral("/cache.db");
        QProcess runner;
        runner.start(QStringLiteral(AVATAR_RENDER_BIN),
                     {QStringLiteral("queue"), QStringLiteral("run"), QStringLiteral("--jobs-db"), db,
                      QStringLiteral("--cache-dir"), cacheDir});
        QVERIFY(runner.waitForStarted());
        runner.setReadChannel(QProcess::StandardError); // what waitForReadyRead waits for
        QByteArray err;
        while (!err.contains("job 1: render")) {
            QVERIFY2(runner.waitForReadyRead(60000), err.constData());
            err += runner.readAllStandardError();
        }
        runner.kill(); // SIGKILL: no handler runs, the database sees a process die mid-transaction
        QVERIFY(runner.waitForFinished());
        QCOMPARE(runner.exitStatus(), QProcess::CrashExit);
        QCOMPARE(list(db).at(0).toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("running"));
        QCOMPARE(integrity(db), QStringLiteral("ok"));
        QVERIFY(QFileInfo::exists(cacheDb));
        QCOMPARE(integrity(cacheDb), QStringLiteral("ok"));
        // The killed encoder's temporary file is still there: the next run must clean it up.
        QVERIFY(!QDir(m_dir.path())
                     .entryList({QStringLiteral("crash-1.mp4.part-*")}, QDir::Files | QDir::Hidden)
                     .isEmpty());

        const Run again = runCli({QStringLiteral("queue"), QStringLiteral("run"), QStringLiteral("--jobs-db"),
                                  db, QStringLiteral("--cache-dir"), cacheDir});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(again.out.count("done"), 3);
        for (const QJsonValue& v : list(db)) {
            const QJsonObject job = v.toObject();
            QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        }
        QCOMPARE(list(db).at(0).toObject().value(QStringLiteral("attempts")).toInt(), 2);
        for (const QString& out : outputs) {
            const avatar::MediaInfo info = avatar::MediaReader::probe(out.toStdString());
            QCOMPARE(info.videoStreams, 1);
            QCOMPARE(info.audioStreams, 1);
            QCOMPARE(info.width, 320);
            QVERIFY(info.frameCount > 0);
        }
        // Nothing but the outputs, the database and its lock file: no partial or temporary file.
        for (const QString& name : QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden)) {
            QVERIFY2(!name.contains(QStringLiteral(".part-")), qPrintable(name));
            QVERIFY2(!name.startsWith(QStringLiteral(".avatar-probe")), qPrintable(name));
        }
        QCOMPARE(integrity(db), QStringLiteral("ok"));
        QCOMPARE(integrity(cacheDb), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TstQueueCli)
#include "tst_queue_cli.moc"
