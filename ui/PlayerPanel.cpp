#include "PlayerPanel.h"

#include "UiText.h"

#include <QAudio>
#include <QAudioDevice>
#include <QAudioOutput>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QMediaMetaData>
#include <QMediaPlayer>
#include <QProxyStyle>
#include <QShortcut>
#include <QSlider>
#include <QStackedWidget>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QVideoSink>
#include <QVideoWidget>

#include <algorithm>

namespace avatar::ui {

namespace {

// A click on the seek slider's groove jumps to that place (as every media player does) instead of the
// widget style's page step, which moved a 10 s video by 10 ms.
class ClickToSeekStyle : public QProxyStyle {
public:
    using QProxyStyle::QProxyStyle;
    int styleHint(StyleHint hint, const QStyleOption* option, const QWidget* widget,
                  QStyleHintReturn* returnData) const override {
        if (hint == QStyle::SH_Slider_AbsoluteSetButtons)
            return Qt::LeftButton;
        return QProxyStyle::styleHint(hint, option, widget, returnData);
    }
};

constexpr double kFallbackFps = 25.0; // a video whose frame rate the backend does not report

} // namespace

PlayerPanel::PlayerPanel(QWidget* parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)), m_empty(new QLabel(this)),
      m_video(new QVideoWidget(this)), m_preview(new QLabel(this)), m_caption(new QLabel(this)),
      m_player(new QMediaPlayer(this)), m_audio(new QAudioOutput(this)), m_play(new QToolButton(this)),
      m_seek(new QSlider(Qt::Horizontal, this)), m_time(new QLabel(this)), m_back(new QToolButton(this)),
      m_forward(new QToolButton(this)), m_mute(new QToolButton(this)),
      m_volume(new QSlider(Qt::Horizontal, this)), m_full(new QToolButton(this)) {
    setObjectName(QStringLiteral("player"));
    m_empty->setText(tr("Render a video, then select it in the queue to play it here.\n"
                        "While a job renders, its latest frame appears here."));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false); // drawn in the palette's disabled (muted) text colour
    m_video->setAccessibleName(tr("Video"));
    m_video->setMinimumSize(320, 180);
    m_preview->setObjectName(QStringLiteral("livePreview"));
    m_preview->setAccessibleName(tr("Live preview of the rendering job"));
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setMinimumSize(320, 180);
    m_preview->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_video);
    m_stack->addWidget(m_preview);

    m_player->setVideoOutput(m_video);
    // Qt 6.4's FFmpeg backend crashes when it plays into an audio output while the machine has no audio
    // device (a headless session, Xvfb): play silently there.
    if (!QMediaDevices::audioOutputs().isEmpty())
        m_player->setAudioOutput(m_audio);

    m_play->setObjectName(QStringLiteral("playButton"));
    m_play->setAccessibleName(tr("Play or pause"));
    m_play->setToolTip(tr("Play or pause (Space)"));
    m_play->setShortcut(QKeySequence(Qt::Key_Space));
    m_play->setEnabled(false);
    m_seek->setObjectName(QStringLiteral("seekSlider"));
    m_seek->setAccessibleName(tr("Position"));
    m_seek->setToolTip(tr("Click or drag to seek"));
    m_seek->setEnabled(false);
    auto* seekStyle = new ClickToSeekStyle;
    seekStyle->setParent(m_seek); // QWidget::setStyle does not own it
    m_seek->setStyle(seekStyle);
    m_back->setObjectName(QStringLiteral("previousFrameButton"));
    m_back->setArrowType(Qt::LeftArrow);
    m_back->setAccessibleName(tr("Previous frame"));
    m_back->setToolTip(tr("One frame back, while paused (,)"));
    m_forward->setObjectName(QStringLiteral("nextFrameButton"));
    m_forward->setArrowType(Qt::RightArrow);
    m_forward->setAccessibleName(tr("Next frame"));
    m_forward->setToolTip(tr("One frame forward, while paused (.)"));
    m_mute->setObjectName(QStringLiteral("muteButton"));
    m_mute->setCheckable(true);
    m_mute->setAccessibleName(tr("Mute"));
    m_mute->setToolTip(tr("Mute"));
    m_volume->setObjectName(QStringLiteral("volumeSlider"));
    m_volume->setRange(0, 100);
    m_volume->setValue(80);
    m_volume->setMaximumWidth(100);
    m_volume->setAccessibleName(tr("Volume"));
    m_volume->setToolTip(tr("Volume"));
    m_full->setObjectName(QStringLiteral("fullScreenButton"));
    m_full->setCheckable(true);
    m_full->setIcon(QIcon::fromTheme(QStringLiteral("view-fullscreen"),
                                     style()->standardIcon(QStyle::SP_TitleBarMaxButton)));
    m_full->setAccessibleName(tr("Full screen"));
    m_full->setToolTip(tr("Full screen (F; Esc leaves it)"));
    // F , . only while the player has the focus (a click on it gives it): in the window they are letters
    // typed into a list or a combo box's search.
    setFocusPolicy(Qt::ClickFocus);
    const auto playerKey = [this](Qt::Key key, auto slot) {
        new QShortcut(QKeySequence(key), this, slot, Qt::WidgetWithChildrenShortcut);
    };
    playerKey(Qt::Key_F, [this] { setFullScreen(!m_fullScreen); });
    playerKey(Qt::Key_Comma, [this] { stepFrame(-1); });
    playerKey(Qt::Key_Period, [this] { stepFrame(1); });
    // Esc only while full screen: elsewhere it cancels the selected job in the queue.
    m_leave = new QShortcut(QKeySequence(Qt::Key_Escape), this, [this] { setFullScreen(false); });
    m_leave->setObjectName(QStringLiteral("leaveFullScreen"));
    m_leave->setEnabled(false);
    m_time->setObjectName(QStringLiteral("timeLabel"));
    m_time->setMinimumWidth(90);
    m_time->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_caption->setObjectName(QStringLiteral("playerCaption"));
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_play);
    controls->addWidget(m_back);
    controls->addWidget(m_forward);
    controls->addWidget(m_seek, 1);
    controls->addWidget(m_time);
    controls->addWidget(m_mute);
    controls->addWidget(m_volume);
    controls->addWidget(m_full);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caption);
    layout->addWidget(m_stack, 1);
    layout->addLayout(controls);

    connect(m_video->videoSink(), &QVideoSink::videoFrameChanged, this, [this](const QVideoFrame& frame) {
        if (frame.isValid())
            m_lastFrame = frame;
        if (m_poster)
            endPoster();
    });
    connect(m_stack, &QStackedWidget::currentChanged, this, [this] { Q_EMIT pageChanged(page()); });
    connect(m_play, &QToolButton::clicked, this, &PlayerPanel::togglePlay);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, &PlayerPanel::updatePlayButton);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, &PlayerPanel::updateControls);
    connect(m_player, &QMediaPlayer::durationChanged, this, [this](qint64 ms) {
        m_seek->setRange(0, int(ms));
        m_seek->setEnabled(ms > 0);
        updateTime();
        updateControls();
    });
    connect(m_back, &QToolButton::clicked, this, [this] { stepFrame(-1); });
    connect(m_forward, &QToolButton::clicked, this, [this] { stepFrame(1); });
    connect(m_full, &QToolButton::clicked, this, [this](bool on) { setFullScreen(on); });
    connect(m_mute, &QToolButton::clicked, this, [this](bool on) {
        setMuted(on);
        Q_EMIT volumeChanged(volume(), m_muted);
    });
    connect(m_volume, &QSlider::valueChanged, this, [this](int percent) {
        setVolume(percent);
        Q_EMIT volumeChanged(percent, m_muted);
    });
    connect(m_player, &QMediaPlayer::positionChanged, this, [this](qint64 ms) {
        if (!m_seeking)
            m_seek->setValue(int(ms));
        updateTime();
    });
    connect(m_seek, &QSlider::sliderPressed, this, [this] { m_seeking = true; });
    connect(m_seek, &QSlider::sliderReleased, this, [this] {
        m_seeking = false;
        m_player->setPosition(m_seek->value());
    });
    // Clicks and keys on the slider (not drags) seek at once.
    connect(m_seek, &QSlider::actionTriggered, this, [this] {
        if (!m_seeking)
            m_player->setPosition(m_seek->sliderPosition());
    });
    connect(m_player, &QMediaPlayer::errorOccurred, this,
            [this](QMediaPlayer::Error, const QString& message) { m_caption->setText(message); });
    setVolume(m_volume->value());
    setMuted(false);
    updatePlayButton();
    updateTime();
    updateControls();
}

