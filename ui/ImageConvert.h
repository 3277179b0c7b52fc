#pragma once

#include "core/Image.h"
#include "face/FaceLandmarks.h"

#include <QImage>
#include <vector>

namespace avatar::ui {

// A deep copy of an engine image (packed RGB rows) as a QImage.
QImage toQImage(const Image& image);
// An engine image from any QImage (converted to RGB888).
Image fromQImage(const QImage& image);
// `image` with the 68 landmarks and the face box drawn on it (the gallery's face check overlay).
QImage withLandmarks(const QImage& image, const FaceLandmarks& face);
// `image` with a box on every face, the picked one (`picked`, an index into `faces`) highlighted, plain
// boxes on the others (the gallery's face pick in a group photo).
QImage withFaceBoxes(const QImage& image, const std::vector<FaceLandmarks>& faces, int picked);

} // namespace avatar::ui
