#pragma once

#include "ProfileData.h"

#include <cstdint>
#include <string>
#include <vector>

namespace avatar {

// The chain of stage work that determined one job's wall time.
//
// The walk goes backwards from the job's end. On the thread it is following, the time just before t belongs
// to the innermost stage zone open there (nesting on one thread is strict, so a child's time is the child's
// and a parent keeps only its own). When that thread has no stage zone open at t, the job was waiting: the
// walk jumps to the stage zone on any thread that ended last before t (the work it was waiting for: the
// render of the frame that the encoder needed, or the previous encode on the same thread) and the gap between
// them is "wait". Work running in parallel on other threads that ended later does not appear: it had slack.
struct CriticalSegment {
    std::string stage; // "render"; "wait" for time when no stage work ran on the path
    std::string zone;  // the zone's full name, e.g. "render.frame"
    std::size_t thread = 0;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::int64_t durationNs() const { return endNs - startNs; }
};

struct CriticalPath {
    std::uint32_t job = 0;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::vector<CriticalSegment> segments; // in time order; consecutive pieces of one zone are merged
    std::int64_t wallNs() const { return endNs - startNs; }
    // Time on the path per stage ("wait" included), in pipeline order then by name; sums to wallNs().
    std::vector<std::pair<std::string, std::int64_t>> stageTimes() const;
    // The stages along the path with repeats collapsed: "face > tts > animate > render > encode"; a repeated
    // cycle of stages is one run with its count: "face > tts > animate > (render > encode) × 612 > wait".
    std::string chain() const;

    // zones: the job's zones (any threads, any order); stages: the names that count as stages (zones of other
    // names only frame the job: its start and end are the extent of all its zones).
    static CriticalPath compute(const std::vector<ZoneRecord>& zones,
                                const std::vector<std::string>& stages = pipelineStages());
};

} // namespace avatar
