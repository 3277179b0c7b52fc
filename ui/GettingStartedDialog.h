#pragma once

#include <QDialog>

namespace avatar::ui {

// Help → Getting started: the first video in five steps, the keyboard shortcuts, and the models' licence
// notes (AboutDialog::licenceText), where a creator sees them before publishing.
class GettingStartedDialog : public QDialog {
    Q_OBJECT
public:
    explicit GettingStartedDialog(QWidget* parent = nullptr);
    static QString text(); // the page's HTML, translated
};

} // namespace avatar::ui
