#pragma once

#include "FaceRig.h"
#include "FrameRenderer.h"
#include "PortraitLayout.h"
#include "core/Image.h"
#include "face/FaceLandmarks.h"

namespace avatar {

// The still parts of a job's frames, built once per job: the background (portrait in place), the face rig in
// frame coordinates and the renderer over both. Not movable: the renderer refers to its siblings.
struct Scene {
    Scene(const Image& portrait, const FaceLandmarks& portraitFace, int frameWidth, int frameHeight,
          Framing framing = Framing::AsIs)
        : layout(PortraitLayout::framed(portrait.width(), portrait.height(), portraitFace, frameWidth,
                                        frameHeight, framing)),
          background(PortraitLayout::composeBackground(portrait, layout, frameWidth, frameHeight)),
          face(MouthInterior::fitInnerLipsToTeeth(
              background, portraitFace.transformed(layout.scale, layout.dx, layout.dy))),
          rig(face, background.rect()),
          // An enlarged photo is as soft as it is enlarged: the mouth's drawn edges follow it.
          interior(background, rig, true, 0.7 * layout.scale), sealed(background),
          renderer(background, rig, interior, &sealed) {
        interior.sealLips(sealed);
    }
    Scene(const Scene&) = delete;
    Scene& operator=(const Scene&) = delete;

    PortraitLayout layout;
    Image background;
    FaceLandmarks face; // in frame coordinates, inner lips fitted to the teeth
    FaceRig rig;
    MouthInterior interior; // teeth, tongue and cavity for this portrait
    Image sealed;           // the background with a smile's teeth covered by lip, for closed shapes
    FrameRenderer renderer;
};

} // namespace avatar
