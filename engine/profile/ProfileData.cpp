#include "ProfileData.h"

#include <algorithm>
#include <limits>
#include <tuple>

namespace avatar {

std::int64_t ProfileData::beginNs() const {
    std::int64_t begin = std::numeric_limits<std::int64_t>::max();
    for (const ZoneRecord& z : zones)
        begin = std::min(begin, z.startNs);
    for (const CounterSample& c : counters)
        begin = std::min(begin, c.timeNs);
    for (const MarkerRecord& m : markers)
        begin = std::min(begin, m.timeNs);
    return begin == std::numeric_limits<std::int64_t>::max() ? 0 : begin;
}

std::int64_t ProfileData::endNs() const {
    std::int64_t end = std::numeric_limits<std::int64_t>::min();
    for (const ZoneRecord& z : zones)
        end = std::max(end, z.endNs);
    for (const CounterSample& c : counters)
        end = std::max(end, c.timeNs);
    for (const MarkerRecord& m : markers)
        end = std::max(end, m.timeNs);
    return end == std::numeric_limits<std::int64_t>::min() ? 0 : end;
}

void ProfileData::sortZones() {
    std::stable_sort(zones.begin(), zones.end(), [](const ZoneRecord& a, const ZoneRecord& b) {
        // Longer first at equal starts, so that a parent precedes the child that opened with it.
        return std::tuple(a.thread, a.startNs, -a.endNs, a.depth) <
               std::tuple(b.thread, b.startNs, -b.endNs, b.depth);
    });
}

std::string_view stageOf(std::string_view zoneName) {
    return zoneName.substr(0, zoneName.find('.'));
}

const std::vector<std::string>& pipelineStages() {
    static const std::vector<std::string> stages{"queue", "tts", "face", "animate", "render", "encode"};
    return stages;
}

} // namespace avatar
