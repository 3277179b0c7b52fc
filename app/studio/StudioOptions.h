#pragma once

#include <QString>
#include <QStringList>

namespace avatar::studio {

// avatar-studio's command line. Besides the language override, the options exist for screenshots and demos
// (docs/screenshots was made with them under Xvfb).
struct StudioOptions {
    QString language;     // --lang de: overrides the setting and the system locale
    QString settingsFile; // --settings FILE: an INI file instead of the user's settings
    QString jobsDb;       // --jobs-db FILE: the job database (default: jobs.db in the XDG data folder)
    QString play;         // --play FILE: load a video into the player and play it
    int renderDemo = 0;   // --render-demo [--demo-jobs N]: queue the composed script (N times) at start
    QString screenshot;   // --screenshot FILE: save the window after --after-ms and quit
    int afterMs = 3000;
    QString showTab;      // --show-dock profiler|queue: raise that dock first
    QString project;      // --project FILE: open this .avatarproj (issue #14)
    QString batch;        // --batch FILE: open this CSV against the project and render the batch
    QString narration;    // --narration FILE: this recording narrates the composed video (issue #13)
    QString batchCluster; // --batch-cluster DIR: with --batch, submit it to Slurm from DIR (issue #16)

    // Parses QCoreApplication::arguments(); prints help or an error and exits on --help or a mistake.
    static StudioOptions parse(const QStringList& arguments);
    // True when the command line asks only for text (--help, --help-all, --version): no window is needed.
    static bool onlyPrints(int argc, char** argv);
};

} // namespace avatar::studio
