#pragma once

#include "Project.h"

#include <string>
#include <vector>

namespace avatar::project {

// The ASS script (for captions/AssRenderer) of a scene's text overlays, shown for the whole scene: titles
// top centre in white on a box of the brand's primary colour, lower thirds bottom left in white on the
// accent colour, the detail line smaller under the name; all in the brand's font, sized from the frame's
// height. Throws Error(InvalidInput) for a brand colour that is not "#rrggbb".
std::string overlayScript(const std::vector<TextOverlay>& overlays, const Brand& brand, int width,
                          int height);

} // namespace avatar::project
