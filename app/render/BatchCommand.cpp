#include "BatchCommand.h"

#include "CliOptions.h"
#include "FarmCommand.h"
#include "cache/Cache.h"
#include "core/Error.h"
#include "core/Json.h"
#include "project/BatchFolder.h"
#include "project/BatchJournal.h"
#include "project/BatchPlan.h"
#include "project/ProjectFile.h"
#include "project/ProjectRenderer.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

namespace avatar::cli {

namespace fs = std::filesystem;

namespace {

struct BatchOptions {
    fs::path project;
    fs::path script;
    fs::path avatar;
    std::string voice;
    fs::path data;
    std::string output;
    bool skipInvalid = false;
    bool json = false;
    bool quiet = false;
    fs::path cacheDir;
    bool noCache = false;
    fs::path jobs;        // --jobs FILE: the batch's job database
    fs::path sharedCache; // --shared-cache DIR: the cache tier of a render farm
    FarmOptions farm;     // --slurm and its settings (FarmCommand.h)
    fs::path shard;       // --shard DIR: run one task of a batch folder
    int task = -1;        // --task N; default $SLURM_ARRAY_TASK_ID
};

int intValue(const std::string& option, const std::string& text, int least) {
    try {
        std::size_t used = 0;
        const int v = std::stoi(text, &used);
        if (used == text.size() && v >= least)
            return v;
    } catch (const std::exception&) {
    }
    throw UsageError{option + " needs a whole number of at least " + std::to_string(least) + ", not '" +
                     text + "'."};
}

BatchOptions parseBatch(const std::vector<std::string>& args) {
    BatchOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size())
                throw UsageError{a + " needs a value."};
            return args[++i];
        };
        if (a == "-o" || a == "--output")
            o.output = value();
        else if (a == "--script")
            o.script = value();
        else if (a == "--avatar")
            o.avatar = value();
        else if (a == "--voice")
            o.voice = value();
        else if (a == "--skip-invalid")
            o.skipInvalid = true;
        else if (a == "--json")
            o.json = true;
        else if (a == "-q" || a == "--quiet")
            o.quiet = true;
        else if (a == "--cache-dir")
            o.cacheDir = value();
        else if (a == "--no-cache")
            o.noCache = true;
        else if (a == "--jobs")
            o.jobs = value();
        else if (a == "--shared-cache")
            o.sharedCache = value();
        else if (a == "--slurm")
            o.farm.slurm = true;
        else if (a == "--tasks")
            o.farm.tasks = intValue(a, value(), 1);
        else if (a == "--partition")
            o.farm.partition = value();
        else if (a == "--time")
            o.farm.time = value();
        else if (a == "--cpus-per-task")
            o.farm.cpusPerTask = intValue(a, value(), 1);
        else if (a == "--batch-dir")
            o.farm.batchDir = value();
        else if (a == "--dry-run")
            o.farm.dryRun = true;
        else if (a == "--shard")
            o.shard = value();
        else if (a == "--task")
            o.task = intValue(a, value(), 0);
        else if (!a.empty() && a[0] != '-' && fs::path(a).extension() == project::ProjectFile::kExtension)
            o.project = a;
        else if (!a.empty() && a[0] != '-' && o.data.empty())
            o.data = a;
        else
            throw UsageError{"'batch' does not take '" + a + "'. Run 'avatar-render batch --help'."};
    }
    const bool farmFlags = o.farm.tasks != 0 || !o.farm.partition.empty() || !o.farm.time.empty() ||
                           o.farm.cpusPerTask != 0 || !o.farm.batchDir.empty() || o.farm.dryRun;
    if (farmFlags && !o.farm.slurm)
        throw UsageError{"--tasks, --partition, --time, --cpus-per-task, --batch-dir and --dry-run go with "
                         "--slurm."};
    if (o.task >= 0 && o.shard.empty())
        throw UsageError{"--task goes with --shard DIR."};
    if (!o.shard.empty()) {
        if (!o.data.empty() || !o.project.empty() || !o.script.empty() || !o.output.empty() || o.farm.slurm ||
            !o.jobs.empty() || !o.cacheDir.empty() || o.noCache || !o.sharedCache.empty())
            throw UsageError{"--shard DIR takes the project, data, output and cache from the batch folder; "
                             "give only --task N (default $SLURM_ARRAY_TASK_ID), --json and -q."};
        return o;
    }
    if (o.farm.slurm && !o.jobs.empty())
        throw UsageError{"--jobs is not for --slurm: each task keeps its database in the batch folder."};
    if (o.farm.slurm && o.farm.batchDir.empty())
        throw UsageError{"--slurm needs --batch-dir DIR, a folder every node can read and write."};
    if (o.data.empty())
        throw UsageError{"'batch' needs a CSV data file."};
    if (o.output.empty())
        throw UsageError{"'batch' needs -o with the output name, e.g. -o 'out/{{name}}.mp4'."};
    if (o.project.empty() == o.script.empty())
        throw UsageError{"'batch' needs either a project (.avatarproj) or --script FILE, not both."};
    if (!o.project.empty() && (!o.avatar.empty() || !o.voice.empty()))
        throw UsageError{"--avatar and --voice are set in the project."};
    if (o.noCache && !o.sharedCache.empty())
        throw UsageError{"Give either --shared-cache or --no-cache, not both."};
    if (o.noCache && !o.cacheDir.empty())
        throw UsageError{"Give either --cache-dir or --no-cache, not both."};
    return o;
}

