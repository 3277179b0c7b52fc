#include "ComposerPanel.h"

#include "AvatarGallery.h"
#include "CaptionStyleDialog.h"
#include "EngineMessages.h"
#include "NarrationPanel.h"
#include "ScriptEditor.h"
#include "StudioSettings.h"
#include "UiText.h"
#include "VoicePicker.h"
#include "assets/DefaultAssets.h"
#include "core/Error.h"
#include "pipeline/EngineServices.h"
#include "pipeline/RenderPipeline.h"
#include "project/ProjectFile.h"
#include "render/PortraitLayout.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace avatar::ui {

namespace {

QString sizeKey(int w, int h) {
    return QStringLiteral("%1x%2").arg(w).arg(h);
}

void selectData(QComboBox* combo, const QVariant& value) {
    const int i = combo->findData(value);
    if (i >= 0)
        combo->setCurrentIndex(i);
}

// A file name from the job's name: letters, digits, spaces, dots and dashes survive.
QString safeBaseName(const QString& name) {
    QString base = name.trimmed();
    static const QRegularExpression unsafe(QStringLiteral("[^\\w .-]+"));
    base.replace(unsafe, QStringLiteral("_"));
    return base.left(80).trimmed();
}

} // namespace

ComposerPanel::ComposerPanel(EngineServices& services, StudioSettings& settings, QWidget* parent)
    : QWidget(parent), m_settings(settings), m_script(new ScriptEditor(this)),
      m_gallery(new AvatarGallery(services.faces, this)), m_voices(new VoicePicker(services.tts, this)),
      m_name(new QLineEdit(this)), m_size(new QComboBox(this)), m_customWidth(new QSpinBox(this)),
      m_customHeight(new QSpinBox(this)), m_customSize(new QWidget(this)), m_fps(new QComboBox(this)),
      m_speed(new QDoubleSpinBox(this)), m_pitch(new QDoubleSpinBox(this)), m_captions(new QComboBox(this)),
      m_captionStyleButton(new QPushButton(tr("St&yle…"), this)), m_priority(new QComboBox(this)),
      m_encoding(new QComboBox(this)), m_faceBackend(new QComboBox(this)), m_framing(new QComboBox(this)),
      m_framingWarning(new QLabel(this)), m_render(new QPushButton(tr("Render"), this)),
      m_narration(new NarrationPanel(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                         QStringLiteral("/recordings"),
                                     this)) {
    setObjectName(QStringLiteral("composer"));

    m_name->setObjectName(QStringLiteral("jobName"));
    m_name->setAccessibleName(tr("Job name"));
    m_name->setPlaceholderText(tr("Optional; names the video file"));
    m_name->setClearButtonEnabled(true);

    const QString orientation[] = {tr("landscape"), tr("landscape"), tr("portrait"),
                                   tr("square"),    tr("portrait"),  tr("landscape, 4K")};
    for (std::size_t i = 0; i < std::size(kSizes); ++i)
        m_size->addItem(
            QStringLiteral("%1 × %2 (%3)").arg(kSizes[i].width).arg(kSizes[i].height).arg(orientation[i]),
            sizeKey(kSizes[i].width, kSizes[i].height));
    m_size->addItem(tr("Custom…"), QStringLiteral("custom"));
    m_size->setObjectName(QStringLiteral("sizeCombo"));
    m_size->setAccessibleName(tr("Video size"));
    m_size->setToolTip(tr("Width × height of the video in pixels"));
    // A custom size: the engine's limits (RenderPipeline::validateSize); odd numbers are refused by spec()
    // with a message rather than rounded, as the CLI refuses them.
    m_customWidth->setRange(RenderPipeline::kMinSide, RenderPipeline::kMaxWidth);
    m_customHeight->setRange(RenderPipeline::kMinSide, RenderPipeline::kMaxHeight);
    for (QSpinBox* spin : {m_customWidth, m_customHeight}) {
        spin->setSingleStep(2);
        spin->setSuffix(tr(" px"));
    }
    m_customWidth->setValue(1280);
    m_customHeight->setValue(720);
    m_customWidth->setObjectName(QStringLiteral("customWidth"));
    m_customHeight->setObjectName(QStringLiteral("customHeight"));
    m_customWidth->setAccessibleName(tr("Custom width"));
    m_customHeight->setAccessibleName(tr("Custom height"));
    m_customWidth->setToolTip(
        tr("Even numbers from %1 to %2").arg(RenderPipeline::kMinSide).arg(RenderPipeline::kMaxWidth));
    m_customHeight->setToolTip(
        tr("Even numbers from %1 to %2").arg(RenderPipeline::kMinSide).arg(RenderPipeline::kMaxHeight));
    auto* customLayout = new QHBoxLayout(m_customSize);
    customLayout->setContentsMargins(0, 0, 0, 0);
    customLayout->addWidget(m_customWidth, 1);
    customLayout->addWidget(new QLabel(QStringLiteral("×"), m_customSize));
    customLayout->addWidget(m_customHeight, 1);
    m_customSize->setVisible(false);

    // The rates videos are made at: film, PAL and NTSC (whose 29.97 is exactly 30000/1001), and double rates.
    for (const char* rate : {"24000/1001", "24", "25", "30000/1001", "30", "50", "60000/1001", "60"})
        setFrameRate(*FrameRate::parse(rate));
    setFrameRate(FrameRate()); // the CLI's default until loadDefaults()
    m_fps->setObjectName(QStringLiteral("frameRateCombo"));
    m_fps->setAccessibleName(tr("Frame rate"));
    m_fps->setToolTip(tr("Frames per second; 25 or 30 suit talking heads, 29.97 and 59.94 match NTSC video"));

    m_speed->setRange(0.5, 2.0);
    m_speed->setSingleStep(0.1);
    m_speed->setDecimals(2);
    m_speed->setSuffix(QStringLiteral(" ×"));
    m_speed->setValue(1.0);
    m_speed->setObjectName(QStringLiteral("speedSpin"));
    m_speed->setAccessibleName(tr("Speaking speed"));
    m_speed->setToolTip(tr("How fast the voice speaks (0.5 to 2)"));

    m_pitch->setRange(-12.0, 12.0); // TextToSpeech::validate's range, the CLI's --pitch
    m_pitch->setSingleStep(1.0);
    m_pitch->setDecimals(1);
    m_pitch->setSuffix(tr(" st"));
    m_pitch->setObjectName(QStringLiteral("pitchSpin"));
    m_pitch->setAccessibleName(tr("Pitch"));
    m_pitch->setToolTip(tr("Pitch shift of the voice in semitones, -12 (an octave lower) to 12 (an octave "
                           "higher); 0 keeps the voice's own pitch"));

    m_captions->addItem(tr("None"), QStringLiteral("none"));
    m_captions->addItem(tr("Burned into the video"), QStringLiteral("burn"));
    m_captions->addItem(tr("SRT file"), QStringLiteral("srt"));
    m_captions->addItem(tr("WebVTT file"), QStringLiteral("vtt"));
    m_captions->addItem(tr("All of them"), QStringLiteral("all"));
    m_captions->setObjectName(QStringLiteral("captionsCombo"));
    m_captions->setAccessibleName(tr("Captions"));
    m_captions->setToolTip(tr("Subtitles drawn into the frames and/or written beside the video"));
    m_captionStyleButton->setObjectName(QStringLiteral("captionStyleButton"));
    m_captionStyleButton->setToolTip(
        tr("Font, size, position and colours of the captions burned into the video, with a preview"));

    for (JobPriority p : {JobPriority::High, JobPriority::Normal, JobPriority::Low})
        m_priority->addItem(UiText::priority(p), QString::fromLatin1(jobPriorityName(p)));
    m_priority->setObjectName(QStringLiteral("priorityCombo"));
    m_priority->setAccessibleName(tr("Priority"));
    m_priority->setToolTip(tr("High-priority jobs run before normal and low ones"));

    // What each preset costs, measured at the renderer's CRF (docs/PERFORMANCE.md, "Encoder presets"): the
    // picture stays above 39.5 dB PSNR, the faster presets make larger files.
    m_encoding->addItem(tr("veryfast: smallest file"), QStringLiteral("veryfast"));
    m_encoding->addItem(tr("superfast: faster, about 2× the file size"), QStringLiteral("superfast"));
    m_encoding->addItem(tr("ultrafast: fastest, about 2.8× the file size, no deblocking (drafts)"),
                        QStringLiteral("ultrafast"));
    m_encoding->setObjectName(QStringLiteral("encodingCombo"));
    m_encoding->setAccessibleName(tr("Encoding"));
    m_encoding->setToolTip(
        tr("<p>How the video is compressed. All three keep the picture visually the same for a talking "
           "head; the faster ones encode up to 1.6× faster and make larger files.</p>"
           "<p><b>Fastest</b> also turns off x264's deblocking filter and CABAC: blockier in fast motion "
           "and the largest file. Use it for drafts.</p>"));

    // The neural finder first and the default, as in avatar-render: its weights are MIT-licensed, while
    // dlib's landmark model was trained on data for non-commercial use (docs/LICENSES.md). The engine falls
    // back to the other finder only when the chosen one fails, with a warning.
    m_faceBackend->addItem(tr("Neural (LibTorch)"), QStringLiteral("torch"));
    m_faceBackend->addItem(tr("dlib (HOG)"), QStringLiteral("dlib"));
    m_faceBackend->setObjectName(QStringLiteral("faceBackendCombo"));
    m_faceBackend->setAccessibleName(tr("Face finder"));
    m_faceBackend->setToolTip(
        tr("<p>How the portrait's face and its 68 landmarks are found.</p>"
           "<p><b>dlib (HOG)</b>: fast; for front-facing faces of at least about 40 pixels.</p>"
           "<p><b>Neural (LibTorch)</b>: the face-api networks; pick it when Check face finds no face, "
           "e.g. a small, turned or tilted face. A fraction of a second slower per portrait.</p>"));

    // Framing: how the portrait fills the frame; the default as in avatar-render.
    m_framing->addItem(tr("As is"), QString::fromLatin1(framingName(Framing::AsIs)));
    m_framing->addItem(tr("Head"), QString::fromLatin1(framingName(Framing::Head)));
    m_framing->addItem(tr("Head and shoulders"), QString::fromLatin1(framingName(Framing::Shoulders)));
    m_framing->setObjectName(QStringLiteral("framingCombo"));
    m_framing->setAccessibleName(tr("Framing"));
    m_framing->setToolTip(
        tr("<p>How the portrait fills the video.</p>"
           "<p><b>As is</b>: the whole picture, blurred bars where it does not fill the frame.</p>"
           "<p><b>Head</b>: a close-up of the face. <b>Head and shoulders</b>: framed like a news presenter, "
           "the eyes near the upper third.</p>"));
    m_framingWarning->setObjectName(QStringLiteral("framingWarning"));
    m_framingWarning->setWordWrap(true);
    m_framingWarning->hide();

    m_render->setObjectName(QStringLiteral("renderButton"));
    m_render->setIcon(QIcon::fromTheme(QStringLiteral("media-record")));
    m_render->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_render->setToolTip(tr("Queue this video for rendering (Ctrl+Return)"));
    m_render->setDefault(true);
    m_render->setMinimumHeight(36);

    // Laid out to fit a 1366x768 screen without scrolling: the script takes the spare height, the presenter
    // is one compact row, the options are a two-column grid and Render stays at the bottom.
    auto* scriptBox = new QGroupBox(tr("Script"), this);
    auto* scriptLayout = new QVBoxLayout(scriptBox);
    scriptLayout->addWidget(m_script);
    auto* avatarBox = new QGroupBox(tr("Presenter"), this);
    auto* avatarLayout = new QVBoxLayout(avatarBox);
    avatarLayout->addWidget(m_gallery);
    // The face finder belongs to the portrait (Check face uses it too), so it sits with the presenter.
    auto* finderRow = new QHBoxLayout;
    auto* finderLabel = new QLabel(tr("Face f&inder:"), this);
    finderLabel->setBuddy(m_faceBackend);
    finderRow->addWidget(finderLabel);
    finderRow->addWidget(m_faceBackend, 1);
    auto* framingLabel = new QLabel(tr("Fra&ming:"), this);
    framingLabel->setBuddy(m_framing);
    finderRow->addWidget(framingLabel);
    finderRow->addWidget(m_framing, 1);
    avatarLayout->addLayout(finderRow);
    avatarLayout->addWidget(m_framingWarning);
    // The resting expression (issue #12), also the presenter's: neutral keeps the portrait's own face.
    m_expression = new QComboBox(this);
    m_expression->addItem(tr("Neutral"), QStringLiteral("neutral"));
    m_expression->addItem(tr("Friendly (resting smile)"), QStringLiteral("friendly"));
    m_expression->addItem(tr("Serious"), QStringLiteral("serious"));
    m_expression->setObjectName(QStringLiteral("expressionCombo"));
    m_expression->setAccessibleName(tr("Expression"));
    m_expression->setToolTip(
        tr("<p>The presenter's resting expression while speaking.</p>"
           "<p><b>Neutral</b>: the portrait's own face. <b>Friendly</b>: a resting smile that moves with the "
           "speech. <b>Serious</b>: mouth corners and brows a little lower.</p>"));
    auto* expressionRow = new QHBoxLayout;
    auto* expressionLabel = new QLabel(tr("E&xpression:"), this);
    expressionLabel->setBuddy(m_expression);
    expressionRow->addWidget(expressionLabel);
    expressionRow->addWidget(m_expression, 1);
    avatarLayout->addLayout(expressionRow);
    auto* optionsBox = new QGroupBox(tr("Voice and output"), this);
    auto* grid = new QGridLayout(optionsBox);
    auto addField = [this, grid](const QString& label, QWidget* field, int row, int column, int span) {
        auto* l = new QLabel(label, this);
        l->setBuddy(field);
        grid->addWidget(l, row, column);
        grid->addWidget(field, row, column + 1, 1, span);
    };
    addField(tr("&Voice:"), m_voices, 0, 0, 3);
    addField(tr("&Size:"), m_size, 1, 0, 1);
    addField(tr("&Frame rate:"), m_fps, 1, 2, 1);
    grid->addWidget(m_customSize, 2, 1, 1, 3); // under Size, for "Custom…" only
    addField(tr("S&peed:"), m_speed, 3, 0, 1);
    addField(tr("Pitc&h:"), m_pitch, 3, 2, 1);
    // Captions and their style side by side: the style applies to burned captions only.
    auto* captionsRow = new QWidget(this);
    auto* captionsLayout = new QHBoxLayout(captionsRow);
    captionsLayout->setContentsMargins(0, 0, 0, 0);
    captionsLayout->addWidget(m_captions, 1);
    captionsLayout->addWidget(m_captionStyleButton);
    addField(tr("&Captions:"), captionsRow, 4, 0, 1);
    addField(tr("P&riority:"), m_priority, 4, 2, 1);
    // Encoding in the wider left column: its items start with the x264 preset and say what it costs.
    addField(tr("&Encoding:"), m_encoding, 5, 0, 1);
    addField(tr("Narra&tion:"), m_narration->sourceCombo(), 5, 2, 1);
    grid->addWidget(m_narration, 6, 0, 1, 4); // the recording's controls, for a recording only
    grid->setColumnStretch(1, 3);
    grid->setColumnStretch(3, 1);
    // Combos sized by a few characters rather than their longest item, so that two columns fit a narrow
    // panel; the drop-down still shows the whole text.
    for (QComboBox* combo : {m_size, m_captions, m_priority, m_encoding, m_faceBackend, m_framing,
                             m_expression, m_narration->sourceCombo()}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(8);
        combo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    }

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(scriptBox, 1);
    layout->addWidget(avatarBox);
    layout->addWidget(optionsBox);
    // The video's name beside Render: what the file is called is the last thing decided before rendering,
    // and the row it had is Pitch's now (the composer still fits 1366x768).
    auto* renderRow = new QHBoxLayout;
    auto* nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setBuddy(m_name);
    renderRow->addWidget(nameLabel);
    renderRow->addWidget(m_name, 3);
    renderRow->addWidget(m_render, 2);
    layout->addLayout(renderRow);

    connect(m_render, &QPushButton::clicked, this, &ComposerPanel::renderRequested);
    connect(m_speed, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        m_script->setSpeed(v);
        m_voices->setSpeed(v);
    });
    connect(m_pitch, &QDoubleSpinBox::valueChanged, m_voices, &VoicePicker::setPitch);
    connect(m_voices, &VoicePicker::favouritesChanged, this,
            [this](const QStringList& ids) { m_settings.setFavouriteVoices(ids); });
    connect(m_size, &QComboBox::currentIndexChanged, this, [this] {
        m_customSize->setVisible(m_size->currentData().toString() == QLatin1String("custom"));
    });
    auto updateStyleButton = [this] {
        const QString mode = m_captions->currentData().toString();
        m_captionStyleButton->setEnabled(mode == QLatin1String("burn") || mode == QLatin1String("all"));
    };
    connect(m_captions, &QComboBox::currentIndexChanged, this, updateStyleButton);
    updateStyleButton();
    connect(m_captionStyleButton, &QPushButton::clicked, this, &ComposerPanel::editCaptionStyle);
    // A recording needs no script (the script is then only its transcript).
    auto updateRender = [this] {
        const bool recording = !m_narration->recordingPath().isEmpty();
        m_render->setEnabled((recording || m_script->stats().sentences > 0) &&
                             m_script->stats().error.isEmpty());
    };
    connect(m_script, &ScriptEditor::statsChanged, this, updateRender);
    connect(m_narration, &NarrationPanel::changed, this, updateRender);
    connect(m_faceBackend, &QComboBox::currentIndexChanged, this,
            [this] { m_gallery->setFaceBackend(faceBackend()); });
    // The soft-portrait warning follows whatever it depends on: the checked face, the pick, size, framing.
    for (QComboBox* combo : {m_framing, m_size})
        connect(combo, &QComboBox::currentIndexChanged, this, &ComposerPanel::updateFramingWarning);
    for (QSpinBox* spin : {m_customWidth, m_customHeight})
        connect(spin, &QSpinBox::valueChanged, this, &ComposerPanel::updateFramingWarning);
    connect(m_gallery, &AvatarGallery::faceChecked, this, &ComposerPanel::updateFramingWarning);
    connect(m_gallery, &AvatarGallery::facePicked, this, &ComposerPanel::updateFramingWarning);
    connect(m_gallery->list(), &QListWidget::currentRowChanged, this, &ComposerPanel::updateFramingWarning);
    m_render->setEnabled(false);
}

