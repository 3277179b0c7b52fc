#include "MainWindow.h"

#include "AboutDialog.h"
#include "AvatarGallery.h"
#include "ClusterBatchPanel.h"
#include "ComposerPanel.h"
#include "EngineBridge.h"
#include "GettingStartedDialog.h"
#include "JobQueuePanel.h"
#include "JobTableModel.h"
#include "LatencyProbe.h"
#include "MetricsCharts.h"
#include "PlayerPanel.h"
#include "ProfilerPanel.h"
#include "ProjectWorkspace.h"
#include "SettingsDialog.h"
#include "StudioSettings.h"
#include "UiText.h"
#include "jobs/JobQueue.h"
#include "jobs/JobRunSettings.h"
#include "pipeline/EngineServices.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include <algorithm>

namespace avatar::ui {

MainWindow::MainWindow(EngineServices& services, JobQueue& queue, StudioSettings& settings, QWidget* parent)
    : QMainWindow(parent), m_services(services), m_queue(queue), m_settings(settings),
      m_model(new JobTableModel(this)), m_bridge(new EngineBridge(queue, this)),
      m_probe(new LatencyProbe(this, &services.profiler)),
      m_composer(new ComposerPanel(services, settings, this)), m_player(new PlayerPanel(this)),
      m_queuePanel(new JobQueuePanel(queue, *m_model, this)), m_charts(new MetricsCharts(this)),
      m_profiler(new ProfilerPanel(services.profiler, m_probe, this)), m_statusTier(new QLabel(this)),
      m_statusWorkers(new QLabel(this)), m_statusQueue(new QLabel(this)), m_statusLatency(new QLabel(this)) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Avatar Studio"));

    // The player is the centre; the composer is a full-height dock on the left (so that the job queue below
    // the player never takes height from it), the live charts on the right, the queue and the profiler below.
    setCentralWidget(m_player);
    setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setDockOptions(dockOptions() | QMainWindow::GroupedDragging);

