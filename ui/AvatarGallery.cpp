#include "AvatarGallery.h"

#include "EngineMessages.h"
#include "ImageConvert.h"
#include "assets/DefaultAssets.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "face/FaceAnalyzer.h"
#include "facenet/FaceNet.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QMouseEvent>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <memory>

namespace avatar::ui {

namespace {

constexpr int kThumb = 56;
constexpr int kPreview = 112;
constexpr int kPathRole = Qt::UserRole;

QImage defaultPortrait() {
    const auto bytes = DefaultAssets::portraitPng();
    return QImage::fromData(bytes.data(), int(bytes.size()), "PNG");
}

} // namespace

QImage AvatarGallery::loadPortrait(const QString& path) {
    if (path.isEmpty())
        return defaultPortrait();
    QImageReader reader(path);
    reader.setAutoTransform(true);
    return reader.read();
}

AvatarGallery::AvatarGallery(const FaceAnalyzer& faces, QWidget* parent)
    : QWidget(parent), m_faces(faces), m_list(new QListWidget(this)), m_preview(new QLabel(this)),
      m_result(new QLabel(this)), m_add(new QPushButton(tr("Add portrait…"), this)),
      m_check(new QPushButton(tr("Check face"), this)),
      m_remove(new QPushButton(QIcon::fromTheme(QStringLiteral("list-remove")), tr("Remove"), this)),
      m_landmarks(new QCheckBox(tr("Show landmarks"), this)) {
    setAcceptDrops(true);
    m_list->setObjectName(QStringLiteral("avatarList"));
    m_list->setAccessibleName(tr("Portraits"));
    m_list->setToolTip(tr("Choose the presenter's portrait. Drop image files here to add them."));
    m_list->setViewMode(QListView::IconMode);
    m_list->setIconSize(QSize(kThumb, kThumb));
    m_list->setMovement(QListView::Static);
    m_list->setWrapping(false);
    m_list->setFlow(QListView::LeftToRight);
    m_list->setFixedHeight(kPreview);
    m_list->setGridSize(QSize(kThumb + 28, kThumb + 30));
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setAcceptDrops(false); // drops go to the gallery itself
    m_list->setDragDropMode(QAbstractItemView::NoDragDrop);

    m_preview->setObjectName(QStringLiteral("portraitPreview"));
    m_preview->setAccessibleName(tr("Portrait preview"));
    m_preview->setFixedSize(kPreview, kPreview);
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_preview->installEventFilter(this); // a click on a face picks the presenter
    m_result->setObjectName(QStringLiteral("faceResult"));
    m_result->setWordWrap(true);
    m_add->setToolTip(tr("Add portraits from image files (PNG, JPEG, WebP, …)"));
    m_check->setObjectName(QStringLiteral("checkFace"));
    m_check->setToolTip(tr("Find the face in the selected portrait, as the renderer will"));
    m_landmarks->setToolTip(tr("Draw the 68 facial landmarks found by the face check"));
    m_remove->setObjectName(QStringLiteral("removePortrait"));
    m_remove->setToolTip(
        tr("Remove the selected portrait from the gallery (the file stays on disk; Delete)"));
    // The same on the thumbnails' context menu and the Delete key, where file lists have them.
    auto* removeAction = new QAction(m_remove->icon(), tr("Remove from gallery"), m_list);
    removeAction->setShortcut(QKeySequence::Delete);
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    m_list->addAction(removeAction);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(removeAction, &QAction::triggered, this, &AvatarGallery::removeCurrent);

    // One compact block: the selected portrait beside the horizontal strip of thumbnails, the actions in a
    // row below and the face check's result (only while there is one).
    m_result->hide();
    auto* top = new QHBoxLayout;
    top->addWidget(m_preview);
    top->addWidget(m_list, 1);
    auto* actions = new QHBoxLayout;
    actions->addWidget(m_add);
    actions->addWidget(m_check);
    actions->addWidget(m_landmarks);
    actions->addWidget(m_remove);
    actions->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addLayout(actions);
    layout->addWidget(m_result);

    auto* builtIn = new QListWidgetItem(QIcon(QPixmap::fromImage(defaultPortrait().scaled(
                                            kThumb, kThumb, Qt::KeepAspectRatio, Qt::SmoothTransformation))),
                                        tr("Astronaut"), m_list);
    builtIn->setData(kPathRole, QString());
    builtIn->setToolTip(tr("Built-in portrait: NASA astronaut Eileen Collins (public domain)"));
    m_list->setCurrentRow(0);

    connect(m_add, &QPushButton::clicked, this, &AvatarGallery::chooseFiles);
    connect(m_check, &QPushButton::clicked, this, &AvatarGallery::checkFace);
    connect(m_landmarks, &QCheckBox::toggled, this, &AvatarGallery::showSelected);
    connect(m_remove, &QPushButton::clicked, this, &AvatarGallery::removeCurrent);
    connect(m_list, &QListWidget::currentRowChanged, this, &AvatarGallery::selectionChanged);
    connect(&m_watcher, &QFutureWatcher<FaceCheck>::finished, this, &AvatarGallery::faceCheckFinished);
    m_remove->setEnabled(false);
    showSelected();
}

QString AvatarGallery::currentPath() const {
    const QListWidgetItem* item = m_list->currentItem();
    return item ? item->data(kPathRole).toString() : QString();
}

void AvatarGallery::setCurrentPath(const QString& path) {
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(kPathRole).toString() == path) {
            m_list->setCurrentRow(i);
            return;
        }
    }
}

