#include "ScriptEditor.h"

#include "EngineMessages.h"
#include "UiText.h"
#include "core/Error.h"
#include "pipeline/Script.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace avatar::ui {

ScriptEditor::Stats ScriptEditor::analyze(const QString& text, double speed) {
    Stats stats;
    try {
        static const QRegularExpression space(QStringLiteral("\\s+"));
        for (const ScriptItem& item : Script::items(text.toStdString())) {
            if (item.text.empty()) {
                stats.pauseSeconds += item.pause;
                continue;
            }
            ++stats.sentences;
            stats.words += int(QString::fromStdString(item.text).split(space, Qt::SkipEmptyParts).size());
        }
    } catch (const Error& e) {
        stats.error = EngineMessages::translate(std::string(e.what()));
    }
    stats.spokenSeconds = stats.words * 60.0 / kWordsPerMinute / std::max(0.1, speed) + stats.pauseSeconds;
    return stats;
}

ScriptEditor::ScriptEditor(QWidget* parent)
    : QWidget(parent), m_edit(new QPlainTextEdit(this)), m_stats(new QLabel(this)),
      m_pause(new QPushButton(tr("Insert pause"), this)) {
    m_edit->setObjectName(QStringLiteral("scriptEdit"));
    m_edit->setAccessibleName(tr("Script"));
    m_edit->setPlaceholderText(tr("Type what the presenter says. Sentences end with . ! or ?"));
    m_edit->setTabChangesFocus(true);
    m_edit->setMinimumHeight(m_edit->fontMetrics().lineSpacing() * 4 + 12); // four lines at least
    m_stats->setObjectName(QStringLiteral("scriptStats"));
    m_stats->setAccessibleName(tr("Script statistics"));
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pause->setObjectName(QStringLiteral("insertPause"));
    m_pause->setToolTip(tr("Insert a half-second pause at the cursor (Ctrl+Shift+B)"));
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));

    auto* row = new QHBoxLayout;
    row->addWidget(m_stats, 1);
    row->addWidget(m_pause);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addLayout(row);

    connect(m_edit, &QPlainTextEdit::textChanged, this, &ScriptEditor::refresh);
    connect(m_pause, &QPushButton::clicked, this, &ScriptEditor::insertPause);
    refresh();
}

QString ScriptEditor::text() const {
    return m_edit->toPlainText();
}

void ScriptEditor::setText(const QString& text) {
    m_edit->setPlainText(text);
}

void ScriptEditor::setSpeed(double speed) {
    m_speed = speed;
    refresh();
}

void ScriptEditor::insertPause() {
    m_edit->insertPlainText(QStringLiteral(" <break time=\"500ms\"/> "));
    m_edit->setFocus();
}

void ScriptEditor::refresh() {
    m_current = analyze(text(), m_speed);
    if (!m_current.error.isEmpty()) {
        m_stats->setText(m_current.error);
        m_stats->setStyleSheet(QStringLiteral("color: #d32f2f"));
    } else {
        m_stats->setStyleSheet({});
        m_stats->setText(tr("Sentences: %1 · Words: %2 · Spoken: about %3")
                             .arg(m_current.sentences)
                             .arg(m_current.words)
                             .arg(UiText::duration(m_current.spokenSeconds)));
    }
    Q_EMIT statsChanged();
}

} // namespace avatar::ui