// The one-scene project of `batch --script ... --avatar ...`.
project::Project oneScene(const BatchOptions& o) {
    std::ifstream in(o.script, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "The script '" + o.script.string() + "' cannot be read.");
    project::Project p;
    project::Scene scene;
    scene.script.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!o.avatar.empty())
        scene.presenter.portrait.path = fs::absolute(o.avatar);
    if (!o.voice.empty())
        scene.presenter.voice = o.voice;
    p.scenes.push_back(std::move(scene));
    return p;
}

} // namespace

std::string batchUsage() {
    return R"(Usage: avatar-render batch PROJECT.avatarproj DATA.csv -o 'out/{{name}}.mp4' [options]
       avatar-render batch --script FILE [--avatar IMAGE] [--voice ID] DATA.csv -o PATTERN [options]

       avatar-render batch ... --slurm --batch-dir DIR [--tasks N] [--partition P] [--time T]
                           [--cpus-per-task C] [--dry-run]
       avatar-render batch --shard DIR [--task N]
       avatar-render batch status DIR [--json]
       avatar-render batch resubmit DIR [--dry-run]

One video per row of DATA.csv (RFC 4180, UTF-8 with or without BOM, a header row of column names):
{{column}} in the scripts, titles, lower thirds and the output name is replaced by the row's value.
Every row is checked first (missing columns, empty values, names leaving the output folder or
colliding); nothing renders while a row is invalid. Sentences without a placeholder render once and
are reused from the cache for every row. Every row is a job in the batch's job database: running
the same batch again skips the rows already done and renders those that failed or were interrupted.

Options:
  --skip-invalid     render the valid rows and list the others as warnings
  --cache-dir DIR    the render cache (default as for render); --no-cache: none
  --jobs FILE        the batch's job database (default .avatar-batch.jobs in the output folder)
  --shared-cache DIR a cache tier on a folder shared by every node (content-addressed files);
                     missing or failing: one warning, and the local cache goes on
  --json             one JSON line with every row's result on stdout
  -q, --quiet        no per-row lines

On a Slurm cluster (docs/FARM.md):
  --slurm            write a batch folder and an sbatch array script, submit it, print the job id
                     (--cache-dir is then each node's own folder, one per task inside it)
  --batch-dir DIR    the batch folder, on a filesystem every node shares
  --tasks N          array tasks (default 4); row R goes to task (R - 1) mod N
  --partition P      the Slurm partition (sbatch --partition)
  --time T           each task's time limit (sbatch --time)
  --cpus-per-task C  CPUs per task (sbatch --cpus-per-task)
  --dry-run          write the folder and the script, submit nothing
  --shard DIR        run one task of a batch folder (what the script runs); resumes its rows;
                     --task N, default $SLURM_ARRAY_TASK_ID
  status DIR         done, running, failed and missing rows per task, with squeue/sacct's states
  resubmit DIR       submit again only the tasks with failed or missing rows
)";
}

