// The composer's narration (issue #13, studio side): a WAV imported as the narration (or dropped on the
// panel) queues a job whose spec, also as the job database stores it, carries the recording's path and its
// SHA-256, and the video's sound is the recording (two tones of known pitch and length, found again in the
// decoded AAC); without a microphone (offscreen, Xvfb) the record button says so.
#include "ComposerPanel.h"
#include "MainWindow.h"
#include "NarrationPanel.h"
#include "ScriptEditor.h"
#include "StudioSettings.h"
#include "jobs/JobQueue.h"
#include "jobs/JobTypes.h"
#include "media/MediaReader.h"
#include "pipeline/EngineServices.h"
#include "project/ProjectFile.h"

#include <QApplication>
#include <QAudioDevice>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QMediaDevices>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QtEndian>

#include <cmath>
#include <numbers>

using namespace avatar;
using namespace avatar::ui;

namespace {

constexpr int kRate = 44100;

// Stereo 16-bit WAV: `low` Hz for 1.2 s, 0.4 s of silence, `high` Hz for 1.0 s (each tone with 20 ms fades).
void writeTones(const QString& path, double low, double high) {
    std::vector<qint16> pcm;
    auto tone = [&](double hz, double seconds) {
        const int n = int(seconds * kRate);
        for (int i = 0; i < n; ++i) {
            const double fade = std::min({1.0, i / (0.02 * kRate), (n - i) / (0.02 * kRate)});
            const auto v = qint16(9000 * fade * std::sin(2 * std::numbers::pi * hz * i / kRate));
            pcm.push_back(v);
            pcm.push_back(v);
        }
    };
    tone(low, 1.2);
    pcm.insert(pcm.end(), std::size_t(0.4 * kRate) * 2, 0);
    tone(high, 1.0);
    const quint32 bytes = quint32(pcm.size() * 2);
    QByteArray h(44, '\0');
    h.replace(0, 4, "RIFF");
    qToLittleEndian<quint32>(36 + bytes, h.data() + 4);
    h.replace(8, 8, "WAVEfmt ");
    qToLittleEndian<quint32>(16, h.data() + 16);
    qToLittleEndian<quint16>(1, h.data() + 20);
    qToLittleEndian<quint16>(2, h.data() + 22);
    qToLittleEndian<quint32>(kRate, h.data() + 24);
    qToLittleEndian<quint32>(kRate * 4, h.data() + 28);
    qToLittleEndian<quint16>(4, h.data() + 32);
    qToLittleEndian<quint16>(16, h.data() + 34);
    h.replace(36, 4, "data");
    qToLittleEndian<quint32>(bytes, h.data() + 40);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(h);
    f.write(reinterpret_cast<const char*>(pcm.data()), bytes);
}

// The strongest frequency of samples[from, from + n) among 100..2000 Hz (Goertzel, 5 Hz steps).
double dominantHz(const std::vector<float>& s, int rate, double fromSeconds, double seconds) {
    const auto from = std::size_t(fromSeconds * rate);
    const auto n = std::size_t(seconds * rate);
    double best = 0, bestHz = 0;
    for (double hz = 100; hz <= 2000; hz += 5) {
        const double w = 2 * std::numbers::pi * hz / rate;
        double re = 0, im = 0;
        for (std::size_t i = 0; i < n && from + i < s.size(); ++i) {
            re += s[from + i] * std::cos(w * double(i));
            im += s[from + i] * std::sin(w * double(i));
        }
        if (re * re + im * im > best) {
            best = re * re + im * im;
            bestHz = hz;
        }
    }
    return bestHz;
}

double rms(const std::vector<float>& s, int rate, double fromSeconds, double seconds) {
    double sum = 0;
    std::size_t n = 0;
    for (auto i = std::size_t(fromSeconds * rate);
         i < std::size_t((fromSeconds + seconds) * rate) && i < s.size(); ++i, ++n)
        sum += double(s[i]) * s[i];
    return n ? std::sqrt(sum / double(n)) : 0.0;
}

} // namespace