int AvatarGallery::count() const {
    return m_list->count();
}

QStringList AvatarGallery::userPaths() const {
    QStringList paths;
    for (int i = 1; i < m_list->count(); ++i)
        paths << m_list->item(i)->data(kPathRole).toString();
    return paths;
}

bool AvatarGallery::addImage(const QString& file) {
    const QString path = QFileInfo(file).absoluteFilePath();
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->data(kPathRole).toString() == path) {
            m_list->setCurrentRow(i);
            return true;
        }
    }
    const QImage image = AvatarGallery::loadPortrait(path);
    if (image.isNull()) {
        const QString message = tr("“%1” is not an image the studio can read (PNG, JPEG, WebP, BMP or TIFF); "
                                   "it was not added.")
                                    .arg(QDir::toNativeSeparators(path));
        m_result->setText(message);
        m_result->show();
        Q_EMIT imageRejected(message);
        return false;
    }
    auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(image.scaled(
                                         kThumb, kThumb, Qt::KeepAspectRatio, Qt::SmoothTransformation))),
                                     QFileInfo(path).completeBaseName(), m_list);
    item->setData(kPathRole, path);
    item->setToolTip(QDir::toNativeSeparators(path));
    m_list->setCurrentItem(item);
    Q_EMIT portraitsChanged();
    return true;
}

void AvatarGallery::removeCurrent() {
    const int row = m_list->currentRow();
    if (row <= 0) // the built-in portrait stays
        return;
    const std::unique_ptr<QListWidgetItem> item(m_list->takeItem(row));
    m_list->setCurrentRow(std::min(row, m_list->count() - 1));
    Q_EMIT portraitsChanged();
}

QString AvatarGallery::noFaceReason() const {
    if (!m_lastCheck || m_lastCheck->face || m_lastCheck->path != currentPath())
        return {};
    return m_lastCheck->message.isEmpty() ? tr("No face was found in this portrait.") : m_lastCheck->message;
}

void AvatarGallery::chooseFiles() {
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add portraits"), QStandardPaths::writableLocation(QStandardPaths::PicturesLocation),
        tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)"));
    for (const QString& f : files)
        addImage(f);
}

void AvatarGallery::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void AvatarGallery::dropEvent(QDropEvent* event) {
    bool any = false;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) // addImage says why a file that is no image is not added
            any = addImage(url.toLocalFile()) || any;
    if (any)
        event->acceptProposedAction();
}

void AvatarGallery::clearCheck() {
    m_lastCheck.reset();
    if (m_faceIndex != 0) {
        m_faceIndex = 0;
        Q_EMIT facePicked(0);
    }
    m_result->clear();
    m_result->hide();
    showSelected();
}

