#include "SceneListPanel.h"

#include "ProjectController.h"
#include "ScenePreview.h"
#include "project/ProjectFile.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace avatar::ui {

namespace {

constexpr QSize kThumb(128, 72);
constexpr QSize kPreview(640, 360);

// Merge keys of typing in one field of one scene: one undo step per field and scene, not per key.
int mergeKey(int field, int scene) {
    return field * 100000 + scene;
}

std::string trimmed(const QString& text) {
    return text.trimmed().toStdString();
}

QString fileName(const project::MediaRef& ref) {
    return QFileInfo(QString::fromStdString(ref.path.string())).fileName();
}

// A chooser button with a small button beside it that removes the choice.
QHBoxLayout* withClear(QWidget* chooser, QToolButton* clear, const QString& what) {
    clear->setIcon(QIcon::fromTheme(QStringLiteral("edit-clear")));
    clear->setText(QStringLiteral("×"));
    clear->setToolTip(what);
    clear->setAccessibleName(what);
    auto* row = new QHBoxLayout;
    row->addWidget(chooser, 1);
    row->addWidget(clear);
    return row;
}

} // namespace

SceneListPanel::SceneListPanel(ProjectController& controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_list(new QListWidget(this)),
      m_add(new QPushButton(tr("&Add"), this)), m_duplicate(new QPushButton(tr("D&uplicate"), this)),
      m_delete(new QPushButton(tr("De&lete"), this)), m_name(new QLineEdit(this)),
      m_script(new QPlainTextEdit(this)), m_layout(new QComboBox(this)), m_background(new QLineEdit(this)),
      m_slide(new QPushButton(this)), m_title(new QLineEdit(this)), m_lowerThird(new QLineEdit(this)),
      m_backgroundVideo(new QPushButton(this)), m_clearBackgroundVideo(new QToolButton(this)),
      m_transition(new QComboBox(this)), m_crossfade(new QDoubleSpinBox(this)),
      m_intro(new QPushButton(this)), m_clearIntro(new QToolButton(this)), m_outro(new QPushButton(this)),
      m_clearOutro(new QToolButton(this)), m_render(new QPushButton(tr("Render &project…"), this)),
      m_progress(new QProgressBar(this)), m_problem(new QLabel(this)) {
    setObjectName(QStringLiteral("sceneList"));
    m_list->setObjectName(QStringLiteral("scenes"));
    m_list->setAccessibleName(tr("Scenes"));
    m_list->setIconSize(kThumb);
    m_list->setDragDropMode(QAbstractItemView::InternalMove);
    m_list->setDefaultDropAction(Qt::MoveAction);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setToolTip(tr("Drag a scene to change the order"));
    m_add->setObjectName(QStringLiteral("addScene"));
    m_duplicate->setObjectName(QStringLiteral("duplicateScene"));
    m_delete->setObjectName(QStringLiteral("deleteScene"));
    m_add->setIcon(QIcon::fromTheme(QStringLiteral("list-add")));
    m_delete->setIcon(QIcon::fromTheme(QStringLiteral("list-remove")));
    m_render->setObjectName(QStringLiteral("renderProject"));
    m_render->setIcon(QIcon::fromTheme(QStringLiteral("media-record")));
    m_progress->setObjectName(QStringLiteral("projectProgress"));
    m_progress->setRange(0, 1000);
    m_progress->hide();
    m_problem->setObjectName(QStringLiteral("sceneProblem"));
    m_problem->setWordWrap(true);
    m_problem->hide();

    m_name->setObjectName(QStringLiteral("sceneName"));
    m_script->setObjectName(QStringLiteral("sceneScript"));
    m_script->setPlaceholderText(
        tr("What the presenter says in this scene; {{column}} for a batch's values"));
    m_script->setMaximumHeight(90);
    m_layout->setObjectName(QStringLiteral("sceneLayout"));
    m_layout->addItem(tr("Full frame"), int(project::Layout::Full));
    m_layout->addItem(tr("Presenter left of the slide"), int(project::Layout::PresenterLeft));
    m_layout->addItem(tr("Presenter right of the slide"), int(project::Layout::PresenterRight));
    m_layout->addItem(tr("Presenter in a circle"), int(project::Layout::Circle));
    m_layout->addItem(tr("Presenter in a rounded box"), int(project::Layout::RoundedBox));
    m_background->setObjectName(QStringLiteral("sceneBackground"));
    m_background->setPlaceholderText(QStringLiteral("#1f2933"));
    m_background->setToolTip(tr("The background colour (#rrggbb) around the presenter and the slide"));
    m_slide->setObjectName(QStringLiteral("sceneSlide"));
    m_slide->setToolTip(tr("An image beside or behind the presenter"));
    m_title->setObjectName(QStringLiteral("sceneTitle"));
    m_title->setPlaceholderText(tr("None"));
    m_lowerThird->setObjectName(QStringLiteral("sceneLowerThird"));
    m_lowerThird->setPlaceholderText(tr("None"));
    m_lowerThird->setToolTip(tr("A name shown bottom left, e.g. the presenter's"));
    m_backgroundVideo->setObjectName(QStringLiteral("sceneBackgroundVideo"));
    m_backgroundVideo->setToolTip(
        tr("A video played behind the presenter and the slide, looped over the scene, without its sound"));
    m_transition->setObjectName(QStringLiteral("sceneTransition"));
    m_transition->addItem(tr("Cut"), int(project::Transition::Kind::Cut));
    m_transition->addItem(tr("Crossfade"), int(project::Transition::Kind::Crossfade));
    m_transition->setToolTip(tr("How this scene follows the one before it"));
    m_crossfade->setObjectName(QStringLiteral("sceneCrossfade"));
    m_crossfade->setRange(project::Transition::kMinSeconds, project::Transition::kMaxSeconds);
    m_crossfade->setDecimals(2);
    m_crossfade->setSingleStep(0.25);
    m_crossfade->setSuffix(tr(" s"));
    m_crossfade->setToolTip(tr("The crossfade's length: the pictures dissolve between the two speeches"));
    m_intro->setObjectName(QStringLiteral("brandIntro"));
    m_intro->setToolTip(tr("A video clip, with its sound, before the first scene"));
    m_outro->setObjectName(QStringLiteral("brandOutro"));
    m_outro->setToolTip(tr("A video clip, with its sound, after the last scene"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_duplicate);
    buttons->addWidget(m_delete);
    auto* form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("S&cript:"), m_script);
    form->addRow(tr("La&yout:"), m_layout);
    auto* background = new QHBoxLayout;
    background->addWidget(m_background, 1);
    background->addLayout(withClear(m_backgroundVideo, m_clearBackgroundVideo, tr("No background video")), 1);
    // A row of several widgets gets its label made here, so that its shortcut reaches the first of them.
    const auto label = [this](const QString& text, QWidget* buddy) {
        auto* l = new QLabel(text, this);
        l->setBuddy(buddy);
        return l;
    };
    form->addRow(label(tr("&Background:"), m_background), background);
    form->addRow(tr("Sli&de:"), m_slide);
    form->addRow(tr("&Title:"), m_title);
    form->addRow(tr("Lower &third:"), m_lowerThird);
    auto* transition = new QHBoxLayout;
    transition->addWidget(m_transition, 1);
    transition->addWidget(m_crossfade);
    form->addRow(label(tr("T&ransition in:"), m_transition), transition);
    auto* brand = new QGroupBox(tr("Brand"), this);
    brand->setObjectName(QStringLiteral("brandClips"));
    auto* clips = new QFormLayout(brand);
    clips->addRow(label(tr("&Intro clip:"), m_intro), withClear(m_intro, m_clearIntro, tr("No intro clip")));
    clips->addRow(label(tr("&Outro clip:"), m_outro), withClear(m_outro, m_clearOutro, tr("No outro clip")));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
    layout->addLayout(form);
    layout->addWidget(brand);
    layout->addWidget(m_problem);
    layout->addWidget(m_render);
    layout->addWidget(m_progress);

    connect(m_add, &QPushButton::clicked, &m_controller, &ProjectController::addScene);
    connect(m_duplicate, &QPushButton::clicked, this,
            [this] { m_controller.duplicateScene(m_controller.currentScene()); });
    connect(m_delete, &QPushButton::clicked, this,
            [this] { m_controller.removeScene(m_controller.currentScene()); });
    connect(m_render, &QPushButton::clicked, this, &SceneListPanel::renderRequested);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_updating && row >= 0)
            m_controller.setCurrentScene(row);
    });
    // A drop reorders the list's own rows; the project follows (queued: the list is still inside its drop).
    connect(
        m_list->model(), &QAbstractItemModel::rowsMoved, this,
        [this](const QModelIndex&, int start, int, const QModelIndex&, int row) {
            if (!m_updating)
                onRowsMoved(start, row > start ? row - 1 : row);
        },
        Qt::QueuedConnection);
    connect(&m_controller, &ProjectController::projectChanged, this, &SceneListPanel::rebuild);
    connect(&m_controller, &ProjectController::currentSceneChanged, this, &SceneListPanel::showScene);
    connect(&m_controller, &ProjectController::renderProgress, this, [this](double f) {
        m_progress->show();
        m_progress->setValue(int(f * 1000));
    });
    connect(&m_controller, &ProjectController::renderFinished, this, [this] {
        m_progress->hide();
        m_render->setEnabled(true);
    });

    auto edit = [this](int field, const QString& what, auto change) {
        if (m_updating)
            return;
        const int index = m_controller.currentScene();
        m_controller.editScene(index, what, change, mergeKey(field, index));
    };
    connect(m_name, &QLineEdit::textEdited, this, [this, edit](const QString& text) {
        edit(1, tr("Rename scene"), [&](project::Scene& s) { s.name = trimmed(text); });
    });
    connect(m_script, &QPlainTextEdit::textChanged, this, [this, edit] {
        edit(2, tr("Edit script"),
             [&](project::Scene& s) { s.script = m_script->toPlainText().toStdString(); });
    });
    connect(m_layout, &QComboBox::activated, this, [this, edit] {
        edit(-1, tr("Change layout"),
             [&](project::Scene& s) { s.layout = project::Layout(m_layout->currentData().toInt()); });
    });
    connect(m_background, &QLineEdit::editingFinished, this, [this, edit] {
        edit(-1, tr("Change background"), [&](project::Scene& s) {
            // A video background stays (the colour is kept for when it is removed); leaving the field
            // without a change must not drop it.
            if (s.background.kind != project::Background::Kind::Video)
                s.background.kind = project::Background::Kind::Color;
            s.background.color = trimmed(m_background->text());
        });
    });
    connect(m_title, &QLineEdit::textEdited, this, [this, edit](const QString& text) {
        edit(3, tr("Edit title"), [&](project::Scene& s) {
            std::erase_if(s.overlays,
                          [](const auto& o) { return o.kind == project::TextOverlay::Kind::Title; });
            if (!text.trimmed().isEmpty())
                s.overlays.insert(s.overlays.begin(), {project::TextOverlay::Kind::Title, trimmed(text), {}});
        });
    });
    connect(m_lowerThird, &QLineEdit::textEdited, this, [this, edit](const QString& text) {
        edit(4, tr("Edit lower third"), [&](project::Scene& s) {
            std::erase_if(s.overlays,
                          [](const auto& o) { return o.kind == project::TextOverlay::Kind::LowerThird; });
            if (!text.trimmed().isEmpty())
                s.overlays.push_back({project::TextOverlay::Kind::LowerThird, trimmed(text), {}});
        });
    });
    connect(m_slide, &QPushButton::clicked, this, &SceneListPanel::chooseSlide);
    connect(m_transition, &QComboBox::activated, this, [this, edit] {
        edit(-1, tr("Change transition"), [&](project::Scene& s) {
            s.transition.kind = project::Transition::Kind(m_transition->currentData().toInt());
        });
    });
    connect(m_crossfade, &QDoubleSpinBox::valueChanged, this, [this, edit](double seconds) {
        edit(5, tr("Change crossfade length"), [&](project::Scene& s) { s.transition.seconds = seconds; });
    });
    connect(m_backgroundVideo, &QPushButton::clicked, this, [this] { chooseVideo(true, false); });
    connect(m_clearBackgroundVideo, &QToolButton::clicked, this, [this] { setBackgroundVideo({}); });
    connect(m_intro, &QPushButton::clicked, this, [this] { chooseVideo(false, true); });
    connect(m_clearIntro, &QToolButton::clicked, this, [this] { setClip(true, {}); });
    connect(m_outro, &QPushButton::clicked, this, [this] { chooseVideo(false, false); });
    connect(m_clearOutro, &QToolButton::clicked, this, [this] { setClip(false, {}); });
    rebuild();
}

