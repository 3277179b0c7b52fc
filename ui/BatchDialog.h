#pragma once

#include "core/CancelToken.h"
#include "project/BatchFolder.h"
#include "project/BatchPlan.h"

#include <QDialog>
#include <QFuture>

class QCheckBox;
class QGroupBox;
class QLabel;
class QSpinBox;
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
// on a worker, each row's state and the batch's progress in the table. The batch is first written as a
// batch folder (project, CSV, output pattern; hidden in the output folder) and each row is a job of its
// BatchJournal, as `avatar-render batch --shard DIR --task 0` runs it, so that a batch whose studio died
// resumes (resume()): rows done are kept, the rest render. "Render on cluster" (issue #16, only
// when sbatch is on the PATH) instead writes a batch folder and submits it as a Slurm array through the
// engine's SlurmArray, exactly as `avatar-render batch --slurm`; the array's progress is the job queue's
// (ClusterBatchPanel).
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
    // Continues the batch written in `batchDir` by an earlier render(): shows its rows, those done as done,
    // and renders the others. False with the message shown (and in `error`) when the folder cannot be used.
    bool resume(const QString& batchDir, QString* error = nullptr);
    void cancel();

    QTableWidget* table() const { return m_table; }
    QPushButton* renderButton() const { return m_render; }
    QCheckBox* skipInvalid() const { return m_skip; }
    QProgressBar* progress() const { return m_progress; }
    QLabel* summary() const { return m_summary; }
    QGroupBox* clusterBox() const { return m_cluster; } // checkable; disabled when sbatch is not found
    QLineEdit* batchFolder() const { return m_batchDir; }
    QSpinBox* clusterTasks() const { return m_tasks; }
    QLineEdit* partition() const { return m_partition; }
    QLineEdit* timeLimit() const { return m_time; }
    QLineEdit* sharedCache() const { return m_sharedCache; }
    // The avatar-render the array's tasks run; by default the one beside the studio, else on the PATH.
    void setRenderProgram(const QString& program) { m_renderProgram = program; }

Q_SIGNALS:
    void rowFinished(int row, const QString& error); // row: index in plan().rows
    // The batch folder a local batch runs from, written (or reopened by resume()) before any row renders.
    void batchStarted(const QString& batchDir);
    void batchFinished(int done, int failed); // done: videos of the batch done, rendered earlier included
    // The batch folder written and submitted to Slurm (array job `jobId`).
    void clusterSubmitted(const QString& batchDir, const QString& jobId);
    void clusterFailed(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void reject() override;

private:
    void replan();
    void showPlan();
    void runFolder(const project::BatchFolder& folder);
    void updateButtons();
    void setStatus(int row, const QString& text);
    QGroupBox* buildClusterBox();
    void submitToCluster();

    EngineServices& m_services;
    project::Project m_project;
    QString m_folder;
    QString m_csv; // the loaded file: the batch folder gets a copy
    QString m_renderProgram;
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
    QGroupBox* m_cluster = nullptr;
    QLineEdit* m_batchDir = nullptr;
    QSpinBox* m_tasks = nullptr;
    QLineEdit* m_partition = nullptr;
    QLineEdit* m_time = nullptr;
    QSpinBox* m_cpus = nullptr;
    QLineEdit* m_sharedCache = nullptr;
    bool m_rendering = false;
    CancelToken m_token;
    QFuture<void> m_future;
};

} // namespace avatar::ui
