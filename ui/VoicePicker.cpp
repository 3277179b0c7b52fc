#include "VoicePicker.h"

#include "tts/TextToSpeech.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QComboBox>
#include <QHBoxLayout>
#include <QMediaDevices>
#include <QPushButton>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace avatar::ui {

VoicePicker::VoicePicker(const TextToSpeech& tts, QWidget* parent)
    : QWidget(parent), m_tts(tts), m_combo(new QComboBox(this)),
      m_preview(
          new QPushButton(QIcon::fromTheme(QStringLiteral("audio-volume-high")), tr("Preview voice"), this)) {
    m_combo->setObjectName(QStringLiteral("voiceCombo"));
    m_combo->setAccessibleName(tr("Voice"));
    m_combo->setToolTip(tr("The synthetic voice that speaks the script"));
    // Sized by a few characters, not by the longest voice name: the composer must fit a small screen.
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_combo->setMinimumContentsLength(16);
    m_preview->setObjectName(QStringLiteral("previewVoice"));
    m_preview->setToolTip(tr("Play a short sample of the selected voice"));

    std::vector<VoiceInfo> voices = m_tts.voices();
    // Flite's English voices are the best sounding: list them first, then espeak-ng's by language.
    std::stable_sort(voices.begin(), voices.end(), [](const VoiceInfo& a, const VoiceInfo& b) {
        return a.engine == "flite" && b.engine != "flite";
    });
    for (const VoiceInfo& v : voices) {
        QString label = QString::fromStdString(v.name);
        if (!v.language.empty())
            label += QStringLiteral(" (%1)").arg(QString::fromStdString(v.language));
        m_combo->addItem(label, QString::fromStdString(v.id));
    }

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo, 1);
    layout->addWidget(m_preview);

    connect(m_preview, &QPushButton::clicked, this, &VoicePicker::preview);
    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<Speech>>::finished, this, &VoicePicker::synthesized);
}

VoicePicker::~VoicePicker() {
    if (m_sink)
        m_sink->stop();
    m_watcher.waitForFinished(); // a sample is a fraction of a second of work; nothing may outlive m_tts
}

QString VoicePicker::voiceId() const {
    return m_combo->currentData().toString();
}

void VoicePicker::setVoiceId(const QString& id) {
    const int i = m_combo->findData(id);
    if (i >= 0)
        m_combo->setCurrentIndex(i);
}

void VoicePicker::preview() {
    if (m_watcher.isRunning())
        return;
    m_preview->setEnabled(false);
    const std::string voice = voiceId().toStdString();
    const std::string text = tr("Hello! This is how I sound in your videos.").toStdString();
    const double speed = m_speed;
    m_watcher.setFuture(QtConcurrent::run([&tts = m_tts, voice, text, speed]() -> std::shared_ptr<Speech> {
        try {
            return std::make_shared<Speech>(tts.synthesize(text, voice, SynthesisOptions{speed, 0.0}));
        } catch (const std::exception&) {
            return nullptr;
        }
    }));
}

void VoicePicker::synthesized() {
    m_preview->setEnabled(true);
    const std::shared_ptr<Speech> speech = m_watcher.result();
    if (!speech || speech->samples.empty()) {
        Q_EMIT previewFailed(tr("The voice could not be synthesised."));
        return;
    }
    // Without an audio device QAudioSink plays into nothing and reports no error: say so instead.
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull()) {
        Q_EMIT previewFailed(tr("No audio output device was found: the voice sample cannot be played. "
                                "Connect speakers or headphones and try again."));
        return;
    }
    if (m_sink)
        m_sink->stop();
    m_pcm.close();
    m_pcm.setData(reinterpret_cast<const char*>(speech->samples.data()),
                  qsizetype(speech->samples.size() * sizeof(std::int16_t)));
    m_pcm.open(QIODevice::ReadOnly);
    QAudioFormat format;
    format.setSampleRate(speech->sampleRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    m_sink = std::make_unique<QAudioSink>(device, format);
    m_sink->start(&m_pcm);
    if (m_sink->error() != QAudio::NoError) {
        Q_EMIT previewFailed(
            tr("The audio device %1 cannot play the voice sample.").arg(device.description()));
        return;
    }
    Q_EMIT previewReady(speech->duration());
}

} // namespace avatar::ui
