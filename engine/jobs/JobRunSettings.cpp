#include "JobRunSettings.h"

#include "core/ThreadPool.h"
#include "pipeline/EngineServices.h"

namespace avatar {

RunSettings jobRunSettings(const JobSpec& spec, const EngineServices& services) {
    RunSettings settings;
    settings.tier = spec.tier;
    settings.x264Preset = effectiveEncoderPreset(spec.render.preset, spec.tier);
    settings.threads =
        spec.render.threads > 0 ? spec.render.threads : static_cast<int>(services.renderPool.size());
    settings.hardwareThreads = static_cast<int>(ThreadPool::hardwareThreads());
    return settings;
}

} // namespace avatar
