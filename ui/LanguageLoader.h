#pragma once

#include <QObject>
#include <QString>
#include <QTranslator>

namespace avatar::ui {

// Installs the studio's translation (compiled into the binary from translations/*.ts) and Qt's own for the
// chosen language: the override from the settings when set, else the system locale. English needs none.
class LanguageLoader : public QObject {
    Q_OBJECT
public:
    explicit LanguageLoader(QObject* parent = nullptr);
    ~LanguageLoader() override;

    // `language`: "" for the system locale, else "en", "de", ... Returns the language now in use.
    QString apply(const QString& language);
    QString current() const { return m_current; }
    static QStringList available(); // languages with a studio translation, plus "en"

private:
    QTranslator m_studio;
    QTranslator m_qt;
    QString m_current = QStringLiteral("en");
};

} // namespace avatar::ui
