#pragma once

#include <QImage>
#include <QUrl>
#include <QWidget>

class QAudioOutput;
class QLabel;
class QMediaPlayer;
class QSlider;
class QStackedWidget;
class QToolButton;
class QVideoWidget;

namespace avatar::ui {

// The inline results: a finished job's video (QMediaPlayer + QVideoWidget, Qt's FFmpeg backend on Debian)
// with play/pause and seek, and, while a job renders, its latest preview frame.
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

    Page page() const;
    QMediaPlayer* player() const { return m_player; }
    QLabel* previewLabel() const { return m_preview; }
    QToolButton* playButton() const { return m_play; }
    QSlider* seekSlider() const { return m_seek; }
    QImage lastPreview() const { return m_lastPreview; }

Q_SIGNALS:
    void pageChanged(avatar::ui::PlayerPanel::Page page);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateTime();
    void updatePlayButton();
    void showScaledPreview();
    void endPoster();

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
    QImage m_lastPreview;
    bool m_seeking = false;
    int m_loads = 0;
    bool m_poster = false; // playing muted until the first frame of a video loaded without autoplay
};

} // namespace avatar::ui
