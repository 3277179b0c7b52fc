#pragma once

#include "FaceRig.h"
#include "core/Image.h"

#include <array>
#include <vector>

namespace avatar {

// What the portrait around the mouth says about how the redrawn inside must look (MouthInterior): the
// brightness and noise of the cheeks, and the colour of the light on the mouth against the light on the eyes.
struct MouthSurroundings {
    // Statistics of two cheek patches (between the jaw line and the nose, where skin is smooth): the median
    // luma and the noise, as 1.4826 x the median absolute deviation of each pixel from its 4 neighbours'
    // mean.
    static void cheekStats(const Image& img, const FaceRig& rig, double& cheekLuma, double& noise);
    // How the light on the mouth differs in colour from the light on the eyes, per channel (1 = the same),
    // from the 68 landmarks `v` and the inter-ocular distance.
    static std::array<double, 3> lightCast(const Image& img, const std::vector<PointF>& v, double iod);
};

} // namespace avatar
