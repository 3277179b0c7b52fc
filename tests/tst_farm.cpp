// The render farm (issue #16) on a real one-node Slurm cluster started in a temporary folder
// (tests/farm/slurm-cluster.sh: munged, slurmctld, slurmd): a 20-row batch as a 4-task array with tiny
// renders; every output decodes; the sentence every row says is drawn once across the tasks (the rows'
// cache statistics); a task cancelled with scancel mid-way is finished by `batch resubmit` with no row
// rendered twice; the shared cache tier removed mid-batch loses nothing (one warning, local cache);
// `batch status --json` matches the files on disk. Skips, with the reason, only where Slurm cannot start.
#include "CliRunner.h"
#include "core/JsonValue.h"
#include "farm/SlurmCluster.h"
#include "jobs/JobDatabase.h"
#include "media/MediaReader.h"
#include "project/BatchJournal.h"
#include "project/ProjectFile.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <map>

using namespace avatar;
namespace fs = std::filesystem;

namespace {

using farmtest::batchStatus;
using farmtest::run;
using farmtest::str;

constexpr int kRows = 20;
constexpr int kTasks = 4;

// Rows of one task done so far, read from its job database (fast enough to catch a task mid-way).
int rowsDone(const fs::path& batch, int task) {
    const fs::path file = batch / "jobs" / ("task-" + std::to_string(task) + ".jobs");
    if (!fs::exists(file))
        return 0;
    int done = 0;
    for (const auto& row : project::BatchJournal::rows(JobDatabase(file)))
        done += row.job.state == JobState::Done;
    return done;
}

bool arrayGone(const QString& job) {
    return run(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("-j"), job})
        .trimmed()
        .isEmpty();
}

// Waits for `done` to hold, checking every 100 ms (an event, not a time, is waited for); false after 150 s.
template <class Done> bool waitFor(Done done) {
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > 150000)
            return false;
        QThread::msleep(100);
    }
    return true;
}

} // namespace

