#pragma once

#include "core/Tier.h"
#include "pipeline/RenderSpec.h"

#include <cstdint>
#include <optional>
#include <string>

namespace avatar {

// One job's life: Queued → Running → Done | Failed | Cancelled. Interrupted is what a Running job becomes
// when the process died under it (found in the job database at start-up); it is queued again.
enum class JobState { Invalid, Queued, Running, Done, Failed, Cancelled, Interrupted };
enum class JobPriority { Low, Normal, High };

const char* jobStateName(JobState state); // "queued", "running", ...
std::optional<JobState> parseJobState(const std::string& name);
const char* jobPriorityName(JobPriority priority); // "low", "normal", "high"
std::optional<JobPriority> parseJobPriority(const std::string& name);

using JobId = std::int64_t;

// What the user asked for (the job's "params in"); JSON-serialisable for the job database.
struct JobSpec {
    std::string name; // shown in the queue; defaults to the output's file name
    RenderSpec render;
    JobPriority priority = JobPriority::Normal;
    Tier tier = Tier::Standard;
    bool useCache = true;
    // SHA-256 of render.audio's content when the job was composed (issue #13), so that the job database
    // records which recording narrates it, not only where it was; empty for a synthetic voice.
    std::string audioSha256;
};

// A job as the queue and the database see it (a copy: safe to hand to any thread).
struct JobRecord {
    JobId id = 0;
    JobSpec spec;
    JobState state = JobState::Invalid;
    Stage stage = Stage::Validate;
    double progress = 0.0;       // 0..1
    double elapsedSeconds = 0.0; // since it started running
    double etaSeconds = -1.0;    // < 0: unknown
    int attempts = 0;            // runs started (retries and resumes count)
    std::string error;           // the user-facing message of a failed job
    RenderResult result;         // filled when Done
    double createdAt = 0.0;      // seconds since the epoch
    double startedAt = 0.0;
    double finishedAt = 0.0;
    int position = 0; // order in the queue (lower runs first among equal priorities)
};

// JSON for the database, `queue list --json` and the studio.
std::string jobSpecToJson(const JobSpec& spec);
JobSpec jobSpecFromJson(const std::string& json); // Error(InvalidInput) naming what is wrong
std::string jobRecordToJson(const JobRecord& record);
// The result column of the job database, "result" of jobRecordToJson for Done jobs, and the line
// avatar-render --json prints (with the derived realtime_factor, which is not read back).
std::string renderResultToJson(const RenderResult& result);
RenderResult renderResultFromJson(const std::string& json); // Error(InvalidInput) naming what is wrong

} // namespace avatar