// An added portrait is checked at once, so that a portrait without a face is known before it is queued
// (MainWindow::render refuses it); the built-in one is known to have a face.
void AvatarGallery::selectionChanged() {
    clearCheck();
    m_remove->setEnabled(m_list->currentRow() > 0);
    if (!currentPath().isEmpty())
        checkFace();
}

void AvatarGallery::setFaceBackend(FaceBackend backend) {
    if (backend == m_backend)
        return;
    m_backend = backend;
    selectionChanged();
}

void AvatarGallery::checkFace() {
    if (m_watcher.isRunning())
        return;
    m_check->setEnabled(false);
    m_result->setText(tr("Looking for a face…"));
    m_result->show();
    const QString path = currentPath();
    const QImage image = AvatarGallery::loadPortrait(path);
    // The analysis takes up to a second on a large photo: it runs on Qt's global pool, never here.
    const FaceBackend backend = m_backend;
    const QString noNeuralFace = tr("The Neural (LibTorch) face finder found no face in this portrait.");
    const std::string unreadable = tr("The portrait cannot be read.").toStdString();
    m_watcher.setFuture(
        QtConcurrent::run([&faces = m_faces, path, image, backend, noNeuralFace, unreadable]() {
            FaceCheck check{path, image, std::nullopt, {}, {}, backend};
            try {
                if (image.isNull())
                    throw Error(ErrorCode::Unreadable, unreadable);
                if (backend == FaceBackend::Torch) {
                    // As the render does it: every face, largest first, landmarks only. The models load per
                    // check (well under a second), like per job, so that no LibTorch state outlives the
                    // window.
                    const FaceNet net;
                    FaceNet::Options options;
                    options.descriptors = options.expressions = options.ageGender = false;
                    std::vector<FaceNetFace> found = net.analyze(fromQImage(image), options);
                    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
                        return a.width * a.height > b.width * b.height;
                    });
                    for (const FaceNetFace& f : found)
                        check.faces.push_back(f.toFaceLandmarks());
                    if (found.empty())
                        check.message = noNeuralFace;
                } else {
                    check.faces = faces.detectAll(fromQImage(image));
                    if (check.faces.empty()) // the engine's own words for it
                        faces.analyzeLargest(fromQImage(image), QFileInfo(path).fileName().toStdString());
                }
                if (!check.faces.empty())
                    check.face = check.faces.front();
            } catch (const std::exception& e) {
                check.message = EngineMessages::translate(std::string(e.what()));
            }
            return check;
        }));
}

void AvatarGallery::faceCheckFinished() {
    m_check->setEnabled(true);
    FaceCheck check = m_watcher.result();
    if (check.path != currentPath() || check.backend != m_backend) {
        // The user moved on to another portrait or face finder meanwhile: that one is checked now.
        if (!currentPath().isEmpty())
            checkFace();
        return;
    }
    m_lastCheck = std::move(check);
    m_faceIndex = 0;
    const bool found = m_lastCheck->face.has_value();
    QString message = found ? tr("Face found (%1 × %2 px, confidence %3).")
                                  .arg(m_lastCheck->face->box.width)
                                  .arg(m_lastCheck->face->box.height)
                                  .arg(m_lastCheck->face->score, 0, 'f', 2)
                            : m_lastCheck->message;
    if (m_lastCheck->faces.size() > 1)
        message = tr("%1 faces found: click the one who speaks in the picture (the largest is picked).")
                      .arg(m_lastCheck->faces.size());
    // dlib misses small and turned faces that the other finder sees: say so where it matters.
    if (!found && m_backend == FaceBackend::Dlib && !m_lastCheck->image.isNull())
        message += QLatin1Char(' ') +
                   tr("Try the Neural (LibTorch) face finder: it also finds small and turned faces.");
    m_result->setText(message);
    showSelected();
    Q_EMIT faceChecked(found, message);
}

