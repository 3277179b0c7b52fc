#pragma once

#include "core/CancelToken.h"

#include <string>
#include <vector>

namespace avatar::cli {

// `avatar-render batch PROJECT.avatarproj DATA.csv -o 'out/{{name}}.mp4'` or, for a one-scene video,
// `avatar-render batch --script FILE [--avatar IMAGE] [--voice ID] DATA.csv -o ...` (args without "batch"):
// one video per CSV row with the row's values in place of {{column}}. Every row is checked before anything
// renders. Returns the exit code: 0 success, 1 invalid data or a failed row, 2 a command-line mistake,
// 130 when `cancel` was raised.
int runBatchCommand(const std::vector<std::string>& args, const CancelToken& cancel);

std::string batchUsage();

} // namespace avatar::cli
