#include "ScenePreview.h"

#include "ImageConvert.h"
#include "assets/DefaultAssets.h"
#include "core/Error.h"
#include "core/ImageIO.h"
#include "project/SceneCompositor.h"

namespace avatar::ui {

QImage ScenePreview::render(const project::Scene& scene, const project::Brand& brand, int width, int height,
                            QString* error) {
    try {
        const project::SceneCompositor compositor(scene, brand, width, height);
        const Rect box = compositor.layout().presenter;
        const Image portrait = scene.presenter.portrait.empty()
                                   ? ImageIO::decode(DefaultAssets::portraitPng(), "the built-in portrait")
                                   : ImageIO::load(scene.presenter.portrait.path);
        const QImage fitted = toQImage(portrait).scaled(box.width, box.height, Qt::KeepAspectRatioByExpanding,
                                                        Qt::SmoothTransformation);
        const QImage presenter = fitted.copy((fitted.width() - box.width) / 2,
                                             (fitted.height() - box.height) / 2, box.width, box.height);
        Image frame = compositor.canvas();
        compositor.compose(fromQImage(presenter), frame);
        return toQImage(frame);
    } catch (const Error& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return {};
    }
}

} // namespace avatar::ui
