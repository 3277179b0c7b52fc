#pragma once

#include "BatchFolder.h"

#include <filesystem>
#include <optional>
#include <string>

namespace avatar::project {

// How each array task is scheduled (the sbatch options of `avatar-render batch --slurm`); empty or 0: the
// cluster's default.
struct SlurmSettings {
    std::string partition;
    std::string time;
    int cpusPerTask = 0;
};

// A new batch for the cluster, as `avatar-render batch --slurm` and the studio's "Render on cluster" ask for
// it (issue #16, docs/FARM.md).
struct FarmSubmission {
    std::filesystem::path batchDir;
    int tasks = kDefaultTasks;
    SlurmSettings slurm;
    std::filesystem::path cacheDir; // empty: each node's default cache
    bool noCache = false;
    std::filesystem::path sharedCache;   // empty: no shared tier
    std::filesystem::path renderProgram; // the avatar-render each task runs (absolute)
    bool dryRun = false;                 // write everything, submit nothing

    static constexpr int kDefaultTasks = 4;
};

// Submitting a batch folder to Slurm as a job array: the one code path of the CLI and the studio. The Slurm
// client programs run as shell commands; nothing here waits for a task to run.
class SlurmArray {
public:
    // The program's absolute path when an executable of that name is in a folder of $PATH; empty otherwise.
    static std::filesystem::path findOnPath(const std::string& program);
    // sbatch is on the PATH: the studio offers "Render on cluster" only then.
    static bool available() { return !findOnPath("sbatch").empty(); }

    // Writes the folder (BatchFolder::create), its run.sbatch and, unless dryRun, submits tasks 0..N-1.
    // Returns the folder, its new job id last in slurmJobs. Throws Error: the folder's, and InvalidInput
    // with sbatch's own message when it is missing or refuses the array (the folder then stays, ready).
    static BatchFolder submitNew(const FarmSubmission& submission, const Project& project,
                                 const std::filesystem::path& data, const std::string& output);
    // Submits run.sbatch for `tasks` ("0-3" or "1,3"), records the job id in batch.json and returns it.
    static std::string submit(BatchFolder& folder, const std::string& tasks);

    // Runs a shell command line: its stdout, or nothing when it could not run or exited non-zero (then
    // `error`, when given, receives its stderr).
    static std::optional<std::string> capture(const std::string& command, std::string* error = nullptr);
    static std::string shellQuote(const std::string& s);

private:
    static void writeScript(const BatchFolder& folder, const SlurmSettings& slurm,
                            const std::filesystem::path& renderProgram);
};

} // namespace avatar::project
