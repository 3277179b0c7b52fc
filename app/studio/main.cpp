// avatar-studio: builds the engine services and the job queue, then hands them to the window.
#include "BatchDialog.h"
#include "ComposerPanel.h"
#include "LanguageLoader.h"
#include "MainWindow.h"
#include "NarrationPanel.h"
#include "PlayerPanel.h"
#include "ProfilerPanel.h"
#include "ProjectWorkspace.h"
#include "StudioOptions.h"
#include "StudioSettings.h"
#include "UiText.h"
#include "cache/Cache.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QGroupBox>
#include <QIcon>
#include <QLineEdit>
#include <QMessageBox>
#include <QScreen>
#include <QStandardPaths>
#include <QTimer>

#include <exception>
#include <memory>

namespace {

// The window as the user sees it. QScreen::grabWindow reads the X server's pixels, which include the video
// widget's native surface; QWidget::grab (the fallback, e.g. offscreen) paints the widgets only.
QImage grabWindow(QWidget& window) {
    QImage image;
    if (QScreen* screen = window.screen(); screen && QGuiApplication::platformName() == QLatin1String("xcb"))
        image = screen->grabWindow(window.winId()).toImage();
    if (image.isNull())
        image = window.grab().toImage();
    return image;
}

void nameApplication() {
    QCoreApplication::setOrganizationName(QStringLiteral("Avatar Studio"));
    QCoreApplication::setApplicationName(QStringLiteral("Avatar Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AVATAR_VERSION));
}

} // namespace

int main(int argc, char** argv) {
    // Debian's Qt 6.4 defaults to the GStreamer media backend, which needs plugins a desktop may lack and
    // crashes without them; the FFmpeg backend uses the libraries the engine links anyway.
    if (qEnvironmentVariableIsEmpty("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "ffmpeg");
    // --help and --version print and exit without a window, so they work without a display (help2man, a
    // terminal over ssh): a QCoreApplication is enough for the parser.
    if (avatar::studio::StudioOptions::onlyPrints(argc, argv)) {
        const QCoreApplication textOnly(argc, argv);
        nameApplication();
        avatar::studio::StudioOptions::parse(QCoreApplication::arguments()); // prints and exits
        return 0;
    }
    QApplication app(argc, argv);
    nameApplication();
    QApplication::setDesktopFileName(QStringLiteral("io.avatarstudio.AvatarStudio"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/io.avatarstudio.AvatarStudio.svg")));

    const avatar::studio::StudioOptions options =
        avatar::studio::StudioOptions::parse(QApplication::arguments());
    std::unique_ptr<avatar::ui::StudioSettings> settings =
        options.settingsFile.isEmpty() ? std::make_unique<avatar::ui::StudioSettings>()
                                       : std::make_unique<avatar::ui::StudioSettings>(options.settingsFile);
    avatar::ui::LanguageLoader language;
    language.apply(options.language.isEmpty() ? settings->language() : options.language);

    // The landmark model takes about a second to load; a missing model is the one start-up error a user
    // can meet (libdlib-data not installed).
    std::unique_ptr<avatar::EngineServices> services;
    try {
        services = std::make_unique<avatar::EngineServices>();
    } catch (const std::exception& e) {
        QMessageBox::critical(nullptr, QObject::tr("Avatar Studio"), QString::fromUtf8(e.what()));
        return 1;
    }
    // The render cache (speech, face analysis, encoded sentence segments): shared with avatar-render's
    // default ($XDG_CACHE_HOME/avatar-studio), so a video re-rendered after a small edit costs a fraction of
    // the first render whichever program made it. Cache trouble never stops the studio: without a folder
    // it caches in memory only.
    std::unique_ptr<avatar::cache::Cache> renderCache;
    {
        avatar::cache::CacheOptions cacheOptions;
        cacheOptions.memory.capacityBytes = std::size_t{256} << 20;
        cacheOptions.disk.capacityBytes = std::size_t{2} << 30;
        cacheOptions.disk.resilience = &services->resilience;
        const QString cacheDir = QDir(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation))
                                     .filePath(QStringLiteral("avatar-studio"));
        if (QDir().mkpath(cacheDir))
            cacheOptions.disk.path = QDir(cacheDir).filePath(QStringLiteral("cache.db")).toStdString();
        renderCache = std::make_unique<avatar::cache::Cache>(std::move(cacheOptions));
        services->cache = renderCache.get();
    }
    // The queue lives in a job database, so that queued and finished jobs come back after a restart and
    // interrupted ones resume (~/.local/share/Avatar Studio/Avatar Studio/jobs.db unless --jobs-db).
    QString database = options.jobsDb;
    if (database.isEmpty()) {
        const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dataDir);
        database = QDir(dataDir).filePath(QStringLiteral("jobs.db"));
    }
    avatar::JobQueue::Options queueOptions;
    queueOptions.database = QFileInfo(database).absoluteFilePath().toStdString();
    queueOptions.concurrentJobs = std::max(1, settings->concurrentJobs());
    std::unique_ptr<avatar::JobQueue> queuePtr;
    try {
        queuePtr = std::make_unique<avatar::JobQueue>(*services, queueOptions);
    } catch (const std::exception& e) {
        // Another studio or `avatar-render queue run` is the database's runner, or the file is unusable.
        QMessageBox::warning(nullptr, QObject::tr("Avatar Studio"),
                             avatar::ui::UiText::queueNotKept(QDir::toNativeSeparators(database),
                                                              QString::fromUtf8(e.what())));
        queueOptions.database.clear();
        queuePtr = std::make_unique<avatar::JobQueue>(*services, queueOptions);
    }
    avatar::JobQueue& queue = *queuePtr;

    int status = 0;
    {
        avatar::ui::MainWindow window(*services, queue, *settings);
        queue.start();
        window.show();

        if (!options.showTab.isEmpty())
            if (auto* dock = window.findChild<QDockWidget*>(options.showTab + QStringLiteral("Dock"))) {
                dock->show(); // the engine view's docks are hidden in the creator layout
                dock->raise();
            }
        // Before the recovery question, which waits for an answer: the batch goes on meanwhile.
        window.projects()->resumeBatch();
        window.projects()->offerRecovery();
        if (!options.project.isEmpty())
            window.projects()->openFile(options.project);
        if (!options.narration.isEmpty())
            window.composer()->narration()->setRecording(options.narration);
        if (!options.batch.isEmpty()) {
            avatar::ui::BatchDialog* batch = window.projects()->openBatch(options.batch);
            if (!options.batchCluster.isEmpty()) {
                batch->clusterBox()->setChecked(true);
                batch->batchFolder()->setText(options.batchCluster);
            }
            batch->render();
        }
        if (options.renderDemo > 0)
            QTimer::singleShot(300, &window, [&window, n = options.renderDemo] {
                for (int i = 0; i < n; ++i)
                    window.render();
            });
        if (!options.play.isEmpty())
            window.player()->load(QFileInfo(options.play).absoluteFilePath());
        if (!options.screenshot.isEmpty()) {
            QTimer::singleShot(options.afterMs, &window, [&window, &options] {
                const bool ok = grabWindow(window).save(options.screenshot);
                QApplication::exit(ok ? 0 : 1);
            });
        }
        status = QApplication::exec();
        queue.stop(); // running jobs become Interrupted and resume at the next start
    }
    return status;
}
