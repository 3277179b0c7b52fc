#include "PlayerPanel.h"

#include "UiText.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QMediaPlayer>
#include <QSlider>
#include <QStackedWidget>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QVideoSink>
#include <QVideoWidget>

namespace avatar::ui {

PlayerPanel::PlayerPanel(QWidget* parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)), m_empty(new QLabel(this)),
      m_video(new QVideoWidget(this)), m_preview(new QLabel(this)), m_caption(new QLabel(this)),
      m_player(new QMediaPlayer(this)), m_audio(new QAudioOutput(this)), m_play(new QToolButton(this)),
      m_seek(new QSlider(Qt::Horizontal, this)), m_time(new QLabel(this)) {
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
    m_seek->setToolTip(tr("Drag to seek"));
    m_seek->setEnabled(false);
    m_time->setObjectName(QStringLiteral("timeLabel"));
    m_time->setMinimumWidth(90);
    m_time->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_caption->setObjectName(QStringLiteral("playerCaption"));
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_play);
    controls->addWidget(m_seek, 1);
    controls->addWidget(m_time);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caption);
    layout->addWidget(m_stack, 1);
    layout->addLayout(controls);

    connect(m_video->videoSink(), &QVideoSink::videoFrameChanged, this, [this] {
        if (m_poster)
            endPoster();
    });
    connect(m_stack, &QStackedWidget::currentChanged, this, [this] { Q_EMIT pageChanged(page()); });
    connect(m_play, &QToolButton::clicked, this, &PlayerPanel::togglePlay);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, &PlayerPanel::updatePlayButton);
    connect(m_player, &QMediaPlayer::durationChanged, this, [this](qint64 ms) {
        m_seek->setRange(0, int(ms));
        m_seek->setEnabled(ms > 0);
        updateTime();
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
    updatePlayButton();
    updateTime();
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
    m_audio->setMuted(true);
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
    m_audio->setMuted(false);
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
        m_audio->setMuted(false);
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

void PlayerPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    showScaledPreview();
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

void PlayerPanel::updateTime() {
    m_time->setText(QStringLiteral("%1 / %2").arg(UiText::duration(m_player->position() / 1000.0),
                                                  UiText::duration(m_player->duration() / 1000.0)));
}

} // namespace avatar::ui
