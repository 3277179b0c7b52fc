#include "Workload.h"

namespace avatar {

const char* workloadName(Workload workload) {
    switch (workload) {
    case Workload::Video:
        return "video";
    case Workload::Image:
        return "image";
    case Workload::Tts:
        return "tts";
    case Workload::Face:
        return "face";
    }
    return "video";
}

} // namespace avatar
