#pragma once

#include "BatchFolder.h"

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace avatar::project {

enum class BatchRowState { Done, Running, Failed, Missing };
const char* batchRowStateName(BatchRowState state);

struct BatchRowStatus {
    int number = 0;
    int task = 0;
    std::filesystem::path output;
    BatchRowState state = BatchRowState::Missing;
    int attempts = 0;
    double seconds = 0.0;
    int segmentsRendered = 0; // what the row drew (the cache's statistics, from its job)
    long long framesRendered = 0;
    std::string error;
};

struct BatchTaskStatus {
    std::array<int, 4> count{}; // by BatchRowState
    int rows = 0;
    double seconds = 0.0; // summed over its rows done
    double started = 0.0; // first row started, seconds since the epoch; 0: none
    double finished = 0.0;
    std::string slurmState; // squeue's, else sacct's; empty: unknown
    std::string slurmElapsed;

    int countOf(BatchRowState state) const { return count[static_cast<std::size_t>(state)]; }
};

// Where a batch folder's array stands (issue #16): every task's job database merged with `squeue -t all`
// and `sacct`, as `avatar-render batch status` prints it and the studio's job queue shows it. A row is
// running only while a process holds its task's database, so the rows of a task killed by scancel are
// missing until it runs again.
struct BatchStatus {
    std::vector<BatchRowStatus> rows;
    std::vector<BatchTaskStatus> tasks;
    bool slurm = false; // squeue answered

    // Reads the folder's project, data and task databases and asks Slurm. Throws Error like
    // ProjectFile::load and JobDatabase.
    static BatchStatus read(const BatchFolder& folder);

    int countOf(BatchRowState state) const;
    // Videos per minute over the batch's wall clock, first row started to last row finished.
    double videosPerMinute() const;
    // A row runs, or Slurm runs or holds a task (pending, requeued): the rows not done may still be.
    bool active() const;
    // The tasks to submit again ("1,3"; empty: none): those with failed or missing rows that Slurm neither
    // runs nor holds, and no row running.
    std::string tasksToResubmit() const;
    // `batch status --json`.
    std::string json(const BatchFolder& folder) const;
};

} // namespace avatar::project