    buildActions();
    buildDocks();
    connectMessages();
    m_projects = new ProjectWorkspace(services, settings, *this, *m_player, m_chartsDock);
    connect(m_projects, &ProjectWorkspace::clusterBatchSubmitted, this, [this](const QString& dir) {
        m_cluster->addBatch(dir);
        m_queueDock->raise();
    });
    connect(m_cluster, &ClusterBatchPanel::playRequested, this, [this](const QString& path) {
        m_playerJob = 0;
        m_player->load(path);
    });
    connect(m_cluster, &ClusterBatchPanel::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    for (QLabel* l : {m_statusTier, m_statusWorkers, m_statusQueue, m_statusLatency})
        statusBar()->addPermanentWidget(l);
    m_statusTier->setObjectName(QStringLiteral("statusTier"));
    m_statusWorkers->setObjectName(QStringLiteral("statusWorkers"));
    m_statusQueue->setObjectName(QStringLiteral("statusQueue"));
    m_statusLatency->setToolTip(tr("How late the window's event loop runs (p95 over the last 30 s)"));

    connect(m_bridge, &EngineBridge::jobAdded, m_model, &JobTableModel::upsert);
    connect(m_bridge, &EngineBridge::jobChanged, this, &MainWindow::onJobChanged);
    connect(m_bridge, &EngineBridge::jobMoved, m_model, &JobTableModel::move);
    connect(m_bridge, &EngineBridge::jobRemoved, m_model, &JobTableModel::removeJob);
    connect(m_bridge, &EngineBridge::jobRemoved, this, [this](JobId id) {
        if (id == m_playerJob) { // its video is no longer in the queue: nothing is loaded
            m_playerJob = 0;
            m_player->clear();
        }
    });
    connect(m_bridge, &EngineBridge::previewFrame, this, &MainWindow::onPreview);
    connect(m_bridge, &EngineBridge::metricsSampled, this, &MainWindow::onMetrics);
    connect(m_bridge, &EngineBridge::logLine, this,
            [this](const QString& line) { statusBar()->showMessage(line, 5000); });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateStatus);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateStatus);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &MainWindow::updateStatus);
    connect(m_composer, &ComposerPanel::renderRequested, this, &MainWindow::render);
    connect(m_queuePanel, &JobQueuePanel::selectedJobChanged, this, &MainWindow::onSelectedJob);
    connect(m_queuePanel, &JobQueuePanel::playRequested, this, [this](const QString& path) {
        m_playerJob = m_queuePanel->selectedJob();
        m_player->load(path);
    });
    connect(m_composer->gallery(), &AvatarGallery::faceChecked, this,
            [this](bool, const QString& message) { statusBar()->showMessage(message, 6000); });
    connect(m_probe, &LatencyProbe::sampled, this, [this] {
        // Refreshed every 50 samples (half a second): a label update per tick would be its own load.
        if (m_probe->sampleCount() % 50 == 0)
            m_statusLatency->setText(tr("UI p95 %1 ms").arg(m_probe->p95Ms(), 0, 'f', 1));
    });

    m_model->reset(m_queue.jobs());
    m_composer->loadDefaults();
    m_player->setVolume(m_settings.playerVolume());
    m_player->setMuted(m_settings.playerMuted());
    connect(m_player, &PlayerPanel::volumeChanged, this, [this](int percent, bool muted) {
        m_settings.setPlayerVolume(percent);
        m_settings.setPlayerMuted(muted);
    });
    const Tier tier = parseTier(m_settings.tier().toStdString()).value_or(Tier::Standard);
    m_tierCombo->setCurrentIndex(m_tierCombo->findData(int(tier)));
    setTier(tier);
    // Until a job finishes, the profiler's reports are about what the next job would use.
    JobSpec next;
    next.tier = tier;
    next.render.preset = m_composer->encodingCombo()->currentData().toString().toStdString();
    next.render.threads = m_settings.renderThreads();
    m_profiler->setRunSettings(jobRunSettings(next, m_services));
    restoreWindow();
    setEngineView(m_settings.engineView()); // after the saved state, which has its own dock visibility
    m_probe->start();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* render = file->addAction(QIcon::fromTheme(QStringLiteral("media-record")), tr("&Render"), this,
                                      &MainWindow::render);
    render->setToolTip(tr("Queue the composed video (Ctrl+Return)"));
    QAction* addPortrait = file->addAction(QIcon::fromTheme(QStringLiteral("list-add")), tr("&Add portrait…"),
                                           m_composer->gallery(), &AvatarGallery::chooseFiles);
    addPortrait->setShortcut(QKeySequence::Open);
    QAction* exportReport =
        file->addAction(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("&Export profiler report…"),
                        m_profiler, &ProfilerPanel::chooseExportFile);
    file->addSeparator();
    QAction* settings = file->addAction(QIcon::fromTheme(QStringLiteral("preferences-system")),
                                        tr("&Settings…"), this, &MainWindow::showSettings);
    settings->setShortcut(QKeySequence::Preferences);
    file->addSeparator();
    QAction* quit = file->addAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this,
                                    &MainWindow::quit);
    quit->setShortcut(QKeySequence::Quit);

    m_tierCombo = new QComboBox(this);
    m_tierCombo->setObjectName(QStringLiteral("tierCombo"));
    m_tierCombo->setAccessibleName(tr("Engine tier"));
    m_tierCombo->setToolTip(tr("<p>How much of the machine the engine takes, applied at once to every job: "
                               "memory share, batch sizes, scaler thresholds and profiling detail.</p>"
                               "<p>It does not change the picture or the file: the composer's Encoding "
                               "does.</p>"));
    for (Tier t : {Tier::Standard, Tier::Advanced, Tier::Ultra, Tier::Quantum})
        m_tierCombo->addItem(UiText::tier(t), int(t));
    connect(m_tierCombo, &QComboBox::activated, this,
            [this](int index) { setTier(Tier(m_tierCombo->itemData(index).toInt())); });

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(render);
    bar->addAction(addPortrait);
    bar->addSeparator();
    auto* tierLabel = new QLabel(tr("Engine tier:"), this);
    tierLabel->setBuddy(m_tierCombo);
    tierLabel->setContentsMargins(6, 0, 4, 0);
    bar->addWidget(tierLabel);
    bar->addWidget(m_tierCombo);
    bar->addSeparator();
    bar->addAction(exportReport);
    bar->addAction(settings);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    // A creator sees composer, player and queue; the engine's live charts and profiler are one click away.
    m_engineView = m_viewMenu->addAction(QIcon::fromTheme(QStringLiteral("utilities-system-monitor")),
                                         tr("&Engine view"));
    m_engineView->setObjectName(QStringLiteral("engineViewAction"));
    m_engineView->setCheckable(true);
    m_engineView->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_engineView->setToolTip(tr("Show the live charts and the profiler beside the player (Ctrl+E)"));
    connect(m_engineView, &QAction::triggered, this, &MainWindow::setEngineView);
    m_viewMenu->addSeparator();
    bar->addSeparator();
    bar->addAction(m_engineView);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* start =
        help->addAction(QIcon::fromTheme(QStringLiteral("help-contents")), tr("&Getting started"), this,
                        [this] { GettingStartedDialog(this).exec(); });
    start->setObjectName(QStringLiteral("gettingStartedAction"));
    start->setShortcut(QKeySequence::HelpContents);
    help->addAction(QIcon::fromTheme(QStringLiteral("help-about")), tr("&About Avatar Studio"), this,
                    &MainWindow::showAbout);
}

