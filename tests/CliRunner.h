#pragma once

// Runs avatar-render (AVATAR_RENDER_BIN, defined by tests/CMakeLists.txt) as a process for the command-line
// tests (tst_cli, tst_queue_cli).

#include "ProcessRunner.h"

namespace avatar::test {

// Runs the CLI with `args` and waits up to two minutes (runProgram).
inline Run runCli(const QStringList& args,
                  const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    return runProgram(QStringLiteral(AVATAR_RENDER_BIN), args, 120000, env);
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
