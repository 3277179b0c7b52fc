// German strings appear under the German locale, and the German translation is complete.
#include "ComposerPanel.h"
#include "JobTableModel.h"
#include "LanguageLoader.h"
#include "MainWindow.h"
#include "StudioSettings.h"
#include "UiText.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"

#include <QFile>
#include <QLocale>
#include <QMenuBar>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace avatar;
using namespace avatar::ui;

class TestGuiI18n : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void translationIsComplete();
    void germanFromLocale();
    void germanWindow();
    void englishOverride();
};

void TestGuiI18n::translationIsComplete() {
    QFile ts(QStringLiteral(AVATAR_SOURCE_DIR "/translations/avatar_studio_de.ts"));
    QVERIFY(ts.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&ts);
    int messages = 0;
    QStringList unfinished;
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            ++messages;
            const bool done = xml.attributes().value(QLatin1String("type")).isEmpty();
            if (!done || xml.readElementText().isEmpty())
                unfinished << source;
        }
    }
    QVERIFY(!xml.hasError());
    QVERIFY2(messages > 100, qPrintable(QString::number(messages)));
    QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished.join(QStringLiteral(" | "))));
}

void TestGuiI18n::germanFromLocale() {
    // No override: the system locale decides.
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    qputenv("LANGUAGE", "de_DE");
    qputenv("LC_ALL", "de_DE.UTF-8");
    LanguageLoader loader;
    QCOMPARE(loader.apply(QStringLiteral("de_DE")), QStringLiteral("de"));
    QVERIFY(LanguageLoader::available().contains(QStringLiteral("de")));
    QCOMPARE(UiText::state(JobState::Queued), QStringLiteral("In Warteschlange"));
    QCOMPARE(UiText::tier(Tier::Advanced), QStringLiteral("Erweitert"));
}

void TestGuiI18n::germanWindow() {
    LanguageLoader loader;
    QCOMPARE(loader.apply(QStringLiteral("de")), QStringLiteral("de"));
    QTemporaryDir dir;
    EngineServices services;
    JobQueue queue(services, JobQueue::Options{{}, 1, false});
    StudioSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(services, queue, settings);
    QCOMPARE(window.composer()->renderButton()->text(), QStringLiteral("Rendern"));
    QCOMPARE(window.jobModel()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Name"));
    QCOMPARE(window.jobModel()
                 ->headerData(JobTableModel::columnId(JobTableModel::Column::Progress), Qt::Horizontal)
                 .toString(),
             QStringLiteral("Fortschritt"));
    QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
}

void TestGuiI18n::englishOverride() {
    LanguageLoader loader;
    QCOMPARE(loader.apply(QStringLiteral("en")), QStringLiteral("en"));
    QCOMPARE(UiText::state(JobState::Queued), QStringLiteral("Queued"));
}

QTEST_MAIN(TestGuiI18n)
#include "tst_gui_i18n.moc"