class TestGuiNarration : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_services = std::make_unique<EngineServices>();
        m_settings = std::make_unique<StudioSettings>(m_dir.filePath(QStringLiteral("studio.ini")));
        m_settings->setOutputFolder(m_dir.filePath(QStringLiteral("out")));
    }

    void voiceByDefaultAndNoMicrophoneSaysSo() {
        ComposerPanel c(*m_services, *m_settings);
        c.loadDefaults();
        NarrationPanel* n = c.narration();
        QCOMPARE(n->source(), NarrationPanel::Source::Voice);
        const auto spec = c.spec(m_dir.filePath(QStringLiteral("out")));
        QVERIFY(spec);
        QVERIFY(spec->render.audio.empty());
        QVERIFY(spec->audioSha256.empty());
        // Recording chosen but nothing imported yet: no job, one message.
        n->setSource(NarrationPanel::Source::Recording);
        QString error;
        QVERIFY(!c.spec(m_dir.filePath(QStringLiteral("out")), {}, &error));
        QVERIFY(!error.isEmpty());
        if (QMediaDevices::defaultAudioInput().isNull()) {
            QVERIFY(!n->recordButton()->isEnabled());
            QCOMPARE(n->recordButton()->text(), QStringLiteral("No microphone"));
            QVERIFY(n->recordButton()->toolTip().contains(QStringLiteral("import")));
        }
        // Not audio, missing: refused with a message, the narration unchanged.
        QSignalSpy problems(n, &NarrationPanel::problem);
        QVERIFY(!n->setRecording(m_dir.filePath(QStringLiteral("missing.wav"))));
        QFile text(m_dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("hello");
        text.close();
        QVERIFY(!n->setRecording(text.fileName()));
        QCOMPARE(problems.count(), 2);
        QVERIFY(n->recordingPath().isEmpty());
    }

    void dropAcceptsAudioFiles() {
        NarrationPanel n(m_dir.filePath(QStringLiteral("rec")));
        n.setSource(NarrationPanel::Source::Recording); // the panel shows (and takes drops) for a recording
        n.show();                                       // Qt delivers drops to visible drop sites only
        QVERIFY(QTest::qWaitForWindowExposed(&n));
        const QString wav = m_dir.filePath(QStringLiteral("drop.wav"));
        writeTones(wav, 300, 700);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(wav)});
        // As a drag does it: the enter (which makes the panel Qt's drop target), then the drop.
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&n, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QSignalSpy problems(&n, &NarrationPanel::problem);
        QApplication::sendEvent(&n, &drop);
        QVERIFY2(problems.isEmpty(),
                 problems.isEmpty() ? "" : qPrintable(problems.first().first().toString()));
        QCOMPARE(n.recordingPath(), wav);
        QCOMPARE(n.source(), NarrationPanel::Source::Recording);
        QVERIFY(n.fileLabel()->text().contains(QStringLiteral("drop.wav")));
        QVERIFY(n.listenButton()->isEnabled());
    }

    void importedRecordingNarratesTheJob() {
        const QString wav = m_dir.filePath(QStringLiteral("narration.wav"));
        writeTones(wav, 300, 700);
        JobQueue queue(*m_services, JobQueue::Options{});
        MainWindow window(*m_services, queue, *m_settings);
        queue.start();
        ComposerPanel* c = window.composer();
        c->script()->editor()->setPlainText(QString()); // a recording needs no transcript
        if (c->sizeCombo()->findData(QStringLiteral("320x240")) < 0)
            c->sizeCombo()->addItem(QStringLiteral("320 × 240"), QStringLiteral("320x240"));
        c->sizeCombo()->setCurrentIndex(c->sizeCombo()->findData(QStringLiteral("320x240")));
        c->setFrameRate(12);
        QVERIFY(!c->renderButton()->isEnabled());
        QVERIFY(c->narration()->setRecording(wav));
        QVERIFY(c->renderButton()->isEnabled());

        QSignalSpy queued(&window, &MainWindow::jobQueued);
        const JobId id = window.render();
        QVERIFY(id > 0);
        const auto job = queue.job(id);
        QVERIFY(job);
        QCOMPARE(QString::fromStdString(job->spec.render.audio.string()), wav);
        QCOMPARE(job->spec.audioSha256, project::ProjectFile::hashFile(wav.toStdString()));
        // The job database's form of the spec keeps both.
        const JobSpec stored = jobSpecFromJson(jobSpecToJson(job->spec));
        QCOMPARE(stored.render.audio, job->spec.render.audio);
        QCOMPARE(stored.audioSha256, job->spec.audioSha256);

        QVERIFY(QTest::qWaitFor(
            [&] {
                return queue.job(id)->state == JobState::Done || queue.job(id)->state == JobState::Failed;
            },
            180000));
        QCOMPARE(queue.job(id)->error, std::string());
        QCOMPARE(int(queue.job(id)->state), int(JobState::Done));
        int rate = 0;
        const std::vector<float> sound = MediaReader(job->spec.render.output).readAudioMono(&rate);
        QVERIFY(rate > 0);
        // The recording's length (2.6 s), its two pitches where they were, its silence between them.
        QVERIFY2(std::abs(double(sound.size()) / rate - 2.6) < 0.15,
                 qPrintable(QString::number(double(sound.size()) / rate)));
        QCOMPARE(dominantHz(sound, rate, 0.2, 0.8), 300.0);
        QCOMPARE(dominantHz(sound, rate, 1.8, 0.6), 700.0);
        QVERIFY(rms(sound, rate, 1.3, 0.2) < 0.1 * rms(sound, rate, 0.2, 0.8));
        queue.stop();
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<EngineServices> m_services;
    std::unique_ptr<StudioSettings> m_settings;
};

QTEST_MAIN(TestGuiNarration)
#include "tst_gui_narration.moc"
