#pragma once

#include "project/Project.h"

#include <filesystem>
#include <string>
#include <vector>

namespace avatar::cli {

// `avatar-render batch ... --slurm` and its settings (issue #16, docs/FARM.md).
struct FarmOptions {
    bool slurm = false;
    int tasks = 0; // 0: not given (4)
    std::string partition;
    std::string time;
    int cpusPerTask = 0; // 0: not given
    std::filesystem::path batchDir;
    bool dryRun = false;
    std::filesystem::path cacheDir;
    bool noCache = false;
    std::filesystem::path sharedCache;
};

// Writes the batch folder and its sbatch array script and submits it (unless dryRun); prints the job id on
// stdout. `output` is the absolute output pattern, already checked with every row. Returns the exit code.
int submitBatch(const FarmOptions& options, const project::Project& project,
                const std::filesystem::path& data, const std::string& output);

// `batch status DIR [--json]`: the rows of every task from the task databases, merged with squeue and sacct.
int runBatchStatus(const std::vector<std::string>& args);
// `batch resubmit DIR [--dry-run]`: submits only the tasks with failed or missing rows.
int runBatchResubmit(const std::vector<std::string>& args);

} // namespace avatar::cli
