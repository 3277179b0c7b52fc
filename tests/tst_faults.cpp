// Injected faults (issue #15 item 3) and the one temp-then-rename writer (issue #17 item 5): a full disk
// while encoding, while writing the cache and while writing the job database (a small tmpfs mounted by the
// test, as root); a read-only cache folder; a cache or job database damaged between runs; model files missing
// or cut short; the output folder removed mid-render; SIGKILL at seeded random moments of `avatar-render
// queue run`. Each fault must end in one clear message or a good video, never a crash, a partial file or a
// damaged database.
#include "CliRunner.h"
#include "SqliteCheck.h"
#include "core/AtomicFile.h"
#include "core/Error.h"
#include "face/FaceAnalyzer.h"
#include "media/MediaReader.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <random>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using avatar::AtomicFile;
using avatar::test::integrity;
using avatar::test::Run;
using avatar::test::runCli;
namespace fs = std::filesystem;

// How many times each job reached `done` according to the job database's log.
QMap<qint64, int> doneCounts(const QString& file) {
    QMap<qint64, int> counts;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.toLocal8Bit().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(db,
                               "SELECT job_id, COUNT(*) FROM job_log WHERE to_state = 'done' GROUP BY job_id",
                               -1, &q, nullptr) == SQLITE_OK)
            while (sqlite3_step(q) == SQLITE_ROW)
                counts[sqlite3_column_int64(q, 0)] = sqlite3_column_int(q, 1);
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return counts;
}

// Each job's state in id order, read from the database itself (faster than a process per look).
QStringList jobStates(const QString& file) {
    QStringList states;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.toLocal8Bit().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT state FROM jobs ORDER BY id", -1, &q, nullptr) == SQLITE_OK)
            while (sqlite3_step(q) == SQLITE_ROW)
                states << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return states;
}

QByteArray readAll(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& file, const QByteArray& bytes) {
    QFile f(file);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// A video that decodes: one video and one audio stream and frames. False for anything else (a partial file).
bool decodes(const QString& file) {
    try {
        const avatar::MediaInfo info = avatar::MediaReader::probe(file.toStdString());
        return info.videoStreams == 1 && info.audioStreams == 1 && info.frameCount > 0;
    } catch (const avatar::Error&) {
        return false;
    }
}

// Files in `dir` whose names say they are temporary (an encoder's ".part-" or the writability probe).
QStringList leftovers(const QString& dir) {
    QStringList found;
    for (const QString& name : QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System))
        if (name.contains(QStringLiteral(".part-")) || name.startsWith(QStringLiteral(".avatar-probe")))
            found << name;
    return found;
}

// The smallest renders that still go through every stage: tiny frames, a short sentence, one thread.
QStringList tinyRender(const QString& text, const QString& output) {
    return {QStringLiteral("--text"),    text,
            QStringLiteral("--size"),    QStringLiteral("160x120"),
            QStringLiteral("--preset"),  QStringLiteral("ultrafast"),
            QStringLiteral("--threads"), QStringLiteral("1"),
            QStringLiteral("-o"),        output};
}

// A tmpfs of `bytes` mounted on a new folder for the life of the object (as root); unmounted lazily so that a
// failing test never leaves it behind.
class Tmpfs {
public:
    Tmpfs(const QString& dir, qint64 bytes) : m_dir(dir) {
        QDir().mkpath(dir);
        const QByteArray options = "size=" + QByteArray::number(bytes) + ",mode=0700";
        if (::mount("tmpfs", dir.toLocal8Bit().constData(), "tmpfs", MS_NOSUID | MS_NODEV,
                    options.constData()) == 0)
            m_mounted = true;
        else
            m_error = QString::fromLocal8Bit(std::strerror(errno));
    }
    ~Tmpfs() {
        if (m_mounted)
            ::umount2(m_dir.toLocal8Bit().constData(), MNT_DETACH);
    }
    Tmpfs(const Tmpfs&) = delete;
    Tmpfs& operator=(const Tmpfs&) = delete;

