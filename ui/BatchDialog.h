#pragma once

#include "core/CancelToken.h"
#include "project/BatchPlan.h"

#include <QDialog>
#include <QFuture>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace avatar {
struct EngineServices;
}

namespace avatar::ui {

// A personalised batch (issue #14): a CSV file (opened or dropped) against the current project. The table
// shows each row with its placeholders filled (output, first scene's script, overlay texts) and the rows the
// engine's BatchPlan finds bad, in red with every problem; nothing renders while a row is bad unless "Skip
// invalid rows" is ticked, as `avatar-render batch --skip-invalid`. Render runs the rows one after the other
// on a worker, each row's state and the batch's progress in the table.
class BatchDialog : public QDialog {
    Q_OBJECT
public:
    enum Column { RowColumn, OutputColumn, ScriptColumn, OverlaysColumn, StatusColumn, ColumnCount };

    BatchDialog(EngineServices& services, project::Project project, const QString& outputFolder,
                QWidget* parent = nullptr);
    ~BatchDialog() override;

    // Reads and checks `csv`; false with the message shown (and in `error`) when it cannot be read.
    bool loadCsv(const QString& csv, QString* error = nullptr);
    void setOutputPattern(const QString& pattern); // relative to the output folder, e.g. "{{name}}.mp4"
    const project::BatchPlan& plan() const { return m_plan; }
    bool isRendering() const { return m_rendering; }
    void render();
    void cancel();

    QTableWidget* table() const { return m_table; }
    QPushButton* renderButton() const { return m_render; }
    QCheckBox* skipInvalid() const { return m_skip; }
    QProgressBar* progress() const { return m_progress; }
    QLabel* summary() const { return m_summary; }

Q_SIGNALS:
    void rowFinished(int row, const QString& error); // row: index in plan().rows
    void batchFinished(int done, int failed);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void reject() override;

private:
    void replan();
    void updateButtons();
    void setStatus(int row, const QString& text);

    EngineServices& m_services;
    project::Project m_project;
    QString m_folder;
    std::optional<project::CsvTable> m_data;
    project::BatchPlan m_plan;
    QLabel* m_file;
    QLineEdit* m_pattern;
    QTableWidget* m_table;
    QLabel* m_summary;
    QCheckBox* m_skip;
    QProgressBar* m_progress;
    QPushButton* m_open;
    QPushButton* m_render;
    QPushButton* m_cancel;
    bool m_rendering = false;
    CancelToken m_token;
    QFuture<void> m_future;
};

} // namespace avatar::ui
