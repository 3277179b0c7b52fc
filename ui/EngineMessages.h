#pragma once

#include <QCoreApplication>
#include <QString>

#include <string>

namespace avatar::ui {

// The engine writes its error messages in English (it has no Qt and no translations; the CLI prints them as
// they are). The studio shows them in its own language: each message the engine writes from a known template
// ("No face was found in '…'. …") is matched and rebuilt from a translatable string with the same values; a
// message of no known template is shown as the engine wrote it.
class EngineMessages {
    Q_DECLARE_TR_FUNCTIONS(EngineMessages)
public:
    static QString translate(const std::string& message);
    static QString translate(const QString& message);
};

} // namespace avatar::ui
