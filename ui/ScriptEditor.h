#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QDoubleSpinBox;

namespace avatar::ui {

// The script: a plain-text editor with live statistics (sentences, words, estimated spoken length) and a
// button that inserts a <break time="500ms"/> pause at the cursor. The statistics use the engine's own script
// parser, so a malformed pause tag is reported here before a job is queued.
class ScriptEditor : public QWidget {
    Q_OBJECT
public:
    static constexpr double kWordsPerMinute = 150.0;

    struct Stats {
        int sentences = 0;
        int words = 0;
        double pauseSeconds = 0.0;
        double spokenSeconds = 0.0; // words at kWordsPerMinute / speed, plus the pauses
        QString error;              // the parser's message for a malformed script
    };
    static Stats analyze(const QString& text, double speed);

    explicit ScriptEditor(QWidget* parent = nullptr);

    QString text() const;
    void setText(const QString& text);
    void setSpeed(double speed); // scales the estimate
    QPlainTextEdit* editor() const { return m_edit; }
    QLabel* statsLabel() const { return m_stats; }
    QPushButton* pauseButton() const { return m_pause; }
    const Stats& stats() const { return m_current; }

    void insertPause();

Q_SIGNALS:
    void statsChanged();

private:
    void refresh();

    QPlainTextEdit* m_edit;
    QLabel* m_stats;
    QPushButton* m_pause;
    double m_speed = 1.0;
    Stats m_current;
};

} // namespace avatar::ui