PlayerPanel::~PlayerPanel() {
    m_player->stop();
}

void PlayerPanel::load(const QString& path, bool autoplay) {
    m_stack->setCurrentWidget(m_video);
    m_caption->setText(QFileInfo(path).fileName());
    m_player->setSource(QUrl::fromLocalFile(path));
    m_play->setEnabled(true);
    if (autoplay) {
        m_poster = false;
        m_player->play();
        return;
    }
    // A poster instead of a black box: play silently until the first frame is shown, then pause there (Qt
    // 6.4's FFmpeg backend draws nothing for a stopped player). kPosterTimeoutMs bounds it if no frame comes.
    m_poster = true;
    applyMute();
    m_player->play();
    QTimer::singleShot(kPosterTimeoutMs, this, [this, load = ++m_loads] {
        if (load == m_loads) // not a later video's poster
            endPoster();
    });
}

void PlayerPanel::endPoster() {
    if (!m_poster)
        return;
    m_poster = false;
    m_player->pause();
    applyMute();
}

void PlayerPanel::showPreview(const QImage& frame, const QString& caption) {
    // A playing result keeps the screen; the preview shows again when playback stops.
    if (m_player->playbackState() == QMediaPlayer::PlayingState && !m_poster)
        return;
    endPoster();
    m_lastPreview = frame;
    m_caption->setText(caption);
    m_stack->setCurrentWidget(m_preview);
    showScaledPreview();
}

