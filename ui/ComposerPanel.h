#pragma once

#include "captions/CaptionStyle.h"
#include "jobs/JobTypes.h"

#include <QSize>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace avatar {
struct EngineServices;
}

namespace avatar::ui {

class AvatarGallery;
class NarrationPanel;
class ScriptEditor;
class StudioSettings;
class VoicePicker;

// Everything a job is made of: the script, the portrait, the voice and the output options. Render (or
// Ctrl+Return) emits renderRequested; the window turns spec() into a queued job.
class ComposerPanel : public QWidget {
    Q_OBJECT
public:
    struct SizePreset {
        int width;
        int height;
    };
    static constexpr SizePreset kSizes[] = {{1280, 720},  {1920, 1080}, {720, 1280},
                                            {1080, 1080}, {1080, 1920}, {3840, 2160}};

    ComposerPanel(EngineServices& services, StudioSettings& settings, QWidget* parent = nullptr);

    // The job as composed, its output a new file in `outputFolder` (made when missing) that is neither on
    // disk nor in `taken` (outputs of queued jobs). Empty optional and `error` set when the composition is
    // not usable yet (no text, a malformed pause).
    std::optional<JobSpec> spec(const QString& outputFolder, const QStringList& taken = {},
                                QString* error = nullptr) const;

    void loadDefaults(); // from the settings
    void saveDefaults(); // to the settings

    ScriptEditor* script() const { return m_script; }
    AvatarGallery* gallery() const { return m_gallery; }
    VoicePicker* voices() const { return m_voices; }
    QLineEdit* nameEdit() const { return m_name; }
    QComboBox* sizeCombo() const { return m_size; } // the presets, then "Custom…" (data "custom")
    QSpinBox* customWidthSpin() const { return m_customWidth; }
    QSpinBox* customHeightSpin() const { return m_customHeight; }
    QSize videoSize() const; // the preset's, or the custom width × height as typed (validated by spec())
    QDoubleSpinBox* pitchSpin() const { return m_pitch; } // semitones, as the CLI's --pitch
    // The common frame rates (23.976, 24, 25, 29.97, 30, 50, 59.94, 60; data: FrameRate::toString(), e.g.
    // "30000/1001"), and any other rate the settings held, added in its place.
    QComboBox* frameRateCombo() const { return m_fps; }
    FrameRate frameRate() const;
    void setFrameRate(FrameRate rate); // selects it, adding it to the list when it is not a common one
    QDoubleSpinBox* speedSpin() const { return m_speed; }
    QComboBox* captionsCombo() const { return m_captions; }
    // The burned captions' style (RenderSpec::captionStyle); Style… opens the CaptionStyleDialog.
    QPushButton* captionStyleButton() const { return m_captionStyleButton; }
    CaptionStyle captionStyle() const { return m_captionStyle; }
    void setCaptionStyle(const CaptionStyle& style);
    void editCaptionStyle(); // the dialog, modal; the style kept when accepted
    QComboBox* priorityCombo() const { return m_priority; }
    // The x264 preset the job encodes with (RenderSpec::preset), each item saying what it costs. The engine
    // tier (memory, batches, scaler, profiling) is the window's toolbar only: one control, one meaning.
    QComboBox* encodingCombo() const { return m_encoding; }
    QComboBox* faceBackendCombo() const { return m_faceBackend; }
    FaceBackend faceBackend() const; // the face finder chosen
    QComboBox* framingCombo() const { return m_framing; }
    Framing framing() const;
    QLabel* framingWarning() const { return m_framingWarning; } // shown when the portrait will look soft
    QComboBox* expressionCombo() const { return m_expression; }
    Expression expression() const; // the presenter's resting expression (issue #12)
    QPushButton* renderButton() const { return m_render; }
    NarrationPanel* narration() const { return m_narration; } // issue #13: voice or recording

Q_SIGNALS:
    void renderRequested();

private:
    StudioSettings& m_settings;
    ScriptEditor* m_script;
    AvatarGallery* m_gallery;
    VoicePicker* m_voices;
    QLineEdit* m_name;
    QComboBox* m_size;
    QSpinBox* m_customWidth;
    QSpinBox* m_customHeight;
    QWidget* m_customSize; // the two spin boxes, shown for "Custom…" only
    QComboBox* m_fps;
    QDoubleSpinBox* m_speed;
    QDoubleSpinBox* m_pitch;
    QComboBox* m_captions;
    QPushButton* m_captionStyleButton;
    CaptionStyle m_captionStyle;
    QComboBox* m_priority;
    QComboBox* m_encoding;
    QComboBox* m_faceBackend;
    // Framing (issue #12): the combo and the warning for a portrait too small for it.
    QComboBox* m_framing;
    QLabel* m_framingWarning;
    void updateFramingWarning();
    QComboBox* m_expression = nullptr;
    QPushButton* m_render;
    NarrationPanel* m_narration;
};

} // namespace avatar::ui
