#pragma once

#include <QImage>
#include <QUrl>
#include <QVideoFrame>
#include <QWidget>

class QAudioOutput;
class QLabel;
class QMediaPlayer;
class QShortcut;
class QSlider;
class QStackedWidget;
class QToolButton;
class QVideoWidget;

namespace avatar::ui {

// The inline results: a finished job's video (QMediaPlayer + QVideoWidget, Qt's FFmpeg backend on Debian)
// with play/pause, seek (a click on the groove jumps there), frame step, volume and mute, full screen, and,
// while a job renders, its latest preview frame.
class PlayerPanel : public QWidget {
    Q_OBJECT
public:
    enum class Page { Empty, Video, Preview };
    Q_ENUM(Page)

    static constexpr int kPosterTimeoutMs = 2000;

    explicit PlayerPanel(QWidget* parent = nullptr);
    ~PlayerPanel() override;

    // Without autoplay the first frame is shown as a poster (paused there).
    void load(const QString& path, bool autoplay = true);
    void showPreview(const QImage& frame, const QString& caption);
    void clearPreview();
    void togglePlay();
    // Back to the empty page: no source, 0:00 / 0:00 (the job whose video it played was removed).
    void clear();
    QString source() const; // the loaded video's path; "" when none

    void setVolume(int percent); // 0 .. 100
    int volume() const;
    void setMuted(bool muted);
    bool isMuted() const { return m_muted; }
    // While paused: one frame forward (+1) or back (-1), by the video's frame rate.
    void stepFrame(int direction);
    void setFullScreen(bool on); // the player with its controls, alone on the screen
    bool isFullScreenPlayer() const { return m_fullScreen; }

    Page page() const;
    QMediaPlayer* player() const { return m_player; }
    QLabel* previewLabel() const { return m_preview; }
    QToolButton* playButton() const { return m_play; }
    QSlider* seekSlider() const { return m_seek; }
    QSlider* volumeSlider() const { return m_volume; }
    QToolButton* muteButton() const { return m_mute; }
    QToolButton* fullScreenButton() const { return m_full; }
    QToolButton* previousFrameButton() const { return m_back; }
    QToolButton* nextFrameButton() const { return m_forward; }
    QLabel* timeLabel() const { return m_time; }
    QImage lastPreview() const { return m_lastPreview; }

Q_SIGNALS:
    void pageChanged(avatar::ui::PlayerPanel::Page page);
    void volumeChanged(int percent, bool muted); // the user's, for the settings

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateTime();
    void updatePlayButton();
    void showScaledPreview();
    void endPoster();
    void updateControls();
    void applyMute();
    qint64 frameMs() const;

    QStackedWidget* m_stack;
    QLabel* m_empty;
    QVideoWidget* m_video;
    QLabel* m_preview;
    QLabel* m_caption;
    QMediaPlayer* m_player;
    QAudioOutput* m_audio;
    QToolButton* m_play;
    QSlider* m_seek;
    QLabel* m_time;
    QToolButton* m_back;
    QToolButton* m_forward;
    QToolButton* m_mute;
    QSlider* m_volume;
    QToolButton* m_full;
    QShortcut* m_leave = nullptr;
    Qt::WindowFlags m_normalFlags;
    QVideoFrame m_lastFrame; // drawn again after a resize while paused (the backend sends none then)
    bool m_muted = false;
    bool m_fullScreen = false;
    QImage m_lastPreview;
    bool m_seeking = false;
    int m_loads = 0;
    bool m_poster = false; // playing muted until the first frame of a video loaded without autoplay
};

} // namespace avatar::ui