Framing ComposerPanel::framing() const {
    return parseFraming(m_framing->currentData().toString().toStdString()).value_or(RenderSpec{}.framing);
}

void ComposerPanel::updateFramingWarning() {
    // Known once Check face has found the face: the layout the render will use, from the engine.
    const auto& check = m_gallery->lastCheck();
    const int width = videoSize().width(), height = videoSize().height();
    if (!check || !check->face || check->image.isNull() || width <= 0 || height <= 0) {
        m_framingWarning->hide();
        return;
    }
    const PortraitLayout layout = PortraitLayout::framed(check->image.width(), check->image.height(),
                                                         *check->face, width, height, framing());
    m_framingWarning->setVisible(layout.soft());
    if (layout.soft())
        m_framingWarning->setText(
            tr("⚠ The portrait is small for this size and framing: it is enlarged %1× and will look soft. "
               "Use a larger portrait, a smaller size or As is.")
                .arg(layout.scale, 0, 'f', 1));
}

QSize ComposerPanel::videoSize() const {
    if (m_size->currentData().toString() == QLatin1String("custom"))
        return {m_customWidth->value(), m_customHeight->value()};
    const QStringList size = m_size->currentData().toString().split(QLatin1Char('x'));
    return {size.value(0).toInt(), size.value(1).toInt()};
}

