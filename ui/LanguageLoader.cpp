#include "LanguageLoader.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>

namespace avatar::ui {

namespace {
const QString kResourceDir = QStringLiteral(":/i18n");
}

LanguageLoader::LanguageLoader(QObject* parent) : QObject(parent) {}

LanguageLoader::~LanguageLoader() {
    QCoreApplication::removeTranslator(&m_studio);
    QCoreApplication::removeTranslator(&m_qt);
}

QStringList LanguageLoader::available() {
    QStringList languages{QStringLiteral("en")};
    for (const QString& file : QDir(kResourceDir).entryList({QStringLiteral("avatar_studio_*.qm")}))
        languages << file.mid(14, file.size() - 14 - 3);
    return languages;
}

QString LanguageLoader::apply(const QString& language) {
    QCoreApplication::removeTranslator(&m_studio);
    QCoreApplication::removeTranslator(&m_qt);
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    m_current = QStringLiteral("en");
    // QTranslator::load(QLocale, ...) walks the locale's UI languages ("de-AT", "de", ...).
    if (m_studio.load(locale, QStringLiteral("avatar_studio"), QStringLiteral("_"), kResourceDir)) {
        QCoreApplication::installTranslator(&m_studio);
        m_current = QLocale(m_studio.language()).name().section(QLatin1Char('_'), 0, 0);
        // Qt's own strings (dialog buttons, context menus) from Debian's qt6-translations-l10n.
        if (m_qt.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                      QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&m_qt);
    }
    return m_current;
}

} // namespace avatar::ui
