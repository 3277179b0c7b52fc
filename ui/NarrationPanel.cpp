#include "NarrationPanel.h"

#include <QAudioFormat>
#include <QAudioOutput>
#include <QAudioSource>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QMediaPlayer>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace avatar::ui {

namespace {

constexpr int kRate = 48000;

// The 44-byte header of a mono 16-bit PCM WAV file holding `dataBytes` of samples.
QByteArray wavHeader(qint64 dataBytes) {
    QByteArray h(44, '\0');
    auto put32 = [&h](int at, quint32 v) { qToLittleEndian<quint32>(v, h.data() + at); };
    auto put16 = [&h](int at, quint16 v) { qToLittleEndian<quint16>(v, h.data() + at); };
    h.replace(0, 4, "RIFF");
    put32(4, quint32(36 + dataBytes));
    h.replace(8, 8, "WAVEfmt ");
    put32(16, 16);
    put16(20, 1); // PCM
    put16(22, 1); // mono
    put32(24, kRate);
    put32(28, kRate * 2);
    put16(32, 2);
    put16(34, 16);
    h.replace(36, 4, "data");
    put32(40, quint32(dataBytes));
    return h;
}

} // namespace

NarrationPanel::NarrationPanel(const QString& recordingFolder, QWidget* parent)
    : QWidget(parent), m_folder(recordingFolder), m_source(new QComboBox(this)),
      m_import(new QPushButton(tr("&Import…"), this)), m_record(new QPushButton(this)),
      m_listen(new QPushButton(tr("&Listen"), this)), m_level(new QProgressBar(this)),
      m_file(new QLabel(this)) {
    setObjectName(QStringLiteral("narration"));
    setAcceptDrops(true);
    m_source->addItem(tr("Synthetic voice"), QStringLiteral("voice"));
    m_source->addItem(tr("Recording"), QStringLiteral("recording"));
    m_source->setObjectName(QStringLiteral("narrationSource"));
    m_source->setAccessibleName(tr("Narration"));
    m_source->setToolTip(tr("<p>Who speaks: the synthetic voice reads the script, or your recording is "
                            "the sound and the script its transcript (optional).</p>"));
    m_import->setObjectName(QStringLiteral("importRecording"));
    m_import->setToolTip(tr("Use an audio file as the narration (WAV, FLAC, MP3, M4A, OGG, Opus); or "
                            "drop one here"));
    m_record->setObjectName(QStringLiteral("recordButton"));
    m_listen->setObjectName(QStringLiteral("listenButton"));
    m_listen->setToolTip(tr("Play the recording"));
    m_level->setObjectName(QStringLiteral("levelMeter"));
    m_level->setRange(0, 100);
    m_level->setTextVisible(false);
    m_level->setMaximumHeight(10);
    m_level->setAccessibleName(tr("Microphone level"));
    m_file->setObjectName(QStringLiteral("recordingFile"));
    m_file->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // The source combo is placed by the owner (the composer puts it beside the job name, so that the
    // default, the voice, costs no height); this panel is the recording's row, shown for a recording only.
    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_import);
    buttons->addWidget(m_record);
    buttons->addWidget(m_listen);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_level);
    layout->addWidget(m_file);

    connect(m_source, &QComboBox::currentIndexChanged, this, [this] {
        updateControls();
        Q_EMIT changed();
    });
    connect(m_import, &QPushButton::clicked, this, &NarrationPanel::importFile);
    connect(m_record, &QPushButton::clicked, this, &NarrationPanel::toggleRecording);
    connect(m_listen, &QPushButton::clicked, this, &NarrationPanel::toggleListening);
    updateControls();
}

NarrationPanel::~NarrationPanel() {
    if (m_input)
        stopRecording();
}

NarrationPanel::Source NarrationPanel::source() const {
    return m_source->currentIndex() == 1 ? Source::Recording : Source::Voice;
}

void NarrationPanel::setSource(Source source) {
    m_source->setCurrentIndex(source == Source::Recording ? 1 : 0);
}

QString NarrationPanel::recordingPath() const {
    return source() == Source::Recording ? m_path : QString();
}

bool NarrationPanel::hasMicrophone() const {
    return !QMediaDevices::defaultAudioInput().isNull();
}

bool NarrationPanel::isAudioFile(const QString& path) {
    static const QStringList kExtensions = {
        QStringLiteral("wav"), QStringLiteral("flac"), QStringLiteral("mp3"),  QStringLiteral("m4a"),
        QStringLiteral("aac"), QStringLiteral("ogg"),  QStringLiteral("opus"), QStringLiteral("oga")};
    return kExtensions.contains(QFileInfo(path).suffix().toLower());
}

bool NarrationPanel::setRecording(const QString& path, QString* error) {
    const QFileInfo info(path);
    QString message;
    if (!info.isFile() || !info.isReadable())
        message = tr("The recording %1 cannot be read.").arg(QDir::toNativeSeparators(path));
    else if (!isAudioFile(path))
        message = tr("%1 is not an audio file (WAV, FLAC, MP3, M4A, OGG or Opus).").arg(info.fileName());
    if (!message.isEmpty()) {
        if (error)
            *error = message;
        Q_EMIT problem(message);
        return false;
    }
    m_path = info.absoluteFilePath();
    setSource(Source::Recording);
    updateControls();
    Q_EMIT changed();
    return true;
}

