#pragma once

#include "FaceRig.h"
#include "LipShading.h"
#include "MouthInterior.h"
#include "core/Image.h"
#include "lipsync/MouthParams.h"

namespace avatar {

// Draws one video frame: the background (portrait in place) with the face region warped for a mouth pose and
// the inside of the mouth drawn by MouthInterior.
// Only rig.region() is written, so a frame buffer that already holds the background needs nothing else; the
// encoder is told the same rectangle and converts only it. Stateless after construction, so one renderer
// serves every worker thread.
class FrameRenderer {
public:
    // `sealed` (optional, background-sized) is the background with the teeth of a smiling photo covered by
    // lip (MouthInterior::sealLips): the lips are drawn from it as they close, from the photograph as it is
    // at the photo's own opening and wider, and from a mix between.
    FrameRenderer(const Image& background, const FaceRig& rig, const MouthInterior& interior,
                  const Image* sealed = nullptr);

    const Image& background() const { return m_background; }
    const FaceRig& rig() const { return m_rig; }
    const Rect& dirtyRect() const { return m_rig.region(); }

    // `frame` must be background-sized; its pixels outside the region are left as they are.
    void render(const MouthParams& pose, Image& frame) const;

private:
    // `sealedWeight` (0-256) mixes the sealed background into the samples.
    void warpTriangle(const PointF* dst, const PointF* src, Image& frame, int sealedWeight) const;

    const Image& m_background;
    const Image* m_sealed;
    const FaceRig& m_rig;
    const MouthInterior& m_interior;
    LipShading m_shading; // a pucker's light on the lips, after the warp and before the interior
};

} // namespace avatar
