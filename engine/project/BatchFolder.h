#pragma once

#include "Project.h"

#include <filesystem>
#include <string>
#include <vector>

namespace avatar::project {

// The folder a batch is run from on a cluster (issue #16): the project (its media referenced relative to
// the folder and by content hash, so a changed file is noticed on the node), the CSV data, batch.json (the
// output pattern, the number of tasks, the cache and the Slurm jobs submitted), one job database per task
// (no SQLite file is shared across machines) and the tasks' logs. Row N belongs to task (N - 1) mod tasks,
// so every task gets rows from the whole table.
struct BatchFolder {
    std::filesystem::path dir;
    std::string output; // the absolute output pattern
    int tasks = 1;
    std::filesystem::path cacheDir; // empty: each node's default cache
    bool noCache = false;
    std::filesystem::path sharedCache;  // the cache tier every node shares; empty: none
    std::vector<std::string> slurmJobs; // array job ids, in the order submitted
    std::filesystem::path source;       // the CSV file data.csv was copied from (what the studio names)

    std::filesystem::path projectFile() const { return dir / "project.avatarproj"; }
    std::filesystem::path dataFile() const { return dir / "data.csv"; }
    std::filesystem::path settingsFile() const { return dir / "batch.json"; }
    std::filesystem::path scriptFile() const { return dir / "run.sbatch"; }
    std::filesystem::path logsDir() const { return dir / "logs"; }
    std::filesystem::path jobsFile(int task) const;
    static int taskOfRow(int rowNumber, int tasks) { return (rowNumber - 1) % tasks; }

    // Writes a new folder (creating `dir`; Error(InvalidInput) when it already holds a batch).
    static BatchFolder create(const std::filesystem::path& dir, const Project& project,
                              const std::filesystem::path& data, const std::string& output, int tasks,
                              const std::filesystem::path& cacheDir, bool noCache,
                              const std::filesystem::path& sharedCache);
    // Error(NotFound) when `dir` holds no batch, Error(Unreadable) when batch.json is damaged.
    static BatchFolder open(const std::filesystem::path& dir);
    void save() const; // batch.json, atomically
};

} // namespace avatar::project
