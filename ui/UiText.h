#pragma once

#include "core/Tier.h"
#include "jobs/JobTypes.h"

#include <QCoreApplication>
#include <QString>

namespace avatar::ui {

// The user-visible (translated) names of engine enums. The engine's own names (jobStateName, tierName) are
// for logs and JSON and stay English.
class UiText {
    Q_DECLARE_TR_FUNCTIONS(avatar::ui::UiText)
public:
    static QString state(JobState state);
    static QString stage(Stage stage);
    static QString tier(Tier tier);
    static QString priority(JobPriority priority);
    // "1:05", "1:02:03"; "–" for negative (unknown) durations.
    static QString duration(double seconds);
    static QString bytes(double bytes);
    // Why the studio's queue runs in memory only this time (another runner holds the job database).
    static QString queueNotKept(const QString& database, const QString& reason);
};

} // namespace avatar::ui
