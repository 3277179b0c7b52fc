// CSV batches (issue #14): RFC 4180 edge cases (quotes, embedded commas and line breaks, CRLF, BOM, UTF-8),
// {{column}} placeholders, every bad row reported at once before anything renders, and the CLI's batch
// command rendering one decodable video per row with the sentences without placeholders reused.
#include "CliRunner.h"
#include "core/Error.h"
#include "core/JsonValue.h"
#include "media/MediaReader.h"
#include "media/Mp4Encoder.h"
#include "project/BatchJournal.h"
#include "project/BatchPlan.h"
#include "project/CsvTable.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <set>

using namespace avatar;
using namespace avatar::project;
namespace fs = std::filesystem;

namespace {

using Rows = std::vector<std::vector<std::string>>;

Project greeting() {
    Project p;
    project::Scene s;
    s.script = "Hello {{name}}. Thanks for choosing us.";
    s.overlays = {{TextOverlay::Kind::LowerThird, "{{ name }}", "{{company}}"}};
    p.scenes = {s};
    return p;
}

} // namespace

class TestBatch : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void parsesRfc4180_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("value");
        QTest::newRow("plain") << QByteArray("a,b\n1,2\n") << 1 << 0 << 1 << QStringLiteral("2");
        QTest::newRow("crlf") << QByteArray("a,b\r\n1,2\r\n3,4\r\n") << 2 << 1 << 1 << QStringLiteral("4");
        QTest::newRow("no final newline") << QByteArray("a,b\n1,2") << 1 << 0 << 1 << QStringLiteral("2");
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBFname\nAnn\n") << 1 << 0 << 0 << QStringLiteral("Ann");
        QTest::newRow("comma in quotes")
            << QByteArray("a,b\n\"Acme, Inc.\",x\n") << 1 << 0 << 0 << QStringLiteral("Acme, Inc.");
        QTest::newRow("doubled quote")
            << QByteArray("a\n\"say \"\"hi\"\"\"\n") << 1 << 0 << 0 << QStringLiteral("say \"hi\"");
        QTest::newRow("newline in quotes")
            << QByteArray("a,b\n\"two\r\nlines\",x\n3,4\n") << 2 << 0 << 0 << QStringLiteral("two\r\nlines");
        QTest::newRow("empty fields") << QByteArray("a,b,c\n,,\n") << 1 << 0 << 2 << QString();
        QTest::newRow("empty quoted") << QByteArray("a,b\n\"\",x\n") << 1 << 0 << 0 << QString();
        QTest::newRow("blank lines skipped")
            << QByteArray("a\n\nAnn\n\n") << 1 << 0 << 0 << QStringLiteral("Ann");
        QTest::newRow("utf-8") << QByteArray("name\nZoë 王\n") << 1 << 0 << 0 << QStringLiteral("Zoë 王");
        QTest::newRow("spaces kept") << QByteArray("a\n  x  \n") << 1 << 0 << 0 << QStringLiteral("  x  ");
    }

    void parsesRfc4180() {
        QFETCH(QByteArray, text);
        QFETCH(int, rows);
        QFETCH(int, row);
        QFETCH(int, column);
        QFETCH(QString, value);
        const CsvTable t = CsvTable::parse(text.toStdString(), "data.csv");
        QCOMPARE(int(t.rows.size()), rows);
        QCOMPARE(QString::fromStdString(t.rows[std::size_t(row)][std::size_t(column)]), value);
    }

    void linesOfRowsCountEmbeddedBreaks() {
        const CsvTable t = CsvTable::parse("a,b\n\"x\ny\nz\",1\nlast,2\n", "data.csv");
        QCOMPARE(t.lines, (std::vector<int>{2, 5}));
        QCOMPARE(t.header, (std::vector<std::string>{"a", "b"}));
    }

    void refusesBrokenCsv_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("open quote") << QByteArray("a\n\"never closed\n")
                                    << QStringLiteral("line 2: a quoted field is never closed");
        QTest::newRow("text after quote")
            << QByteArray("a\n\"x\"y\n") << QStringLiteral("text after a closing quote");
        QTest::newRow("stray quote") << QByteArray("a\nx\"y\n") << QStringLiteral("double the quote");
        QTest::newRow("ragged") << QByteArray("a,b\n1,2\n3\n")
                                << QStringLiteral("line 3: the row has 1 fields, the header 2");
        QTest::newRow("empty") << QByteArray("") << QStringLiteral("is empty");
        QTest::newRow("nameless column")
            << QByteArray("a,,b\n1,2,3\n") << QStringLiteral("a column has no name");
        QTest::newRow("repeated column") << QByteArray("a,a\n1,2\n") << QStringLiteral("'a' appears twice");
        QTest::newRow("latin-1") << QByteArray("name\nZo\xEB\n") << QStringLiteral("not UTF-8");
    }

    void refusesBrokenCsv() {
        QFETCH(QByteArray, text);
        QFETCH(QString, says);
        try {
            CsvTable::parse(text.toStdString(), "data.csv");
            QFAIL("accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidInput);
            QVERIFY2(QString::fromUtf8(e.what()).contains(says), e.what());
        }
    }

    void fillsPlaceholders() {
        const std::map<std::string, std::string> v{{"name", "Ann"}, {"x", "{{name}}"}};
        QCOMPARE(Placeholders::fill("Hi {{name}}, {{ name }}!", v), std::string("Hi Ann, Ann!"));
        // Values are not expanded again, unknown names and broken braces stay as written.
        QCOMPARE(Placeholders::fill("{{x}} {{y}} {{name", v), std::string("{{name}} {{y}} {{name"));
        QCOMPARE(Placeholders::names("{{a}} {{ b }} {{a}} {{}}"), (std::vector<std::string>{"a", "b"}));
    }

    void plansRowsAndReportsEveryBadRow() {
        const CsvTable data = CsvTable::parse("name,company\n"
                                              "Ann,Acme\n"
                                              ",Beta\n"
                                              "../evil,Gamma\n"
                                              "Ann,Delta\n"
                                              "Bob,\n"
                                              "Cy,\"Cy, Ltd\"\n",
                                              "data.csv");
        const BatchPlan plan = BatchPlan::make(greeting(), data, "out/{{name}}.mp4");
        QVERIFY(plan.problems.empty());
        QCOMPARE(plan.rows.size(), std::size_t{6});
        QCOMPARE(plan.invalidRows(), 5);
        QVERIFY(!plan.valid());
        const auto has = [&](int row, const char* text) {
            for (const std::string& p : plan.rows[std::size_t(row - 1)].problems)
                if (p.find(text) != std::string::npos)
                    return true;
            return false;
        };
        QVERIFY(has(1, "is also row 4's"));
        QVERIFY(has(4, "is also row 1's"));
        QVERIFY(has(2, "the value of 'name' is empty"));
        QCOMPARE(plan.rows[1].problems.size(),
                 std::size_t{1}); // one clear message, not a second about ".mp4"
        QVERIFY(has(3, "outside the output folder"));
        QVERIFY(has(5, "the value of 'company' is empty"));
        QVERIFY(plan.rows[5].problems.empty());
        QCOMPARE(plan.rows[5].project.scenes[0].script, std::string("Hello Cy. Thanks for choosing us."));
        QCOMPARE(plan.rows[5].project.scenes[0].overlays[0].text, std::string("Cy"));
        QCOMPARE(plan.rows[5].project.scenes[0].overlays[0].detail, std::string("Cy, Ltd"));
        QCOMPARE(plan.rows[5].output, fs::path("out/Cy.mp4"));
        const std::vector<std::string> report = plan.report();
        QCOMPARE(report.size(), std::size_t{5});
        QCOMPARE(report[0], std::string("row 1 (line 2): the output 'out/Ann.mp4' is also row 4's"));

        // A placeholder without a column fails the whole batch once.
        const BatchPlan missing =
            BatchPlan::make(greeting(), CsvTable::parse("name\nAnn\n", "d.csv"), "{{name}}.mp4");
        QCOMPARE(missing.problems.size(), std::size_t{1});
        QVERIFY(missing.problems[0].find("'company'") != std::string::npos);
        // An output name without a placeholder would overwrite itself.
        const BatchPlan same = BatchPlan::make(greeting(), data, "out.mp4");
        QVERIFY(!same.problems.empty());
    }

    // A row's name that is a symbolic link in the output folder (planted, or left from elsewhere) would
    // write the video wherever it points: refused like a name with a slash (issue #15 item 5).
    void symlinkInOutputFolderIsRefused() {
        const fs::path folder = fs::path(m_dir.path().toStdString()) / "links";
        fs::create_directories(folder);
        fs::create_symlink(fs::path(m_dir.path().toStdString()) / "elsewhere.mp4", folder / "Eve.mp4");
        const BatchPlan plan =
            BatchPlan::make(greeting(), CsvTable::parse("name,company\nEve,Acme\nAnn,Acme\n", "d.csv"),
                            (folder / "{{name}}.mp4").string());
        QCOMPARE(plan.invalidRows(), 1);
        QCOMPARE(plan.rows[0].problems.size(), std::size_t{1});
        QVERIFY(plan.rows[0].problems[0].find("outside the output folder") != std::string::npos);
        QVERIFY(plan.rows[1].problems.empty());
    }

    void cliRendersRowsAndRefusesBadData() {
        QVERIFY(m_dir.isValid());
        const fs::path root = m_dir.path().toStdString();
        std::ofstream(root / "greeting.txt") << "Hello {{name}}. This sentence is the same for everyone.";
        std::ofstream(root / "good.csv", std::ios::binary) << "\xEF\xBB\xBFname\r\nAnn\r\n\"Bob, Jr\"\r\n";
        std::ofstream(root / "bad.csv", std::ios::binary) << "name\nAnn\n\nAnn\n../x\n";
        const QString script = QString::fromStdString((root / "greeting.txt").string());
        const QString pattern = QString::fromStdString((root / "out" / "{{name}}.mp4").string());
        const QString cacheDir = QString::fromStdString((root / "cache").string());

        const test::Run bad =
            test::runCli({QStringLiteral("batch"), QStringLiteral("--script"), script,
                          QString::fromStdString((root / "bad.csv").string()), QStringLiteral("-o"), pattern,
                          QStringLiteral("--cache-dir"), cacheDir});
        QCOMPARE(bad.exitCode, 1);
        const QStringList lines = test::nonEmptyLines(bad.err);
        QCOMPARE(lines.size(), 4); // rows 1 and 2 collide, row 3 leaves the folder, and the summary
        QVERIFY(lines.last().contains(QStringLiteral("3 of 3 rows are invalid; nothing was rendered")));
        QVERIFY(!fs::exists(root / "out"));

        const test::Run good =
            test::runCli({QStringLiteral("batch"), QStringLiteral("--script"), script,
                          QString::fromStdString((root / "good.csv").string()), QStringLiteral("-o"), pattern,
                          QStringLiteral("--cache-dir"), cacheDir, QStringLiteral("--json")});
        QVERIFY2(good.exitCode == 0, good.err.constData());
        const JsonValue json = JsonValue::parse(good.out.trimmed().toStdString());
        const auto& videos = json.find("videos")->array();
        QCOMPARE(videos.size(), std::size_t{2});
        for (const JsonValue& v : videos) {
            const fs::path file = v.find("output")->string();
            QCOMPARE(double(MediaReader::probe(file).frameCount), v.find("frames")->number());
        }
        QVERIFY(fs::exists(root / "out" / "Bob, Jr.mp4"));
        // The second row draws only its greeting: the shared sentence comes from the cache.
        QVERIFY(videos[1].find("frames_rendered")->number() < videos[1].find("frames")->number());
        QVERIFY(videos[1].find("frames_rendered")->number() > 0);

        // --skip-invalid renders the valid rows and warns about the others.
        std::ofstream(root / "mixed.csv") << "name\nCy\n\n../x\n";
        const test::Run mixed =
            test::runCli({QStringLiteral("batch"), QStringLiteral("--script"), script,
                          QString::fromStdString((root / "mixed.csv").string()), QStringLiteral("-o"),
                          pattern, QStringLiteral("--cache-dir"), cacheDir, QStringLiteral("--skip-invalid"),
                          QStringLiteral("-q")});
        QVERIFY2(mixed.exitCode == 0, mixed.err.constData());
        QVERIFY(QString::fromUtf8(mixed.err).contains(QStringLiteral("warning: row 2 (line 4)")));
        QVERIFY(fs::exists(root / "out" / "Cy.mp4"));
    }
    // Every row is a job in the batch's database (issue #14 item 4): a batch killed mid-way (SIGKILL, so
    // nothing of the process runs after it) resumes where it stopped, a failed row is retried by the next
    // run while the rows done are not rendered again, and a re-run of a finished batch renders nothing.
    // A runner killed between the encoder's rename and the journal's Done leaves a whole video behind a job
    // still marked Running. The next runner adopts that video (Done, attempts unchanged) instead of
    // rendering it again; a file older than the attempt, or one that is not a video, is rendered again.
    void journalAdoptsVideoFinishedBeforeTheKill() {
        QVERIFY(m_dir.isValid());
        const fs::path root = fs::path(m_dir.path().toStdString()) / "adopt";
        fs::create_directories(root);
        const fs::path database = root / "jobs.db";
        std::vector<BatchRow> rows(3);
        for (int i = 0; i < 3; ++i) {
            rows[std::size_t(i)].number = i + 1;
            rows[std::size_t(i)].output = root / ("row" + std::to_string(i + 1) + ".mp4");
            rows[std::size_t(i)].project = greeting();
            rows[std::size_t(i)].project.scenes[0].script = "Row " + std::to_string(i + 1);
        }
        // An old file at row 2's path, written before its attempt starts.
        std::ofstream(rows[1].output) << "old";
        fs::last_write_time(rows[1].output, fs::file_time_type::clock::now() - std::chrono::hours(1));
        {
            BatchJournal journal(database, "digest");
            for (const BatchRow& row : rows)
                journal.start(row); // all three Running, then the runner "dies" (no finish, no stop)
        }
        // Row 1: a whole video finished during its attempt. Row 3: a file cut short.
        EncoderSettings settings;
        settings.width = 64;
        settings.height = 48;
        settings.fps = 10;
        AudioTrack audio{16000, std::vector<std::int16_t>(8000)};
        {
            Mp4Encoder encoder(rows[0].output, settings, audio);
            Image frame(64, 48);
            for (std::int64_t f = 0; f < Mp4Encoder::framesForDuration(audio.duration(), settings.fps); ++f)
                encoder.writeFrame(frame);
            encoder.finish();
        }
        std::ofstream(rows[2].output) << "ftyp but nothing else";

        BatchJournal journal(database, "digest");
        QVERIFY(journal.done(rows[0]));
        QVERIFY(!journal.done(rows[1]));
        QVERIFY(!journal.done(rows[2]));
        const std::vector<BatchJournal::Row> recorded = BatchJournal::rows(JobDatabase(database));
        QCOMPARE(int(recorded.size()), 3);
        for (const BatchJournal::Row& r : recorded) {
            QCOMPARE(r.job.attempts, 1);
            if (r.number == 1) {
                QCOMPARE(r.job.state, JobState::Done);
                QCOMPARE(r.job.result.output, rows[0].output);
                QCOMPARE(r.job.result.frames, 5LL);
                QCOMPARE(r.job.result.width, 64);
                QCOMPARE(r.job.result.fps, 10);
            } else {
                QCOMPARE(r.job.state, JobState::Interrupted);
            }
        }
    }

    void batchResumesAfterCrashAndRetriesFailedRows() {
        QVERIFY(m_dir.isValid());
        const fs::path root = fs::path(m_dir.path().toStdString()) / "resume";
        fs::create_directories(root / "out" / "Cal.mp4"); // a folder where row 3's video goes: it fails
        std::ofstream(root / "s.txt") << "Hi {{name}}. The rest is the same for every row.";
        std::ofstream(root / "d.csv") << "name\nAl\nBo\nCal\nDi\nEd\nFay\n";
        const QStringList args{QStringLiteral("batch"),
                               QStringLiteral("--script"),
                               QString::fromStdString((root / "s.txt").string()),
                               QString::fromStdString((root / "d.csv").string()),
                               QStringLiteral("-o"),
                               QString::fromStdString((root / "out" / "{{name}}.mp4").string()),
                               QStringLiteral("--cache-dir"),
                               QString::fromStdString((root / "cache").string()),
                               QStringLiteral("--json")};

        // Killed once its second video is on disk, so row 1 is recorded done (the wait is for that event,
        // not for a time).
        QProcess first;
        first.start(QStringLiteral(AVATAR_RENDER_BIN), args);
        QVERIFY(first.waitForStarted());
        while (!fs::exists(root / "out" / "Bo.mp4") && first.state() == QProcess::Running)
            first.waitForFinished(50);
        first.kill();
        first.waitForFinished();
        QVERIFY(fs::exists(root / "out" / "Al.mp4"));
        QVERIFY(fs::exists(root / "out" / ".avatar-batch.jobs")); // the default database, beside the videos

        auto counts = [](const test::Run& run) {
            const JsonValue json = JsonValue::parse(run.out.trimmed().toStdString());
            std::set<int> rows;
            for (const JsonValue& v : json.find("videos")->array()) {
                rows.insert(static_cast<int>(v.find("row")->number()));
                const fs::path file = v.find("output")->string();
                if (MediaReader::probe(file).frameCount != static_cast<long long>(v.find("frames")->number()))
                    rows.insert(-1); // a video that does not decode to its frames
            }
            const JsonValue* done = json.find("already_done");
            const JsonValue* failed = json.find("failed");
            return std::tuple{rows, done ? static_cast<int>(done->number()) : -1,
                              failed ? static_cast<int>(failed->number()) : -1};
        };

        const test::Run second = test::runCli(args);
        QCOMPARE(second.exitCode, 1); // row 3 failed; the others went on
        QVERIFY(QString::fromUtf8(second.err).contains(QStringLiteral("row 3:")));
        const auto [rows2, done2, failed2] = counts(second);
        QCOMPARE(failed2, 1);
        QVERIFY(!rows2.count(1) && !rows2.count(-1)); // row 1 was done before the kill: not rendered again
        QCOMPARE(done2 + static_cast<int>(rows2.size()), 5);
        for (const char* name : {"Al", "Bo", "Di", "Ed", "Fay"})
            QVERIFY2(fs::is_regular_file(root / "out" / (std::string(name) + ".mp4")), name);

        fs::remove(root / "out" / "Cal.mp4");
        const test::Run third = test::runCli(args);
        QVERIFY2(third.exitCode == 0, third.err.constData());
        const auto [rows3, done3, failed3] = counts(third);
        QCOMPARE(rows3, std::set<int>{3}); // only the failed row
        QCOMPARE(done3, 5);
        QCOMPARE(failed3, 0);

        // A video deleted since is rendered again; the rest are not.
        fs::remove(root / "out" / "Ed.mp4");
        const auto [rows4, done4, failed4] = counts(test::runCli(args));
        QCOMPARE(rows4, std::set<int>{5});
        QCOMPARE(done4, 5);
        QCOMPARE(failed4, 0);
    }
    // The Slurm side without Slurm (tst_farm runs it on a real cluster): --slurm --dry-run writes the batch
    // folder and the array script, each task renders its rows with --shard, and `batch status --json` and
    // `batch resubmit --dry-run` follow the task databases and the files on disk.
    void slurmFolderShardsAndStatus() {
        QVERIFY(m_dir.isValid());
        const fs::path root = fs::path(m_dir.path().toStdString()) / "farm";
        fs::create_directories(root);
        std::ofstream(root / "s.txt") << "Hi {{name}}. The rest is the same for every row.";
        std::ofstream(root / "d.csv") << "name\nAl\nBo\nCal\n";
        const QString batch = QString::fromStdString((root / "batch").string());
        const test::Run submit = test::runCli(
            {QStringLiteral("batch"), QStringLiteral("--script"),
             QString::fromStdString((root / "s.txt").string()),
             QString::fromStdString((root / "d.csv").string()), QStringLiteral("-o"),
             QString::fromStdString((root / "out" / "{{name}}.mp4").string()), QStringLiteral("--slurm"),
             QStringLiteral("--tasks"), QStringLiteral("2"), QStringLiteral("--batch-dir"), batch,
             QStringLiteral("--partition"), QStringLiteral("render"), QStringLiteral("--dry-run")});
        QVERIFY2(submit.exitCode == 0, submit.err.constData());
        std::ifstream in(root / "batch" / "run.sbatch");
        const std::string script{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        QVERIFY(script.find("#SBATCH --array=0-1\n") != std::string::npos);
        QVERIFY(script.find("#SBATCH --partition=render\n") != std::string::npos);
        QVERIFY(script.find(" batch --shard '" + (root / "batch").string() + "'") != std::string::npos);
        QVERIFY(!fs::exists(root / "out")); // nothing rendered at submission

        auto status = [&] {
            const test::Run r = test::runCli(
                {QStringLiteral("batch"), QStringLiteral("status"), batch, QStringLiteral("--json")});
            return JsonValue::parse(r.out.trimmed().toStdString());
        };
        auto resubmitList = [&] {
            return test::runCli({QStringLiteral("batch"), QStringLiteral("resubmit"), batch,
                                 QStringLiteral("--dry-run")})
                .out.trimmed();
        };
        QCOMPARE(status().find("missing")->number(), 3.0);
        QCOMPARE(resubmitList(), QByteArray("0,1"));

        const test::Run task1 =
            test::runCli({QStringLiteral("batch"), QStringLiteral("--shard"), batch, QStringLiteral("--task"),
                          QStringLiteral("1"), QStringLiteral("--json")});
        QVERIFY2(task1.exitCode == 0, task1.err.constData());
        const JsonValue one = status();
        QCOMPARE(one.find("done")->number(), 1.0); // row 2 is task 1's: (2 - 1) mod 2
        QCOMPARE(one.find("missing")->number(), 2.0);
        for (const JsonValue& row : one.find("rows")->array())
            QCOMPARE(row.find("state")->string() == "done", fs::exists(row.find("output")->string()));
        QCOMPARE(resubmitList(), QByteArray("0"));

        QCOMPARE(test::runCli({QStringLiteral("batch"), QStringLiteral("--shard"), batch,
                               QStringLiteral("--task"), QStringLiteral("0"), QStringLiteral("-q")})
                     .exitCode,
                 0);
        const JsonValue all = status();
        QCOMPARE(all.find("done")->number(), 3.0);
        for (const JsonValue& row : all.find("rows")->array())
            QVERIFY(MediaReader::probe(row.find("output")->string()).frameCount > 0);
        QVERIFY(test::runCli(
                    {QStringLiteral("batch"), QStringLiteral("resubmit"), batch, QStringLiteral("--dry-run")})
                    .err.contains("Nothing to resubmit"));
        // A task the folder does not have is refused with one line.
        const test::Run bad = test::runCli({QStringLiteral("batch"), QStringLiteral("--shard"), batch,
                                            QStringLiteral("--task"), QStringLiteral("2")});
        QCOMPARE(bad.exitCode, 2);
        QCOMPARE(test::nonEmptyLines(bad.err).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestBatch)
#include "tst_batch.moc"