void PlayerPanel::clearPreview() {
    m_lastPreview = {};
    if (m_stack->currentWidget() == m_preview)
        m_stack->setCurrentWidget(m_empty);
}

void PlayerPanel::togglePlay() {
    if (m_poster) { // the user's own Play during the poster: keep playing, with sound
        m_poster = false;
        applyMute();
        m_stack->setCurrentWidget(m_video);
        if (m_player->playbackState() != QMediaPlayer::PlayingState)
            m_player->play();
        return;
    }
    if (m_player->playbackState() == QMediaPlayer::PlayingState) {
        m_player->pause();
    } else {
        m_stack->setCurrentWidget(m_video);
        m_player->play();
    }
}

PlayerPanel::Page PlayerPanel::page() const {
    if (m_stack->currentWidget() == m_video)
        return Page::Video;
    if (m_stack->currentWidget() == m_preview)
        return Page::Preview;
    return Page::Empty;
}

void PlayerPanel::clear() {
    setFullScreen(false);
    m_poster = false;
    m_player->stop();
    m_player->setSource(QUrl());
    m_lastFrame = {};
    m_caption->clear();
    m_play->setEnabled(false);
    m_seek->setRange(0, 0);
    m_seek->setEnabled(false);
    if (m_stack->currentWidget() == m_video)
        m_stack->setCurrentWidget(m_empty);
    applyMute();
    updateTime();
    updateControls();
}

QString PlayerPanel::source() const {
    return m_player->source().toLocalFile();
}

