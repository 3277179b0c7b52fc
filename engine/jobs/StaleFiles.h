#pragma once

#include "pipeline/RenderSpec.h"

#include <filesystem>
#include <vector>

namespace avatar {

// Removes the temporary files ("out.mp4.part-<hex>", "out.srt.part-<hex>") that a render killed mid-way left
// beside the outputs of `spec`, and any writability probe (".avatar-probe-XXXXXX") left in their folders, and
// returns their names. Only called for jobs that were interrupted: a live render by another process could be
// writing the same names. (A live process's probe may go too: it only removes its probe, never reads it.)
std::vector<std::filesystem::path> removeStaleTemporaries(const RenderSpec& spec);

// True for "<target name>.part-<1..16 hex digits>".
bool isTemporaryOf(const std::filesystem::path& file, const std::filesystem::path& target);

// True for the name of RenderPipeline::checkOutputWritable's named probe.
bool isWritabilityProbe(const std::filesystem::path& file);

} // namespace avatar
