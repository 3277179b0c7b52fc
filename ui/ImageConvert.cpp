#include "ImageConvert.h"

#include <QPainter>
#include <QPen>

#include <algorithm>

#include <cstring>

namespace avatar::ui {

QImage toQImage(const Image& image) {
    if (image.isNull())
        return {};
    // Wrap, then copy: the QImage must not point into the engine's buffer once this returns.
    const QImage view(image.data(), image.width(), image.height(), image.stride(), QImage::Format_RGB888);
    return view.copy();
}

Image fromQImage(const QImage& source) {
    if (source.isNull())
        return {};
    const QImage rgb = source.convertToFormat(QImage::Format_RGB888);
    Image out(rgb.width(), rgb.height());
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(out.row(y), rgb.constScanLine(y), static_cast<std::size_t>(out.stride()));
    return out;
}

QImage withLandmarks(const QImage& image, const FaceLandmarks& face) {
    QImage out = image.convertToFormat(QImage::Format_RGB32);
    QPainter painter(&out);
    painter.setRenderHint(QPainter::Antialiasing);
    const double unit = std::max(2.0, face.box.width / 60.0);
    painter.setPen(QPen(QColor(255, 210, 0), unit / 2));
    painter.drawRect(face.box.x, face.box.y, face.box.width, face.box.height);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 230, 118));
    for (const PointF& p : face.points)
        painter.drawEllipse(QPointF(p.x, p.y), unit, unit);
    return out;
}

QImage withFaceBoxes(const QImage& image, const std::vector<FaceLandmarks>& faces, int picked) {
    QImage out = image.convertToFormat(QImage::Format_RGB32);
    QPainter painter(&out);
    painter.setRenderHint(QPainter::Antialiasing);
    // Lines thick enough to survive the preview's downscaling (about 100 px for the whole photo).
    const double line = std::max(2.0, std::max(out.width(), out.height()) / 90.0);
    for (std::size_t i = 0; i < faces.size(); ++i) {
        const Rect& b = faces[i].box;
        const bool chosen = static_cast<int>(i) == picked;
        painter.setBrush(chosen ? QColor(255, 210, 0, 60) : Qt::NoBrush);
        painter.setPen(
            QPen(chosen ? QColor(255, 210, 0) : QColor(255, 255, 255, 200), chosen ? 1.5 * line : line));
        painter.drawRect(QRectF(b.x, b.y, b.width, b.height));
    }
    return out;
}

} // namespace avatar::ui
