#include "SettingsDialog.h"

#include "StudioSettings.h"
#include "core/ThreadPool.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace avatar::ui {

SettingsDialog::SettingsDialog(StudioSettings& settings, QWidget* parent)
    : QDialog(parent), m_settings(settings), m_folder(new QLineEdit(this)), m_threads(new QSpinBox(this)),
      m_jobs(new QSpinBox(this)), m_language(new QComboBox(this)) {
    setWindowTitle(tr("Settings"));
    m_folder->setText(settings.outputFolder());
    m_folder->setAccessibleName(tr("Output folder"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder"), m_folder->text());
        if (!dir.isEmpty())
            m_folder->setText(dir);
    });
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);

    const int hardware = int(ThreadPool::hardwareThreads());
    m_threads->setRange(0, hardware);
    m_threads->setSpecialValueText(tr("Automatic (%1)").arg(hardware));
    m_threads->setValue(settings.renderThreads());
    m_threads->setAccessibleName(tr("Render workers per job"));
    m_threads->setToolTip(tr("Threads drawing frames for one job; automatic uses every hardware thread"));
    m_jobs->setRange(1, 4);
    m_jobs->setValue(settings.concurrentJobs());
    m_jobs->setAccessibleName(tr("Jobs at the same time"));
    m_jobs->setToolTip(tr("Jobs rendering at once; applies after a restart"));

    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(settings.language())));
    m_language->setAccessibleName(tr("Language"));
    m_language->setToolTip(tr("Applies after a restart"));
    // Said where the choice is made: the window keeps its language until the next start.
    auto* restartNote = new QLabel(tr("The new language applies when Avatar Studio is started again."), this);
    restartNote->setObjectName(QStringLiteral("languageRestartNote"));
    restartNote->setWordWrap(true);
    restartNote->hide();
    connect(m_language, &QComboBox::currentIndexChanged, this, [this, restartNote] {
        restartNote->setVisible(m_language->currentData().toString() != m_settings.language());
    });

    auto* form = new QFormLayout;
    // A label with a shortcut needs a buddy widget: a layout has none, and the "&" would show.
    auto* folderLabel = new QLabel(tr("&Output folder:"), this);
    folderLabel->setBuddy(m_folder);
    form->addRow(folderLabel, folderRow);
    form->addRow(tr("&Render workers per job:"), m_threads);
    form->addRow(tr("&Jobs at the same time:"), m_jobs);
    form->addRow(tr("&Language:"), m_language);
    form->addRow(QString(), restartNote);
    auto* note = new QLabel(
        tr("Voice, size, frame rate, captions and priority are remembered from the composer."), this);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

void SettingsDialog::accept() {
    m_settings.setOutputFolder(m_folder->text().trimmed().isEmpty() ? StudioSettings::defaultOutputFolder()
                                                                    : m_folder->text().trimmed());
    m_settings.setRenderThreads(m_threads->value());
    m_settings.setConcurrentJobs(m_jobs->value());
    m_settings.setLanguage(m_language->currentData().toString());
    QDialog::accept();
}

} // namespace avatar::ui
