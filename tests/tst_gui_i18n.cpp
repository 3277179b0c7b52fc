// German strings appear under the German locale, and the German translation is complete.
#include "ComposerPanel.h"
#include "EngineBridge.h"
#include "EngineMessages.h"
#include "JobTableModel.h"
#include "LanguageLoader.h"
#include "MainWindow.h"
#include "StudioSettings.h"
#include "UiText.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "jobs/JobQueue.h"
#include "pipeline/EngineServices.h"

#include <QFile>
#include <QLocale>
#include <QMenuBar>
#include <QPushButton>
#include <QStatusBar>
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
    void germanEngineMessages();
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

// Issue #18: the engine's (English) error messages, as the studio shows them in German: whole German
// sentences, the file names kept, in the status bar and the queue's tooltip; the messages are the engine's
// own, got by making it fail.
void TestGuiI18n::germanEngineMessages() {
    LanguageLoader loader;
    QCOMPARE(loader.apply(QStringLiteral("de")), QStringLiteral("de"));
    QTemporaryDir dir;
    EngineServices services;
    JobQueue queue(services, JobQueue::Options{{}, 1, false});
    StudioSettings settings(dir.filePath(QStringLiteral("s.ini")));
    MainWindow window(services, queue, settings);

    // An empty script, refused by the queue's validation.
    JobSpec empty;
    empty.name = "leer";
    empty.render.output = dir.filePath(QStringLiteral("leer.mp4")).toStdString();
    std::string refused;
    try {
        queue.add(empty);
    } catch (const Error& e) {
        refused = e.what();
    }
    QVERIFY(!refused.empty());
    QCOMPARE(EngineMessages::translate(refused),
             QStringLiteral("Das Skript ist leer: Schreiben Sie einen Text, der gesprochen werden soll."));

    // A portrait that is no image: the decoder's message, then a job that failed with it.
    const QString bad = dir.filePath(QStringLiteral("portrait.jpg"));
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a JPEG at all");
    }
    std::string unreadable;
    try {
        ImageIO::load(bad.toStdString());
    } catch (const Error& e) {
        unreadable = e.what();
    }
    QVERIFY(!unreadable.empty());
    const QString german =
        QStringLiteral("„%1“ ist kein Bild, das das Studio lesen kann (PNG, JPEG, BMP, WebP oder TIFF).")
            .arg(bad);
    QCOMPARE(EngineMessages::translate(unreadable), german);

    JobRecord failed;
    failed.id = 7;
    failed.spec.name = "Begrüßung";
    failed.state = JobState::Running;
    Q_EMIT window.bridge()->jobChanged(failed);
    failed.state = JobState::Failed;
    failed.error = unreadable;
    Q_EMIT window.bridge()->jobChanged(failed);
    const QString status = window.statusBar()->currentMessage();
    QVERIFY2(status.endsWith(german), qPrintable(status));
    QVERIFY2(!status.contains(QStringLiteral("readable")) && !status.contains(QStringLiteral("image")),
             qPrintable(status));
    const QModelIndex name = window.jobModel()->index(window.jobModel()->rowOf(7), 0);
    QCOMPARE(name.data(Qt::ToolTipRole).toString(), german);

    // A message of no known template is shown as the engine wrote it.
    QCOMPARE(EngineMessages::translate(std::string("Something new went wrong.")),
             QStringLiteral("Something new went wrong."));
}

void TestGuiI18n::englishOverride() {
    LanguageLoader loader;
    QCOMPARE(loader.apply(QStringLiteral("en")), QStringLiteral("en"));
    QCOMPARE(UiText::state(JobState::Queued), QStringLiteral("Queued"));
}

QTEST_MAIN(TestGuiI18n)
#include "tst_gui_i18n.moc"
