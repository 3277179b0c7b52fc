#pragma once

// Runs one of the project's programs as a process and keeps what it printed, for the tests that drive a
// program from outside (CliRunner.h for avatar-render, tst_bench_align for avatar-bench).

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

// Runs `program` with `args` and waits up to `timeoutMs`; a run past that is killed and reported with exit
// code -1 and no output. `env` is the program's environment (the test's own by default).
inline Run runProgram(const QString& program, const QStringList& args, int timeoutMs,
                      const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace avatar::test