namespace {

// What a run renders: the checked rows, where the videos and the job database go, and which rows are its.
struct BatchRun {
    project::Project base;
    project::BatchPlan plan;
    fs::path jobs;
    fs::path cacheDir;
    fs::path sharedCache;
    bool noCache = false;
    int tasks = 1; // with a shard: row R is this run's when (R - 1) mod tasks == task
    int task = 0;
};

BatchRun shardRun(const BatchOptions& o) {
    const project::BatchFolder folder = project::BatchFolder::open(o.shard);
    int task = o.task;
    if (task < 0) {
        const char* env = std::getenv("SLURM_ARRAY_TASK_ID");
        if (!env || !*env)
            throw UsageError{"--shard needs --task N outside a Slurm array task (no SLURM_ARRAY_TASK_ID)."};
        task = intValue("SLURM_ARRAY_TASK_ID", env, 0);
    }
    if (task >= folder.tasks)
        throw UsageError{"The batch in '" + folder.dir.string() + "' has tasks 0 to " +
                         std::to_string(folder.tasks - 1) + ", not " + std::to_string(task) + "."};
    project::LoadedProject loaded = project::ProjectFile::load(folder.projectFile());
    if (!loaded.notices.empty()) // a node must not render a portrait that differs from the one submitted
        throw Error(ErrorCode::InvalidInput, loaded.notices.front().message());
    BatchRun run;
    run.base = std::move(loaded.project);
    run.plan = project::BatchPlan::make(run.base, project::CsvTable::load(folder.dataFile()), folder.output);
    run.jobs = folder.jobsFile(task);
    // A folder of its own per task: no SQLite file is written by two tasks, which may be on two machines
    // when the folder is on shared storage. The tasks share through the shared tier.
    if (!folder.cacheDir.empty())
        run.cacheDir = folder.cacheDir / ("task-" + std::to_string(task));
    run.noCache = folder.noCache;
    run.sharedCache = folder.sharedCache;
    run.tasks = folder.tasks;
    run.task = task;
    return run;
}

// Renders the run's rows that are not done yet, each a job of the batch's database. Returns the exit code.
int renderRows(const BatchRun& run, const BatchOptions& o, const CancelToken& cancel) {
    EngineServices services;
    std::unique_ptr<cache::Cache> cache;
    if (!run.noCache) {
        cache = openCache(run.cacheDir.empty() ? defaultCacheDir() : run.cacheDir, nullptr, run.sharedCache);
        services.cache = cache.get();
    }
    const project::ProjectRenderer renderer(services);
    std::error_code ec;
    if (run.jobs.has_parent_path())
        fs::create_directories(run.jobs.parent_path(), ec);
    project::BatchJournal journal(run.jobs, project::BatchJournal::projectDigest(run.base));
    JsonWriter json;
    json.beginObject().field("rows", static_cast<int>(run.plan.rows.size()));
    json.key("videos").beginArray();
    int rendered = 0;
    int alreadyDone = 0;
    int failed = 0;
    for (const project::BatchRow& row : run.plan.rows) {
        if (!row.problems.empty() || project::BatchFolder::taskOfRow(row.number, run.tasks) != run.task)
            continue;
        if (journal.done(row)) {
            ++alreadyDone;
            continue;
        }
        JobRecord job = journal.start(row);
        try {
            if (row.output.has_parent_path())
                fs::create_directories(row.output.parent_path(), ec);
            const project::ProjectRenderResult r = renderer.run(row.project, row.output, cancel);
            journal.finish(job, r);
            ++rendered;
            const long long drawn = job.result.cache.framesRendered;
            json.beginObject()
                .field("row", row.number)
                .field("output", r.output.string())
                .field("duration", r.duration)
                .field("frames", r.frames)
                .field("frames_rendered", drawn)
                .field("segments_rendered", job.result.cache.segmentsRendered)
                .field("seconds", r.totalSeconds)
                .endObject();
            if (!o.quiet && !o.json)
                std::fprintf(stderr,
                             "Wrote %s (row %d of %zu, %.1f s, %lld of %lld frames drawn) in %.1f s.\n",
                             r.output.c_str(), row.number, run.plan.rows.size(), r.duration, drawn, r.frames,
                             r.totalSeconds);
        } catch (const Error& e) {
            if (e.code() == ErrorCode::Cancelled) {
                journal.stop(job, JobState::Interrupted, e.what()); // the next run renders it again
                throw;
            }
            journal.stop(job, JobState::Failed, e.what());
            ++failed;
            std::fprintf(stderr, "avatar-render: row %d: %s\n", row.number, e.what());
        }
    }
    json.endArray()
        .field("rendered", rendered)
        .field("already_done", alreadyDone)
        .field("failed", failed)
        .field("skipped", run.plan.invalidRows());
    if (cache && !run.sharedCache.empty()) {
        const cache::CacheStats stats = cache->stats();
        json.key("shared_cache")
            .beginObject()
            .field("hits", static_cast<long long>(stats.l3.hits))
            .field("misses", static_cast<long long>(stats.l3.misses))
            .field("writes", static_cast<long long>(stats.l3Writes))
            .field("waits", static_cast<long long>(stats.l3Waits))
            .field("errors", static_cast<long long>(stats.l3Errors))
            .field("open", stats.l3Open)
            .endObject();
    }
    json.endObject();
    if (o.json)
        std::cout << json.str() << std::endl;
    if (alreadyDone > 0 && !o.quiet && !o.json)
        std::fprintf(stderr, "%d rows were already done (%s).\n", alreadyDone, run.jobs.c_str());
    if (failed > 0)
        std::fprintf(stderr, "avatar-render: %d rows failed; run the same command again to retry them.\n",
                     failed);
    return failed > 0 ? 1 : 0;
}

} // namespace