QImage SceneListPanel::preview() const {
    return m_preview;
}

void SceneListPanel::chooseSlide() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Choose a slide"), QString(),
                                                      tr("Images (*.png *.jpg *.jpeg);;All files (*)"));
    if (file.isEmpty())
        return;
    const int index = m_controller.currentScene();
    m_controller.editScene(index, tr("Change slide"), [&](project::Scene& s) {
        s.slide = {file.toStdString(), {}};
        if (s.layout == project::Layout::Full) // a slide needs room: beside the presenter by default
            s.layout = project::Layout::PresenterLeft;
    });
}

void SceneListPanel::chooseVideo(bool background, bool intro) {
    const QString title = background ? tr("Choose a background video")
                          : intro    ? tr("Choose an intro clip")
                                     : tr("Choose an outro clip");
    const QString file = QFileDialog::getOpenFileName(
        this, title, QString(), tr("Videos (*.mp4 *.mov *.mkv *.webm *.avi *.m4v);;All files (*)"));
    if (file.isEmpty())
        return;
    if (background)
        setBackgroundVideo(file);
    else
        setClip(intro, file);
}

void SceneListPanel::setBackgroundVideo(const QString& file) {
    const int index = m_controller.currentScene();
    m_controller.editScene(index,
                           file.isEmpty() ? tr("Remove background video") : tr("Change background video"),
                           [&](project::Scene& s) {
                               s.background.video = {file.toStdString(), {}};
                               // Without a video the colour shows again.
                               s.background.kind = file.isEmpty() ? project::Background::Kind::Color
                                                                  : project::Background::Kind::Video;
                               if (!file.isEmpty() && s.layout == project::Layout::Full)
                                   s.layout = project::Layout::RoundedBox; // Full would hide the background
                           });
}

