#pragma once

#include "FaceRig.h"
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
    FrameRenderer(const Image& background, const FaceRig& rig, const MouthInterior& interior);

    const Image& background() const { return m_background; }
    const FaceRig& rig() const { return m_rig; }
    const Rect& dirtyRect() const { return m_rig.region(); }

    // `frame` must be background-sized; its pixels outside the region are left as they are.
    void render(const MouthParams& pose, Image& frame) const;

private:
    void warpTriangle(const PointF* dst, const PointF* src, Image& frame) const;

    const Image& m_background;
    const FaceRig& m_rig;
    const MouthInterior& m_interior;
};

} // namespace avatar
