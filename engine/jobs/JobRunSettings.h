#pragma once

#include "JobTypes.h"
#include "profile/Bottleneck.h"

namespace avatar {

struct EngineServices;

// The settings a job actually ran with, for its profile report's header and recommendations: its tier, the
// x264 preset it encoded with (its own, or its tier's when it named none, as JobQueue runs it), its render
// workers and the machine's hardware threads. Reports built with default settings recommended what the job
// already had (issue #18).
RunSettings jobRunSettings(const JobSpec& spec, const EngineServices& services);

} // namespace avatar
