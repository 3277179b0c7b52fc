#pragma once

#include <string>
#include <vector>

namespace avatar::cli {

// `avatar-render queue add|run|list ...` (args without "queue"): the job database from the command line.
// Returns the exit code: 0 success, 1 a job or the database failed, 2 a command-line mistake.
int runQueueCommand(const std::vector<std::string>& args);

std::string queueUsage();

} // namespace avatar::cli
