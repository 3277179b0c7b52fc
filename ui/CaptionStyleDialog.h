#pragma once

#include "captions/CaptionStyle.h"

#include <QDialog>
#include <QImage>
#include <QSize>

class QComboBox;
class QFontComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace avatar::ui {

// The burned captions' style (issue #18): font, size, position and the three colours, with a live preview
// drawn by the engine's CaptionBurner at the video's aspect ratio, so what it shows is what the render
// burns (captions are small in a 9:16 video). The style reaches RenderSpec::captionStyle, as the CLI's
// --caption-* options do.
class CaptionStyleDialog : public QDialog {
    Q_OBJECT
public:
    // `videoSize`: the composer's size; `background`: the portrait (may be null: a plain backdrop).
    CaptionStyleDialog(const CaptionStyle& style, QSize videoSize, const QImage& background,
                       QWidget* parent = nullptr);

    CaptionStyle style() const { return m_style; }
    void setStyle(const CaptionStyle& style); // updates the controls and the preview
    QImage previewImage() const { return m_previewImage; }

    QFontComboBox* fontCombo() const { return m_font; }
    QSpinBox* sizeSpin() const { return m_size; }
    QComboBox* positionCombo() const { return m_position; }

    // A `videoSize` frame scaled to fit `box`, the portrait cover-fitted in it and a sample caption burned in
    // with `style`, its third word highlighted.
    static QImage preview(const CaptionStyle& style, QSize videoSize, const QImage& background, QSize box,
                          const QString& sample);

private:
    void pickColour(std::uint32_t CaptionStyle::*field, const QString& title);
    void updatePreview();

    CaptionStyle m_style;
    QSize m_videoSize;
    QImage m_background;
    QFontComboBox* m_font;
    QSpinBox* m_size;
    QComboBox* m_position;
    QPushButton* m_colour;
    QPushButton* m_highlight;
    QPushButton* m_outline;
    QLabel* m_preview;
    QImage m_previewImage;
};

} // namespace avatar::ui
