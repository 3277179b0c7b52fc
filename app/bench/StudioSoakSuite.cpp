// avatar-bench --suite soak-studio (built with AVATAR_BUILD_UI): issue #15 item 7's long run in the studio.
// The real main window (offscreen unless QT_QPA_PLATFORM says otherwise), with a job database and the soak's
// cache, is given 100 different scripts through its composer, one after the other, as a creator would: each
// job is queued by the window's own Render action, shows its live preview, and is loaded into the player and
// the profiler when it finishes. Resident memory and open file descriptors are read on the GUI thread after
// every job has been taken in by the window; their growth from job 10 to job 100 is reported like the queue's
// soak suite does.
#include "SoakReport.h"
#include "Suites.h"

#include "ComposerPanel.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "ScriptEditor.h"
#include "StudioSettings.h"
#include "cache/Cache.h"
#include "core/Error.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTimer>

#include <iostream>
#include <string>
#include <vector>

namespace avatar::bench {

namespace {

bool finished(JobState s) {
    return s == JobState::Done || s == JobState::Failed || s == JobState::Cancelled;
}

// The composer's size list holds the presets; a bench size that is not one is added the way a preset is.
void chooseSize(ui::ComposerPanel& composer, int width, int height) {
    const QString key = QStringLiteral("%1x%2").arg(width).arg(height);
    QComboBox* sizes = composer.sizeCombo();
    if (sizes->findData(key) < 0)
        sizes->addItem(QStringLiteral("%1 × %2").arg(width).arg(height), key);
    sizes->setCurrentIndex(sizes->findData(key));
}

} // namespace

int runStudioSoakSuite(int argc, char** argv, const RenderSpec& spec, const std::filesystem::path& dir) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "ffmpeg"); // as avatar-studio does
    QApplication app(argc, argv);

    cache::Cache cache(soakCacheOptions(dir));
    EngineServices services;
    services.cache = &cache;
    JobQueue::Options options;
    options.database = dir / "jobs.db";
    JobQueue queue(services, options);
    ui::StudioSettings settings(QString::fromStdString((dir / "studio.ini").string()));
    std::filesystem::create_directories(dir / "out");
    settings.setOutputFolder(QString::fromStdString((dir / "out").string()));
    std::vector<SoakSample> samples;
    int failed = 0;
    std::string firstError;
    QElapsedTimer clock;
    {
        ui::MainWindow window(services, queue, settings); // destroyed before the queue
        window.show();
        ui::ComposerPanel& composer = *window.composer();
        chooseSize(composer, spec.width, spec.height);
        composer.setFrameRate(spec.fps);
        queue.start();
        clock.start();

        for (int i = 1; i <= kSoakJobs; ++i) {
            composer.script()->editor()->setPlainText(QString::fromStdString(soakSentence(i)));
            const JobId id = window.render();
            if (id == 0)
                throw Error(ErrorCode::Internal,
                            "The studio did not queue soak job " + std::to_string(i) + ".");
            // The event loop runs (previews, charts, the player) until the job has ended and the window has
            // taken in its last event; then the sample is read on the GUI thread.
            QEventLoop loop;
            QTimer poll;
            QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
                const auto shown = window.jobModel()->job(id);
                if (shown && finished(shown->state))
                    loop.quit();
            });
            poll.start(20);
            loop.exec();
            QCoreApplication::processEvents();
            const auto record = window.jobModel()->job(id);
            if (record->state != JobState::Done && failed++ == 0)
                firstError = record->error;
            samples.push_back(takeSoakSample(cache.stats().l1.bytes));
        }
        queue.stop();
    }
    const double seconds = double(clock.elapsed()) / 1000.0;
    if (failed > 0)
        throw Error(ErrorCode::Internal,
                    std::to_string(failed) + " soak jobs failed; the first: " + firstError);
    std::cout << soakReportJson("soak-studio", samples, kSoakFrom,
                                std::to_string(spec.width) + "x" + std::to_string(spec.height), seconds,
                                kSoakMemoryCacheBytes)
              << std::endl;
    return 0;
}

} // namespace avatar::bench
