// What a creator expects in the composer (issue #18): voices searched, grouped by language and starred as
// favourites (kept across a restart), the CLI's pitch, the burned captions' style (font, size, position,
// colours) with a preview drawn by the engine, and a custom size validated like the CLI's. Each reaches the
// job the composer queues; one job is rendered and decoded at its custom size with its styled captions.
// The frame rate offers the common rates, 29.97 as exactly 30000/1001 (issue #17).
// AVATAR_SCREENSHOT_DIR=docs/screenshots ./tst_gui_composer saves studio-caption-style.png,
// studio-caption-style-german.png (the dialog on the astronaut at 1080x1920) and studio-frame-rate.png.
#include "CaptionStyleDialog.h"
#include "ComposerPanel.h"
#include "LanguageLoader.h"
#include "ScriptEditor.h"
#include "StudioSettings.h"
#include "VoicePicker.h"
#include "assets/DefaultAssets.h"
#include "media/MediaReader.h"
#include "pipeline/EngineServices.h"
#include "pipeline/RenderPipeline.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFontComboBox>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace avatar;
using namespace avatar::ui;

namespace {

bool isHeader(const QComboBox* combo, int row) {
    const auto* model = qobject_cast<const QStandardItemModel*>(combo->model());
    return model && !(model->item(row)->flags() & Qt::ItemIsSelectable);
}

QStringList headers(const QComboBox* combo) {
    QStringList out;
    for (int i = 0; i < combo->count(); ++i)
        if (isHeader(combo, i))
            out << combo->itemText(i);
    return out;
}

QStringList voiceIds(const QComboBox* combo) {
    QStringList out;
    for (int i = 0; i < combo->count(); ++i)
        if (!isHeader(combo, i))
            out << combo->itemData(i).toString();
    return out;
}

// Pixels of a clearly green hue (the test's caption colour; nothing in the astronaut portrait or the grey
// backdrop is). Loose enough for H.264's halved chroma on thin strokes.
bool isGreen(int r, int g, int b) {
    return g > 120 && g > r + 50 && g > b + 50;
}

int greenPixels(const Image& image, int y0, int y1) {
    int n = 0;
    for (int y = y0; y < y1; ++y) {
        const std::uint8_t* p = image.row(y);
        for (int x = 0; x < image.width(); ++x, p += 3)
            n += isGreen(p[0], p[1], p[2]);
    }
    return n;
}

int greenPixels(const QImage& image, int y0, int y1) {
    int n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            n += isGreen(c.red(), c.green(), c.blue());
        }
    return n;
}

} // namespace

