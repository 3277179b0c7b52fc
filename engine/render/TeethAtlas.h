#pragma once

#include "ImageBand.h"

#include <array>
#include <vector>

namespace avatar {

// Teeth for portraits that show none of their own: the upper teeth of the default portrait (NASA's photograph
// of Eileen Collins, public domain; resources/ATTRIBUTION.md), cut out between her lips as an ImageBand, with
// the colour of her eye whites as the reference that a portrait's own eye whites are matched against.
// Decoded from the embedded PNG on construction (about 5 ms); a scene builds one only when it needs it.
class TeethAtlas {
public:
    TeethAtlas();

    // t = 0 on the biting edge, 1 under the upper lip; s across from her right mouth corner (image left).
    const ImageBand& upperTeeth() const { return m_teeth; }
    // Mean colour of the brightest quarter of the eye pixels (sclera), the white reference.
    const std::array<double, 3>& eyeWhite() const { return m_eyeWhite; }
    // Her inter-ocular distance in the atlas' pixels.
    double interOcular() const { return m_iod; }
    // Where neighbouring teeth meet along the row, as s across upperTeeth(): the columns through the crowns
    // that are darker than the crowns on both sides. The strip is only a few pixels tall and a tooth a few
    // pixels wide, so enlarged into a larger mouth these dips smear into an even white band; MouthInterior
    // draws them again at the frame's own resolution.
    const std::vector<double>& separations() const { return m_separations; }
    // The same search on any row of upper teeth (t = 0 on the biting edge): a portrait's own teeth too.
    static std::vector<double> findSeparations(const ImageBand& teeth);

private:
    explicit TeethAtlas(const Image& portrait);

    ImageBand m_teeth;
    std::vector<double> m_separations;
    std::array<double, 3> m_eyeWhite{};
    double m_iod = 1.0;
};

// Mean colour of the brightest quarter of the pixels inside two eye outlines (each 6 points), the sclera
// under the portrait's light. Falls back to `fallback` when the eyes hold fewer than 8 pixels.
std::array<double, 3> eyeWhiteOf(const Image& image, const PointF* rightEye, const PointF* leftEye,
                                 const std::array<double, 3>& fallback);

} // namespace avatar