void SceneListPanel::setClip(bool intro, const QString& file) {
    const QString what = intro ? (file.isEmpty() ? tr("Remove intro clip") : tr("Change intro clip"))
                               : (file.isEmpty() ? tr("Remove outro clip") : tr("Change outro clip"));
    project::MediaRef clip;
    clip.path = file.toStdString();
    m_controller.editProject(what, [&](project::Project& p) {
        if (intro)
            p.brand.intro = clip;
        else
            p.brand.outro = clip;
    });
}

QImage SceneListPanel::draw(const project::Scene& scene, const project::Brand& brand, QSize size,
                            QString* error) {
    project::Scene key = scene;
    key.name.clear();
    key.script.clear();
    for (const Drawn& d : m_drawn)
        if (d.size == size && d.brand == brand && d.scene == key) {
            if (error)
                *error = d.error;
            return d.image;
        }
    Drawn d{std::move(key), brand, size, {}, {}};
    d.image = ScenePreview::render(scene, brand, size.width(), size.height(), &d.error);
    if (error)
        *error = d.error;
    constexpr std::size_t kKept = 64; // a few per scene: thumbnail and preview, before and after an edit
    if (m_drawn.size() == kKept)
        m_drawn.erase(m_drawn.begin());
    m_drawn.push_back(d);
    return d.image;
}

