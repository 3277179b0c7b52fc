// A studio batch resumes after a crash (issue #14): avatar-studio renders a CSV batch, is killed with
// SIGKILL half-way, and started again; the batch goes on from where it was. Every output path holds either
// nothing or a whole video, each row's video is made exactly once (those done before the kill are not
// touched again), and the rows are jobs of the batch folder's job database, as `avatar-render batch` keeps
// them.
#include "jobs/JobDatabase.h"
#include "media/MediaReader.h"
#include "project/BatchFolder.h"
#include "project/BatchJournal.h"
#include "project/ProjectFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>

#include <csignal>
#include <sys/stat.h>

using namespace avatar;

namespace {

constexpr int kRows = 6;

QString name(int row) {
    return QStringLiteral("Customer%1").arg(row);
}

// Inode and modification time: a video written again would be a new file (the encoder renames a temporary
// file onto the output).
struct FileId {
    ino_t inode = 0;
    qint64 mtimeNs = 0;
    bool operator==(const FileId&) const = default;
};

FileId fileId(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return {st.st_ino, qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
}

// A whole video: its container opens and it has the frames and sound of a row ("Hello CustomerN. ..." at
// 10 fps is about three seconds).
void checkVideo(const QString& path) {
    MediaReader video(path.toStdString());
    QCOMPARE(video.info().width, 160);
    QCOMPARE(video.info().height, 120);
    QVERIFY2(video.info().frameCount > 15, qPrintable(path));
    QVERIFY(video.info().audioStreams == 1);
    QVERIFY(std::abs(video.info().audioDuration - video.info().videoDuration) < 0.2);
}

} // namespace

class TestGuiBatchResume : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString& name) const { return m_dir.filePath(name); }
    QString output(int row) const { return path(QStringLiteral("out/Batch/%1.mp4").arg(name(row))); }

    // The studio on its own settings, job database, cache and data folders: nothing of the user's is read.
    void start(QProcess& studio, const QStringList& extra) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("QT_MEDIA_BACKEND"), QStringLiteral("ffmpeg"));
        for (const char* xdg : {"XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"})
            env.insert(QLatin1String(xdg), path(QLatin1String(xdg)));
        studio.setProcessEnvironment(env);
        studio.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        studio.start(QStringLiteral(AVATAR_STUDIO_BIN),
                     QStringList{QStringLiteral("--settings"), path(QStringLiteral("studio.ini")),
                                 QStringLiteral("--jobs-db"), path(QStringLiteral("jobs.db"))} +
                         extra);
        QVERIFY(studio.waitForStarted());
    }

    QString pendingBatch() const {
        return QSettings(path(QStringLiteral("studio.ini")), QSettings::IniFormat)
            .value(QStringLiteral("batch/pending"))
            .toString();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        project::Project p;
        p.output.width = 160;
        p.output.height = 120;
        p.output.fps = 10;
        project::Scene scene;
        scene.script = "Hello {{name}}. This short video was made for you.";
        p.scenes = {scene};
        project::ProjectFile::save(p, path(QStringLiteral("batch.avatarproj")).toStdString());
        QFile csv(path(QStringLiteral("people.csv")));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("name\n");
        for (int row = 1; row <= kRows; ++row)
            csv.write(name(row).toUtf8() + "\n");
        csv.close();
        QSettings settings(path(QStringLiteral("studio.ini")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("output/folder"), path(QStringLiteral("out")));
    }

    void killedBatchResumes() {
        std::map<int, FileId> beforeKill;
        QString batchDir;
        {
            QProcess studio;
            start(studio, {QStringLiteral("--project"), path(QStringLiteral("batch.avatarproj")),
                           QStringLiteral("--batch"), path(QStringLiteral("people.csv"))});
            // Killed as soon as the first video is there: the second row is rendering then.
            QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(output(1)), 240000);
            ::kill(pid_t(studio.processId()), SIGKILL);
            QVERIFY(studio.waitForFinished());
            QCOMPARE(studio.exitStatus(), QProcess::CrashExit);
        }
        batchDir = pendingBatch();
        QVERIFY2(!batchDir.isEmpty(), "the studio did not note its batch before rendering");
        QVERIFY(QFileInfo::exists(QDir(batchDir).filePath(QStringLiteral("batch.json"))));
        // The folder remembers the spreadsheet it was made from: the dialog names it, not its hidden copy.
        QCOMPARE(project::BatchFolder::open(batchDir.toStdString()).source.string(),
                 path(QStringLiteral("people.csv")).toStdString());
        // Whatever the kill interrupted: an output path holds a whole video or nothing.
        for (int row = 1; row <= kRows; ++row)
            if (QFileInfo::exists(output(row))) {
                checkVideo(output(row));
                beforeKill[row] = fileId(output(row));
            }
        QVERIFY(!beforeKill.empty());
        QVERIFY2(int(beforeKill.size()) < kRows, "the batch ended before the kill: nothing to resume");

        {
            // Started again with no batch on the command line: it resumes by itself.
            QProcess studio;
            start(studio, {});
            QTRY_VERIFY_WITH_TIMEOUT(pendingBatch().isEmpty(), 300000);
            studio.kill();
            studio.waitForFinished();
        }
        for (int row = 1; row <= kRows; ++row)
            checkVideo(output(row));
        for (const auto& [row, id] : beforeKill)
            QVERIFY2(fileId(output(row)) == id,
                     qPrintable(QStringLiteral("row %1 was rendered again").arg(row)));
        // No partial or temporary file is left beside the videos.
        const QStringList left = QDir(path(QStringLiteral("out/Batch")))
                                     .entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
        QVERIFY2(left.size() == kRows, qPrintable(left.join(u' ')));
        // The rows are jobs of the batch folder's database: all Done, each started once, but for the one the
        // kill interrupted (started twice).
        const JobDatabase db(project::BatchFolder::open(batchDir.toStdString()).jobsFile(0));
        const std::vector<project::BatchJournal::Row> rows = project::BatchJournal::rows(db);
        QCOMPARE(int(rows.size()), kRows);
        int restarted = 0;
        for (const project::BatchJournal::Row& r : rows) {
            QCOMPARE(r.job.state, JobState::Done);
            QCOMPARE(r.job.result.output.string(), output(r.number).toStdString());
            if (beforeKill.count(r.number))
                QCOMPARE(r.job.attempts, 1);
            else
                QVERIFY(r.job.attempts == 1 || r.job.attempts == 2);
            restarted += r.job.attempts - 1;
        }
        QVERIFY(restarted <= 1);
    }
};

QTEST_GUILESS_MAIN(TestGuiBatchResume)
#include "tst_gui_batch_resume.moc"
