#include "CaptionStyleDialog.h"

#include "ImageConvert.h"
#include "captions/CaptionBurner.h"
#include "core/Error.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace avatar::ui {

namespace {

// Large enough to read a 9:16 caption, small enough for a 1366x768 screen.
constexpr QSize kPreviewBox{640, 400};

QColor toColor(std::uint32_t rgb) {
    return QColor(int(rgb >> 16) & 0xFF, int(rgb >> 8) & 0xFF, int(rgb) & 0xFF);
}

std::uint32_t fromColor(const QColor& c) {
    return (std::uint32_t(c.red()) << 16) | (std::uint32_t(c.green()) << 8) | std::uint32_t(c.blue());
}

void showSwatch(QPushButton* button, std::uint32_t rgb) {
    QPixmap swatch(16, 16);
    swatch.fill(toColor(rgb));
    button->setIcon(swatch);
    button->setText(QString::fromStdString(colourName(rgb)));
}

} // namespace

CaptionStyleDialog::CaptionStyleDialog(const CaptionStyle& style, QSize videoSize, const QImage& background,
                                       QWidget* parent)
    : QDialog(parent), m_style(style), m_videoSize(videoSize), m_background(background),
      m_font(new QFontComboBox(this)), m_size(new QSpinBox(this)), m_position(new QComboBox(this)),
      m_colour(new QPushButton(this)), m_highlight(new QPushButton(this)), m_outline(new QPushButton(this)),
      m_preview(new QLabel(this)) {
    setObjectName(QStringLiteral("captionStyleDialog"));
    setWindowTitle(tr("Caption style"));

    m_font->setObjectName(QStringLiteral("captionFont"));
    m_font->setAccessibleName(tr("Caption font"));
    m_size->setObjectName(QStringLiteral("captionSize"));
    m_size->setRange(CaptionStyle::kMinSize, CaptionStyle::kMaxSize);
    m_size->setSingleStep(10);
    m_size->setSuffix(QStringLiteral(" %"));
    m_size->setAccessibleName(tr("Caption size"));
    m_size->setToolTip(tr("Of the automatic size, which follows the video's height (and width in portrait "
                          "videos)"));
    m_position->setObjectName(QStringLiteral("captionPosition"));
    m_position->setAccessibleName(tr("Caption position"));
    m_position->addItem(tr("Bottom"), QString::fromLatin1(captionPositionName(CaptionPosition::Bottom)));
    m_position->addItem(tr("Middle"), QString::fromLatin1(captionPositionName(CaptionPosition::Middle)));
    m_position->addItem(tr("Top"), QString::fromLatin1(captionPositionName(CaptionPosition::Top)));
    m_colour->setObjectName(QStringLiteral("captionColour"));
    m_highlight->setObjectName(QStringLiteral("captionHighlight"));
    m_outline->setObjectName(QStringLiteral("captionOutline"));
    m_preview->setObjectName(QStringLiteral("captionPreview"));
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setMinimumSize(kPreviewBox);

    auto* form = new QFormLayout;
    form->addRow(tr("&Font:"), m_font);
    form->addRow(tr("&Size:"), m_size);
    form->addRow(tr("&Position:"), m_position);
    form->addRow(tr("&Text colour:"), m_colour);
    form->addRow(tr("Spo&ken word:"), m_highlight);
    form->addRow(tr("&Outline:"), m_outline);
    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    auto* top = new QHBoxLayout;
    top->addLayout(form);
    top->addWidget(m_preview, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(
        new QLabel(tr("The preview is drawn as the render draws it, at the video's shape (%1 × %2).")
                       .arg(videoSize.width())
                       .arg(videoSize.height()),
                   this));
    layout->addWidget(buttons);

    setStyle(style);
    connect(m_font, &QFontComboBox::currentFontChanged, this, [this](const QFont& font) {
        m_style.font = font.family().toStdString();
        updatePreview();
    });
    connect(m_size, &QSpinBox::valueChanged, this, [this](int percent) {
        m_style.size = percent;
        updatePreview();
    });
    connect(m_position, &QComboBox::currentIndexChanged, this, [this] {
        m_style.position = parseCaptionPosition(m_position->currentData().toString().toStdString())
                               .value_or(CaptionPosition::Bottom);
        updatePreview();
    });
    connect(m_colour, &QPushButton::clicked, this,
            [this] { pickColour(&CaptionStyle::colour, tr("Caption text colour")); });
    connect(m_highlight, &QPushButton::clicked, this,
            [this] { pickColour(&CaptionStyle::highlight, tr("Colour of the spoken word")); });
    connect(m_outline, &QPushButton::clicked, this,
            [this] { pickColour(&CaptionStyle::outline, tr("Caption outline colour")); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { setStyle(CaptionStyle{}); });
}

void CaptionStyleDialog::setStyle(const CaptionStyle& style) {
    m_style = style;
    {
        const QSignalBlocker b1(m_font), b2(m_size), b3(m_position);
        m_font->setCurrentFont(QFont(QString::fromStdString(style.font)));
        m_size->setValue(style.size);
        m_position->setCurrentIndex(
            std::max(0, m_position->findData(QString::fromLatin1(captionPositionName(style.position)))));
    }
    showSwatch(m_colour, style.colour);
    showSwatch(m_highlight, style.highlight);
    showSwatch(m_outline, style.outline);
    updatePreview();
}

void CaptionStyleDialog::pickColour(std::uint32_t CaptionStyle::*field, const QString& title) {
    const QColor picked = QColorDialog::getColor(toColor(m_style.*field), this, title);
    if (!picked.isValid())
        return; // cancelled
    CaptionStyle style = m_style;
    style.*field = fromColor(picked);
    setStyle(style);
}

void CaptionStyleDialog::updatePreview() {
    m_previewImage =
        preview(m_style, m_videoSize, m_background, kPreviewBox, tr("This is how your captions look"));
    m_preview->setPixmap(QPixmap::fromImage(m_previewImage));
}

QImage CaptionStyleDialog::preview(const CaptionStyle& style, QSize videoSize, const QImage& background,
                                   QSize box, const QString& sample) {
    if (videoSize.isEmpty())
        return {};
    const QSize size = videoSize.scaled(box, Qt::KeepAspectRatio);
    QImage frame(size, QImage::Format_RGB888);
    frame.fill(QColor(60, 64, 72));
    if (!background.isNull()) {
        // Cover-fitted like the Head and shoulders framing roughly shows a portrait: enough to judge
        // contrast.
        QPainter painter(&frame);
        const QImage cover =
            background.scaled(size, Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
        painter.drawImage(QPoint((size.width() - cover.width()) / 2, (size.height() - cover.height()) / 2),
                          cover);
    }
    // One cue of two lines, a word every 0.3 s; drawn while the third word is spoken.
    const QStringList words = sample.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    CaptionCue cue;
    cue.start = 0.0;
    cue.end = 0.3 * double(words.size());
    const qsizetype half = (words.size() + 1) / 2;
    cue.lines = {words.mid(0, half).join(QLatin1Char(' ')).toStdString(),
                 words.mid(half).join(QLatin1Char(' ')).toStdString()};
    for (qsizetype i = 0; i < words.size(); ++i)
        cue.words.push_back({words[i].toStdString(), 0.3 * double(i), 0.3 * double(i + 1)});
    Image image = fromQImage(frame);
    try {
        CaptionBurner(std::vector<CaptionCue>{cue}, image.width(), image.height(), style).draw(0.75, image);
    } catch (const Error&) {
        return frame; // a style the engine refuses (the controls never make one): the frame without captions
    }
    return toQImage(image);
}

} // namespace avatar::ui
