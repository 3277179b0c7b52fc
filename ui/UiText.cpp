#include "UiText.h"

#include <cmath>

namespace avatar::ui {

QString UiText::state(JobState state) {
    switch (state) {
    case JobState::Invalid:
        return tr("Invalid");
    case JobState::Queued:
        return tr("Queued");
    case JobState::Running:
        return tr("Rendering");
    case JobState::Done:
        return tr("Done");
    case JobState::Failed:
        return tr("Failed");
    case JobState::Cancelled:
        return tr("Cancelled");
    case JobState::Interrupted:
        return tr("Interrupted");
    }
    return {};
}

QString UiText::stage(Stage stage) {
    switch (stage) {
    case Stage::Validate:
        return tr("Checking");
    case Stage::Tts:
        return tr("Speech");
    case Stage::Face:
        return tr("Face");
    case Stage::Animate:
        return tr("Animation");
    case Stage::Render:
        return tr("Frames");
    case Stage::Encode:
        return tr("Encoding");
    case Stage::Done:
        return tr("Finished");
    }
    return {};
}

QString UiText::tier(Tier tier) {
    switch (tier) {
    case Tier::Standard:
        return tr("Standard");
    case Tier::Advanced:
        return tr("Advanced");
    case Tier::Ultra:
        return tr("Ultra");
    case Tier::Quantum:
        return tr("Quantum");
    }
    return {};
}

QString UiText::priority(JobPriority priority) {
    switch (priority) {
    case JobPriority::Low:
        return tr("Low");
    case JobPriority::Normal:
        return tr("Normal");
    case JobPriority::High:
        return tr("High");
    }
    return {};
}

QString UiText::duration(double seconds) {
    if (seconds < 0 || !std::isfinite(seconds))
        return QStringLiteral("–");
    const auto total = static_cast<qint64>(std::llround(seconds));
    const qint64 h = total / 3600, m = (total / 60) % 60, s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(h)
            .arg(m, 2, 10, QLatin1Char('0'))
            .arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString UiText::bytes(double bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024.0 && unit < 4) {
        bytes /= 1024.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(bytes, 0, 'f', unit == 0 ? 0 : 1).arg(QLatin1String(units[unit]));
}

QString UiText::queueNotKept(const QString& database, const QString& reason) {
    return tr("The job database %1 cannot be used: %2\n\nThis session's queue is kept in memory only; its "
              "jobs will not come back after a restart.")
        .arg(database, reason);
}

} // namespace avatar::ui