void PlayerPanel::setVolume(int percent) {
    percent = std::clamp(percent, 0, 100);
    if (m_volume->value() != percent)
        m_volume->setValue(percent); // comes back here through valueChanged
    // The slider is perceptual (as the ear hears loudness); the output's volume is linear.
    m_audio->setVolume(float(
        QAudio::convertVolume(percent / 100.0, QAudio::LogarithmicVolumeScale, QAudio::LinearVolumeScale)));
}

int PlayerPanel::volume() const {
    return m_volume->value();
}

void PlayerPanel::setMuted(bool muted) {
    m_muted = muted;
    m_mute->setChecked(muted);
    m_mute->setIcon(style()->standardIcon(muted ? QStyle::SP_MediaVolumeMuted : QStyle::SP_MediaVolume));
    m_mute->setToolTip(muted ? tr("Unmute") : tr("Mute"));
    applyMute();
}

void PlayerPanel::applyMute() {
    m_audio->setMuted(m_muted || m_poster); // the poster plays silently whatever the user chose
}

qint64 PlayerPanel::frameMs() const {
    const double fps = m_player->metaData().value(QMediaMetaData::VideoFrameRate).toDouble();
    return qint64(std::llround(1000.0 / (fps > 0 ? fps : kFallbackFps)));
}

void PlayerPanel::stepFrame(int direction) {
    if (m_player->playbackState() == QMediaPlayer::PlayingState && !m_poster)
        return; // only while paused: a step during playback would be lost in the next frame
    endPoster();
    if (m_player->duration() <= 0)
        return;
    const qint64 to =
        std::clamp(m_player->position() + direction * frameMs(), qint64(0), m_player->duration());
    m_stack->setCurrentWidget(m_video);
    m_player->setPosition(to);
}

void PlayerPanel::setFullScreen(bool on) {
    if (on == m_fullScreen)
        return;
    m_fullScreen = on;
    // The panel, controls included, becomes a window of its own and goes back into the main window's layout
    // (its place there is kept) when it leaves full screen, as QVideoWidget::setFullScreen does for itself.
    if (on) {
        m_normalFlags = windowFlags();
        setWindowFlags(m_normalFlags | Qt::Window);
        showFullScreen();
    } else {
        setWindowFlags(m_normalFlags);
        setWindowState(windowState() & ~Qt::WindowFullScreen);
        show();
    }
    m_full->setChecked(on);
    m_leave->setEnabled(on);
}

void PlayerPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    showScaledPreview();
    // Qt 6.4's video output goes blank when resized while paused (no new frame comes): draw the last again.
    if (m_lastFrame.isValid() && m_player->playbackState() != QMediaPlayer::PlayingState &&
        m_stack->currentWidget() == m_video)
        QTimer::singleShot(0, this, [this] {
            if (!m_lastFrame.isValid())
                return;
            // The sink ignores the frame it already holds: cleared first, both before the next paint.
            const QVideoFrame frame = m_lastFrame;
            m_video->videoSink()->setVideoFrame(QVideoFrame());
            m_video->videoSink()->setVideoFrame(frame);
        });
}

void PlayerPanel::showScaledPreview() {
    if (m_lastPreview.isNull())
        return;
    const QSize target = m_preview->size().boundedTo(m_lastPreview.size() * 2);
    m_preview->setPixmap(
        QPixmap::fromImage(m_lastPreview.scaled(target, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
}

void PlayerPanel::updatePlayButton() {
    const bool playing = m_player->playbackState() == QMediaPlayer::PlayingState;
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void PlayerPanel::updateControls() {
    const bool paused = m_player->playbackState() == QMediaPlayer::PausedState && m_player->duration() > 0;
    m_back->setEnabled(paused);
    m_forward->setEnabled(paused);
}

void PlayerPanel::updateTime() {
    m_time->setText(QStringLiteral("%1 / %2").arg(UiText::duration(m_player->position() / 1000.0),
                                                  UiText::duration(m_player->duration() / 1000.0)));
}

} // namespace avatar::ui
