#pragma once

#include "tts/Speech.h"

#include <QBuffer>
#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QAudioSink;
class QComboBox;
class QPushButton;

namespace avatar {
class TextToSpeech;
}

namespace avatar::ui {

// The voice list (Flite voices first, then espeak-ng's languages) and "Preview voice", which synthesises a
// short sample on a worker thread and plays it with QAudioSink.
class VoicePicker : public QWidget {
    Q_OBJECT
public:
    VoicePicker(const TextToSpeech& tts, QWidget* parent = nullptr);
    ~VoicePicker() override;

    QString voiceId() const;
    void setVoiceId(const QString& id);
    void setSpeed(double speed) { m_speed = speed; }
    QComboBox* combo() const { return m_combo; }
    QPushButton* previewButton() const { return m_preview; }

    void preview();

Q_SIGNALS:
    void previewReady(double seconds); // the sample was synthesised (and handed to the audio output)
    void previewFailed(const QString& message);

private:
    void synthesized();

    const TextToSpeech& m_tts;
    QComboBox* m_combo;
    QPushButton* m_preview;
    double m_speed = 1.0;
    QFutureWatcher<std::shared_ptr<Speech>> m_watcher;
    QBuffer m_pcm;
    std::unique_ptr<QAudioSink> m_sink;
};

} // namespace avatar::ui
