// avatar-bench --suite ui (built with AVATAR_BUILD_UI): the studio's responsiveness while it works. The real
// main window is created (offscreen unless QT_QPA_PLATFORM says otherwise), two real jobs are queued and the
// event loop runs until both are finished; every drift the window's LatencyProbe measures meanwhile is
// kept. The goal is a p95 of at most 16 ms (one frame at 60 Hz).
#include "Suites.h"

#include "LatencyProbe.h"
#include "MainWindow.h"
#include "StudioSettings.h"
#include "assets/DefaultAssets.h"
#include "core/Json.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string_view>
#include <vector>

namespace avatar::bench {

namespace {

constexpr int kJobs = 2;
constexpr double kGoalMs = 16.0;

double nearestRank(std::vector<double> v, double p) {
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(v.size())));
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

bool finished(JobState s) {
    return s == JobState::Done || s == JobState::Failed || s == JobState::Cancelled;
}

} // namespace

int runUiSuite(int argc, char** argv, const RenderSpec& base, const std::filesystem::path& dir) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "ffmpeg"); // as avatar-studio does
    QApplication app(argc, argv);

    EngineServices services;
    JobQueue::Options options;
    options.concurrentJobs = kJobs; // both render at once
    JobQueue queue(services, options);
    ui::StudioSettings settings(QString::fromStdString((dir / "studio.ini").string()));
    settings.setOutputFolder(QString::fromStdString((dir / "out").string()));
    ui::MainWindow window(services, queue, settings); // destroyed before the queue
    window.show();

    std::vector<double> drifts;
    QObject::connect(window.latencyProbe(), &ui::LatencyProbe::sampled, &window,
                     [&drifts](double ms) { drifts.push_back(ms); });

    RenderSpec spec = base;
    spec.text = DefaultAssets::defaultScript();
    if (std::find(argv + 1, argv + argc, std::string_view("--size")) == argv + argc) {
        spec.width = 640; // unless --size says otherwise
        spec.height = 360;
    }
    std::filesystem::create_directories(dir / "out");
    std::vector<JobId> ids;
    QElapsedTimer clock;
    clock.start();
    queue.start();
    for (int i = 0; i < kJobs; ++i) {
        JobSpec job;
        job.render = spec;
        job.render.output = dir / "out" / ("ui-" + std::to_string(i + 1) + ".mp4");
        job.useCache = false; // two renders of the same script: the second must not be a cache hit
        ids.push_back(queue.add(job));
    }

    int done = 0;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        int ended = 0;
        done = 0;
        for (JobId id : ids) {
            const auto job = queue.job(id);
            ended += job && finished(job->state);
            done += job && job->state == JobState::Done;
        }
        if (ended == kJobs)
            QApplication::quit();
    });
    poll.start(100);
    QApplication::exec();
    const double seconds = double(clock.elapsed()) / 1000.0;
    poll.stop();

    const double p95 = nearestRank(drifts, 95.0);
    JsonWriter w;
    w.beginObject()
        .field("suite", "ui")
        .field("platform", QGuiApplication::platformName().toStdString())
        .field("width", spec.width)
        .field("height", spec.height)
        .field("fps", spec.fps.toDouble())
        .field("frame_rate", spec.fps.toString())
        .field("jobs", kJobs)
        .field("jobs_done", done)
        .field("seconds", seconds)
        .field("samples", static_cast<long long>(drifts.size()))
        .field("probe_interval_ms", ui::LatencyProbe::kIntervalMs)
        .field("ui_latency_p50_ms", nearestRank(drifts, 50.0))
        .field("ui_latency_p95_ms", p95)
        .field("ui_latency_p99_ms", nearestRank(drifts, 99.0))
        .field("ui_latency_max_ms", drifts.empty() ? 0.0 : *std::max_element(drifts.begin(), drifts.end()))
        .field("goal_ms", kGoalMs)
        .field("goal_met", p95 <= kGoalMs)
        .endObject();
    std::cout << w.str() << std::endl;
    return done == kJobs ? 0 : 1;
}

} // namespace avatar::bench
