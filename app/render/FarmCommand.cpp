#include "FarmCommand.h"

#include "CliOptions.h"
#include "core/AtomicFile.h"
#include "core/Error.h"
#include "core/Json.h"
#include "jobs/JobDatabase.h"
#include "jobs/RunnerLock.h"
#include "project/BatchFolder.h"
#include "project/BatchJournal.h"
#include "project/BatchPlan.h"
#include "project/ProjectFile.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace avatar::cli {

namespace fs = std::filesystem;

namespace {

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

bool onPath(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "");
    std::string dir;
    while (std::getline(dirs, dir, ':'))
        if (!dir.empty() && ::access((fs::path(dir) / program).c_str(), X_OK) == 0)
            return true;
    return false;
}

// Runs a shell command line; its stdout, or nothing when it could not run or exited non-zero (its stderr
// passes through, so sbatch's own complaint reaches the user).
std::optional<std::string> capture(const std::string& command) {
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return std::nullopt;
    std::string out;
    std::array<char, 4096> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
        out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return std::nullopt;
    return out;
}

std::string selfPath() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("avatar-render") : self.string();
}

void writeScript(const project::BatchFolder& folder, const FarmOptions& o) {
    std::string s =
        "#!/bin/sh\n"
        "# Written by avatar-render batch --slurm: each array task renders its rows of the batch\n"
        "# in this folder (row R is task (R - 1) mod " +
        std::to_string(folder.tasks) +
        ") and resumes them when requeued.\n"
        "#SBATCH --job-name=avatar-batch\n"
        "#SBATCH --array=0-" +
        std::to_string(folder.tasks - 1) +
        "\n#SBATCH --output=" + (folder.logsDir() / "task-%a.log").string() + "\n#SBATCH --requeue\n";
    if (!o.partition.empty())
        s += "#SBATCH --partition=" + o.partition + "\n";
    if (!o.time.empty())
        s += "#SBATCH --time=" + o.time + "\n";
    if (o.cpusPerTask > 0)
        s += "#SBATCH --cpus-per-task=" + std::to_string(o.cpusPerTask) + "\n";
    s += "exec " + shellQuote(selfPath()) + " batch --shard " + shellQuote(folder.dir.string()) + " -q\n";
    AtomicFile::write(folder.scriptFile(), s);
    fs::permissions(folder.scriptFile(), fs::perms::owner_exec, fs::perm_options::add);
}

// Submits the folder's script for `tasks` ("0-3" or "1,3"), records the job id in batch.json and prints it.
int submit(project::BatchFolder& folder, const std::string& tasks) {
    if (!onPath("sbatch")) {
        std::fprintf(stderr,
                     "avatar-render: sbatch is not on the PATH; the batch folder '%s' is ready: submit %s "
                     "with sbatch on the cluster.\n",
                     folder.dir.c_str(), folder.scriptFile().c_str());
        return 1;
    }
    const std::optional<std::string> out =
        capture("sbatch --parsable --array=" + tasks + " " + shellQuote(folder.scriptFile().string()));
    const std::string id = out ? out->substr(0, out->find_first_of(";\n")) : std::string();
    if (id.empty()) {
        std::fprintf(stderr, "avatar-render: sbatch refused the batch in '%s' (its message is above).\n",
                     folder.dir.c_str());
        return 1;
    }
    folder.slurmJobs.push_back(id);
    folder.save();
    std::cout << id << std::endl;
    return 0;
}

enum class RowState { Done, Running, Failed, Missing };

const char* rowStateName(RowState s) {
    switch (s) {
    case RowState::Done:
        return "done";
    case RowState::Running:
        return "running";
    case RowState::Failed:
        return "failed";
    case RowState::Missing:
        return "missing";
    }
    return "missing";
}

struct RowStatus {
    int number = 0;
    int task = 0;
    fs::path output;
    RowState state = RowState::Missing;
    int attempts = 0;
    double seconds = 0.0;
    int segmentsRendered = 0; // what the row drew (the cache's statistics, from its job)
    long long framesRendered = 0;
    std::string error;
};

struct TaskStatus {
    std::array<int, 4> count{}; // by RowState
    int rows = 0;
    double seconds = 0.0; // summed over its rows done
    double started = 0.0; // first row started, seconds since the epoch; 0: none
    double finished = 0.0;
    std::string slurmState; // squeue's, else sacct's; empty: unknown
    std::string slurmElapsed;
};

struct BatchStatus {
    std::vector<RowStatus> rows;
    std::vector<TaskStatus> tasks;
    bool slurm = false; // squeue answered
};