    bool mounted() const { return m_mounted; }
    QString why() const { return QStringLiteral("mounting a tmpfs is not permitted here (%1)").arg(m_error); }
    bool remountReadOnly() {
        return ::mount(nullptr, m_dir.toLocal8Bit().constData(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) ==
               0;
    }
    // Fills the file system with "filler" until it is full: the next write of data fails with ENOSPC.
    bool fill() {
        const QByteArray path = (m_dir + QStringLiteral("/filler")).toLocal8Bit();
        const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0)
            return false;
        const std::vector<char> block(4096, 'x');
        while (::write(fd, block.data(), block.size()) > 0) {
        }
        const bool full = errno == ENOSPC;
        ::close(fd);
        return full;
    }
    bool unfill() { return QFile::remove(m_dir + QStringLiteral("/filler")); }

private:
    QString m_dir;
    bool m_mounted = false;
    QString m_error;
};

#define REQUIRE_TMPFS(fs)                                                                                    \
    do {                                                                                                     \
        if (!(fs).mounted())                                                                                 \
            QSKIP(qPrintable((fs).why()));                                                                   \
    } while (false)

} // namespace

class TstFaults : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_warmCache; // the default portrait's face analysis, so that renders skip dlib's model load
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QStringList warm() const { return {QStringLiteral("--cache-dir"), m_warmCache}; }
    // A cache folder of its own that starts with the warm cache's contents.
    bool seedCache(const QString& dir) const {
        return QDir().mkpath(dir) &&
               QFile::copy(m_warmCache + QStringLiteral("/cache.db"), dir + QStringLiteral("/cache.db"));
    }

    QJsonArray list(const QString& db) {
        const Run r = runCli({QStringLiteral("queue"), QStringLiteral("list"), QStringLiteral("--jobs-db"),
                              db, QStringLiteral("--json")});
        return r.exitCode == 0 ? QJsonDocument::fromJson(r.out).array() : QJsonArray();
    }
    bool addJob(const QString& db, const QString& text, const QString& output) {
        QStringList args = {QStringLiteral("queue"), QStringLiteral("add"), QStringLiteral("--jobs-db"), db};
        const Run r = runCli(args + tinyRender(text, output));
        return r.exitCode == 0;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_warmCache = path(QStringLiteral("warm-cache"));
        const Run r =
            runCli(tinyRender(QStringLiteral("Warming up."), path(QStringLiteral("warm.mp4"))) + warm());
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    // --- the temp-then-rename writer -------------------------------------------------------------------

    // A symbolic link planted at the final path is replaced by the new file: the file it points to is never
    // written.
    void linkAtTargetIsReplacedNotFollowed() {
        const QString victim = path(QStringLiteral("victim.txt"));
        QVERIFY(writeAll(victim, "precious"));
        const fs::path target = path(QStringLiteral("planted.txt")).toStdString();
        fs::create_symlink(victim.toStdString(), target);
        AtomicFile::write(target, "new bytes");
        QVERIFY(!fs::is_symlink(target));
        QCOMPARE(readAll(QString::fromStdString(target.string())), QByteArray("new bytes"));
        QCOMPARE(readAll(victim), QByteArray("precious"));
        QVERIFY(leftovers(m_dir.path()).isEmpty());
    }

    // A link put at the temporary name while the file is written (a swap in a shared folder) neither receives
    // the bytes nor gets renamed onto the target.
    void linkAtTemporaryCannotRedirect() {
        const QString victim = path(QStringLiteral("victim2.txt"));
        QVERIFY(writeAll(victim, "precious"));
        const fs::path target = path(QStringLiteral("swapped.txt")).toStdString();
        {
            AtomicFile file(target);
            QVERIFY(fs::is_regular_file(file.path()));
            QVERIFY(QFileInfo(QString::fromStdString(file.path().string()))
                        .fileName()
                        .startsWith(QStringLiteral("swapped.txt.part-")));
            fs::remove(file.path());
            fs::create_symlink(victim.toStdString(), file.path());
            file.write("attacker gets nothing");
            QVERIFY_THROWS_EXCEPTION(avatar::Error, file.commit());
        }
        QCOMPARE(readAll(victim), QByteArray("precious"));
        QVERIFY(!fs::exists(fs::symlink_status(target)));
        QVERIFY(leftovers(m_dir.path()).isEmpty());
    }

    void modes() {
        const mode_t old = ::umask(0);
        const fs::path privateFile = path(QStringLiteral("private.txt")).toStdString();
        const fs::path sharedFile = path(QStringLiteral("shared.txt")).toStdString();
        AtomicFile::write(privateFile, "mine", AtomicFile::Access::Private);
        AtomicFile::write(sharedFile, "ours");
        ::umask(022);
        const fs::path umasked = path(QStringLiteral("umasked.txt")).toStdString();
        AtomicFile::write(umasked, "ours");
        ::umask(old);
        struct stat st {};
        QCOMPARE(::stat(privateFile.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
        QCOMPARE(::stat(sharedFile.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0666));
        QCOMPARE(::stat(umasked.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0644));
    }

    void uncommittedLeavesNothing() {
        const fs::path target = path(QStringLiteral("never.txt")).toStdString();
        {
            AtomicFile file(target);
            file.write("half");
        }
        QVERIFY(!fs::exists(target));
        QVERIFY(leftovers(m_dir.path()).isEmpty());
        try {
            AtomicFile::write(path(QStringLiteral("missing/out.txt")).toStdString(), "x");
            QFAIL("a missing folder was written to");
        } catch (const avatar::Error& e) {
            QCOMPARE(e.code(), avatar::ErrorCode::Io);
            QVERIFY2(QByteArray(e.what()).contains("is not writable"), e.what());
        }
    }

    // --- full disks -------------------------------------------------------------------------------------

    void fullDiskWhileEncoding() {
        Tmpfs disk(path(QStringLiteral("full-out")), 256 * 1024);
        REQUIRE_TMPFS(disk);
        QVERIFY(disk.fill());
        const QString out = path(QStringLiteral("full-out/video.mp4"));
        const Run r = runCli(tinyRender(QStringLiteral("The disk is full."), out) + warm());
        QCOMPARE(r.exitCode, 1);
        const QStringList lines = avatar::test::nonEmptyLines(r.err);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains(QStringLiteral("disk is full")) ||
                     lines.first().contains(QStringLiteral("No space left")),
                 r.err.constData());
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY2(leftovers(path(QStringLiteral("full-out"))).isEmpty(),
                 qPrintable(leftovers(path(QStringLiteral("full-out"))).join(u' ')));
    }

    // The same write failure without a mount (any user, any container): the render's file size limit
    // (RLIMIT_FSIZE) makes the encoder's writes fail with EFBIG on the same code path as ENOSPC.
    void fileSizeLimitWhileEncoding() {
        const QString out = path(QStringLiteral("limited.mp4"));
        QProcess render;
        render.setChildProcessModifier([] {
            std::signal(SIGXFSZ, SIG_IGN); // a write past the limit then fails instead of killing the process
            const rlimit limit{16 * 1024, 16 * 1024};
            ::setrlimit(RLIMIT_FSIZE, &limit);
        });
        render.start(
            QStringLiteral(AVATAR_RENDER_BIN),
            tinyRender(QStringLiteral("This video is larger than the limit allows."), out) +
                QStringList{QStringLiteral("--no-cache")}); // a cache's database would be limited too
        QVERIFY(render.waitForFinished(120000));
        QCOMPARE(render.exitStatus(), QProcess::NormalExit);
        QCOMPARE(render.exitCode(), 1);
        const QByteArray err = render.readAllStandardError();
        // Under the limit libpulse (loaded by espeak-ng's audio library) also prints "ftruncate() failed"
        // when its 64 MiB memfd pool is refused at start-up: the program's own message is still one line.
        const QStringList ours =
            avatar::test::nonEmptyLines(err).filter(QRegularExpression(QStringLiteral("^avatar-render: ")));
        QCOMPARE(ours.size(), 1);
        QVERIFY2(ours.first().contains(QStringLiteral("File too large")), err.constData());
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY2(leftovers(m_dir.path()).isEmpty(), qPrintable(leftovers(m_dir.path()).join(u' ')));
    }

    void fullDiskWhileWritingCache() {
        Tmpfs disk(path(QStringLiteral("full-cache")), 4 * 1024 * 1024);
        REQUIRE_TMPFS(disk);
        const QString cacheDir = path(QStringLiteral("full-cache/cache"));
        const QString cacheDb = cacheDir + QStringLiteral("/cache.db");
        const QStringList cache = {QStringLiteral("--cache-dir"), cacheDir, QStringLiteral("--json")};
        QVERIFY(seedCache(cacheDir));
        const QString first = path(QStringLiteral("cached-1.mp4"));
        Run r = runCli(tinyRender(QStringLiteral("Kept in the cache."), first) + cache);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(disk.fill());

        // A new sentence cannot be stored: the render still succeeds, from memory, and says so once.
        const QString second = path(QStringLiteral("cached-2.mp4"));
        r = runCli(tinyRender(QStringLiteral("Not kept, the disk is full."), second) + cache);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(decodes(second));

        // What was stored before is still there, intact (read once there is room for SQLite's -shm file).
        QVERIFY(disk.unfill());
        QCOMPARE(integrity(cacheDb), QStringLiteral("ok"));
        r = runCli(tinyRender(QStringLiteral("Kept in the cache."), path(QStringLiteral("cached-3.mp4"))) +
                   cache);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        const QJsonObject use = report.value(QStringLiteral("cache")).toObject();
        QVERIFY2(use.value(QStringLiteral("tts_hits")).toInt() > 0, r.out.constData());
        QCOMPARE(integrity(cacheDb), QStringLiteral("ok"));
    }

    void fullDiskWhileWritingJobDatabase() {
        Tmpfs disk(path(QStringLiteral("full-jobs")), 1024 * 1024);
        REQUIRE_TMPFS(disk);
        const QString db = path(QStringLiteral("full-jobs/jobs.db"));
        const QStringList outputs = {path(QStringLiteral("jobs-full-1.mp4")),
                                     path(QStringLiteral("jobs-full-2.mp4"))};
        QVERIFY(addJob(db, QStringLiteral("First job."), outputs[0]));
        QVERIFY(addJob(db, QStringLiteral("Second job."), outputs[1]));
        QVERIFY(disk.fill());

        const QStringList run =
            QStringList{QStringLiteral("queue"), QStringLiteral("run"), QStringLiteral("--jobs-db"), db} +
            warm();
        Run r = runCli(run);
        QVERIFY2(r.exitCode != 0 && r.exitCode != -1, r.err.constData());
        QVERIFY2(r.err.contains("disk is full") || r.err.contains("full"), r.err.constData());
        // Nothing was recorded as done that was not written, and no job was lost (read once there is room
        // for SQLite's -shm file).
        QVERIFY(disk.unfill());
        QCOMPARE(integrity(db), QStringLiteral("ok"));
        QJsonArray jobs = list(db);
        QCOMPARE(jobs.size(), 2);
        for (const QJsonValue& v : jobs) {
            const QString state = v.toObject().value(QStringLiteral("state")).toString();
            const QString output = v.toObject()
                                       .value(QStringLiteral("spec"))
                                       .toObject()
                                       .value(QStringLiteral("render"))
                                       .toObject()
                                       .value(QStringLiteral("output"))
                                       .toString();
            QVERIFY2(state != QStringLiteral("done") || decodes(output), qPrintable(state));
        }

        // With room again, the same queue finishes every job.
        r = runCli(run);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        jobs = list(db);
        for (const QJsonValue& v : jobs)
            QCOMPARE(v.toObject().value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        for (const QString& out : outputs)
            QVERIFY(decodes(out));
        QCOMPARE(integrity(db), QStringLiteral("ok"));
    }

    // --- unwritable and damaged state ------------------------------------------------------------------

    // The cache's folder cannot be written (a read-only mount; for root, permissions are no obstacle): the
    // render works from memory and the database there is not touched.
    void readOnlyCacheFolder() {
        Tmpfs disk(path(QStringLiteral("ro-cache")), 4 * 1024 * 1024);
        REQUIRE_TMPFS(disk);
        const QString cacheDir = path(QStringLiteral("ro-cache/cache"));
        const QStringList cache = {QStringLiteral("--cache-dir"), cacheDir};
        QVERIFY(seedCache(cacheDir));
        Run r = runCli(tinyRender(QStringLiteral("Read only."), path(QStringLiteral("ro-1.mp4"))) + cache);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray before = readAll(cacheDir + QStringLiteral("/cache.db"));
        QVERIFY(!before.isEmpty());
        QVERIFY(disk.remountReadOnly());
        r = runCli(tinyRender(QStringLiteral("Read only, and new."), path(QStringLiteral("ro-2.mp4"))) +
                   cache);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(decodes(path(QStringLiteral("ro-2.mp4"))));
        QCOMPARE(readAll(cacheDir + QStringLiteral("/cache.db")), before);
        // A read-only folder is also no place for a video: one message, nothing written.
        r = runCli(tinyRender(QStringLiteral("Nowhere."), cacheDir + QStringLiteral("/out.mp4")) +
                   QStringList{QStringLiteral("--no-cache")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(avatar::test::nonEmptyLines(r.err).size(), 1);
        QVERIFY2(r.err.contains("not writable"), r.err.constData());
    }

    // Bytes of the cache database overwritten between two runs: the damaged file is set aside, the render
    // succeeds and a new, intact cache takes its place.
    void damagedCacheBetweenRuns() {
        const QString cacheDir = path(QStringLiteral("damaged-cache"));
        const QString cacheDb = cacheDir + QStringLiteral("/cache.db");
        const QStringList cache = {QStringLiteral("--cache-dir"), cacheDir};
        QVERIFY(seedCache(cacheDir));
        Run r =
            runCli(tinyRender(QStringLiteral("Damaged later."), path(QStringLiteral("dc-1.mp4"))) + cache);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QByteArray bytes = readAll(cacheDb);
        QVERIFY(bytes.size() > 8192);
        for (qsizetype i = 0; i < 4096; ++i) // the header and the first pages: what SQLite reads first
            bytes[i] = char(0xA5 ^ i);
        QVERIFY(writeAll(cacheDb, bytes));
        r = runCli(tinyRender(QStringLiteral("Damaged later."), path(QStringLiteral("dc-2.mp4"))) + cache);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(decodes(path(QStringLiteral("dc-2.mp4"))));
        QCOMPARE(integrity(cacheDb), QStringLiteral("ok"));
        QVERIFY(QFileInfo::exists(cacheDb + QStringLiteral(".corrupt")));
    }

    // A job database damaged between runs is refused with one message and left exactly as it was.
    void damagedJobDatabaseBetweenRuns() {
        const QString db = path(QStringLiteral("damaged-jobs.db"));
        QVERIFY(addJob(db, QStringLiteral("Never run."), path(QStringLiteral("dj.mp4"))));
        QByteArray bytes = readAll(db);
        QVERIFY(bytes.size() >= 4096);
        for (qsizetype i = 16; i < 100; ++i) // the header after its magic string: page size, counters
            bytes[i] = char(0xFF);
        QVERIFY(writeAll(db, bytes));
        const Run r = runCli({QStringLiteral("queue"), QStringLiteral("run"), QStringLiteral("--jobs-db"), db,
                              QStringLiteral("--no-cache")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(avatar::test::nonEmptyLines(r.err).size(), 1);
        QVERIFY2(r.err.contains(db.toUtf8()), r.err.constData());
        QCOMPARE(readAll(db), bytes);
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("dj.mp4"))));
    }

    // The face landmark model missing or cut short: one message naming it, no video, no crash.
    void landmarkModelMissingOrCut_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("missing") << QStringLiteral("missing");
        QTest::newRow("cut short") << QStringLiteral("cut");
        QTest::newRow("empty") << QStringLiteral("empty");
    }
    void landmarkModelMissingOrCut() {
        QFETCH(QString, kind);
        const QString model = path(QStringLiteral("model-%1.dat").arg(kind));
        if (kind == QStringLiteral("cut")) {
            QFile real(QString::fromStdString(avatar::FaceAnalyzer::defaultModelPath().string()));
            QVERIFY(real.open(QIODevice::ReadOnly));
            QVERIFY(writeAll(model, real.read(real.size() / 3)));
        } else if (kind == QStringLiteral("empty")) {
            QVERIFY(writeAll(model, {}));
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AVATAR_DLIB_MODEL"), model);
        const QString out = path(QStringLiteral("model-%1.mp4").arg(kind));
        // The dlib finder named: the default (the neural one) never opens its model.
        const Run r = runCli(tinyRender(QStringLiteral("No model."), out) +
                                 QStringList{QStringLiteral("--no-cache"), QStringLiteral("--face-backend"),
                                             QStringLiteral("dlib")},
                             env);
        QVERIFY2(r.err.contains(model.toUtf8()), r.err.constData());
        // One message (a progress line, "Wrote ...", may follow a successful render).
        qsizetype messages = 0;
        for (const QString& line : avatar::test::nonEmptyLines(r.err))
            messages += line.startsWith(QStringLiteral("avatar-render:")) ? 1 : 0;
        QVERIFY2(messages == 1, r.err.constData());
        if (kind == QStringLiteral("missing")) {
            // Nothing to fall back from: the job fails with the one line.
            QCOMPARE(r.exitCode, 1);
            QVERIFY(!QFileInfo::exists(out));
        } else {
            // A damaged model is a failing backend: the other face backend (face-api) renders the video and
            // the one line is the warning that says so (issue #15's fallback).
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.err.contains("was used instead"), r.err.constData());
            QVERIFY(QFileInfo(out).size() > 0);
        }
        QVERIFY(leftovers(m_dir.path()).isEmpty());
    }

    // The default face finder's models (face-api) missing: the dlib finder renders the video, and the one
    // line is the warning that says so, naming the missing file.
    void faceApiModelsMissing() {
        const QString empty = path(QStringLiteral("no-face-models"));
        QVERIFY(QDir().mkpath(empty));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AVATAR_FACEAPI_MODELS"), empty);
        const QString out = path(QStringLiteral("no-face-api.mp4"));
        const Run r = runCli(tinyRender(QStringLiteral("No face models."), out) +
                                 QStringList{QStringLiteral("--no-cache")},
                             env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("dlib was used instead") && r.err.contains(empty.toUtf8()),
                 r.err.constData());
        qsizetype messages = 0;
        for (const QString& line : avatar::test::nonEmptyLines(r.err))
            messages += line.startsWith(QStringLiteral("avatar-render:")) ? 1 : 0;
        QCOMPARE(messages, qsizetype(1));
        QVERIFY(QFileInfo(out).size() > 0);
        QVERIFY(leftovers(m_dir.path()).isEmpty());
    }

    // The output folder deleted while the video is being encoded: one message, nothing recreated.
    void outputFolderRemovedMidRender() {
        const QString folder = path(QStringLiteral("vanishing"));
        QVERIFY(QDir().mkpath(folder));
        const QString out = folder + QStringLiteral("/video.mp4");
        QProcess render;
        render.start(
            QStringLiteral(AVATAR_RENDER_BIN),
            tinyRender(
                QStringLiteral("This folder is about to disappear while the frames are drawn. ").repeated(6),
                out) +
                warm());
        QVERIFY(render.waitForStarted());
        // The encoder's temporary file appears when encoding starts: the folder goes then.
        QVERIFY(QTest::qWaitFor([&] { return !leftovers(folder).isEmpty(); }, 60000));
        QVERIFY(QDir(folder).removeRecursively());
        QVERIFY(render.waitForFinished(120000));
        QCOMPARE(render.exitStatus(), QProcess::NormalExit);
        QCOMPARE(render.exitCode(), 1);
        const QByteArray err = render.readAllStandardError();
        const QStringList lines = avatar::test::nonEmptyLines(err);
        QVERIFY2(!lines.isEmpty() && lines.last().contains(QStringLiteral("was removed")), err.constData());
        QVERIFY(!QFileInfo::exists(folder));
    }

    // --- SIGKILL at seeded random moments of a queue run -------------------------------------------------

    void sigkillAtRandomMoments() {
        const QString dir = path(QStringLiteral("kill"));
        QVERIFY(QDir().mkpath(dir));
        const QString templateDb = dir + QStringLiteral("/template.db");
        const QString db = dir + QStringLiteral("/jobs.db");
        const QString cacheDir = dir + QStringLiteral("/cache");
        const QStringList texts = {QStringLiteral("The first of three."), QStringLiteral("And the second."),
                                   QStringLiteral("The third is a little longer than the other two jobs.")};
        QStringList outputs;
        for (int i = 0; i < texts.size(); ++i) {
            outputs << dir + QStringLiteral("/job-%1.mp4").arg(i + 1);
            QVERIFY(addJob(templateDb, texts[i], outputs.last()));
        }
        auto reset = [&] {
            for (const QString& f : QDir(dir).entryList({QStringLiteral("jobs.db*"), QStringLiteral("job-*")},
                                                        QDir::Files | QDir::Hidden))
                QFile::remove(dir + u'/' + f);
            QDir(cacheDir).removeRecursively();
            // Each cycle starts with the face analysis cached (as after any first render) and nothing else:
            // speech, frames and encoding are done anew.
            return seedCache(cacheDir) && QFile::copy(templateDb, db);
        };
        const QStringList run = {QStringLiteral("queue"),       QStringLiteral("run"),
                                 QStringLiteral("--jobs-db"),   db,
                                 QStringLiteral("--cache-dir"), cacheDir};
        // After a kill: intact databases, every output either absent or a whole video, no job lost or failed.
        auto checkAfterKill = [&](int trial) {
            QCOMPARE(integrity(db), QStringLiteral("ok"));
            if (QFileInfo::exists(cacheDir + QStringLiteral("/cache.db")))
                QCOMPARE(integrity(cacheDir + QStringLiteral("/cache.db")), QStringLiteral("ok"));
            const QStringList states = jobStates(db);
            QCOMPARE(states.size(), texts.size());
            for (int i = 0; i < states.size(); ++i) {
                const QString& state = states[i];
                QVERIFY2(state != QStringLiteral("failed") && state != QStringLiteral("cancelled"),
                         qPrintable(QStringLiteral("trial %1: job %2 %3").arg(trial).arg(i + 1).arg(state)));
                if (state == QStringLiteral("done"))
                    QVERIFY(decodes(outputs[i]));
            }
            for (const QString& out : outputs)
                QVERIFY2(!QFileInfo::exists(out) || decodes(out),
                         qPrintable(QStringLiteral("trial %1: a partial file at %2").arg(trial).arg(out)));
        };
        // After an uninterrupted run: every job done exactly once, whole videos, nothing temporary left.
        auto checkFinished = [&] {
            QCOMPARE(jobStates(db), QStringList(texts.size(), QStringLiteral("done")));
            const QMap<qint64, int> done = doneCounts(db);
            QCOMPARE(done.size(), texts.size());
            for (int count : done)
                QCOMPARE(count, 1);
            for (const QString& out : outputs)
                QVERIFY(decodes(out));
            QVERIFY2(leftovers(dir).isEmpty(), qPrintable(leftovers(dir).join(u' ')));
            QCOMPARE(integrity(db), QStringLiteral("ok"));
        };

        // One uninterrupted run gives the span the kill moments are drawn from.
        QVERIFY(reset());
        QElapsedTimer clock;
        clock.start();
        Run r = runCli(run);
        const qint64 span = clock.elapsed();
        QVERIFY2(r.exitCode == 0, r.err.constData());
        checkFinished();

        const unsigned seed = qEnvironmentVariableIsSet("AVATAR_FAULT_SEED")
                                  ? qEnvironmentVariableIntValue("AVATAR_FAULT_SEED")
                                  : 15u;
        std::mt19937 random(seed);
        std::uniform_int_distribution<qint64> moment(0, span);
        constexpr int kKills = 24;
        int kills = 0;
        int cycles = 0;
        QVERIFY(reset());
        while (kills < kKills) {
            const qint64 at = moment(random);
            QProcess runner;
            runner.start(QStringLiteral(AVATAR_RENDER_BIN), run);
            QVERIFY(runner.waitForStarted());
            if (!runner.waitForFinished(int(at))) {
                runner.kill(); // SIGKILL: no handler runs
                QVERIFY(runner.waitForFinished());
                ++kills;
                checkAfterKill(kills);
                continue;
            }
            // Finished before its moment came: this cycle's queue is done, start another.
            QVERIFY2(runner.exitStatus() == QProcess::NormalExit && runner.exitCode() == 0,
                     runner.readAllStandardError().constData());
            checkFinished();
            ++cycles;
            QVERIFY(reset());
        }
        r = runCli(run);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        checkFinished();
        qInfo("seed %u: %d kills over %d finished queues (moments drawn from 0-%lld ms)", seed, kills,
              cycles + 1, span);
    }
};

QTEST_GUILESS_MAIN(TstFaults)
#include "tst_faults.moc"
