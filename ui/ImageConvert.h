#pragma once

#include "core/Image.h"
#include "face/FaceLandmarks.h"

#include <QImage>

namespace avatar::ui {

// A deep copy of an engine image (packed RGB rows) as a QImage.
QImage toQImage(const Image& image);
// An engine image from any QImage (converted to RGB888).
Image fromQImage(const QImage& image);
// `image` with the 68 landmarks and the face box drawn on it (the gallery's face check overlay).
QImage withLandmarks(const QImage& image, const FaceLandmarks& face);

} // namespace avatar::ui