// "123_4|RUNNING[|00:01:02]" lines of the folder's jobs → task → fields; later jobs win.
void mergeSlurm(const std::string& text, std::vector<TaskStatus>& tasks, bool withElapsed) {
    std::stringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<std::string> f;
        std::stringstream fields(line);
        for (std::string x; std::getline(fields, x, '|');)
            f.push_back(x);
        const auto underscore = f.empty() ? std::string::npos : f[0].find('_');
        if (f.size() < 2 || underscore == std::string::npos)
            continue;
        const std::string task = f[0].substr(underscore + 1);
        if (task.empty() || task.find_first_not_of("0123456789") != std::string::npos)
            continue; // "123_[0-3]": not expanded yet
        const std::size_t t = std::stoul(task);
        if (t >= tasks.size())
            continue;
        tasks[t].slurmState = f[1].substr(0, f[1].find(' ')); // "CANCELLED by 0" → CANCELLED
        if (withElapsed && f.size() > 2)
            tasks[t].slurmElapsed = f[2];
    }
}

bool slurmActive(const std::string& state) {
    return state == "RUNNING" || state == "PENDING" || state == "CONFIGURING" || state == "COMPLETING" ||
           state == "REQUEUED" || state == "RESIZING" || state == "SUSPENDED";
}

BatchStatus statusOf(const project::BatchFolder& folder) {
    const project::LoadedProject loaded = project::ProjectFile::load(folder.projectFile());
    const project::BatchPlan plan =
        project::BatchPlan::make(loaded.project, project::CsvTable::load(folder.dataFile()), folder.output);
    const std::string digest = project::BatchJournal::projectDigest(loaded.project);
    BatchStatus status;
    status.tasks.resize(static_cast<std::size_t>(folder.tasks));

    if (!folder.slurmJobs.empty() && onPath("squeue")) {
        std::string ids;
        for (const std::string& id : folder.slurmJobs)
            ids += (ids.empty() ? std::string() : std::string(",")) + id;
        if (onPath("sacct"))
            if (const auto acct = capture("sacct -n -P -X -j " + ids + " -o JobID,State,Elapsed 2>/dev/null"))
                mergeSlurm(*acct, status.tasks, true);
        // -t all: finished tasks too, for as long as slurmctld keeps them (MinJobAge); sacct covers the rest
        // where accounting is on.
        if (const auto queue = capture("squeue -h -r -t all -j " + ids + " -o '%i|%T|%M' 2>/dev/null")) {
            status.slurm = true;
            mergeSlurm(*queue, status.tasks, true);
        }
    }

    std::vector<std::map<std::string, JobRecord>> jobs(status.tasks.size());
    std::vector<bool> taskRunning(status.tasks.size(), false);
    for (std::size_t t = 0; t < jobs.size(); ++t) {
        const fs::path db = folder.jobsFile(static_cast<int>(t));
        std::error_code ec;
        if (!fs::exists(db, ec))
            continue;
        // A task's rows are running only while a process holds its database: Running rows of a task that
        // was killed (scancel, a node lost) are missing until it runs again.
        try {
            const RunnerLock probe(db);
        } catch (const Error&) {
            taskRunning[t] = true;
        }
        const JobDatabase database(db);
        for (project::BatchJournal::Row& row : project::BatchJournal::rows(database))
            jobs[t][row.key] = std::move(row.job);
    }

    for (const project::BatchRow& row : plan.rows) {
        if (!row.problems.empty())
            continue;
        RowStatus r;
        r.number = row.number;
        r.task = project::BatchFolder::taskOfRow(row.number, folder.tasks);
        r.output = row.output;
        TaskStatus& task = status.tasks[static_cast<std::size_t>(r.task)];
        const auto& taskJobs = jobs[static_cast<std::size_t>(r.task)];
        if (const auto it = taskJobs.find(project::BatchJournal::rowKey(row, digest)); it != taskJobs.end()) {
            const JobRecord& job = it->second;
            std::error_code ec;
            r.attempts = job.attempts;
            r.error = job.error;
            if (job.state == JobState::Done && fs::is_regular_file(row.output, ec)) {
                r.state = RowState::Done;
                r.seconds = job.finishedAt - job.startedAt;
                r.segmentsRendered = job.result.cache.segmentsRendered;
                r.framesRendered = job.result.cache.framesRendered;
                task.seconds += r.seconds;
            } else if (job.state == JobState::Running && taskRunning[static_cast<std::size_t>(r.task)])
                r.state = RowState::Running;
            else if (job.state == JobState::Failed)
                r.state = RowState::Failed;
            if (job.startedAt > 0 && (task.started == 0 || job.startedAt < task.started))
                task.started = job.startedAt;
            task.finished = std::max(task.finished, job.finishedAt);
        }
        ++task.count[static_cast<std::size_t>(r.state)];
        ++task.rows;
        status.rows.push_back(std::move(r));
    }
    return status;
}

int countOf(const BatchStatus& s, RowState state) {
    int n = 0;
    for (const TaskStatus& t : s.tasks)
        n += t.count[static_cast<std::size_t>(state)];
    return n;
}

// Videos per minute over the batch's wall clock, first row started to last row finished.
double videosPerMinute(const BatchStatus& s) {
    double first = 0.0;
    double last = 0.0;
    for (const TaskStatus& t : s.tasks) {
        if (t.started > 0 && (first == 0 || t.started < first))
            first = t.started;
        last = std::max(last, t.finished);
    }
    const int done = countOf(s, RowState::Done);
    return last > first && done > 0 ? done * 60.0 / (last - first) : 0.0;
}

