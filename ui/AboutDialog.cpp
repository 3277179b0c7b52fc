#include "AboutDialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QIcon>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace avatar::ui {

QString AboutDialog::licenceText() {
    return tr("<h3>Licences of the bundled data</h3>"
              "<ul>"
              "<li><b>Facial landmark model</b> (shape_predictor_68_face_landmarks.dat, from Debian's "
              "libdlib-data): dlib's model trained on the iBUG 300-W data set. The data set's licence "
              "excludes commercial use; check it before selling videos made with it.</li>"
              "<li><b>face-api.js weights</b> (@vladmandic/face-api): MIT licence.</li>"
              "<li><b>Default portrait</b>: NASA astronaut Eileen Collins, a NASA photograph in the public "
              "domain (via scikit-image).</li>"
              "<li><b>Voices</b>: Flite (BSD-style licence) and espeak-ng (GPL-3.0 or later).</li>"
              "<li><b>Qt</b> 6 (LGPL-3.0), <b>FFmpeg</b> (LGPL/GPL), <b>x264</b> (GPL-2.0), <b>dlib</b> "
              "(Boost Software Licence), <b>OpenCV</b> (Apache-2.0), <b>libass</b> (ISC), "
              "<b>SQLite</b> (public domain).</li>"
              "</ul>");
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("About Avatar Studio"));
    auto* icon = new QLabel(this);
    icon->setPixmap(QApplication::windowIcon().pixmap(64, 64));
    auto* title = new QLabel(tr("<h2>Avatar Studio %1</h2><p>Type a script, pick a portrait and get a "
                                "lip-synced talking-presenter video, rendered offline on this computer.</p>")
                                 .arg(QApplication::applicationVersion()),
                             this);
    title->setWordWrap(true);
    auto* text = new QTextBrowser(this);
    text->setObjectName(QStringLiteral("licences"));
    text->setHtml(licenceText());
    text->setOpenExternalLinks(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &AboutDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(icon);
    layout->addWidget(title);
    layout->addWidget(text, 1);
    layout->addWidget(buttons);
    resize(560, 480);
}

} // namespace avatar::ui
