#include "RenderSpec.h"

namespace avatar {

const char* stageName(Stage stage) {
    switch (stage) {
    case Stage::Validate:
        return "validate";
    case Stage::Tts:
        return "tts";
    case Stage::Face:
        return "face";
    case Stage::Animate:
        return "animate";
    case Stage::Render:
        return "render";
    case Stage::Encode:
        return "encode";
    case Stage::Done:
        return "done";
    }
    return "unknown";
}

} // namespace avatar
