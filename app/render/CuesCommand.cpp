#include "CuesCommand.h"

#include "CliOptions.h"
#include "captions/SubtitleWriter.h"
#include "lipsync/CueWriter.h"
#include "lipsync/VisemeRules.h"
#include "pipeline/RenderPipeline.h"

#include <cstdio>

namespace avatar::cli {

int writeCues(EngineServices& services, const CliOptions& options) {
    const RenderSpec& spec = options.spec;
    const std::filesystem::path output = RenderPipeline::resolveOutput(spec.output);
    RenderPipeline::checkOutputWritable(output); // before the work
    spec.fps.require();
    const CancelToken cancel;
    // A recording's cues end with the recording (its one part), not padded to the next whole frame.
    const Narration narration = RenderPipeline(services).narrate(spec, cancel);
    // (A part keeps its timeline and the length of its sound; the samples live in the narration.)
    const Speech& speech = spec.audio.empty() ? narration.speech : narration.parts.front().speech;
    const double duration = spec.audio.empty() || narration.parts.empty()
                                ? narration.speech.duration()
                                : double(narration.parts.front().sampleCount) / speech.sampleRate;
    const VisemeTrack track = VisemeRules().fromPhones(speech.phones);
    CueWriter::Source source;
    source.soundFile = spec.audio.string();
    source.duration = duration;
    source.fps = spec.fps;
    SubtitleWriter::write(CueWriter::format(track, *CueWriter::formatFor(spec.output), source), output);
    if (!options.quiet)
        std::fprintf(stderr, "Wrote %s (%.1f s of mouth cues)\n", spec.output.c_str(), duration);
    return 0;
}

} // namespace avatar::cli
