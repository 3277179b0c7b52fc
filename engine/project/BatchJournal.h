#pragma once

#include "BatchPlan.h"
#include "ProjectRenderer.h"
#include "jobs/JobDatabase.h"
#include "jobs/RunnerLock.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace avatar::project {

// A batch's rows as jobs in a job database (issue #14, item 4), so that a batch killed half-way resumes: a
// run of the same batch skips the rows whose job is Done and whose video is on disk, and renders the rows
// that failed, were interrupted or are new. A row is known by a key over its filled texts, its output and
// the project, so a row whose data changed is a new job. One runner per database (RunnerLock).
class BatchJournal {
public:
    // Opens or creates `database` (jobs left Running by a dead process become Interrupted). `projectDigest`
    // identifies the project the rows were filled from (projectDigest()). Throws Error like JobDatabase, and
    // Error(Io) when another process runs this batch.
    BatchJournal(const std::filesystem::path& database, std::string projectDigest);

    // SHA-256 of the project's document: what a row's key says about the shared parts of every row.
    static std::string projectDigest(const Project& project);
    // The batch's database when none is named: ".avatar-batch.jobs" in the output pattern's folder (the part
    // before its first placeholder).
    static std::filesystem::path defaultDatabase(const std::string& outputPattern);

    // The row's key: SHA-256 over the project's digest, the row's output and its filled texts.
    static std::string rowKey(const BatchRow& row, const std::string& projectDigest);
    std::string rowKey(const BatchRow& row) const { return rowKey(row, m_projectDigest); }
    // The row's job is Done and its video exists.
    bool done(const BatchRow& row) const;
    // Records that the row starts (a new job, or its earlier job once more): Running, attempts + 1.
    JobRecord start(const BatchRow& row);
    void finish(JobRecord& job, const ProjectRenderResult& result);
    // Failed with `error`, or Cancelled/Interrupted when the run was stopped.
    void stop(JobRecord& job, JobState state, const std::string& error);

    // Every row job of a database: the key and the record, for `batch status`.
    struct Row {
        int number = 0;
        std::string key;
        JobRecord job;
    };
    static std::vector<Row> rows(const JobDatabase& database);

private:
    JobDatabase m_db;
    RunnerLock m_lock;
    std::string m_projectDigest;
    std::map<std::string, JobRecord> m_jobs; // by row key
};

} // namespace avatar::project