void AvatarGallery::showSelected() {
    QImage image = m_lastCheck ? m_lastCheck->image : AvatarGallery::loadPortrait(currentPath());
    m_shown = QRectF(QPointF(0, 0), QSizeF(image.size()));
    const bool several = m_lastCheck && m_lastCheck->faces.size() > 1;
    if (several)
        image = withFaceBoxes(image, m_lastCheck->faces, m_faceIndex);
    if (several && !m_landmarks->isChecked()) {
        // Zoomed to the group, so that each face is as large a target as the small preview allows.
        QRect group;
        for (const FaceLandmarks& f : m_lastCheck->faces)
            group |= QRect(f.box.x, f.box.y, f.box.width, f.box.height);
        const int margin = std::max(group.width(), group.height()) / 8;
        const QRect crop = group.adjusted(-margin, -margin, margin, margin).intersected(image.rect());
        image = image.copy(crop);
        m_shown = crop;
    } else if (m_lastCheck && m_lastCheck->face && m_landmarks->isChecked()) {
        // Draw on a copy cropped around the face so the points are visible in the small preview.
        const FaceLandmarks& f = *m_lastCheck->face;
        image = withLandmarks(image, f);
        const int margin = f.box.width / 2;
        const QRect crop(f.box.x - margin, f.box.y - margin, f.box.width + 2 * margin,
                         f.box.height + 2 * margin);
        image = image.copy(crop);
        m_shown = crop;
    }
    const QImage scaled =
        image.scaled(m_preview->size() - QSize(4, 4), Qt::KeepAspectRatio, Qt::SmoothTransformation);
    // QLabel centres its pixmap (AlignCenter): remembered to map clicks back onto the portrait.
    m_drawn =
        QRect(QPoint((m_preview->width() - scaled.width()) / 2, (m_preview->height() - scaled.height()) / 2),
              scaled.size());
    m_preview->setPixmap(QPixmap::fromImage(scaled));
    m_preview->setCursor(several ? Qt::PointingHandCursor : Qt::ArrowCursor);
    m_preview->setToolTip(several ? tr("Click the face of the presenter who speaks") : QString());
}

int AvatarGallery::faceAt(const QPoint& previewPoint) const {
    if (!m_lastCheck || m_lastCheck->faces.empty() || m_drawn.isEmpty() || !m_drawn.contains(previewPoint))
        return -1;
    const double k = m_shown.width() / m_drawn.width();
    const QPointF p(m_shown.x() + (previewPoint.x() - m_drawn.x() + 0.5) * k,
                    m_shown.y() + (previewPoint.y() - m_drawn.y() + 0.5) * k);
    // The smallest box under the point (a small face in front of a large one's box is still reachable).
    int best = -1;
    double bestArea = 0;
    for (std::size_t i = 0; i < m_lastCheck->faces.size(); ++i) {
        const Rect b = m_lastCheck->faces[i].box;
        const double area = double(b.width) * b.height;
        if (QRectF(b.x, b.y, b.width, b.height).contains(p) && (best < 0 || area < bestArea))
            best = static_cast<int>(i), bestArea = area;
    }
    return best;
}

QPoint AvatarGallery::previewPointOf(const QPointF& portraitPoint) const {
    const double k = m_drawn.width() / std::max(1.0, m_shown.width());
    return QPoint(int(m_drawn.x() + (portraitPoint.x() - m_shown.x()) * k),
                  int(m_drawn.y() + (portraitPoint.y() - m_shown.y()) * k));
}

void AvatarGallery::setFaceIndex(int index) {
    if (!m_lastCheck || index < 0 || index >= static_cast<int>(m_lastCheck->faces.size()) ||
        index == m_faceIndex)
        return;
    m_faceIndex = index;
    m_lastCheck->face = m_lastCheck->faces[static_cast<std::size_t>(index)];
    showSelected();
    Q_EMIT facePicked(index);
}

bool AvatarGallery::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_preview && event->type() == QEvent::MouseButtonPress) {
        const auto* press = static_cast<QMouseEvent*>(event);
        const int face = faceAt(press->position().toPoint());
        if (press->button() == Qt::LeftButton && face >= 0) {
            setFaceIndex(face);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace avatar::ui
