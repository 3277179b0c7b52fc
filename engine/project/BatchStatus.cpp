#include "BatchStatus.h"

#include "BatchJournal.h"
#include "BatchPlan.h"
#include "ProjectFile.h"
#include "SlurmArray.h"
#include "core/Error.h"
#include "core/Json.h"
#include "jobs/JobDatabase.h"
#include "jobs/RunnerLock.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace avatar::project {

namespace fs = std::filesystem;

namespace {

constexpr std::array kStates = {BatchRowState::Done, BatchRowState::Running, BatchRowState::Failed,
                                BatchRowState::Missing};

// "123_4|RUNNING[|00:01:02]" lines of the folder's jobs → task → fields; later jobs win.
void mergeSlurm(const std::string& text, std::vector<BatchTaskStatus>& tasks) {
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
        if (f.size() > 2)
            tasks[t].slurmElapsed = f[2];
    }
}

bool slurmActive(const std::string& state) {
    return state == "RUNNING" || state == "PENDING" || state == "CONFIGURING" || state == "COMPLETING" ||
           state == "REQUEUED" || state == "RESIZING" || state == "SUSPENDED";
}

} // namespace

const char* batchRowStateName(BatchRowState s) {
    switch (s) {
    case BatchRowState::Done:
        return "done";
    case BatchRowState::Running:
        return "running";
    case BatchRowState::Failed:
        return "failed";
    case BatchRowState::Missing:
        return "missing";
    }
    return "missing";
}

BatchStatus BatchStatus::read(const BatchFolder& folder) {
    const LoadedProject loaded = ProjectFile::load(folder.projectFile());
    const BatchPlan plan = BatchPlan::make(loaded.project, CsvTable::load(folder.dataFile()), folder.output);
    const std::string digest = BatchJournal::projectDigest(loaded.project);
    BatchStatus status;
    status.tasks.resize(static_cast<std::size_t>(folder.tasks));

    if (!folder.slurmJobs.empty() && !SlurmArray::findOnPath("squeue").empty()) {
        std::string ids;
        for (const std::string& id : folder.slurmJobs)
            ids += (ids.empty() ? std::string() : std::string(",")) + id;
        if (!SlurmArray::findOnPath("sacct").empty())
            if (const auto acct = SlurmArray::capture("sacct -n -P -X -j " + ids + " -o JobID,State,Elapsed"))
                mergeSlurm(*acct, status.tasks);
        // -t all: finished tasks too, for as long as slurmctld keeps them (MinJobAge); sacct covers the rest
        // where accounting is on.
        if (const auto queue = SlurmArray::capture("squeue -h -r -t all -j " + ids + " -o '%i|%T|%M'")) {
            status.slurm = true;
            mergeSlurm(*queue, status.tasks);
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
        taskRunning[t] = RunnerLock::isHeld(db);
        const JobDatabase database(db);
        for (BatchJournal::Row& row : BatchJournal::rows(database))
            jobs[t][row.key] = std::move(row.job);
    }

    for (const BatchRow& row : plan.rows) {
        if (!row.problems.empty())
            continue;
        BatchRowStatus r;
        r.number = row.number;
        r.task = BatchFolder::taskOfRow(row.number, folder.tasks);
        r.output = row.output;
        BatchTaskStatus& task = status.tasks[static_cast<std::size_t>(r.task)];
        const auto& taskJobs = jobs[static_cast<std::size_t>(r.task)];
        if (const auto it = taskJobs.find(BatchJournal::rowKey(row, digest)); it != taskJobs.end()) {
            const JobRecord& job = it->second;
            std::error_code ec;
            r.attempts = job.attempts;
            r.error = job.error;
            if (job.state == JobState::Done && fs::is_regular_file(row.output, ec)) {
                r.state = BatchRowState::Done;
                r.seconds = job.finishedAt - job.startedAt;
                r.segmentsRendered = job.result.cache.segmentsRendered;
                r.framesRendered = job.result.cache.framesRendered;
                task.seconds += r.seconds;
            } else if (job.state == JobState::Running && taskRunning[static_cast<std::size_t>(r.task)])
                r.state = BatchRowState::Running;
            else if (job.state == JobState::Failed)
                r.state = BatchRowState::Failed;
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

int BatchStatus::countOf(BatchRowState state) const {
    int n = 0;
    for (const BatchTaskStatus& t : tasks)
        n += t.countOf(state);
    return n;
}

double BatchStatus::videosPerMinute() const {
    double first = 0.0;
    double last = 0.0;
    for (const BatchTaskStatus& t : tasks) {
        if (t.started > 0 && (first == 0 || t.started < first))
            first = t.started;
        last = std::max(last, t.finished);
    }
    const int done = countOf(BatchRowState::Done);
    return last > first && done > 0 ? done * 60.0 / (last - first) : 0.0;
}

std::string BatchStatus::tasksToResubmit() const {
    std::string list;
    for (std::size_t t = 0; t < tasks.size(); ++t) {
        const BatchTaskStatus& task = tasks[t];
        const bool unfinished =
            task.countOf(BatchRowState::Failed) > 0 || task.countOf(BatchRowState::Missing) > 0;
        // A task Slurm still runs or holds will finish its rows itself.
        if (unfinished && !slurmActive(task.slurmState) && task.countOf(BatchRowState::Running) == 0) {
            if (!list.empty())
                list += ',';
            list += std::to_string(t);
        }
    }
    return list;
}

bool BatchStatus::active() const {
    for (const BatchTaskStatus& task : tasks)
        if (task.countOf(BatchRowState::Running) > 0 || slurmActive(task.slurmState))
            return true;
    return false;
}

std::string BatchStatus::json(const BatchFolder& folder) const {
    JsonWriter w;
    w.beginObject()
        .field("batch_dir", folder.dir.string())
        .field("task_count", folder.tasks)
        .field("rows_total", static_cast<int>(rows.size()));
    for (BatchRowState state : kStates)
        w.field(batchRowStateName(state), countOf(state));
    w.field("videos_per_minute", videosPerMinute()).field("slurm", slurm);
    w.key("slurm_jobs").beginArray();
    for (const std::string& id : folder.slurmJobs)
        w.value(id);
    w.endArray();
    w.key("tasks").beginArray();
    for (std::size_t t = 0; t < tasks.size(); ++t) {
        const BatchTaskStatus& task = tasks[t];
        w.beginObject().field("task", static_cast<int>(t)).field("rows", task.rows);
        for (BatchRowState state : kStates)
            w.field(batchRowStateName(state), task.countOf(state));
        w.field("seconds", task.seconds)
            .field("wall_seconds", task.finished > task.started ? task.finished - task.started : 0.0)
            .field("slurm_state", task.slurmState)
            .field("slurm_elapsed", task.slurmElapsed)
            .endObject();
    }
    w.endArray();
    w.key("rows").beginArray();
    for (const BatchRowStatus& r : rows)
        w.beginObject()
            .field("row", r.number)
            .field("task", r.task)
            .field("output", r.output.string())
            .field("state", batchRowStateName(r.state))
            .field("attempts", r.attempts)
            .field("seconds", r.seconds)
            .field("segments_rendered", r.segmentsRendered)
            .field("frames_rendered", r.framesRendered)
            .field("error", r.error)
            .endObject();
    w.endArray().endObject();
    return w.str();
}

} // namespace avatar::project