void MainWindow::buildDocks() {
    auto dock = [this](const QString& title, const QString& name, QWidget* content, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(content);
        addDockWidget(area, d);
        m_viewMenu->addAction(d->toggleViewAction());
        return d;
    };
    // A scroll area only for screens smaller than 1366x768: there the composer fits without scrolling.
    auto* composerScroll = new QScrollArea(this);
    composerScroll->setObjectName(QStringLiteral("composerScroll"));
    composerScroll->setWidget(m_composer);
    composerScroll->setWidgetResizable(true);
    composerScroll->setFrameShape(QFrame::NoFrame);
    composerScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    composerScroll->setMinimumWidth(m_composer->minimumSizeHint().width());
    m_composerDock =
        dock(tr("Compose"), QStringLiteral("composerDock"), composerScroll, Qt::LeftDockWidgetArea);
    m_composerDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    // The local jobs above, the cluster's arrays below (shown once a batch went to Slurm).
    auto* queues = new QSplitter(Qt::Vertical, this);
    queues->setObjectName(QStringLiteral("queueSplitter"));
    m_cluster = new ClusterBatchPanel(m_settings, queues);
    queues->addWidget(m_queuePanel);
    queues->addWidget(m_cluster);
    m_queueDock = dock(tr("Job queue"), QStringLiteral("queueDock"), queues, Qt::BottomDockWidgetArea);
    m_profilerDock =
        dock(tr("Profiler"), QStringLiteral("profilerDock"), m_profiler, Qt::BottomDockWidgetArea);
    m_chartsDock = dock(tr("Live charts"), QStringLiteral("chartsDock"), m_charts, Qt::RightDockWidgetArea);
    tabifyDockWidget(m_queueDock, m_profilerDock);
    m_queueDock->raise();
    m_composerDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_0));
    m_queueDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    m_chartsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    m_profilerDock->toggleViewAction()->setShortcut(QKeySequence(Qt::ALT | Qt::Key_3));
}

// The docks' first sizes, from the window's size: the composer about 30 % of the width, the charts (in the
// engine view) about 36 %, the player the rest; the queue about a third of the height.
void MainWindow::sizeDocks() {
    const QSize s = size();
    const int composer = std::clamp(s.width() * 30 / 100, 440, 500);
    const int charts = std::clamp(s.width() * 36 / 100, 470, 620);
    resizeDocks({m_composerDock, m_chartsDock}, {composer, charts}, Qt::Horizontal);
    // The queue under the player: about a third of the height (8 to 10 rows with their thumbnails).
    resizeDocks({m_queueDock}, {std::clamp(s.height() * 3 / 10, 220, 340)}, Qt::Vertical);
}

void MainWindow::setEngineView(bool on) {
    m_engineView->setChecked(on);
    m_chartsDock->setVisible(on);
    m_profilerDock->setVisible(on);
    m_queueDock->raise(); // the queue stays the tab in front of the profiler
    m_settings.setEngineView(on);
}

bool MainWindow::isEngineView() const {
    return m_engineView->isChecked();
}

void MainWindow::restoreWindow() {
    QSettings& s = m_settings.raw();
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray())) {
        // 1560x960 where it fits; a smaller screen (1366x768, say) gets the window maximised.
        const QSize preferred(1560, 960);
        const QSize available = screen() ? screen()->availableGeometry().size() : preferred;
        resize(preferred.boundedTo(available));
        if (available.width() < preferred.width() || available.height() < preferred.height())
            setWindowState(windowState() | Qt::WindowMaximized);
    }
    // A state saved by an older layout (version) is ignored: the docks keep their first places.
    if (!restoreState(s.value(QStringLiteral("window/state")).toByteArray(), kStateVersion))
        m_sizeDocksOnShow = true;
}

void MainWindow::saveWindow() {
    QSettings& s = m_settings.raw();
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState(kStateVersion));
    m_composer->saveDefaults();
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (m_sizeDocksOnShow) {
        m_sizeDocksOnShow = false;
        // After the first layout, when the window has its final (possibly maximised) size.
        QTimer::singleShot(0, this, &MainWindow::sizeDocks);
    }
}

// Quitting mid-render loses nothing (the job resumes at the next start), but the user should know: Ctrl+Q
// and the window's close button ask first; a close() from code (tests, the session ending) does not.
bool MainWindow::confirmQuit() {
    const int running = m_model->count(JobState::Running);
    if (running == 0)
        return true;
    QMessageBox ask(
        QMessageBox::Question, tr("Quit while rendering?"),
        tr("Jobs rendering: %1. They stop now and continue the next time Avatar Studio starts.").arg(running),
        QMessageBox::Yes | QMessageBox::No, this);
    ask.setObjectName(QStringLiteral("quitWhileRendering"));
    ask.button(QMessageBox::Yes)->setText(tr("&Quit"));
    ask.button(QMessageBox::No)->setText(tr("&Keep rendering"));
    ask.setDefaultButton(QMessageBox::No);
    return ask.exec() == QMessageBox::Yes;
}

void MainWindow::quit() {
    if (confirmQuit()) {
        m_quitConfirmed = true;
        close();
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if ((event->spontaneous() && !m_quitConfirmed && !confirmQuit()) || !m_projects->maybeClose()) {
        event->ignore();
        return;
    }
    saveWindow();
    event->accept();
}

void MainWindow::showSettings() {
    const QString language = m_settings.language();
    SettingsDialog dialog(m_settings, this);
    if (dialog.exec() == QDialog::Accepted && m_settings.language() != language)
        statusBar()->showMessage(tr("The new language applies when Avatar Studio is started again."), 10000);
}

void MainWindow::showAbout() {
    AboutDialog dialog(this);
    dialog.exec();
}

} // namespace avatar::ui