void NarrationPanel::importFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import narration"), QString(),
        tr("Audio (*.wav *.flac *.mp3 *.m4a *.aac *.ogg *.oga *.opus);;All files (*)"));
    if (!path.isEmpty())
        setRecording(path);
}

void NarrationPanel::dragEnterEvent(QDragEnterEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile() && isAudioFile(urls.first().toLocalFile()))
        event->acceptProposedAction();
}

void NarrationPanel::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && setRecording(urls.first().toLocalFile()))
        event->acceptProposedAction();
}

void NarrationPanel::toggleRecording() {
    if (m_input)
        stopRecording();
    else
        startRecording();
}

void NarrationPanel::startRecording() {
    const QAudioDevice device = QMediaDevices::defaultAudioInput();
    if (device.isNull()) {
        updateControls();
        return;
    }
    QAudioFormat format;
    format.setSampleRate(kRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    if (!device.isFormatSupported(format)) {
        Q_EMIT problem(tr("The microphone %1 cannot record 48 kHz mono.").arg(device.description()));
        return;
    }
    QDir().mkpath(m_folder);
    m_out.setFileName(QDir(m_folder).filePath(
        QStringLiteral("narration-%1.wav")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz")))));
    if (!m_out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        Q_EMIT problem(tr("The recording cannot be written to %1.").arg(QDir::toNativeSeparators(m_folder)));
        return;
    }
    m_out.write(wavHeader(0)); // sizes filled in when the recording stops
    m_recordedBytes = 0;
    if (m_player)
        m_player->stop();
    m_input = std::make_unique<QAudioSource>(device, format);
    m_inputDevice = m_input->start();
    if (!m_inputDevice) {
        m_input.reset();
        m_out.remove();
        Q_EMIT problem(tr("The microphone could not be opened."));
        return;
    }
    connect(m_inputDevice, &QIODevice::readyRead, this, &NarrationPanel::readMicrophone);
    updateControls();
}

void NarrationPanel::readMicrophone() {
    const QByteArray data = m_inputDevice->readAll();
    const qint64 samples = data.size() / 2;
    if (samples == 0)
        return;
    m_out.write(data.constData(), samples * 2);
    m_recordedBytes += samples * 2;
    // The meter shows the chunk's peak in dBFS over -60..0, as recording meters do.
    int peak = 0;
    const auto* pcm = reinterpret_cast<const qint16*>(data.constData());
    for (qint64 i = 0; i < samples; ++i)
        peak = std::max(peak, std::abs(int(pcm[i])));
    const double db = peak > 0 ? 20.0 * std::log10(peak / 32768.0) : -60.0;
    m_level->setValue(int(std::clamp((db + 60.0) / 60.0 * 100.0, 0.0, 100.0)));
}

void NarrationPanel::stopRecording() {
    readMicrophone();
    m_input->stop();
    m_input.reset();
    m_inputDevice = nullptr;
    m_out.seek(0);
    m_out.write(wavHeader(m_recordedBytes));
    m_out.close();
    m_level->setValue(0);
    const QString path = m_out.fileName();
    if (m_recordedBytes == 0) {
        QFile::remove(path);
        Q_EMIT problem(tr("Nothing was recorded: the microphone sent no sound."));
        updateControls();
        return;
    }
    setRecording(path);
}

void NarrationPanel::toggleListening() {
    if (!m_player) {
        m_player = new QMediaPlayer(this);
        m_output = new QAudioOutput(this);
        m_player->setAudioOutput(m_output);
        connect(m_player, &QMediaPlayer::playbackStateChanged, this, &NarrationPanel::updateControls);
    }
    if (m_player->playbackState() == QMediaPlayer::PlayingState) {
        m_player->stop();
        return;
    }
    m_player->setSource(QUrl::fromLocalFile(m_path));
    m_player->play();
}

void NarrationPanel::updateControls() {
    const bool recording = source() == Source::Recording;
    setVisible(recording);
    const bool capturing = m_input != nullptr;
    const bool microphone = hasMicrophone();
    m_record->setEnabled(capturing || microphone);
    // Without an input device (a server, Xvfb) the button says so rather than failing when pressed.
    m_record->setText(capturing    ? tr("■ &Stop")
                      : microphone ? (m_path.isEmpty() ? tr("● &Record") : tr("● Re-&record"))
                                   : tr("No microphone"));
    m_record->setToolTip(
        microphone ? tr("Record the narration from %1").arg(QMediaDevices::defaultAudioInput().description())
                   : tr("No audio input device was found; import a recording instead"));
    m_level->setVisible(capturing);
    const bool playing = m_player && m_player->playbackState() == QMediaPlayer::PlayingState;
    m_listen->setEnabled(!m_path.isEmpty() && !capturing);
    m_listen->setText(playing ? tr("■ S&top") : tr("▶ &Listen"));
    m_import->setEnabled(!capturing);
    m_file->setText(m_path.isEmpty() ? tr("No recording yet: import, drop or record one.")
                                     : tr("Recording: %1").arg(QFileInfo(m_path).fileName()));
}

} // namespace avatar::ui
