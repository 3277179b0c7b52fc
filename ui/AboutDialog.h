#pragma once

#include <QDialog>

namespace avatar::ui {

// Version, what the studio is built on, and the licences of the models and the default portrait (see
// resources/ATTRIBUTION.md).
class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);
    static QString licenceText();
};

} // namespace avatar::ui
