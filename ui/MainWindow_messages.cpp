// The window's status bar as the one place where the studio says what happened: the things that used to
// fail or finish without a word (issue #18) are connected here.
#include "MainWindow.h"

#include "AvatarGallery.h"
#include "ComposerPanel.h"
#include "JobQueuePanel.h"
#include "ProfilerPanel.h"
#include "VoicePicker.h"

#include <QDir>
#include <QStatusBar>

namespace avatar::ui {

namespace {
constexpr int kMessageMs = 10000; // long enough to read a sentence with a path in it
}

void MainWindow::connectMessages() {
    auto show = [this](const QString& message) { statusBar()->showMessage(message, kMessageMs); };
    connect(m_composer->gallery(), &AvatarGallery::imageRejected, this, show);
    connect(m_composer->voices(), &VoicePicker::previewFailed, this, show);
    connect(m_queuePanel, &JobQueuePanel::message, this, show);
    connect(m_profiler, &ProfilerPanel::exported, this,
            [show](const QString& path, bool ok, const QString& error) {
                show(ok ? tr("Saved the profiler report to %1.").arg(QDir::toNativeSeparators(path))
                        : tr("The profiler report could not be saved: %1").arg(error));
            });
}

} // namespace avatar::ui