std::string statusJson(const project::BatchFolder& folder, const BatchStatus& s) {
    JsonWriter w;
    w.beginObject()
        .field("batch_dir", folder.dir.string())
        .field("task_count", folder.tasks)
        .field("rows_total", static_cast<int>(s.rows.size()));
    for (RowState state : {RowState::Done, RowState::Running, RowState::Failed, RowState::Missing})
        w.field(rowStateName(state), countOf(s, state));
    w.field("videos_per_minute", videosPerMinute(s)).field("slurm", s.slurm);
    w.key("slurm_jobs").beginArray();
    for (const std::string& id : folder.slurmJobs)
        w.value(id);
    w.endArray();
    w.key("tasks").beginArray();
    for (std::size_t t = 0; t < s.tasks.size(); ++t) {
        const TaskStatus& task = s.tasks[t];
        w.beginObject().field("task", static_cast<int>(t)).field("rows", task.rows);
        for (RowState state : {RowState::Done, RowState::Running, RowState::Failed, RowState::Missing})
            w.field(rowStateName(state), task.count[static_cast<std::size_t>(state)]);
        w.field("seconds", task.seconds)
            .field("wall_seconds", task.finished > task.started ? task.finished - task.started : 0.0)
            .field("slurm_state", task.slurmState)
            .field("slurm_elapsed", task.slurmElapsed)
            .endObject();
    }
    w.endArray();
    w.key("rows").beginArray();
    for (const RowStatus& r : s.rows)
        w.beginObject()
            .field("row", r.number)
            .field("task", r.task)
            .field("output", r.output.string())
            .field("state", rowStateName(r.state))
            .field("attempts", r.attempts)
            .field("seconds", r.seconds)
            .field("segments_rendered", r.segmentsRendered)
            .field("frames_rendered", r.framesRendered)
            .field("error", r.error)
            .endObject();
    w.endArray().endObject();
    return w.str();
}

void printStatus(const project::BatchFolder& folder, const BatchStatus& s) {
    std::printf("Batch %s: %zu rows, %d done, %d running, %d failed, %d missing; %.1f videos per minute.\n",
                folder.dir.c_str(), s.rows.size(), countOf(s, RowState::Done), countOf(s, RowState::Running),
                countOf(s, RowState::Failed), countOf(s, RowState::Missing), videosPerMinute(s));
    std::printf("%-5s %5s %5s %8s %7s %8s %9s  %s\n", "task", "rows", "done", "running", "failed", "missing",
                "seconds", "slurm");
    for (std::size_t t = 0; t < s.tasks.size(); ++t) {
        const TaskStatus& task = s.tasks[t];
        std::printf("%-5zu %5d %5d %8d %7d %8d %9.1f  %s %s\n", t, task.rows, task.count[0], task.count[1],
                    task.count[2], task.count[3], task.seconds,
                    task.slurmState.empty() ? (s.slurm ? "-" : "(no squeue)") : task.slurmState.c_str(),
                    task.slurmElapsed.c_str());
    }
    for (const RowStatus& r : s.rows)
        if (r.state == RowState::Failed)
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
    const int tasks = o.tasks > 0 ? o.tasks : 4;
    project::BatchFolder folder = project::BatchFolder::create(o.batchDir, project, data, output, tasks,
                                                               o.cacheDir, o.noCache, o.sharedCache);
    writeScript(folder, o);
    if (o.dryRun) {
        std::fprintf(stderr, "Wrote the batch folder %s; submit it with: sbatch %s\n", folder.dir.c_str(),
                     folder.scriptFile().c_str());
        return 0;
    }
    return submit(folder, "0-" + std::to_string(tasks - 1));
}

int runBatchStatus(const std::vector<std::string>& args) {
    return guarded([&] {
        const FolderArgs a = parseFolderArgs(args, "status", true);
        const project::BatchFolder folder = project::BatchFolder::open(a.dir);
        const BatchStatus s = statusOf(folder);
        if (a.json)
            std::cout << statusJson(folder, s) << std::endl;
        else
            printStatus(folder, s);
        return 0;
    });
}

int runBatchResubmit(const std::vector<std::string>& args) {
    return guarded([&] {
        const FolderArgs a = parseFolderArgs(args, "resubmit", false);
        project::BatchFolder folder = project::BatchFolder::open(a.dir);
        const BatchStatus s = statusOf(folder);
        std::string list;
        for (std::size_t t = 0; t < s.tasks.size(); ++t) {
            const TaskStatus& task = s.tasks[t];
            const bool unfinished = task.count[static_cast<std::size_t>(RowState::Failed)] > 0 ||
                                    task.count[static_cast<std::size_t>(RowState::Missing)] > 0;
            // A task Slurm still runs or holds will finish its rows itself.
            if (unfinished && !slurmActive(task.slurmState) &&
                task.count[static_cast<std::size_t>(RowState::Running)] == 0) {
                if (!list.empty())
                    list += ',';
                list += std::to_string(t);
            }
        }
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
        return submit(folder, list);
    });
}

} // namespace avatar::cli
