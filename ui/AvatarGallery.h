#pragma once

#include "face/FaceLandmarks.h"
#include "pipeline/RenderSpec.h"

#include <QFutureWatcher>
#include <QImage>
#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;

namespace avatar {
class FaceAnalyzer;
}

namespace avatar::ui {

// The portraits to choose from: the embedded default (NASA astronaut, public domain) and the user's own,
// added with a file dialog or by dropping image files onto the gallery. "Check face" runs the engine's face
// analysis on a worker thread with the composer's face finder (dlib or the face-api models) and shows the
// result, optionally with the 68 landmarks drawn over the picture.
class AvatarGallery : public QWidget {
    Q_OBJECT
public:
    struct FaceCheck {
        QString path;
        QImage image;
        std::optional<FaceLandmarks> face;
        QString message;                         // the engine's message when there is no face
        FaceBackend backend = FaceBackend::Dlib; // the finder that looked
    };

    AvatarGallery(const FaceAnalyzer& faces, QWidget* parent = nullptr);

    // The selected portrait; empty for the embedded default.
    QString currentPath() const;
    void setCurrentPath(const QString& path);
    // Adds (and selects) a portrait; false when the file is not a readable image.
    bool addImage(const QString& path);
    QStringList userPaths() const; // the added portraits, for the settings
    int count() const;
    QListWidget* list() const { return m_list; }
    QLabel* previewLabel() const { return m_preview; }
    QCheckBox* landmarksBox() const { return m_landmarks; }
    QPushButton* checkButton() const { return m_check; }

    // The face finder that Check face uses: the one the job will render with. A change drops the result
    // shown, as it was another finder's.
    void setFaceBackend(FaceBackend backend);
    FaceBackend faceBackend() const { return m_backend; }

    void checkFace(); // asynchronous; faceChecked follows
    void chooseFiles();

Q_SIGNALS:
    void faceChecked(bool found, const QString& message);
    void portraitsChanged();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void showSelected();
    void faceCheckFinished();
    void clearCheck();

    const FaceAnalyzer& m_faces;
    QListWidget* m_list;
    QLabel* m_preview;
    QLabel* m_result;
    QPushButton* m_add;
    QPushButton* m_check;
    QCheckBox* m_landmarks;
    QFutureWatcher<FaceCheck> m_watcher;
    std::optional<FaceCheck> m_lastCheck;
    FaceBackend m_backend = FaceBackend::Dlib;
};

} // namespace avatar::ui