class TestFarm : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    farmtest::SlurmCluster m_cluster{fs::path(m_dir.path().toStdString()) / "cluster"};

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString why;
        const auto started = m_cluster.start(&why);
        if (started == farmtest::SlurmCluster::Start::Unavailable)
            QSKIP(qPrintable(QStringLiteral("Slurm cannot start here: ") + why));
        QVERIFY2(started == farmtest::SlurmCluster::Start::Up, qPrintable(why));
    }

    void cleanupTestCase() { m_cluster.stop(); }

    void arrayRendersResumesAndSharesTheCache() {
        const fs::path root = fs::path(m_dir.path().toStdString()) / "farm";
        const fs::path shared = root / "shared";
        fs::create_directories(shared);
        farmtest::saveTinyProject("Hi {{name}}. {{news}} Thanks for watching.", root / "tiny.avatarproj");
        {
            std::ofstream csv(root / "rows.csv");
            // A sentence of its own per row besides the greeting, so that a row takes long enough for the
            // cancel to land mid-way.
            csv << "name,news\n";
            for (int i = 1; i <= kRows; ++i)
                csv << "Viewer" << i << ",Your order number " << i * 7
                    << " left our warehouse this morning and should reach you within three working days.\n";
        }
        const fs::path batch = root / "batch";
        int code = 0;
        QByteArray err;
        const QByteArray id =
            run(QStringLiteral(AVATAR_RENDER_BIN),
                {QStringLiteral("batch"), str(root / "tiny.avatarproj"), str(root / "rows.csv"),
                 QStringLiteral("-o"), str(root / "out" / "{{name}}.mp4"), QStringLiteral("--cache-dir"),
                 str(root / "node-cache"), QStringLiteral("--shared-cache"), str(shared),
                 QStringLiteral("--slurm"), QStringLiteral("--tasks"), QString::number(kTasks),
                 QStringLiteral("--batch-dir"), str(batch), QStringLiteral("--time"), QStringLiteral("10")},
                &code, &err)
                .trimmed();
        QVERIFY2(code == 0 && !id.isEmpty(), err.constData());
        const QString job = QString::fromUtf8(id);

        // Mid-way (every task has a row done): the shared tier goes away and task 3 is cancelled.
        auto everyTaskStarted = [&] {
            for (int t = 0; t < kTasks; ++t)
                if (rowsDone(batch, t) < 1)
                    return false;
            return true;
        };
        QVERIFY2(waitFor(everyTaskStarted), "the array's tasks did not all render a row");
        fs::rename(shared, root / "shared-gone");
        run(QStringLiteral("scancel"), {job + QStringLiteral("_3")});
        QVERIFY2(waitFor([&] { return arrayGone(job); }), "the array did not end");

        const JsonValue afterCancel = batchStatus(batch);
        const JsonValue& task3 = afterCancel.find("tasks")->array()[3];
        QVERIFY2(task3.find("done")->number() < kRows / kTasks,
                 "task 3 had finished before scancel reached it: nothing to resume");
        std::map<int, bool> doneBefore;
        for (const JsonValue& r : afterCancel.find("rows")->array())
            doneBefore[static_cast<int>(r.find("row")->number())] = r.find("state")->string() == "done";

        const QByteArray again =
            run(QStringLiteral(AVATAR_RENDER_BIN),
                {QStringLiteral("batch"), QStringLiteral("resubmit"), str(batch)}, &code, &err)
                .trimmed();
        QVERIFY2(code == 0 && !again.isEmpty(), err.constData());
        QVERIFY(err.contains("tasks 3 again")); // only the cancelled task
        QVERIFY2(waitFor([&] { return arrayGone(QString::fromUtf8(again)); }),
                 "the resubmitted task did not end");

        // Every row done, its video on disk and decodable; status says exactly what is on disk.
        const JsonValue final = batchStatus(batch);
        QCOMPARE(final.find("done")->number(), double(kRows));
        QCOMPARE(final.find("failed")->number(), 0.0);
        QCOMPARE(final.find("missing")->number(), 0.0);
        QVERIFY(final.find("videos_per_minute")->number() > 0);
        int onDisk = 0;
        for (const auto& e : fs::directory_iterator(root / "out"))
            onDisk += e.path().extension() == ".mp4";
        QCOMPARE(onDisk, kRows);
        double segments = 0;
        for (const JsonValue& r : final.find("rows")->array()) {
            const fs::path out = r.find("output")->string();
            QVERIFY2(MediaReader::probe(out).frameCount > 0, out.c_str());
            segments += r.find("segments_rendered")->number();
            const int row = static_cast<int>(r.find("row")->number());
            // Nothing rendered twice: a row done before the cancel ran once; the others at most twice (the
            // row task 3 was drawing when it was cancelled).
            QVERIFY(r.find("attempts")->number() <= (doneBefore[row] ? 1 : 2));
        }
        // Each row's two sentences of its own once, and the sentence they all say once across the four tasks:
        // 2 x rows + 1 at most. One fewer is counted when the row task 3 was drawing at the cancel had
        // already stored a segment in the cache (its database counts the finishing attempt's draws only).
        QVERIFY2(segments <= double(2 * kRows + 1) && segments >= double(2 * kRows),
                 qPrintable(QString::number(segments)));

        // The tier that went away was one warning per task that met it, never a failure.
        int warned = 0;
        for (const auto& e : fs::directory_iterator(batch / "logs")) {
            std::ifstream in(e.path());
            const std::string log{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            std::size_t count = 0;
            for (std::size_t at = log.find("shared cache"); at != std::string::npos;
                 at = log.find("shared cache", at + 1))
                ++count;
            QVERIFY2(count <= 1, e.path().c_str());
            warned += static_cast<int>(count);
        }
        QVERIFY(warned >= 1);
    }
};

QTEST_GUILESS_MAIN(TestFarm)
#include "tst_farm.moc"
