#pragma once

// Runs avatar-render (AVATAR_RENDER_BIN, defined by tests/CMakeLists.txt) as a process for the command-line
// tests (tst_cli, tst_queue_cli).

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace avatar::test {

struct Run {
    int exitCode = -1; // -1: crashed or timed out
    QByteArray out;
    QByteArray err;
};

// Runs the CLI with `args` and waits up to two minutes; a run past that is killed and reported with exit code
// -1 and no output. `env` is the program's environment (the test's own by default).
inline Run runCli(const QStringList& args,
                  const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(AVATAR_RENDER_BIN), args);
    Run r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// The lines of `text` that are not blank.
inline QStringList nonEmptyLines(const QByteArray& text) {
    QStringList lines;
    for (const QByteArray& l : text.split('\n'))
        if (!l.trimmed().isEmpty())
            lines << QString::fromUtf8(l);
    return lines;
}

} // namespace avatar::test