FrameRate ComposerPanel::frameRate() const {
    return FrameRate::parse(m_fps->currentData().toString().toStdString()).value_or(FrameRate());
}

void ComposerPanel::setFrameRate(FrameRate rate) {
    // A rate outside the engine's range (a hand-edited settings file) is not offered: the default stays.
    if (!rate.supported())
        rate = FrameRate();
    const QString key = QString::fromStdString(rate.toString());
    int at = m_fps->findData(key);
    if (at < 0) {
        // In order of speed, so that 12 (kept from an older studio) sits before 23.976.
        at = 0;
        while (
            at < m_fps->count() &&
            FrameRate::parse(m_fps->itemData(at).toString().toStdString()).value_or(FrameRate()).toDouble() <
                rate.toDouble())
            ++at;
        // "29.97 fps", "29,97 B/s" in German.
        const QString label =
            QString::fromStdString(rate.label()).replace(QLatin1Char('.'), locale().decimalPoint());
        m_fps->insertItem(at, tr("%1 fps").arg(label), key);
    }
    m_fps->setCurrentIndex(at);
}

void ComposerPanel::setCaptionStyle(const CaptionStyle& style) {
    m_captionStyle = style;
    m_settings.setCaptionStyle(style);
}

void ComposerPanel::editCaptionStyle() {
    CaptionStyleDialog dialog(m_captionStyle, videoSize(), QImage(m_gallery->currentPath()), this);
    if (dialog.exec() == QDialog::Accepted)
        setCaptionStyle(dialog.style());
}

