#include "VoicePicker.h"

#include "tts/TextToSpeech.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QLocale>
#include <QMediaDevices>
#include <QPushButton>
#include <QStandardItemModel>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <map>

namespace avatar::ui {

namespace {

// The language's own name ("Deutsch", "Français"), readable whatever the studio's language; the code itself
// when Qt does not know it.
QString languageName(const std::string& code) {
    const QString tag = QString::fromStdString(code);
    const QLocale::Language language = QLocale(tag).language();
    if (tag.isEmpty() || language == QLocale::C)
        return tag.isEmpty() ? QStringLiteral("?") : tag;
    // The language without its country ("en-US" and "en-GB" in one group); Qt calls English without a
    // country "American English".
    if (language == QLocale::English)
        return QStringLiteral("English");
    QString name = QLocale(language).nativeLanguageName();
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    return name.isEmpty() ? tag : name;
}

bool isEnglish(const VoiceInfo& v) {
    return v.language.rfind("en", 0) == 0;
}

QString label(const VoiceInfo& v) {
    QString text = QString::fromStdString(v.name);
    if (!v.language.empty())
        text += QStringLiteral(" (%1)").arg(QString::fromStdString(v.language));
    return text;
}

} // namespace

VoicePicker::VoicePicker(const TextToSpeech& tts, QWidget* parent)
    : QWidget(parent), m_tts(tts), m_voices(tts.voices()), m_search(new QLineEdit(this)),
      m_combo(new QComboBox(this)), m_favourite(new QToolButton(this)),
      m_preview(
          new QPushButton(QIcon::fromTheme(QStringLiteral("audio-volume-high")), tr("Preview voice"), this)) {
    m_combo->setObjectName(QStringLiteral("voiceCombo"));
    m_combo->setAccessibleName(tr("Voice"));
    m_combo->setToolTip(tr("The synthetic voice that speaks the script"));
    // Sized by a few characters, not by the longest voice name: the composer must fit a small screen.
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_combo->setMinimumContentsLength(8);
    m_search->setObjectName(QStringLiteral("voiceSearch"));
    m_search->setAccessibleName(tr("Search voices"));
    m_search->setPlaceholderText(tr("Search…"));
    m_search->setToolTip(tr("Show only the voices whose name or language contains this text"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(m_search->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 6);
    m_favourite->setObjectName(QStringLiteral("favouriteVoice"));
    m_favourite->setCheckable(true);
    m_favourite->setAccessibleName(tr("Favourite voice"));
    m_favourite->setToolTip(tr("Mark the voice as a favourite: favourites are listed first"));
    m_preview->setObjectName(QStringLiteral("previewVoice"));
    m_preview->setToolTip(tr("Play a short sample of the selected voice"));

    // English first, Flite's voices (the best sounding) before espeak-ng's, then the other languages by name.
    std::stable_sort(m_voices.begin(), m_voices.end(), [](const VoiceInfo& a, const VoiceInfo& b) {
        if (isEnglish(a) != isEnglish(b))
            return isEnglish(a);
        if (isEnglish(a))
            return a.engine == "flite" && b.engine != "flite";
        return QString::localeAwareCompare(languageName(a.language), languageName(b.language)) < 0;
    });
    if (!m_voices.empty())
        m_current = QString::fromStdString(m_voices.front().id);
    rebuild();

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_search);
    layout->addWidget(m_combo, 1);
    layout->addWidget(m_favourite);
    layout->addWidget(m_preview);

    connect(m_search, &QLineEdit::textChanged, this, &VoicePicker::rebuild);
    connect(m_combo, &QComboBox::currentIndexChanged, this, [this] {
        const QString id = m_combo->currentData().toString();
        if (!id.isEmpty())
            m_current = id;
        updateStar();
    });
    connect(m_favourite, &QToolButton::clicked, this, [this](bool on) {
        if (m_current.isEmpty())
            return;
        m_favourites.removeAll(m_current);
        if (on)
            m_favourites.append(m_current);
        rebuild();
        Q_EMIT favouritesChanged(m_favourites);
    });
    connect(m_preview, &QPushButton::clicked, this, &VoicePicker::preview);
    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<Speech>>::finished, this, &VoicePicker::synthesized);
}

VoicePicker::~VoicePicker() {
    if (m_sink)
        m_sink->stop();
    m_watcher.waitForFinished(); // a sample is a fraction of a second of work; nothing may outlive m_tts
}

QString VoicePicker::voiceId() const {
    return m_current;
}

void VoicePicker::setVoiceId(const QString& id) {
    const bool known = std::any_of(m_voices.begin(), m_voices.end(),
                                   [&](const VoiceInfo& v) { return QString::fromStdString(v.id) == id; });
    if (!known)
        return;
    m_current = id;
    if (m_combo->findData(id) < 0)
        m_search->clear(); // the voice must be visible: show them all (rebuilds)
    m_combo->setCurrentIndex(m_combo->findData(id));
}

void VoicePicker::setFavourites(const QStringList& ids) {
    m_favourites = ids;
    rebuild();
}

void VoicePicker::rebuild() {
    const QString needle = m_search->text().trimmed();
    auto matches = [&](const VoiceInfo& v) {
        if (needle.isEmpty())
            return true;
        for (const QString& hay :
             {QString::fromStdString(v.name), QString::fromStdString(v.language),
              QString::fromStdString(v.id), languageName(v.language),
              QLocale::languageToString(QLocale(QString::fromStdString(v.language)).language())})
            if (hay.contains(needle, Qt::CaseInsensitive))
                return true;
        return false;
    };
    const QSignalBlocker block(m_combo);
    m_combo->clear();
    auto* model = qobject_cast<QStandardItemModel*>(m_combo->model());
    auto addHeader = [&](const QString& text) {
        auto* item = new QStandardItem(text); // owned by the model
        item->setFlags(Qt::NoItemFlags);      // a group's title: not selectable
        QFont font = item->font();
        font.setBold(true);
        item->setFont(font);
        model->appendRow(item);
    };
    auto addVoice = [&](const VoiceInfo& v) { m_combo->addItem(label(v), QString::fromStdString(v.id)); };

    bool header = false;
    for (const QString& id : m_favourites)
        for (const VoiceInfo& v : m_voices)
            if (QString::fromStdString(v.id) == id && matches(v)) {
                if (!std::exchange(header, true))
                    addHeader(tr("★ Favourites"));
                addVoice(v);
            }
    QString group;
    for (const VoiceInfo& v : m_voices) {
        if (!matches(v))
            continue;
        const QString language = languageName(v.language);
        if (language != group)
            addHeader(group = language);
        addVoice(v);
    }
    if (m_combo->count() == 0) {
        addHeader(tr("No voice matches \"%1\"").arg(needle));
        m_combo->setCurrentIndex(0);
        updateStar();
        return;
    }
    // The selected voice when it is listed, otherwise the first match: typing a search picks from it.
    int index = m_combo->findData(m_current);
    for (int i = 0; index < 0 && i < m_combo->count(); ++i)
        if (!m_combo->itemData(i).toString().isEmpty())
            index = i;
    m_combo->setCurrentIndex(index);
    m_current = m_combo->currentData().toString();
    updateStar();
}

void VoicePicker::updateStar() {
    const bool favourite = m_favourites.contains(m_current);
    m_favourite->setChecked(favourite);
    m_favourite->setText(favourite ? QStringLiteral("★") : QStringLiteral("☆"));
    m_favourite->setEnabled(!m_current.isEmpty());
}

void VoicePicker::preview() {
    if (m_watcher.isRunning())
        return;
    m_preview->setEnabled(false);
    const std::string voice = voiceId().toStdString();
    const std::string text = tr("Hello! This is how I sound in your videos.").toStdString();
    const SynthesisOptions options{m_speed, m_pitch};
    m_watcher.setFuture(QtConcurrent::run([&tts = m_tts, voice, text, options]() -> std::shared_ptr<Speech> {
        try {
            return std::make_shared<Speech>(tts.synthesize(text, voice, options));
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