class TestGuiComposer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_services = std::make_unique<EngineServices>();
        m_settings = std::make_unique<StudioSettings>(m_dir.filePath(QStringLiteral("settings.ini")));
        m_out = m_dir.filePath(QStringLiteral("out"));
    }

    void voicesGroupedByLanguage() {
        ComposerPanel c(*m_services, *m_settings);
        c.loadDefaults();
        const QComboBox* combo = c.voices()->combo();
        const QStringList groups = headers(combo);
        QVERIFY2(groups.size() >= 2, qPrintable(groups.join(QLatin1Char(','))));
        QCOMPARE(groups.first(), QStringLiteral("English"));
        QVERIFY(groups.contains(QStringLiteral("Deutsch")));
        QVERIFY(isHeader(combo, 0));
        QVERIFY(!isHeader(combo, combo->currentIndex()));
        QCOMPARE(c.voices()->voiceId(), QStringLiteral("flite:slt")); // the default, under English
        QVERIFY(combo->itemData(1).toString().startsWith(QStringLiteral("flite:")));
        // A header is never the voice: the job gets a real one.
        QCOMPARE(QString::fromStdString(c.spec(m_out)->render.voice), QStringLiteral("flite:slt"));
    }

    void searchFiltersAndPicks() {
        ComposerPanel c(*m_services, *m_settings);
        c.loadDefaults();
        VoicePicker* v = c.voices();
        const int all = int(voiceIds(v->combo()).size());
        // By the language's own name, by its English name and by code: German voices only, one picked.
        for (const QString& term : {QStringLiteral("deutsch"), QStringLiteral("German")}) {
            v->searchEdit()->setText(term);
            const QStringList ids = voiceIds(v->combo());
            QVERIFY2(!ids.isEmpty() && ids.size() < all, qPrintable(term));
            for (const QString& id : ids)
                QVERIFY2(id.startsWith(QStringLiteral("espeak:de")), qPrintable(id));
            QVERIFY(v->voiceId().startsWith(QStringLiteral("espeak:de")));
            QCOMPARE(QString::fromStdString(c.spec(m_out)->render.voice), v->voiceId());
        }
        const QString german = v->voiceId();
        // Nothing matches: said so, and the chosen voice stays.
        v->searchEdit()->setText(QStringLiteral("zzzz-no-such-voice"));
        QVERIFY(voiceIds(v->combo()).isEmpty());
        QVERIFY(v->combo()->currentText().contains(QStringLiteral("zzzz")));
        QCOMPARE(v->voiceId(), german);
        v->searchEdit()->clear();
        QCOMPARE(int(voiceIds(v->combo()).size()), all);
        QCOMPARE(v->voiceId(), german);
    }

    void favouritesFirstAcrossRestart() {
        QString german;
        {
            ComposerPanel c(*m_services, *m_settings);
            c.loadDefaults();
            VoicePicker* v = c.voices();
            v->searchEdit()->setText(QStringLiteral("deutsch"));
            german = v->voiceId();
            QVERIFY(!v->favouriteButton()->isChecked());
            v->favouriteButton()->click();
            QVERIFY(v->favouriteButton()->isChecked());
            QCOMPARE(m_settings->favouriteVoices(), QStringList{german}); // kept at once, not only on quit
            v->searchEdit()->clear();
            QCOMPARE(v->combo()->itemText(0), favouritesHeader());
            QCOMPARE(v->combo()->itemData(1).toString(), german);
            v->setVoiceId(QStringLiteral("flite:slt"));
            c.saveDefaults();
        }
        m_settings->raw().sync();
        StudioSettings reopened(m_dir.filePath(QStringLiteral("settings.ini")));
        ComposerPanel next(*m_services, reopened);
        next.loadDefaults();
        const QComboBox* combo = next.voices()->combo();
        QVERIFY(isHeader(combo, 0));
        QCOMPARE(combo->itemData(1).toString(), german);
        QCOMPARE(next.voices()->voiceId(), QStringLiteral("flite:slt"));
        QVERIFY(!next.voices()->favouriteButton()->isChecked());
        if (const QString dir = qEnvironmentVariable("AVATAR_SCREENSHOT_DIR"); !dir.isEmpty()) {
            // The open list: favourites, then the languages under their headers.
            next.resize(440, 820);
            next.show();
            QVERIFY(QTest::qWaitForWindowExposed(&next));
            next.voices()->combo()->showPopup();
            QWidget* popup = next.voices()->combo()->view()->window();
            QVERIFY(QTest::qWaitForWindowExposed(popup));
            QVERIFY(popup->grab().save(QDir(dir).filePath(QStringLiteral("studio-voices.png"))));
            next.voices()->combo()->hidePopup();
        }
        // Un-starring removes it from the top.
        next.voices()->setVoiceId(german);
        QVERIFY(next.voices()->favouriteButton()->isChecked());
        next.voices()->favouriteButton()->click();
        QVERIFY(reopened.favouriteVoices().isEmpty());
        QVERIFY(!isHeader(combo, 0) || combo->itemText(0) != favouritesHeader());
    }

    void pitchReachesTheJob() {
        ComposerPanel c(*m_services, *m_settings);
        c.loadDefaults();
        QDoubleSpinBox* pitch = c.pitchSpin();
        // The CLI's --pitch: semitones, -12 .. 12, default 0.
        QCOMPARE(pitch->minimum(), -12.0);
        QCOMPARE(pitch->maximum(), 12.0);
        QCOMPARE(c.spec(m_out)->render.pitch, 0.0);
        pitch->setValue(-3.5);
        const JobSpec job = *c.spec(m_out);
        QCOMPARE(job.render.pitch, -3.5);
        QCOMPARE(jobSpecFromJson(jobSpecToJson(job)).render.pitch, -3.5); // kept in the job database
        c.saveDefaults();
        ComposerPanel next(*m_services, *m_settings);
        next.loadDefaults();
        QCOMPARE(next.pitchSpin()->value(), -3.5);
        pitch->setValue(0.0);
        c.saveDefaults();
    }

    // Issue #17: the frame rate is one of the common rates, NTSC's exactly; it reaches the job and the job
    // database as 30000/1001, is remembered, and a whole rate an older studio saved (12) is still offered.
    void frameRateOffersCommonRates() {
        ComposerPanel c(*m_services, *m_settings);
        c.loadDefaults();
        QComboBox* rates = c.frameRateCombo();
        QStringList texts;
        QStringList keys;
        for (int i = 0; i < rates->count(); ++i) {
            texts << rates->itemText(i);
            keys << rates->itemData(i).toString();
        }
        QCOMPARE(texts, (QStringList{QStringLiteral("23.976 fps"), QStringLiteral("24 fps"),
                                     QStringLiteral("25 fps"), QStringLiteral("29.97 fps"),
                                     QStringLiteral("30 fps"), QStringLiteral("50 fps"),
                                     QStringLiteral("59.94 fps"), QStringLiteral("60 fps")}));
        QCOMPARE(keys, (QStringList{QStringLiteral("24000/1001"), QStringLiteral("24"), QStringLiteral("25"),
                                    QStringLiteral("30000/1001"), QStringLiteral("30"), QStringLiteral("50"),
                                    QStringLiteral("60000/1001"), QStringLiteral("60")}));
        QCOMPARE(rates->currentText(), QStringLiteral("25 fps")); // the CLI's default
        QCOMPARE(c.spec(m_out)->render.fps, FrameRate(25));
        rates->setCurrentIndex(rates->findText(QStringLiteral("29.97 fps")));
        const JobSpec job = *c.spec(m_out);
        QCOMPARE(job.render.fps, FrameRate(30000, 1001));
        QCOMPARE(jobSpecFromJson(jobSpecToJson(job)).render.fps, FrameRate(30000, 1001));
        c.saveDefaults();
        QCOMPARE(m_settings->raw().value(QStringLiteral("defaults/fps")).toString(),
                 QStringLiteral("30000/1001"));
        {
            ComposerPanel next(*m_services, *m_settings);
            next.loadDefaults();
            QCOMPARE(next.frameRateCombo()->currentText(), QStringLiteral("29.97 fps"));
            if (const QString dir = qEnvironmentVariable("AVATAR_SCREENSHOT_DIR"); !dir.isEmpty()) {
                // The open list of rates under the composer's output options.
                next.resize(440, 820);
                next.show();
                QVERIFY(QTest::qWaitForWindowExposed(&next));
                next.frameRateCombo()->showPopup();
                QWidget* popup = next.frameRateCombo()->view()->window();
                QVERIFY(QTest::qWaitForWindowExposed(popup));
                // The composer with the list drawn where it opened.
                QPixmap shot = next.grab();
                {
                    QPainter painter(&shot);
                    painter.drawPixmap(next.mapFromGlobal(popup->mapToGlobal(QPoint(0, 0))), popup->grab());
                }
                QVERIFY(shot.save(QDir(dir).filePath(QStringLiteral("studio-frame-rate.png"))));
                next.frameRateCombo()->hidePopup();
            }
        }
        // An older studio kept the rate as a whole number: 12 is offered in its place and selected.
        m_settings->raw().setValue(QStringLiteral("defaults/fps"), 12);
        {
            ComposerPanel old(*m_services, *m_settings);
            old.loadDefaults();
            QCOMPARE(old.frameRateCombo()->itemText(0), QStringLiteral("12 fps"));
            QCOMPARE(old.frameRateCombo()->currentIndex(), 0);
            QCOMPARE(old.frameRate(), FrameRate(12));
            QCOMPARE(old.spec(m_out)->render.fps, FrameRate(12));
        }
        // Out of the engine's range (a hand-edited file): the default, not a job that would fail.
        m_settings->raw().setValue(QStringLiteral("defaults/fps"), 240);
        ComposerPanel edited(*m_services, *m_settings);
        edited.loadDefaults();
        QCOMPARE(edited.frameRate(), FrameRate(25));
        m_settings->setFrameRate(25);
    }

    void captionStyleDialogAndPreview() {
        CaptionStyle style;
        style.colour = 0x00FF00;
        CaptionStyleDialog dialog(style, QSize(1080, 1920), QImage(), nullptr);
        // At the video's shape: 9:16.
        const QImage bottom = dialog.previewImage();
        QVERIFY(!bottom.isNull());
        QVERIFY(bottom.height() > bottom.width());
        const int third = bottom.height() / 3;
        QVERIFY(greenPixels(bottom, 2 * third, bottom.height()) > 20);
        QCOMPARE(greenPixels(bottom, 0, third), 0);
        // The controls drive the style and the preview.
        dialog.positionCombo()->setCurrentIndex(dialog.positionCombo()->findData(QStringLiteral("top")));
        QCOMPARE(int(dialog.style().position), int(CaptionPosition::Top));
        const QImage top = dialog.previewImage();
        QVERIFY(greenPixels(top, 0, third) > 20);
        QCOMPARE(greenPixels(top, 2 * third, top.height()), 0);
        const int normal = greenPixels(top, 0, top.height());
        dialog.sizeSpin()->setValue(200);
        QCOMPARE(dialog.style().size, 200);
        QVERIFY(greenPixels(dialog.previewImage(), 0, top.height()) > 2 * normal);
        dialog.fontCombo()->setCurrentFont(QFont(QStringLiteral("DejaVu Serif")));
        QCOMPARE(QString::fromStdString(dialog.style().font), QStringLiteral("DejaVu Serif"));
        QVERIFY(dialog.previewImage() != top);

        if (const QString dir = qEnvironmentVariable("AVATAR_SCREENSHOT_DIR"); !dir.isEmpty()) {
            const auto png = DefaultAssets::portraitPng();
            const QImage portrait = QImage::fromData(png.data(), int(png.size()));
            LanguageLoader language;
            for (const QString& lang : {QStringLiteral("en"), QStringLiteral("de")}) {
                language.apply(lang);
                CaptionStyle shown;
                shown.size = 130;
                CaptionStyleDialog d(shown, QSize(1080, 1920), portrait, nullptr);
                d.show();
                QVERIFY(QTest::qWaitForWindowExposed(&d));
                const QString name = lang == QLatin1String("de")
                                         ? QStringLiteral("studio-caption-style-german.png")
                                         : QStringLiteral("studio-caption-style.png");
                QVERIFY(d.grab().save(QDir(dir).filePath(name)));
            }
            language.apply(QStringLiteral("en"));
        }
    }

    void captionStyleReachesTheJobLikeTheCli() {
        ComposerPanel c(*m_services, *m_settings);
        c.loadDefaults();
        QVERIFY(!c.captionStyleButton()->isEnabled()); // captions off: nothing to style
        c.captionsCombo()->setCurrentIndex(c.captionsCombo()->findData(QStringLiteral("burn")));
        QVERIFY(c.captionStyleButton()->isEnabled());
        // Through the button and the dialog, as a user would.
        QTimer::singleShot(0, this, [] {
            auto* d = qobject_cast<CaptionStyleDialog*>(QApplication::activeModalWidget());
            QVERIFY(d);
            d->positionCombo()->setCurrentIndex(d->positionCombo()->findData(QStringLiteral("middle")));
            d->sizeSpin()->setValue(140);
            d->accept();
        });
        c.captionStyleButton()->click();
        // What `--caption-position middle --caption-size 140` gives, the rest default.
        CaptionStyle expected;
        expected.position = CaptionPosition::Middle;
        expected.size = 140;
        const JobSpec job = *c.spec(m_out);
        QVERIFY(job.render.captionsBurn);
        QVERIFY(job.render.captionStyle == expected);
        QVERIFY(jobSpecFromJson(jobSpecToJson(job)).render.captionStyle == expected); // the job database
        // Kept across a restart.
        StudioSettings reopened(m_dir.filePath(QStringLiteral("settings.ini")));
        m_settings->raw().sync();
        ComposerPanel next(*m_services, reopened);
        next.loadDefaults();
        QVERIFY(next.captionStyle() == expected);
        c.setCaptionStyle(CaptionStyle{});
    }

    void customSizeValidatedAndRendered() {
        ComposerPanel c(*m_services, *m_settings);
        c.loadDefaults();
        c.show();
        QComboBox* size = c.sizeCombo();
        QVERIFY(!c.customWidthSpin()->isVisible());
        size->setCurrentIndex(size->findData(QStringLiteral("custom")));
        QVERIFY(c.customWidthSpin()->isVisible());
        // An odd number: refused with the CLI's rule, nothing queued.
        c.customWidthSpin()->setValue(335);
        c.customHeightSpin()->setValue(192);
        QString error;
        QVERIFY(!c.spec(m_out, {}, &error));
        QVERIFY2(error.contains(QStringLiteral("335")) && error.contains(QStringLiteral("even")),
                 qPrintable(error));
        c.customWidthSpin()->setValue(336);
        c.script()->setText(QStringLiteral("Hello there, this is a custom size."));
        c.captionsCombo()->setCurrentIndex(c.captionsCombo()->findData(QStringLiteral("burn")));
        CaptionStyle style;
        style.position = CaptionPosition::Top;
        style.size = 200;
        style.colour = 0x00FF00;
        style.highlight = 0x00FF00;
        c.setCaptionStyle(style);
        std::optional<JobSpec> job = c.spec(m_out, {}, &error);
        QVERIFY2(job, qPrintable(error));
        QCOMPARE(job->render.width, 336);
        QCOMPARE(job->render.height, 192);
        job->render.useCache = false;
        const RenderResult result = RenderPipeline(*m_services).run(job->render);
        MediaReader reader(result.output);
        QCOMPARE(reader.info().width, 336);
        QCOMPARE(reader.info().height, 192);
        // The styled captions as burned: green, at the top, not at the bottom.
        Image frame;
        int top = 0, bottom = 0;
        for (int i = 0; i < 40 && reader.readVideoFrame(frame); ++i) {
            QCOMPARE(frame.width(), 336);
            top = std::max(top, greenPixels(frame, 0, 64));
            bottom = std::max(bottom, greenPixels(frame, 128, 192));
        }
        QVERIFY2(top > 50 && bottom < top / 10, qPrintable(QStringLiteral("%1 %2").arg(top).arg(bottom)));
        c.saveDefaults();
        ComposerPanel next(*m_services, *m_settings);
        next.loadDefaults();
        QCOMPARE(next.sizeCombo()->currentData().toString(), QStringLiteral("custom"));
        QCOMPARE(next.videoSize(), QSize(336, 192));
    }

private:
    static QString favouritesHeader() { return VoicePicker::tr("★ Favourites"); }

    QTemporaryDir m_dir;
    std::unique_ptr<EngineServices> m_services;
    std::unique_ptr<StudioSettings> m_settings;
    QString m_out;
};

QTEST_MAIN(TestGuiComposer)
#include "tst_gui_composer.moc"
