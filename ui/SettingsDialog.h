#pragma once

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace avatar::ui {

class StudioSettings;

// Output folder, engine limits and the language; the composer's defaults are remembered from its own
// widgets. Saved to StudioSettings on OK.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(StudioSettings& settings, QWidget* parent = nullptr);

    void accept() override;
    QLineEdit* folderEdit() const { return m_folder; }
    QComboBox* languageCombo() const { return m_language; }

private:
    StudioSettings& m_settings;
    QLineEdit* m_folder;
    QSpinBox* m_threads;
    QSpinBox* m_jobs;
    QComboBox* m_language;
};

} // namespace avatar::ui
