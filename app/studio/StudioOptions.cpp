#include "StudioOptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>
#include <string_view>

namespace avatar::studio {

StudioOptions StudioOptions::parse(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Avatar Studio: type a script, pick a portrait, get a lip-synced presenter video."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("Interface language (en, de)."),
                                  QStringLiteral("code"));
    const QCommandLineOption settings(QStringLiteral("settings"),
                                      QStringLiteral("Use this INI settings file."), QStringLiteral("file"));
    const QCommandLineOption jobsDb(QStringLiteral("jobs-db"),
                                    QStringLiteral("Keep the job queue in this SQLite database."),
                                    QStringLiteral("file"));
    const QCommandLineOption play(QStringLiteral("play"), QStringLiteral("Play this video in the player."),
                                  QStringLiteral("file"));
    const QCommandLineOption demo(QStringLiteral("render-demo"),
                                  QStringLiteral("Queue the composed script at start."));
    const QCommandLineOption demoJobs(
        QStringLiteral("demo-jobs"),
        QStringLiteral("With --render-demo: queue it this many times (default 1)."), QStringLiteral("n"),
        QStringLiteral("1"));
    const QCommandLineOption shot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a screenshot of the window and quit."),
                                  QStringLiteral("file"));
    const QCommandLineOption after(QStringLiteral("after-ms"),
                                   QStringLiteral("Delay before the screenshot (default 3000)."),
                                   QStringLiteral("ms"), QStringLiteral("3000"));
    const QCommandLineOption dock(QStringLiteral("show-dock"),
                                  QStringLiteral("Raise a dock: queue, profiler or scenes."),
                                  QStringLiteral("name"));
    const QCommandLineOption project(QStringLiteral("project"),
                                     QStringLiteral("Open this project (.avatarproj)."),
                                     QStringLiteral("file"));
    const QCommandLineOption batch(QStringLiteral("batch"),
                                   QStringLiteral("Render a batch of the project from this CSV file."),
                                   QStringLiteral("file"));
    const QCommandLineOption narration(QStringLiteral("narration"),
                                       QStringLiteral("Narrate the composed video with this recording."),
                                       QStringLiteral("file"));
    parser.addOptions({lang, settings, jobsDb, play, demo, demoJobs, shot, after, dock});
    const QCommandLineOption batchCluster(
        QStringLiteral("batch-cluster"),
        QStringLiteral("With --batch: render on the Slurm cluster from this new batch folder."),
        QStringLiteral("folder"));
    parser.addOptions({project, batch, narration});
    parser.addOption(batchCluster);
    // The usage line names the program as typed, not by the path it was started from.
    QStringList args = arguments;
    if (!args.isEmpty())
        args.front() = QFileInfo(args.front()).fileName();
    parser.process(args);

    StudioOptions o;
    o.language = parser.value(lang);
    o.settingsFile = parser.value(settings);
    o.jobsDb = parser.value(jobsDb);
    o.play = parser.value(play);
    o.renderDemo = parser.isSet(demo) ? std::max(1, parser.value(demoJobs).toInt()) : 0;
    o.screenshot = parser.value(shot);
    o.afterMs = parser.value(after).toInt();
    o.showTab = parser.value(dock);
    o.project = parser.value(project);
    o.batch = parser.value(batch);
    o.narration = parser.value(narration);
    o.batchCluster = parser.value(batchCluster);
    return o;
}

bool StudioOptions::onlyPrints(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version")
            return true;
    }
    return false;
}

} // namespace avatar::studio