void SceneListPanel::onRowsMoved(int from, int to) {
    m_controller.moveScene(from, to);
    rebuild(); // back to the project's order if the move was refused
}

void SceneListPanel::rebuild() {
    m_updating = true;
    const project::Project& p = m_controller.project();
    m_list->clear();
    for (std::size_t i = 0; i < p.scenes.size(); ++i) {
        const project::Scene& scene = p.scenes[i];
        const QImage thumb = draw(scene, p.brand, kThumb * 2);
        auto* item = new QListWidgetItem(
            QIcon(QPixmap::fromImage(thumb.isNull() ? QImage(kThumb, QImage::Format_RGB32) : thumb)),
            QStringLiteral("%1. %2").arg(i + 1).arg(QString::fromStdString(scene.name)), m_list);
        item->setToolTip(QString::fromStdString(scene.script));
    }
    m_delete->setEnabled(p.scenes.size() > 1);
    m_updating = false;
    showScene(m_controller.currentScene());
}

void SceneListPanel::showScene(int index) {
    const project::Project& p = m_controller.project();
    if (index < 0 || index >= int(p.scenes.size()))
        return;
    const project::Scene& scene = p.scenes[std::size_t(index)];
    m_updating = true;
    m_list->setCurrentRow(index);
    if (m_name->text() != QString::fromStdString(scene.name))
        m_name->setText(QString::fromStdString(scene.name));
    if (m_script->toPlainText() != QString::fromStdString(scene.script))
        m_script->setPlainText(QString::fromStdString(scene.script));
    m_layout->setCurrentIndex(m_layout->findData(int(scene.layout)));
    m_background->setText(QString::fromStdString(scene.background.color));
    m_slide->setText(scene.slide.empty() ? tr("Choose…") : fileName(scene.slide));
    const bool video =
        scene.background.kind == project::Background::Kind::Video && !scene.background.video.empty();
    m_backgroundVideo->setText(video ? fileName(scene.background.video) : tr("Video…"));
    m_clearBackgroundVideo->setEnabled(video);
    m_transition->setCurrentIndex(m_transition->findData(int(scene.transition.kind)));
    m_crossfade->setValue(scene.transition.seconds);
    // The first scene follows nothing; a cut has no length.
    m_transition->setEnabled(index > 0);
    m_crossfade->setEnabled(index > 0 && scene.transition.kind == project::Transition::Kind::Crossfade);
    for (const auto& [button, clear, ref] : {std::tuple{m_intro, m_clearIntro, &p.brand.intro},
                                             std::tuple{m_outro, m_clearOutro, &p.brand.outro}}) {
        button->setText(ref->empty() ? tr("Choose…") : fileName(*ref));
        clear->setEnabled(!ref->empty());
    }
    QString title, lowerThird;
    for (const project::TextOverlay& o : scene.overlays)
        (o.kind == project::TextOverlay::Kind::Title ? title : lowerThird) = QString::fromStdString(o.text);
    if (m_title->text() != title)
        m_title->setText(title);
    if (m_lowerThird->text() != lowerThird)
        m_lowerThird->setText(lowerThird);
    m_updating = false;

    const int h = kPreview.height();
    const int w = p.output.height > 0 ? h * p.output.width / p.output.height / 2 * 2 : kPreview.width();
    QString error;
    m_preview = draw(scene, p.brand, QSize(w, h), &error);
    m_problem->setVisible(!error.isEmpty());
    m_problem->setText(error);
    Q_EMIT previewChanged(m_preview,
                          tr("Scene %1: %2").arg(index + 1).arg(QString::fromStdString(scene.name)));
}

} // namespace avatar::ui