int runBatchCommand(const std::vector<std::string>& args, const CancelToken& cancel) {
    if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
        std::cout << batchUsage();
        return 0;
    }
    if (!args.empty() && (args[0] == "status" || args[0] == "resubmit")) // the farm's (FarmCommand.cpp)
        return args[0] == "status" ? runBatchStatus({args.begin() + 1, args.end()})
                                   : runBatchResubmit({args.begin() + 1, args.end()});
    BatchOptions o;
    try {
        o = parseBatch(args);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avatar-render: %s\n", e.message.c_str());
        return 2;
    }
    try {
        if (!o.shard.empty())
            return renderRows(shardRun(o), o, cancel);
        BatchRun run;
        run.base = o.project.empty() ? oneScene(o) : project::ProjectFile::load(o.project).project;
        const project::CsvTable data = project::CsvTable::load(o.data);
        // Absolute, so that the rows' outputs stay where they were meant when a node runs them elsewhere.
        const std::string output = o.farm.slurm ? fs::absolute(o.output).string() : o.output;
        run.plan = project::BatchPlan::make(run.base, data, output);
        for (const std::string& line : run.plan.report())
            std::fprintf(stderr, "avatar-render: %s%s\n", o.skipInvalid ? "warning: " : "", line.c_str());
        if (!run.plan.problems.empty() || (!run.plan.valid() && !o.skipInvalid)) {
            std::fprintf(stderr,
                         "avatar-render: %d of %zu rows are invalid; nothing was rendered (fix them, or "
                         "pass --skip-invalid).\n",
                         run.plan.problems.empty() ? run.plan.invalidRows()
                                                   : static_cast<int>(run.plan.rows.size()),
                         run.plan.rows.size());
            return 1;
        }
        if (o.farm.slurm) {
            FarmOptions farm = o.farm;
            farm.cacheDir = o.cacheDir;
            farm.noCache = o.noCache;
            farm.sharedCache = o.sharedCache;
            return submitBatch(farm, run.base, o.data, output);
        }
        run.jobs = o.jobs.empty() ? project::BatchJournal::defaultDatabase(output) : o.jobs;
        run.cacheDir = o.cacheDir;
        run.noCache = o.noCache;
        run.sharedCache = o.sharedCache;
        return renderRows(run, o, cancel);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avatar-render: %s\n", e.message.c_str());
        return 2;
    } catch (const Error& e) {
        if (e.code() == ErrorCode::Cancelled) {
            std::fprintf(stderr, "avatar-render: interrupted; the videos written so far stay, and the same "
                                 "command resumes the batch.\n");
            return 130;
        }
        std::fprintf(stderr, "avatar-render: %s\n", e.what());
        return 1;
    }
}

} // namespace avatar::cli