FaceBackend ComposerPanel::faceBackend() const {
    return m_faceBackend->currentData().toString() == QLatin1String("torch") ? FaceBackend::Torch
                                                                             : FaceBackend::Dlib;
}

Expression ComposerPanel::expression() const {
    return parseExpression(m_expression->currentData().toString().toStdString())
        .value_or(Expression::Neutral);
}

void ComposerPanel::loadDefaults() {
    m_voices->setFavourites(m_settings.favouriteVoices());
    m_voices->setVoiceId(m_settings.voice());
    // A size that is no preset is a custom one.
    const QString size = m_settings.size();
    const QStringList sides = size.split(QLatin1Char('x'));
    if (m_size->findData(size) < 0 && sides.size() == 2 && sides[0].toInt() > 0 && sides[1].toInt() > 0) {
        m_customWidth->setValue(sides[0].toInt());
        m_customHeight->setValue(sides[1].toInt());
        selectData(m_size, QStringLiteral("custom"));
    } else {
        selectData(m_size, size);
    }
    m_pitch->setValue(m_settings.pitch());
    m_captionStyle = m_settings.captionStyle();
    setFrameRate(m_settings.frameRate());
    m_speed->setValue(m_settings.speed());
    selectData(m_captions, m_settings.captions());
    selectData(m_priority, m_settings.priority());
    selectData(m_encoding, m_settings.encoderPreset());
    selectData(m_faceBackend, m_settings.faceBackend());
    selectData(m_framing, m_settings.framing());
    selectData(m_expression, m_settings.expression());
    for (const QString& p : m_settings.portraits())
        if (QFileInfo::exists(p))
            m_gallery->addImage(p);
    // The portrait chosen last time, so that the next render uses the same presenter; the astronaut when
    // it is gone.
    m_gallery->list()->setCurrentRow(0);
    m_gallery->setCurrentPath(m_settings.currentPortrait());
    const QString script = m_settings.script();
    m_script->setText(script.isEmpty() ? QString::fromStdString(DefaultAssets::defaultScript()) : script);
}

