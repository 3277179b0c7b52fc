#include "GettingStartedDialog.h"

#include "AboutDialog.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace avatar::ui {

QString GettingStartedDialog::text() {
    return tr("<h2>Your first video</h2>"
              "<ol>"
              "<li><b>Script</b>: type what the presenter says. Sentences end with . ! or ?; "
              "<i>Insert pause</i> adds a half-second pause.</li>"
              "<li><b>Presenter</b>: keep the astronaut or <i>Add portrait…</i> (or drop image files on the "
              "gallery). A portrait is checked for a face at once; one without a face is not rendered.</li>"
              "<li><b>Voice</b>: pick a voice and <i>Preview voice</i>.</li>"
              "<li><b>Output</b>: size (1080 × 1920 for phones, 3840 × 2160 for 4K), captions, and "
              "<i>Encoding</i>: veryfast makes the smallest file, ultrafast is for drafts.</li>"
              "<li><b>Render</b>: the job joins the queue below the player, which shows a live preview "
              "and then plays the video. Videos go to the output folder of the settings.</li>"
              "</ol>"
              "<p>The <b>Engine tier</b> in the toolbar decides how much of the computer the engine uses; it "
              "does not change the video. The live charts and the profiler (View menu) show where the time "
              "goes.</p>"
              "<h3>Shortcuts</h3>"
              "<table cellpadding='3'>"
              "<tr><td>Ctrl+Return</td><td>Render</td></tr>"
              "<tr><td>Ctrl+O</td><td>Add portrait</td></tr>"
              "<tr><td>Delete</td><td>Remove the selected portrait from the gallery</td></tr>"
              "<tr><td>Ctrl+Shift+B</td><td>Insert a pause in the script</td></tr>"
              "<tr><td>Ctrl+Shift+E</td><td>Export the profiler report</td></tr>"
              "<tr><td>Alt+0 … Alt+3</td><td>Show or hide Compose, Job queue, Live charts, Profiler</td></tr>"
              "<tr><td>Ctrl+Q</td><td>Quit (asks first while jobs render; they resume at the next "
              "start)</td></tr>"
              "</table>"
              "<h3>Before you publish</h3>") +
           AboutDialog::licenceText();
}

GettingStartedDialog::GettingStartedDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Getting started"));
    auto* page = new QTextBrowser(this);
    page->setObjectName(QStringLiteral("gettingStarted"));
    page->setHtml(text());
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &GettingStartedDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(page);
    layout->addWidget(buttons);
    resize(640, 640);
}

} // namespace avatar::ui
