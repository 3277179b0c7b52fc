#pragma once

#include "tts/Speech.h"

#include <QBuffer>
#include <QFutureWatcher>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

class QAudioSink;
class QComboBox;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace avatar {
class TextToSpeech;
}

namespace avatar::ui {

// The voice list and "Preview voice", which synthesises a short sample on a worker thread and plays it with
// QAudioSink. The list is grouped by language under unselectable headers (favourites first, then English with
// Flite's voices, the best sounding, then the other languages by name) and filtered by the search field; the
// star marks the selected voice as a favourite.

class VoicePicker : public QWidget {
    Q_OBJECT
public:
    VoicePicker(const TextToSpeech& tts, QWidget* parent = nullptr);
    ~VoicePicker() override;

    QString voiceId() const;
    void setVoiceId(const QString& id);
    void setSpeed(double speed) { m_speed = speed; }
    void setPitch(double semitones) { m_pitch = semitones; } // the sample's, as the render's
    QStringList favourites() const { return m_favourites; }
    void setFavourites(const QStringList& ids);
    QComboBox* combo() const { return m_combo; }
    QLineEdit* searchEdit() const { return m_search; }
    QToolButton* favouriteButton() const { return m_favourite; }
    QPushButton* previewButton() const { return m_preview; }

    void preview();

Q_SIGNALS:
    void previewReady(double seconds); // the sample was synthesised (and handed to the audio output)
    void previewFailed(const QString& message);
    void favouritesChanged(const QStringList& ids); // the star was toggled

private:
    void synthesized();
    void rebuild(); // the list for the search text, the selection kept when it still matches
    void updateStar();

    const TextToSpeech& m_tts;
    std::vector<VoiceInfo> m_voices; // in list order
    QStringList m_favourites;
    QString m_current; // the selected voice; kept while a search shows none
    QLineEdit* m_search;
    QComboBox* m_combo;
    QToolButton* m_favourite;
    QPushButton* m_preview;
    double m_speed = 1.0;
    double m_pitch = 0.0;
    QFutureWatcher<std::shared_ptr<Speech>> m_watcher;
    QBuffer m_pcm;
    std::unique_ptr<QAudioSink> m_sink;
};

} // namespace avatar::ui
