#pragma once
// The one-node Slurm cluster of the farm suites (tst_farm, tst_gui_farm): tests/farm/slurm-cluster.sh starts
// munged, slurmctld and slurmd in a folder of their own and stops exactly those. Also the helpers both
// suites use to talk to it and to avatar-render.
#include "core/JsonValue.h"
#include "project/ProjectFile.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <filesystem>

namespace avatar::farmtest {

inline QString str(const std::filesystem::path& p) {
    return QString::fromStdString(p.string());
}

// Runs a program (sbatch's kin or avatar-render) and returns its stdout; exit code in `code`.
inline QByteArray run(const QString& program, const QStringList& args, int* code = nullptr,
                      QByteArray* err = nullptr) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
    }
    if (code)
        *code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    if (err)
        *err = p.readAllStandardError();
    return p.readAllStandardOutput();
}

// Saves a one-scene project of tiny renders (128x96 at 12 fps, ultrafast) saying `script` to `file`.
inline void saveTinyProject(const std::string& script, const std::filesystem::path& file) {
    project::Project p;
    project::Scene scene;
    scene.script = script;
    p.scenes = {scene};
    p.output.width = 128;
    p.output.height = 96;
    p.output.fps = 12;
    p.output.preset = "ultrafast";
    project::ProjectFile::save(p, file);
}

// `avatar-render batch status DIR --json`; null when it failed.
inline JsonValue batchStatus(const std::filesystem::path& batch) {
    int code = 0;
    const QByteArray out =
        run(QStringLiteral(AVATAR_RENDER_BIN),
            {QStringLiteral("batch"), QStringLiteral("status"), str(batch), QStringLiteral("--json")}, &code);
    return code == 0 ? JsonValue::parse(out.trimmed().toStdString()) : JsonValue();
}

class SlurmCluster {
public:
    enum class Start { Up, Unavailable, Failed };

    explicit SlurmCluster(std::filesystem::path dir) : m_dir(std::move(dir)) {}
    ~SlurmCluster() { stop(); }
    SlurmCluster(const SlurmCluster&) = delete;
    SlurmCluster& operator=(const SlurmCluster&) = delete;

    // Starts the cluster and exports its SLURM_CONF for this process and what it starts. Unavailable (the
    // suite skips, `why` says why) only where Slurm cannot start here; Failed with the script's error.
    Start start(QString* why) {
        int code = 0;
        QByteArray err;
        const QByteArray conf =
            run(QStringLiteral("bash"), {script(), QStringLiteral("start"), str(m_dir)}, &code, &err);
        *why = QString::fromUtf8(err).trimmed();
        if (code == 77)
            return Start::Unavailable;
        if (code != 0)
            return Start::Failed;
        m_started = true;
        qputenv("SLURM_CONF", conf.trimmed());
        return Start::Up;
    }

    // Every daemon it started, by their pid files.
    void stop() {
        if (m_started)
            run(QStringLiteral("bash"), {script(), QStringLiteral("stop"), str(m_dir)});
        m_started = false;
    }

private:
    static QString script() { return QStringLiteral(AVATAR_SOURCE_DIR "/tests/farm/slurm-cluster.sh"); }

    std::filesystem::path m_dir;
    bool m_started = false;
};

} // namespace avatar::farmtest
