#pragma once

#include "face/FaceLandmarks.h"
#include "pipeline/RenderSpec.h"

#include <QFutureWatcher>
#include <QImage>
#include <QWidget>

#include <optional>
#include <vector>

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
    // The portrait at path (EXIF orientation applied), the built-in astronaut for ""; null if unreadable.
    static QImage loadPortrait(const QString& path);
    struct FaceCheck {
        QString path;
        QImage image;
        std::optional<FaceLandmarks> face;        // the picked face (the largest until one is clicked)
        std::vector<FaceLandmarks> faces;         // every face, largest first: RenderSpec::faceIndex order
        QString message;                          // the engine's message when there is no face
        FaceBackend backend = FaceBackend::Torch; // the finder that looked
    };

    AvatarGallery(const FaceAnalyzer& faces, QWidget* parent = nullptr);

    // The selected portrait; empty for the embedded default.
    QString currentPath() const;
    void setCurrentPath(const QString& path);
    // Adds (and selects) a portrait; false when the file is not a readable image, which the gallery then
    // says under the portraits (and imageRejected carries).
    bool addImage(const QString& path);
    // Removes the selected portrait from the gallery (never the built-in one; the file stays on disk).
    void removeCurrent();
    QStringList userPaths() const; // the added portraits, for the settings
    int count() const;
    QListWidget* list() const { return m_list; }
    QLabel* previewLabel() const { return m_preview; }
    QCheckBox* landmarksBox() const { return m_landmarks; }
    QPushButton* checkButton() const { return m_check; }
    QPushButton* removeButton() const { return m_remove; }
    QLabel* resultLabel() const { return m_result; }
    // Why the selected portrait cannot make a video (its face check, with this finder, found no face), or
    // empty when it can or is not checked yet. An added portrait is checked as soon as it is selected.
    QString noFaceReason() const;

    // The face finder that Check face uses: the one the job will render with. A change drops the result
    // shown, as it was another finder's.
    void setFaceBackend(FaceBackend backend);
    FaceBackend faceBackend() const { return m_backend; }

    void checkFace(); // asynchronous; faceChecked follows
    void chooseFiles();

    // Which face speaks (issue #12): 0 the largest. With several faces the preview shows a box on each and a
    // click on one picks it; another portrait, finder or check starts again from 0.
    int faceIndex() const { return m_faceIndex; }
    void setFaceIndex(int index); // ignored unless the last check found that many faces
    const std::optional<FaceCheck>& lastCheck() const { return m_lastCheck; }
    // The face under a point of the preview label (its own coordinates), or -1.
    int faceAt(const QPoint& previewPoint) const;
    // Where a point of the portrait (its pixels) is drawn in the preview label (with several faces the
    // preview is zoomed to the group).
    QPoint previewPointOf(const QPointF& portraitPoint) const;

Q_SIGNALS:
    void faceChecked(bool found, const QString& message);
    void imageRejected(const QString& message);
    void facePicked(int index);
    void portraitsChanged();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showSelected();
    void faceCheckFinished();
    void clearCheck();
    void selectionChanged();

    const FaceAnalyzer& m_faces;
    QListWidget* m_list;
    QLabel* m_preview;
    QLabel* m_result;
    QPushButton* m_add;
    QPushButton* m_check;
    QPushButton* m_remove;
    QCheckBox* m_landmarks;
    QFutureWatcher<FaceCheck> m_watcher;
    std::optional<FaceCheck> m_lastCheck;
    FaceBackend m_backend = FaceBackend::Torch;
    int m_faceIndex = 0;
    QRectF m_shown; // the part of the portrait the preview shows, in portrait pixels
    QRect m_drawn;  // where the preview draws it, in the label's coordinates
};

} // namespace avatar::ui
