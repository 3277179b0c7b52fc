#pragma once

#include <QFile>
#include <QWidget>

#include <memory>

class QAudioSource;
class QAudioOutput;
class QComboBox;
class QLabel;
class QMediaPlayer;
class QProgressBar;
class QPushButton;

namespace avatar::ui {

// The composer's narration (issue #13): the synthetic voice speaks the script, or a recording does (the
// script is then its transcript). A recording is imported (Import… or a file dropped on the panel) or
// recorded from the microphone with a level meter, listened to and recorded again. Recordings are written
// as 48 kHz mono 16-bit WAV files into `recordingFolder`.
class NarrationPanel : public QWidget {
    Q_OBJECT
public:
    enum class Source { Voice, Recording };

    explicit NarrationPanel(const QString& recordingFolder, QWidget* parent = nullptr);
    ~NarrationPanel() override;

    Source source() const;
    void setSource(Source source);
    // The recording that narrates the job: empty when the voice speaks or no recording is chosen yet.
    QString recordingPath() const;
    // Chooses `path` as the narration (switching to Recording). False and `error` set when it is not a
    // readable file with an audio extension the engine decodes.
    bool setRecording(const QString& path, QString* error = nullptr);
    static bool isAudioFile(const QString& path);

    // Voice or Recording; not in the panel's layout: the owner places it (the panel itself is the
    // recording's row and hides while the voice speaks).
    QComboBox* sourceCombo() const { return m_source; }
    QPushButton* importButton() const { return m_import; }
    QPushButton* recordButton() const { return m_record; }
    QPushButton* listenButton() const { return m_listen; }
    QProgressBar* levelMeter() const { return m_level; }
    QLabel* fileLabel() const { return m_file; }
    bool hasMicrophone() const;

Q_SIGNALS:
    void changed(); // the source or the recording changed
    void problem(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void importFile();
    void toggleRecording();
    void startRecording();
    void stopRecording();
    void readMicrophone();
    void toggleListening();
    void updateControls();

    QString m_folder;
    QString m_path;
    QComboBox* m_source;
    QPushButton* m_import;
    QPushButton* m_record;
    QPushButton* m_listen;
    QProgressBar* m_level;
    QLabel* m_file;
    std::unique_ptr<QAudioSource> m_input;
    QIODevice* m_inputDevice = nullptr; // owned by m_input
    QFile m_out;                        // the WAV being recorded
    qint64 m_recordedBytes = 0;
    QMediaPlayer* m_player = nullptr; // made on the first Listen (no audio backend work before)
    QAudioOutput* m_output = nullptr;
};

} // namespace avatar::ui
