#include "FarmCommand.h"

#include "CliOptions.h"
#include "core/Error.h"
#include "project/BatchFolder.h"
#include "project/BatchStatus.h"
#include "project/SlurmArray.h"

#include <cstdio>
#include <iostream>

namespace avatar::cli {

namespace fs = std::filesystem;

namespace {

using project::BatchRowState;

fs::path selfPath() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("avatar-render") : self;
}

void printStatus(const project::BatchFolder& folder, const project::BatchStatus& s) {
    std::printf("Batch %s: %zu rows, %d done, %d running, %d failed, %d missing; %.1f videos per minute.\n",
                folder.dir.c_str(), s.rows.size(), s.countOf(BatchRowState::Done),
                s.countOf(BatchRowState::Running), s.countOf(BatchRowState::Failed),
                s.countOf(BatchRowState::Missing), s.videosPerMinute());
    std::printf("%-5s %5s %5s %8s %7s %8s %9s  %s\n", "task", "rows", "done", "running", "failed", "missing",
                "seconds", "slurm");
    for (std::size_t t = 0; t < s.tasks.size(); ++t) {
        const project::BatchTaskStatus& task = s.tasks[t];
        std::printf("%-5zu %5d %5d %8d %7d %8d %9.1f  %s %s\n", t, task.rows, task.count[0], task.count[1],
                    task.count[2], task.count[3], task.seconds,
                    task.slurmState.empty() ? (s.slurm ? "-" : "(no squeue)") : task.slurmState.c_str(),
                    task.slurmElapsed.c_str());
    }
    for (const project::BatchRowStatus& r : s.rows)
        if (r.state == BatchRowState::Failed)
            std::printf("row %d (task %d) failed: %s\n", r.number, r.task, r.error.c_str());
}

// The folder argument and flags of status/resubmit.
struct FolderArgs {
    fs::path dir;
    bool json = false;
    bool dryRun = false;
};

FolderArgs parseFolderArgs(const std::vector<std::string>& args, const char* command, bool allowJson) {
    FolderArgs f;
    for (const std::string& a : args) {
        if (a == "--json" && allowJson)
            f.json = true;
        else if (a == "--dry-run" && !allowJson)
            f.dryRun = true;
        else if (!a.empty() && a[0] != '-' && f.dir.empty())
            f.dir = a;
        else
            throw UsageError{std::string("'batch ") + command + "' does not take '" + a + "'."};
    }
    if (f.dir.empty())
        throw UsageError{std::string("'batch ") + command + "' needs the batch folder."};
    return f;
}

template <class Body> int guarded(Body body) {
    try {
        return body();
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avatar-render: %s\n", e.message.c_str());
        return 2;
    } catch (const Error& e) {
        std::fprintf(stderr, "avatar-render: %s\n", e.what());
        return 1;
    }
}

} // namespace

int submitBatch(const FarmOptions& o, const project::Project& project, const fs::path& data,
                const std::string& output) {
    project::FarmSubmission submission;
    submission.batchDir = o.batchDir;
    submission.tasks = o.tasks;
    submission.slurm = {o.partition, o.time, o.cpusPerTask};
    submission.cacheDir = o.cacheDir;
    submission.noCache = o.noCache;
    submission.sharedCache = o.sharedCache;
    submission.renderProgram = selfPath();
    submission.dryRun = o.dryRun;
    const project::BatchFolder folder = project::SlurmArray::submitNew(submission, project, data, output);
    if (o.dryRun)
        std::fprintf(stderr, "Wrote the batch folder %s; submit it with: sbatch %s\n", folder.dir.c_str(),
                     folder.scriptFile().c_str());
    else
        std::cout << folder.slurmJobs.back() << std::endl;
    return 0;
}

int runBatchStatus(const std::vector<std::string>& args) {
    return guarded([&] {
        const FolderArgs a = parseFolderArgs(args, "status", true);
        const project::BatchFolder folder = project::BatchFolder::open(a.dir);
        const project::BatchStatus s = project::BatchStatus::read(folder);
        if (a.json)
            std::cout << s.json(folder) << std::endl;
        else
            printStatus(folder, s);
        return 0;
    });
}

int runBatchResubmit(const std::vector<std::string>& args) {
    return guarded([&] {
        const FolderArgs a = parseFolderArgs(args, "resubmit", false);
        project::BatchFolder folder = project::BatchFolder::open(a.dir);
        const std::string list = project::BatchStatus::read(folder).tasksToResubmit();
        if (list.empty()) {
            std::fprintf(stderr, "Nothing to resubmit: every row of %s is done or running.\n",
                         folder.dir.c_str());
            return 0;
        }
        if (a.dryRun) {
            std::cout << list << std::endl;
            return 0;
        }
        std::fprintf(stderr, "Submitting tasks %s again.\n", list.c_str());
        std::cout << project::SlurmArray::submit(folder, list) << std::endl;
        return 0;
    });
}

} // namespace avatar::cli