void ComposerPanel::saveDefaults() {
    m_settings.setVoice(m_voices->voiceId());
    m_settings.setSize(sizeKey(videoSize().width(), videoSize().height()));
    m_settings.setPitch(m_pitch->value());
    m_settings.setFavouriteVoices(m_voices->favourites());
    m_settings.setCaptionStyle(m_captionStyle);
    m_settings.setFrameRate(frameRate());
    m_settings.setSpeed(m_speed->value());
    m_settings.setCaptions(m_captions->currentData().toString());
    m_settings.setPriority(m_priority->currentData().toString());
    m_settings.setFaceBackend(m_faceBackend->currentData().toString());
    m_settings.setFraming(m_framing->currentData().toString());
    m_settings.setExpression(m_expression->currentData().toString());
    m_settings.setPortraits(m_gallery->userPaths());
    m_settings.setCurrentPortrait(m_gallery->currentPath());
    m_settings.setEncoderPreset(m_encoding->currentData().toString());
    m_settings.setScript(m_script->text());
}

std::optional<JobSpec> ComposerPanel::spec(const QString& outputFolder, const QStringList& taken,
                                           QString* error) const {
    auto fail = [&](const QString& message) -> std::optional<JobSpec> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const ScriptEditor::Stats& stats = m_script->stats();
    if (!stats.error.isEmpty())
        return fail(stats.error);
    const bool recording = m_narration->source() == NarrationPanel::Source::Recording;
    if (recording && m_narration->recordingPath().isEmpty())
        return fail(tr("Import or record the narration first."));
    if (stats.sentences == 0 && !recording)
        return fail(tr("Type a script first."));
    // The engine's rule, as the CLI's --size; the message in the studio's language.
    const QSize size = videoSize();
    try {
        RenderPipeline::validateSize(size.width(), size.height());
    } catch (const Error&) {
        return fail(tr("The size %1 × %2 is not supported: use even numbers from %3 × %3 to %4 × %5.")
                        .arg(size.width())
                        .arg(size.height())
                        .arg(RenderPipeline::kMinSide)
                        .arg(RenderPipeline::kMaxWidth)
                        .arg(RenderPipeline::kMaxHeight));
    }
    if (!QDir().mkpath(outputFolder))
        return fail(
            tr("The output folder %1 cannot be created.").arg(QDir::toNativeSeparators(outputFolder)));

    JobSpec spec;
    RenderSpec& r = spec.render;
    r.text = m_script->text().toStdString();
    r.avatar = m_gallery->currentPath().toStdString();
    r.voice = m_voices->voiceId().toStdString();
    r.speed = m_speed->value();
    r.pitch = m_pitch->value();
    r.width = size.width();
    r.height = size.height();
    r.fps = frameRate();
    const QString captions = m_captions->currentData().toString();
    r.captionsBurn = captions == QLatin1String("burn") || captions == QLatin1String("all");
    r.captionsSrt = captions == QLatin1String("srt") || captions == QLatin1String("all");
    r.captionsVtt = captions == QLatin1String("vtt") || captions == QLatin1String("all");
    r.captionStyle = m_captionStyle;
    r.threads = m_settings.renderThreads();
    r.faceBackend = faceBackend();
    r.framing = framing();
    r.faceIndex = m_gallery->faceIndex();
    r.expression = expression();
    if (recording) {
        // The hash goes into the job database with the path: which recording narrated the job.
        r.audio = m_narration->recordingPath().toStdString();
        try {
            spec.audioSha256 = project::ProjectFile::hashFile(r.audio);
        } catch (const Error& e) {
            return fail(EngineMessages::translate(std::string(e.what())));
        }
    }
    spec.priority =
        parseJobPriority(m_priority->currentData().toString().toStdString()).value_or(JobPriority::Normal);
    r.preset = m_encoding->currentData().toString().toStdString();

    QString base = safeBaseName(m_name->text());
    if (base.isEmpty())
        base =
            tr("Avatar %1").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd hh-mm-ss")));
    // Never replace an earlier video: "name.mp4", "name 2.mp4", ...
    const QDir dir(outputFolder);
    QString file = dir.filePath(base + QStringLiteral(".mp4"));
    for (int n = 2; QFileInfo::exists(file) || taken.contains(file); ++n)
        file = dir.filePath(QStringLiteral("%1 %2.mp4").arg(base).arg(n));
    r.output = file.toStdString();
    spec.name = QFileInfo(file).completeBaseName().toStdString();
    return spec;
}

} // namespace avatar::ui
