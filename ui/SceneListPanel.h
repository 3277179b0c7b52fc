#pragma once

#include "project/Project.h"

#include <QImage>
#include <QWidget>

#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QToolButton;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace avatar::ui {

class ProjectController;

// The project's scenes (issue #14): a list with thumbnails of each scene's first frame (add, duplicate,
// delete, reorder by dragging) and, under it, the selected scene's name, script, layout, background (a
// colour or a looping video), slide, title, lower third and transition from the scene before (a cut or a
// crossfade of some length); then the brand's intro and outro clips. Every change goes through the
// controller, so each is one undo step.
class SceneListPanel : public QWidget {
    Q_OBJECT
public:
    explicit SceneListPanel(ProjectController& controller, QWidget* parent = nullptr);

    QListWidget* list() const { return m_list; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* duplicateButton() const { return m_duplicate; }
    QPushButton* deleteButton() const { return m_delete; }
    QPushButton* renderButton() const { return m_render; }
    QLineEdit* nameEdit() const { return m_name; }
    QPlainTextEdit* scriptEdit() const { return m_script; }
    QComboBox* layoutCombo() const { return m_layout; }
    QLineEdit* backgroundEdit() const { return m_background; }
    QLineEdit* titleEdit() const { return m_title; }
    QLineEdit* lowerThirdEdit() const { return m_lowerThird; }
    QPushButton* backgroundVideoButton() const { return m_backgroundVideo; }
    QComboBox* transitionCombo() const { return m_transition; }
    QDoubleSpinBox* crossfadeSpin() const { return m_crossfade; }
    QPushButton* introButton() const { return m_intro; }
    QPushButton* outroButton() const { return m_outro; }
    QProgressBar* renderProgress() const { return m_progress; }
    // The selected scene's first frame, as last drawn (also sent with previewChanged).
    QImage preview() const;

    void chooseSlide();
    // The file choosers' work, apart from their dialogs (an empty file removes the video or the clip).
    void setBackgroundVideo(const QString& file);
    void setClip(bool intro, const QString& file);

Q_SIGNALS:
    void previewChanged(const QImage& frame, const QString& caption);
    void renderRequested();

private:
    void rebuild();
    void showScene(int index);
    void chooseVideo(bool background, bool intro);
    void onRowsMoved(int from, int to);
    QImage draw(const project::Scene& scene, const project::Brand& brand, QSize size,
                QString* error = nullptr);

    ProjectController& m_controller;
    QListWidget* m_list;
    QPushButton* m_add;
    QPushButton* m_duplicate;
    QPushButton* m_delete;
    QLineEdit* m_name;
    QPlainTextEdit* m_script;
    QComboBox* m_layout;
    QLineEdit* m_background;
    QPushButton* m_slide;
    QLineEdit* m_title;
    QLineEdit* m_lowerThird;
    QPushButton* m_backgroundVideo;
    QToolButton* m_clearBackgroundVideo;
    QComboBox* m_transition;
    QDoubleSpinBox* m_crossfade;
    QPushButton* m_intro;
    QToolButton* m_clearIntro;
    QPushButton* m_outro;
    QToolButton* m_clearOutro;
    QPushButton* m_render;
    QProgressBar* m_progress;
    QLabel* m_problem;
    QImage m_preview;
    // The images drawn last, keyed by what they show (not the script or the name, which are not drawn), so
    // that typing a script or a name redraws nothing.
    struct Drawn {
        project::Scene scene;
        project::Brand brand;
        QSize size;
        QImage image;
        QString error;
    };
    std::vector<Drawn> m_drawn;
    bool m_updating = false; // fields being filled from the project, not edited by the user
};

} // namespace avatar::ui
