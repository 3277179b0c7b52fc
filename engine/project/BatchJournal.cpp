#include "BatchJournal.h"

#include "ProjectFile.h"
#include "cache/Sha256.h"
#include "jobs/StaleFiles.h"
#include "media/MediaReader.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

namespace avatar::project {

namespace fs = std::filesystem;

namespace {

// A row job's name: "row N KEY", so that `queue list` on a batch database reads, and the key comes back.
constexpr std::string_view kRowPrefix = "row ";

double now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string keyOf(const JobRecord& job) {
    const std::string& name = job.spec.name;
    const auto space = name.rfind(' ');
    return name.compare(0, kRowPrefix.size(), kRowPrefix) == 0 && space != std::string::npos
               ? name.substr(space + 1)
               : std::string();
}

// The project's totals over its scenes, in the shape the job database keeps.
RenderResult summary(const ProjectRenderResult& r) {
    RenderResult out;
    out.output = r.output;
    out.duration = r.duration;
    out.frames = r.frames;
    out.warnings = r.warnings;
    out.totalSeconds = r.totalSeconds;
    for (const RenderResult& s : r.scenes) {
        out.width = s.width;
        out.height = s.height;
        out.fps = s.fps;
        out.voice = s.voice;
        out.cache.ttsHits += s.cache.ttsHits;
        out.cache.ttsMisses += s.cache.ttsMisses;
        out.cache.faceHits += s.cache.faceHits;
        out.cache.faceMisses += s.cache.faceMisses;
        out.cache.segmentsReused += s.cache.segmentsReused;
        out.cache.segmentsRendered += s.cache.segmentsRendered;
        out.cache.framesRendered += s.cache.framesRendered;
        out.cache.audioPartsReused += s.cache.audioPartsReused;
        out.cache.audioPartsEncoded += s.cache.audioPartsEncoded;
    }
    return out;
}

// A row left Running by a dead runner whose video is nevertheless whole: the encoder renames its temporary
// file onto the output as its last step, so a kill between that rename and the journal's Done leaves a
// finished video behind an unfinished job. A regular file written after the attempt began that opens as a
// video with frames is that video; rendering it again would only cost time. Returns whether it was adopted.
bool adoptFinishedVideo(JobRecord& job) {
    const fs::path& output = job.spec.render.output;
    std::error_code ec;
    if (output.empty() || !fs::is_regular_file(output, ec))
        return false;
    const auto written = fs::last_write_time(output, ec);
    if (ec)
        return false;
    const double writtenAt =
        std::chrono::duration<double>(std::chrono::file_clock::to_sys(written).time_since_epoch()).count();
    if (writtenAt < job.startedAt)
        return false; // an older file at the same path: not this attempt's work
    try {
        const MediaInfo info = MediaReader(output).info();
        if (info.videoStreams < 1 || info.frameCount < 1)
            return false;
        job.result = RenderResult{};
        job.result.output = output;
        job.result.width = info.width;
        job.result.height = info.height;
        job.result.fps = info.frameRate; // exact: 30000/1001 stays so
        job.result.frames = info.frameCount;
        job.result.duration = std::max(info.audioDuration, info.videoDuration);
    } catch (const std::exception&) {
        return false; // cut short or not a video: the row renders again
    }
    job.state = JobState::Done;
    job.stage = Stage::Done;
    job.progress = 1.0;
    job.finishedAt = writtenAt;
    job.elapsedSeconds = writtenAt - job.startedAt;
    return true;
}

} // namespace

BatchJournal::BatchJournal(const fs::path& database, std::string projectDigest)
    : m_db(database), m_lock(database), m_projectDigest(std::move(projectDigest)) {
    // We hold the runner lock: whoever left jobs Running is gone. Those whose video was finished are Done;
    // the others are Interrupted and render again.
    for (JobRecord& job : m_db.load())
        if (job.state == JobState::Running && !keyOf(job).empty() && adoptFinishedVideo(job))
            m_db.saveState(job, JobState::Running, "its video was finished before the runner stopped");
    m_db.markRunningInterrupted();
    for (JobRecord& job : m_db.load())
        if (std::string key = keyOf(job); !key.empty())
            m_jobs[key] = std::move(job); // later jobs of one key (none are made) would win
}

std::string BatchJournal::projectDigest(const Project& project) {
    // The document hashes the media too, so a changed portrait or logo makes every row a new job.
    return cache::Sha256::toHex(cache::Sha256::hash(ProjectFile::serialize(project, fs::path("/"))));
}

fs::path BatchJournal::defaultDatabase(const std::string& outputPattern) {
    const fs::path fixed = fs::path(outputPattern.substr(0, outputPattern.find("{{"))).parent_path();
    return (fixed.empty() ? fs::path(".") : fixed) / ".avatar-batch.jobs";
}

std::string BatchJournal::rowKey(const BatchRow& row, const std::string& projectDigest) {
    // Only the texts differ between rows (BatchPlan fills scripts and overlays); hashing them instead of the
    // row's whole document keeps the media from being read again for every row.
    cache::Sha256 h;
    auto field = [&](std::string_view text) {
        h.update(std::to_string(text.size()) + ":");
        h.update(text);
    };
    field(projectDigest);
    field(row.output.string());
    for (const Scene& scene : row.project.scenes) {
        field(scene.script);
        for (const TextOverlay& o : scene.overlays) {
            field(o.text);
            field(o.detail);
        }
    }
    return cache::Sha256::toHex(h.finish());
}

bool BatchJournal::done(const BatchRow& row) const {
    const auto it = m_jobs.find(rowKey(row));
    std::error_code ec;
    return it != m_jobs.end() && it->second.state == JobState::Done && fs::is_regular_file(row.output, ec);
}

JobRecord BatchJournal::start(const BatchRow& row) {
    const std::string key = rowKey(row);
    auto it = m_jobs.find(key);
    if (it == m_jobs.end()) {
        JobRecord job;
        job.spec.name = std::string(kRowPrefix) + std::to_string(row.number) + " " + key;
        job.spec.render.output = row.output;
        if (!row.project.scenes.empty())
            job.spec.render.text = row.project.scenes.front().script; // what `queue list` shows
        job.state = JobState::Queued;
        job.createdAt = now();
        m_db.insert(job);
        it = m_jobs.emplace(key, job).first;
    }
    JobRecord& job = it->second;
    const JobState from = job.state;
    // A row interrupted by a runner that died mid-render left its encoder's partial file beside the output;
    // its render starts anew under another name, so that one would stay for good (tst_gui_batch_resume
    // found it whenever the kill fell while the row was encoding). We hold the runner lock: no other runner
    // of this batch writes there.
    if (from == JobState::Interrupted)
        removeStaleTemporaries(job.spec.render);
    job.state = JobState::Running;
    job.error.clear();
    job.startedAt = now();
    job.finishedAt = 0.0;
    ++job.attempts;
    m_db.saveState(job, from);
    return job;
}

void BatchJournal::finish(JobRecord& job, const ProjectRenderResult& result) {
    job.state = JobState::Done;
    job.stage = Stage::Done;
    job.progress = 1.0;
    job.result = summary(result);
    job.finishedAt = now();
    job.elapsedSeconds = job.finishedAt - job.startedAt;
    m_db.saveState(job, JobState::Running);
    m_jobs[keyOf(job)] = job;
}

void BatchJournal::stop(JobRecord& job, JobState state, const std::string& error) {
    job.state = state;
    job.error = error;
    job.finishedAt = now();
    job.elapsedSeconds = job.finishedAt - job.startedAt;
    m_db.saveState(job, JobState::Running, error);
    m_jobs[keyOf(job)] = job;
}

std::vector<BatchJournal::Row> BatchJournal::rows(const JobDatabase& database) {
    std::vector<Row> out;
    for (JobRecord& job : database.load()) {
        Row row;
        row.key = keyOf(job);
        if (row.key.empty())
            continue;
        row.number = std::stoi(job.spec.name.substr(kRowPrefix.size()));
        row.job = std::move(job);
        out.push_back(std::move(row));
    }
    return out;
}

} // namespace avatar::project
